"""Reports: the fast queries give exactly what the plain definitions give.

The report's queries were rewritten for speed (docs/reports.md, "Speed"). Here a tangled,
seeded history (ties to the microsecond, deleted replies, two accounts, periods that cut
conversations in half) is counted both ways: through `app.storage.reports` and through
the definitions written the slow, obvious way.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.core.models import Network, SentimentLabel
from app.core.reports import AGE_BUCKETS, ReportRequest
from app.storage import reports
from app.storage.database import is_sqlite
from app.storage.raw_sql import execute
from app.storage.tables import to_db_time

# Every test here runs on SQLite and on PostgreSQL (team mode): tests/fixtures/storage.py.
pytestmark = pytest.mark.engines("sqlite", "postgres")

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)  # tests/fixtures/storage.py
TEXTS = ("where is my order", "the bread was late", "awful, broken box", "thanks, lovely")

# The response-time definition as first written: for every customer post, the owner's next
# post in that conversation; customer posts with the same answer are one wait.
DEFINITION = """
    SELECT thread_id, MIN(created_at), answered_at, MAX(complaint) FROM (
        SELECT p.thread_id, p.created_at,
               (SELECT MIN(o.created_at) FROM post o
                 WHERE o.thread_id = p.thread_id AND o.is_own = {q}
                   AND o.deleted = {q} AND o.created_at > p.created_at) AS answered_at,
               CASE WHEN COALESCE(p.corrected_label, p.label) = 'negative'
                    THEN 1 ELSE 0 END AS complaint
          FROM post p
         WHERE p.is_own = {q} AND p.created_at >= {q} AND p.created_at < {q}
           AND p.deleted = {q} {account}
    ) AS customer_posts
    GROUP BY thread_id, answered_at
