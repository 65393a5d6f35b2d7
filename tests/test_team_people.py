"""People of a team inbox (issue 24): who they are, whose drafts, assignment and Mine,
and who replied to a thread since a person opened it. Every test runs on SQLite and on
PostgreSQL; one store plays both people by switching (`use_person`), as two windows would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.models import Folder
from app.core.people import SOLO, OtherReply, replied_words
from app.core.ports import ThreadQuery

pytestmark = pytest.mark.engines("sqlite", "postgres")


@pytest.fixture
def thread_id(store, shop_account, make_post, keyword_score):
    result = store.ingest(shop_account.id, [make_post("1", "is the cake late?")], keyword_score)
    return result.new_thread_ids[0]


@pytest.fixture
def sam_and_ann(store):
    return store.add_person("Sam"), store.add_person("Ann")


def ids(store, folder):
    return [r.id for r in store.list_threads(ThreadQuery(folder=folder), 0, 100)]


def test_a_person_is_made_once_whatever_the_spacing_and_gets_a_colour_of_their_own(store):
    sam = store.add_person("  Sam ")
    again = store.add_person("sam")
    ann = store.add_person("Ann")

    assert again == sam and sam.name == "Sam"
    assert sam.colour and ann.colour and sam.colour != ann.colour
    assert [p.name for p in store.people()] == ["Ann", "Sam"]
    assert store.person(ann.id) == ann
    with pytest.raises(ValueError):
        store.add_person("   ")


def test_each_writer_sees_only_their_own_draft_and_sending_drops_only_theirs(
    store, thread_id, sam_and_ann
):
    sam, ann = sam_and_ann
    store.use_person(sam.id)
    store.save_draft(thread_id, "Sam: it ships today")
    store.use_person(ann.id)
    assert store.get_draft(thread_id) is None
    assert ids(store, Folder.DRAFTS) == [] and store.folder_counts()[Folder.DRAFTS] == 0
    store.save_draft(thread_id, "Ann: sorry for the wait")

    assert store.get_draft(thread_id).text == "Ann: sorry for the wait"
    assert [r.draft for r in store.list_threads(ThreadQuery(folder=Folder.DRAFTS), 0, 10)] == [
        "Ann: sorry for the wait"
    ]
    store.enqueue_reply(thread_id, "1", "Sorry for the wait!", "key-ann")
    assert store.get_draft(thread_id) is None
    store.use_person(sam.id)
    assert store.get_draft(thread_id).text == "Sam: it ships today"
    assert [d.text for d in store.list_drafts()] == ["Sam: it ships today"]


def test_a_merged_thread_takes_each_writers_draft_to_that_writer(
    store, shop_account, make_post, keyword_score, sam_and_ann
):
    sam, ann = sam_and_ann
    first = store.ingest(shop_account.id, [make_post("11", "where is it?")], keyword_score)
    lone = store.ingest(
        shop_account.id, [make_post("13", "hello?", parent="12", minutes=2)], keyword_score
    )
    store.use_person(sam.id)
    store.save_draft(lone.new_thread_ids[0], "Sam's answer")
    store.use_person(ann.id)
    store.save_draft(lone.new_thread_ids[0], "Ann's answer")
    # the missing middle post arrives: the lone reply joins the first conversation
    merged = store.ingest(
        shop_account.id, [make_post("12", "any news?", parent="11", minutes=1)], keyword_score
    )

    assert merged.removed_thread_ids == lone.new_thread_ids
    kept = first.new_thread_ids[0]
    assert store.get_draft(kept).text == "Ann's answer"
    store.use_person(sam.id)
    assert store.get_draft(kept).text == "Sam's answer"


def test_an_assigned_thread_is_in_its_persons_mine_folder_with_their_name_on_the_row(
    store, thread_id, sam_and_ann
):
    sam, ann = sam_and_ann
    store.use_person(ann.id)
    assert store.assign(thread_id, sam.id) is None

    assert store.thread(thread_id).assignee == "Sam"
    assert store.thread(thread_id).assignee_id == sam.id
    assert ids(store, Folder.MINE) == []  # Ann's Mine
    store.use_person(sam.id)
    assert ids(store, Folder.MINE) == [thread_id]
    assert store.folder_counts()[Folder.MINE] == 1
    assert store.count_threads(ThreadQuery(folder=Folder.MINE)) == 1
    assert store.assign(thread_id, None) == sam.id
    assert ids(store, Folder.MINE) == [] and store.thread(thread_id).assignee == ""
    with pytest.raises(ValueError):
        store.assign(thread_id, 9999)


def test_a_one_person_inbox_has_nobody_in_mine(store, thread_id):
    assert store.person_id == SOLO
    assert store.folder_counts()[Folder.MINE] == 0
    assert ids(store, Folder.MINE) == []


def test_someone_elses_reply_since_the_thread_was_opened_is_found_but_not_ones_own(
    store, thread_id, sam_and_ann
):
    sam, ann = sam_and_ann
    store.use_person(ann.id)
    store.enqueue_reply(thread_id, "1", "An old answer", "key-old")  # before Sam opened it
    store.use_person(sam.id)
    mark = store.reply_mark(thread_id)
    assert store.replies_by_others(thread_id, mark) == []

    store.enqueue_reply(thread_id, "1", "Sam's own", "key-sam")
    assert store.replies_by_others(thread_id, mark) == []
    store.use_person(ann.id)
    item = store.enqueue_reply(thread_id, "1", "It ships today!", "key-ann")
    store.use_person(sam.id)
    (waiting,) = store.replies_by_others(thread_id, mark)
    assert waiting.name == "Ann" and not waiting.sent

    store.mark_sending(item.id)
    store.mark_sent(item.id, "ann-reply-1")
    (sent,) = store.replies_by_others(thread_id, mark)
    assert sent.name == "Ann" and sent.sent


def test_a_reply_posted_from_another_app_counts_as_someones(
    store, thread_id, shop_account, make_post, keyword_score
):
    mark = store.reply_mark(thread_id)
    store.ingest(
        shop_account.id,
        [make_post("2", "On its way!", own=True, parent="1", minutes=5)],
        keyword_score,
    )
    (reply,) = store.replies_by_others(thread_id, mark)
    assert reply.name == "someone" and reply.sent


def test_the_question_before_sending_says_who_and_how_long_ago():
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    sent = OtherReply(name="Sam", at=now - timedelta(minutes=2, seconds=5), sent=True)
    waiting = OtherReply(name="someone", at=now, sent=False)

    assert replied_words(sent, now) == "Sam replied 2 minutes ago."
    assert replied_words(waiting, now) == (
        "Someone's reply to this conversation is waiting in the outbox."
    )


# ------------------------------------------------------------- presence, as heard


def _event(kind, thread_id=7, name="Sam", session="sam-1", at=None):
    from app.core.people import PresenceEvent, PresenceKind

    return PresenceEvent(
        PresenceKind(kind), thread_id, 1, name, "#0072B2", session, at or datetime.now(UTC)
    )


@pytest.mark.engines("sqlite")
def test_the_board_says_who_is_replying_until_they_stop_or_go_quiet():
    from app.core.people import PRESENCE_STALE, PresenceBoard

    board = PresenceBoard()
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert board.hear(_event("replying", at=now)) == {7}
    assert board.hear(_event("replying", at=now)) == set()  # the same news again
    assert board.hear(_event("replying", name="Ann", session="ann-1", at=now)) == {7}
    assert board.words(7) == "Ann and Sam are replying…"
    assert board.hear(_event("stopped", name="Ann", session="ann-1")) == {7}
    assert board.words(7) == "Sam is replying…"

    assert board.prune(now + PRESENCE_STALE) == set()
    assert board.prune(now + PRESENCE_STALE + timedelta(seconds=1)) == {7}  # Sam's laptop died
    assert board.words(7) == "" and board.threads() == []


@pytest.mark.engines("sqlite")
def test_typing_is_announced_on_a_new_thread_then_at_most_every_few_seconds():
    from app.core.people import PRESENCE_REPEAT, TypingThrottle

    throttle = TypingThrottle()
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert throttle.typed(7, now)
    assert not throttle.typed(7, now + PRESENCE_REPEAT / 2)
    assert throttle.typed(7, now + PRESENCE_REPEAT)
    assert throttle.typed(8, now + PRESENCE_REPEAT)  # another thread: at once
    assert throttle.stopped() == 8 and throttle.stopped() is None
