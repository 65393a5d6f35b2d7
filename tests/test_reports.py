"""Reports: each figure on a small history whose right answer is worked out here."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.core.business_hours import OpeningHours, OpeningHoursError
from app.core.reports import ReportRequest, format_duration, nearest_rank
from app.storage.reports import load_report
from tests.report_support import build_history

MIN = 60.0
HOUR = 3600.0
WEEKDAYS_9_TO_5 = OpeningHours.from_settings(
    {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
)

# Every test here runs on SQLite and on PostgreSQL (team mode): tests/fixtures/storage.py.
pytestmark = pytest.mark.engines("sqlite", "postgres")


# --------------------------------------------------------------- opening hours


def test_a_weekend_message_answered_on_monday_morning_waited_fifteen_minutes():
    saturday_night = datetime(2024, 5, 4, 21, 0, tzinfo=UTC)
    monday_morning = datetime(2024, 5, 6, 9, 15, tzinfo=UTC)
    assert WEEKDAYS_9_TO_5.open_seconds(saturday_night, monday_morning, UTC) == 15 * MIN
    assert OpeningHours().open_seconds(saturday_night, monday_morning, UTC) == 36.25 * HOUR


def test_a_reply_the_next_morning_counts_the_evening_and_the_morning_only():
    tuesday_late = datetime(2024, 5, 7, 16, 30, tzinfo=UTC)
    wednesday_early = datetime(2024, 5, 8, 9, 30, tzinfo=UTC)
    assert WEEKDAYS_9_TO_5.open_seconds(tuesday_late, wednesday_early, UTC) == 60 * MIN


def test_opening_hours_follow_the_shops_own_clock():
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")  # UTC+2 in May
    # 06:30-07:30 UTC is 08:30-09:30 in Berlin: only the half hour after 09:00 counts.
    start = datetime(2024, 5, 6, 6, 30, tzinfo=UTC)
    assert WEEKDAYS_9_TO_5.open_seconds(start, start + timedelta(hours=1), berlin) == 30 * MIN


def test_opening_hours_round_trip_and_bad_values_are_refused_in_words():
    hours = OpeningHours.from_settings({"sat": [["10:00", "14:00"], ["15:00", "00:00"]]})
    assert hours.by_weekday[5] == ((time(10), time(14)), (time(15), time(0)))
    assert OpeningHours.from_settings(hours.to_settings()) == hours
    for bad in ({"mon": [["17:00", "09:00"]]}, {"mon": "9-5"}, {"mon": [["nine", "five"]]}, []):
        with pytest.raises(OpeningHoursError):
            OpeningHours.from_settings(bad)


def test_nearest_rank_picks_a_real_value_and_durations_read_plainly():
    assert nearest_rank([1, 2, 3, 4], 0.5) == 2
    assert nearest_rank([1, 2, 3, 4], 0.9) == 4
    assert nearest_rank([7], 0.9) == 7
    assert [format_duration(s) for s in (None, 40 * MIN, 3.5 * HOUR, 50 * HOUR)] == [
        "–",
        "40 min",
        "3.5 h",
        "2.1 days",
    ]


# --------------------------------------------------------------- a small history
# T0 is Wednesday 2024-05-01 09:00 UTC (tests/fixtures/storage.py).


@pytest.fixture
def history(store, shop_account, make_post, keyword_score):
    return build_history(store, shop_account, make_post, keyword_score)


def _request(**extra) -> ReportRequest:
    return ReportRequest(
        since=datetime(2024, 4, 29, tzinfo=UTC),
        until=datetime(2024, 5, 13, tzinfo=UTC),
        zone=UTC,
        **extra,
    )


NOW = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)  # Friday morning, two days after T0


def test_response_times_time_each_wait_from_the_customers_first_post(history):
    report = load_report(history.db, _request(), now=NOW)

    every = report.responses_all
    assert every.answered == 3  # Ann's two posts are one wait; Cat is still waiting
    assert every.median_s == 40 * MIN  # 5 min, 40 min, 25 h
    assert every.p90_s == 25 * HOUR
    assert every.within_1h == pytest.approx(2 / 3)
    assert every.within_24h == pytest.approx(2 / 3)
    # Dan's question counts as a complaint because the owner said so.
    assert report.responses_complaints.answered == 2
    assert report.responses_complaints.p90_s == 40 * MIN
    assert report.responses_other.median_s == 25 * HOUR
    assert [(w.week, w.answered) for w in every.weeks] == [(date(2024, 4, 29), 3)]


def test_business_hours_shrink_the_overnight_wait(history):
    report = load_report(history.db, _request(hours=WEEKDAYS_9_TO_5), now=NOW)
    # Bob wrote Wed 10:00, answered Thu 11:00: 7 h on Wednesday + 2 h on Thursday.
    assert report.responses_other.median_s == 9 * HOUR
    assert report.responses_all.within_24h == 1.0


def test_open_complaints_are_bucketed_by_how_long_the_customer_has_waited(history):
    report = load_report(history.db, _request(), now=NOW)
    ages = {b.name: b.count for b in report.open_complaints}
    # Cat wrote twice (two threads), about 46 hours before NOW.
    assert ages == {"under 1 hour": 0, "1–24 hours": 0, "1–7 days": 2, "over 7 days": 0}
    later = load_report(history.db, _request(), now=NOW + timedelta(days=8))
    assert [b.count for b in later.open_complaints] == [0, 0, 0, 2]


def test_volume_feelings_and_replies_count_every_post_once(history):
    report = load_report(history.db, _request(), now=NOW)
    by_label = {(d.day, d.label): d.count for d in report.volume}
    assert by_label == {
        (date(2024, 5, 1), "negative"): 4,
        (date(2024, 5, 1), "neutral"): 1,
        (date(2024, 5, 1), "positive"): 1,
    }
    assert dict(report.replies_per_day) == {date(2024, 5, 1): 2, date(2024, 5, 2): 1}
    (week,) = report.feeling
    assert (week.posts, week.complaints, week.praise, week.corrected) == (6, 4, 1, 1)
    assert week.complaint_share == pytest.approx(4 / 6)


def test_customers_who_write_most_complain_again_and_say_thanks(history):
    report = load_report(history.db, _request(), now=NOW)
    assert [(c.handle, c.posts) for c in report.top_writers][:2] == [
        ("@ann@town.example", 2),
        ("@cat@town.example", 2),
    ]
    assert [c.handle for c in report.repeat_complainers] == ["@cat@town.example"]
    assert [c.handle for c in report.thank_you_list] == ["@bob@town.example"]


def test_the_period_and_the_account_limit_what_is_counted(history, store, shop_bsky_account):
    only_thursday = ReportRequest(
        since=datetime(2024, 5, 2, tzinfo=UTC), until=datetime(2024, 5, 3, tzinfo=UTC), zone=UTC
    )
    report = load_report(history.db, only_thursday, now=NOW)
    assert report.responses_all.answered == 0
    assert dict(report.replies_per_day) == {date(2024, 5, 2): 1}
    other = load_report(history.db, _request(account_id=shop_bsky_account.id), now=NOW)
    assert other.volume == () and other.open_complaints[2].count == 0


# --------------------------------------------------------------- the CLI


def _cli(data_dir, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "report", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.engines("sqlite")  # the command reads the data folder's file
def test_the_report_command_prints_the_same_numbers_as_json_and_markdown(history, tmp_path):
    data_dir = tmp_path / "data"
    since = "--since", "2024-04-29"
    until = "--until", "2024-05-13"
    as_json = _cli(data_dir, *since, *until, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    figures = json.loads(as_json.stdout)
    expected = load_report(history.db, _request())
    assert figures["response_time"]["all"]["answered"] == 3
    assert figures["response_time"]["all"]["median_seconds"] == expected.responses_all.median_s
    assert figures["response_time"]["complaints"]["p90_seconds"] == 40 * MIN
    assert [c["handle"] for c in figures["customers"]["thank_you"]] == ["@bob@town.example"]

    as_md = _cli(data_dir, *since, *until, "--format", "md")
    assert as_md.returncode == 0, as_md.stderr
    assert "| All | 3 | 40 min | 1.0 days | 67 % | 67 % |" in as_md.stdout

    as_csv = _cli(data_dir, *since, *until, "--format", "csv")
    assert "response_time,all,median_seconds,2400.0" in as_csv.stdout.splitlines()


def test_the_report_command_explains_a_bad_period(tmp_path):
    result = _cli(tmp_path / "data", "--since", "last tuesday")
    assert result.returncode == 1
    assert "--since" in result.stderr and "Traceback" not in result.stderr