"""


def _by_definition(db, request: ReportRequest) -> list[tuple]:
    q = db.param
    params = [True, False, False, to_db_time(request.since), to_db_time(request.until), False]
    account = ""
    if request.account_id is not None:
        account = f"AND p.account_id = {q}"
        params.append(request.account_id)
    rows = execute(db, DEFINITION.format(q=q, account=account), params).fetchall()
    return sorted(
        (int(t), reports._time(asked), reports._time(answer), bool(bad))
        for t, asked, answer, bad in rows
        if answer is not None  # still waiting: not a response time
    )


def _tangled_history(store, accounts, make_post, score) -> None:
    """Forty conversations per account; times on a coarse grid so that customer and
    owner posts often share the very same instant; one reply in seven deleted."""
    rng = random.Random(20241205)
    for account, network in accounts:
        posts = []
        for thread in range(40):
            start = rng.randrange(0, 60 * 24 * 10, 30)
            parent = None
            for n in range(rng.randint(1, 9)):
                remote_id = f"{network.value}-{thread}-{n}"
                own = n > 0 and rng.random() < 0.4
                posts.append(
                    make_post(
                        remote_id,
                        rng.choice(TEXTS),
                        author=f"c{thread % 7}",
                        minutes=start + rng.choice((0, 0, 15, 60, 600, 1500)) * n // 2,
                        parent=parent,
                        own=own,
                        network=network,
                        deleted=own and rng.random() < 1 / 7,
                    )
                )
                parent = remote_id
        store.ingest(account.id, posts, score)


@pytest.fixture
def tangled(store, shop_account, shop_bsky_account, make_post, keyword_score):
    accounts = [(shop_account, Network.MASTODON), (shop_bsky_account, Network.BLUESKY)]
    _tangled_history(store, accounts, make_post, keyword_score)
    from app.storage import tables as t

    # The owner corrects a few labels: the correction counts over the scorer's.
    for post in t.Post.select().where(~t.Post.is_own).order_by(t.Post.id)[::9]:
        store.correct_label(post.id, SentimentLabel.NEGATIVE)
    return store


PERIODS = [
    (T0 - timedelta(days=1), T0 + timedelta(days=30)),  # everything
    (T0 + timedelta(days=2), T0 + timedelta(days=5)),  # conversations cut at both ends
    (T0 + timedelta(hours=31), T0 + timedelta(hours=31, minutes=30)),  # one instant's posts
]


@pytest.mark.parametrize("since, until", PERIODS)
def test_every_wait_is_the_one_the_definition_gives(tangled, shop_bsky_account, since, until):
    for account_id in (None, shop_bsky_account.id):
        request = ReportRequest(since=since, until=until, zone=UTC, account_id=account_id)
        fast = sorted(
            (w.thread_id, w.asked_at, w.answered_at, w.complaint)
            for w in reports.waits(tangled.db, request)
        )
        assert fast == _by_definition(tangled.db, request)
    everything = ReportRequest(since=PERIODS[0][0], until=PERIODS[0][1], zone=UTC)
    assert len(_by_definition(tangled.db, everything)) > 40, "the history has many waits"


def test_waiting_complaints_fall_in_the_bucket_their_exact_age_gives(tangled):
    request = ReportRequest(since=T0, until=T0 + timedelta(days=1), zone=UTC)
    q = tangled.db.param
    rows = execute(
        tangled.db,
        f"SELECT id, last_customer_at FROM thread WHERE status = {q} AND worst_label = {q} "
        "AND last_customer_at IS NOT NULL",
        ["needs_reply", "negative"],
    ).fetchall()
    assert len(rows) > 5, "the history has complaints still waiting"
    waited = sorted(reports._time(at) for _, at in rows)
    # Each limit met exactly, a microsecond either side, and far away on both sides.
    nows = [waited[0] - timedelta(days=1), waited[-1] + timedelta(days=30)]
    for _, limit in AGE_BUCKETS[:-1]:
        for tick in (-1, 0, 1):
            nows.append(waited[3] + timedelta(seconds=limit, microseconds=tick))
    for now in nows:
        expected: dict[int, int] = {}
        for thread_id, at in rows:
            age = (now - reports._time(at)).total_seconds()
            expected[int(thread_id)] = next(
                i for i, (_, limit) in enumerate(AGE_BUCKETS) if age < limit
            )
        per_bucket = reports.open_complaints(tangled.db, request, now)
        got = {thread_id: i for i, ids in enumerate(per_bucket) for thread_id in ids}
        assert got == expected, now


@pytest.mark.engines("sqlite")  # SQLite's query plans
def test_the_report_reads_indexes_only_never_the_post_table(tangled):
    """Reading the wide post table (texts, raw JSON) made a 100,000-post report take
    about a second; each query now walks a covering index, one range per period."""
    statements: list[str] = []
    tangled.db.connection().set_trace_callback(statements.append)
    try:
        request = ReportRequest(since=PERIODS[1][0], until=PERIODS[1][1], zone=UTC)
        reports.load_report(tangled.db, request, now=T0 + timedelta(days=3))
    finally:
        tangled.db.connection().set_trace_callback(None)
    on_posts = [s for s in statements if "FROM post" in s]
    # waits and customers once; customer posts and replies once per day, after finding
    # the period's first and last post
    assert len(on_posts) > 4
    for sql in on_posts:
        plan = [row[3] for row in tangled.db.execute_sql("EXPLAIN QUERY PLAN " + sql)]
        reads = [step for step in plan if step.startswith(("SCAN", "SEARCH"))]
        on_post = [step for step in reads if step.split()[1] in ("p", "o", "c")]
        assert on_post, plan
        assert all("COVERING INDEX" in step for step in on_post), plan
        assert not any("CORRELATED" in step for step in plan), plan


def _days_by_definition(db, request: ReportRequest, offset: timedelta, own: bool) -> list[tuple]:
    """Posts per local day as first written: the day computed by the engine, then grouped."""
    q = db.param
    seconds = int(offset.total_seconds())
    if is_sqlite(db):
        day, day_params = f"date(p.created_at, {q})", [f"{seconds:+d} seconds"]
    else:
        day = f"to_char(p.created_at + make_interval(secs => {q}), 'YYYY-MM-DD')"
        day_params = [seconds]
    sql = f"""
        SELECT {day}, p.network, COALESCE(p.corrected_label, p.label), COUNT(*),
               SUM(CASE WHEN p.corrected_label IS NOT NULL THEN 1 ELSE 0 END)
          FROM post p
         WHERE p.is_own = {q} AND p.created_at >= {q} AND p.created_at < {q} AND p.deleted = {q}
         GROUP BY 1, 2, 3
    """
    params = [*day_params, own, to_db_time(request.since), to_db_time(request.until), False]
    rows = execute(db, sql, params).fetchall()
    return sorted((str(d), str(net), str(label), int(n), int(f)) for d, net, label, n, f in rows)


@pytest.mark.parametrize("hours", [0, 5.5, -7, 13.75])
@pytest.mark.parametrize("since, until", PERIODS)
def test_posts_per_day_fall_on_the_day_the_definition_gives(tangled, hours, since, until):
    offset = timedelta(hours=hours)
    request = ReportRequest(since=since, until=until, zone=UTC)
    fast = [
        (d.day.isoformat(), d.network, d.label, d.count, d.corrected)
        for d in reports.customer_days(tangled.db, request, offset)
    ]
    assert sorted(fast) == _days_by_definition(tangled.db, request, offset, own=False)
    replies: dict[str, int] = {}
    for day, _network, _label, n, _ in _days_by_definition(tangled.db, request, offset, True):
        replies[day] = replies.get(day, 0) + n
    fast_replies = {d.isoformat(): n for d, n in reports.reply_days(tangled.db, request, offset)}
    assert fast_replies == replies


def test_a_database_from_before_the_report_indexes_gets_them_on_upgrade(store, history_v6):
    from app.storage.migrations import latest_version, migrate, schema_version

    assert migrate(store.db) == latest_version()
    assert schema_version(store.db) == latest_version()
    names = {index.name for index in store.db.get_indexes("post")}
    assert {"post_report", "post_thread_timeline"} <= names
    assert "post_thread_id_created_at" not in names
    request = ReportRequest(since=T0 - timedelta(days=1), until=T0 + timedelta(days=30), zone=UTC)
    assert reports.load_report(store.db, request, now=T0).responses_all.answered == history_v6


@pytest.fixture
def history_v6(tangled):
    """The tangled history with the schema as version 6 left it; returns its answered waits."""
    request = ReportRequest(since=PERIODS[0][0], until=PERIODS[0][1], zone=UTC)
    answered = len(_by_definition(tangled.db, request))
    db = tangled.db
    db.execute_sql("DROP INDEX post_report")
    db.execute_sql("DROP INDEX post_thread_timeline")
    db.execute_sql('CREATE INDEX "post_thread_id_created_at" ON post (thread_id, created_at)')
    db.execute_sql(f"UPDATE meta SET value = '6' WHERE key = {db.param}", ["schema_version"])
    return answered


@pytest.mark.engines("sqlite")  # SQLite's query plan
def test_looking_for_the_shops_earlier_replies_reads_one_conversation_not_every_own_post(
    tangled,
):
    """The reports' index starts with whose post it is: an `is_own = 1` term would let
    SQLite walk every own post of the inbox when a reply is queued."""
    from app.storage import outbox
    from app.storage import tables as t

    reply = t.Post.select().where(t.Post.is_own & t.Post.parent_remote_id.is_null(False)).get()
    statements: list[str] = []
    tangled.db.connection().set_trace_callback(statements.append)
    try:
        found = outbox.known_replies(reply.thread_id, reply.parent_remote_id)
    finally:
        tangled.db.connection().set_trace_callback(None)
    assert reply.remote_id in found
    [sql] = [s for s in statements if "FROM" in s and '"post"' in s]
    plan = " / ".join(row[3] for row in tangled.db.execute_sql("EXPLAIN QUERY PLAN " + sql))
    assert "post_report" not in plan, plan
