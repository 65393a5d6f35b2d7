"""Drafts, templates, the outbox, contacts, cursors, accounts and demo data."""

from __future__ import annotations

import json

import pytest

from app.core.models import (
    AccountState,
    Folder,
    Network,
    OutboxState,
    TemplateKind,
    ThreadStatus,
)
from app.core.ports import ThreadQuery
from app.storage.outbox import InvalidTransition

# Every test here runs on SQLite and on PostgreSQL (team mode): tests/fixtures/storage.py.
pytestmark = pytest.mark.engines("sqlite", "postgres")


@pytest.fixture
def thread_id(store, shop_account, make_post, keyword_score):
    result = store.ingest(shop_account.id, [make_post("1", "is the cake late?")], keyword_score)
    return result.new_thread_ids[0]


# ----------------------------------------------------------------- drafts


def test_a_draft_survives_and_shows_in_the_drafts_folder(store, thread_id):
    store.save_draft(thread_id, "Hi Ann, ")
    draft = store.save_draft(thread_id, "Hi Ann, it is on its way!")

    assert draft.text == "Hi Ann, it is on its way!"
    assert store.get_draft(thread_id) == draft
    assert [d.thread_id for d in store.list_drafts()] == [thread_id]
    assert store.folder_counts()[Folder.DRAFTS] == 1


def test_clearing_the_text_removes_the_draft(store, thread_id):
    store.save_draft(thread_id, "Hi")
    assert store.save_draft(thread_id, "   ") is None
    assert store.get_draft(thread_id) is None
    assert store.delete_draft(thread_id) is False


# -------------------------------------------------------------- templates

BUILTINS = [
    {"key": "thanks", "kind": "thanks", "title": "Thank you", "body": "Thanks {first_name}!"},
    {"key": "sorry", "kind": "apology", "title": "Sorry", "body": "We are sorry."},
]


def test_templates_crud_and_restore_builtins(store):
    assert store.restore_builtins(BUILTINS) == 2
    mine = store.add_template(TemplateKind.HELLO, "Hello", "Hello there")
    thanks = next(t for t in store.list_templates() if t.builtin_key == "thanks")
    store.update_template(thanks.id, body="edited")
    sorry = next(t for t in store.list_templates() if t.builtin_key == "sorry")
    assert store.delete_template(sorry.id)

    store.restore_builtins(BUILTINS)

    by_key = {t.builtin_key: t for t in store.list_templates()}
    assert by_key["thanks"].body == "Thanks {first_name}!"
    assert by_key["sorry"].builtin
    assert store.get_template(mine.id).body == "Hello there"  # the user's own stays
    assert [t.title for t in store.list_templates(TemplateKind.APOLOGY)] == ["Sorry"]


# ----------------------------------------------------------------- outbox


def test_reply_goes_queued_sending_sent_and_the_thread_is_replied(store, thread_id):
    store.save_draft(thread_id, "On its way!")
    item = store.enqueue_reply(thread_id, "1", "On its way!", "key-1", payload={"cw": ""})

    assert item.state == OutboxState.QUEUED
    assert store.get_draft(thread_id) is None  # the draft became the outbox item
    assert store.folder_counts()[Folder.OUTBOX] == 1

    sending = store.mark_sending(item.id)
    assert sending.attempts == 1
    sent = store.mark_sent(item.id, remote_id="999", url="https://example.social/@shop/999")

    assert sent.state == OutboxState.SENT and sent.sent_at is not None
    assert store.thread(thread_id).status == ThreadStatus.REPLIED
    counts = store.folder_counts()
    assert counts[Folder.OUTBOX] == 0 and counts[Folder.SENT] == 1
    with pytest.raises(InvalidTransition):
        store.mark_sending(item.id)


def test_failed_reply_keeps_the_reason_and_can_be_retried(store, thread_id):
    item = store.enqueue_reply(thread_id, "1", "On its way!", "key-2")
    store.mark_sending(item.id)
    failed = store.mark_failed(item.id, "The server could not be reached.")
    assert failed.last_error == "The server could not be reached."
    assert store.outbox_items([OutboxState.FAILED]) == [failed]

    retried = store.retry(item.id)
    assert retried.state == OutboxState.QUEUED
    assert store.mark_sending(item.id).attempts == 2


def test_same_idempotency_key_never_queues_twice(store, thread_id):
    first = store.enqueue_reply(thread_id, "1", "Hi", "same-key")
    second = store.enqueue_reply(thread_id, "1", "Hi", "same-key")
    assert first == second
    assert len(store.outbox_items()) == 1


def test_one_process_at_a_time_sends_an_accounts_replies(store, thread_id):
    """The send lock: the window and `python -m app sync` never send for one account at once."""
    with (
        store.sending_lock(1) as first,
        store.sending_lock(1) as second,
        store.sending_lock(2) as other_account,
    ):
        # a SendLock: truthy when ours (SERVER on PostgreSQL, OURS beside an SQLite file)
        assert (bool(first), bool(second), bool(other_account)) == (True, False, True)
    with store.sending_lock(1) as again:
        assert again


# --------------------------------------------------------------- contacts


def test_contact_history_spans_accounts_and_linked_contacts(
    store, shop_account, shop_bsky_account, make_post, keyword_score
):
    store.ingest(shop_account.id, [make_post("1", "first order", minutes=1)], keyword_score)
    store.ingest(shop_account.id, [make_post("2", "second order", minutes=2)], keyword_score)
    result = store.ingest(
        shop_bsky_account.id,
        [make_post("at://ann/3", "on bluesky now", network=Network.BLUESKY, minutes=3)],
        keyword_score,
    )
    masto_ann = store.contact_for_post(store.thread_posts(1)[0].id)
    bsky_ann = store.contact_for_post(store.thread_posts(result.new_thread_ids[0])[0].id)
    assert [p.post.text for p in store.contact_history(masto_ann.id)] == [
        "second order",
        "first order",
    ]

    store.set_contact_note(bsky_ann.id, "prefers rye")
    store.link_contacts(masto_ann.id, bsky_ann.id)

    history = [p.post.text for p in store.contact_history(masto_ann.id)]
    assert history == ["on bluesky now", "second order", "first order"]
    assert store.contact_note(masto_ann.id) == "prefers rye"
    assert {c.id for c in store.linked_contacts(bsky_ann.id)} == {masto_ann.id, bsky_ann.id}
    store.unlink_contact(bsky_ann.id)
    assert len(store.contact_history(masto_ann.id)) == 2


def test_renamed_author_updates_the_contact(store, shop_account, make_post, keyword_score):
    from dataclasses import replace

    post = make_post("1", "hi")
    store.ingest(shop_account.id, [post], keyword_score)
    renamed = replace(post.author, display_name="Ann B.")
    store.ingest(
        shop_account.id, [make_post("2", "hi again", minutes=1, author="ann")], keyword_score
    )
    store.ingest(
        shop_account.id, [replace(make_post("3", "x", minutes=2), author=renamed)], keyword_score
    )
    contact = store.contact_for_post(store.thread_posts(1)[0].id)
    assert contact.display_name == "Ann B."


# ------------------------------------------------------ cursors, accounts


def test_sync_cursor_round_trip(store, shop_account):
    assert store.cursor(shop_account.id) is None
    store.set_cursor(shop_account.id, "110")
    store.set_cursor(shop_account.id, "120")
    store.set_cursor(shop_account.id, "n-5", name="notifications")
    assert store.cursor(shop_account.id) == "120"
    assert store.cursor(shop_account.id, name="notifications") == "n-5"
    store.set_cursor(shop_account.id, None)
    assert store.cursor(shop_account.id) is None


def test_connecting_the_same_account_twice_updates_it(store, shop_account):
    from dataclasses import replace

    from tests.fixtures.storage import SHOP_MASTODON

    again = store.add_account(replace(SHOP_MASTODON, display_name="New name", max_chars=1000))
    assert again.id == shop_account.id
    assert again.max_chars == 1000
    failing = store.update_account(again.id, state=AccountState.NEEDS_SIGN_IN, last_error="401")
    assert failing.state == AccountState.NEEDS_SIGN_IN and failing.last_error == "401"
    assert len(store.accounts()) == 1


def test_removing_an_account_deletes_its_local_data(
    store, shop_account, shop_bsky_account, make_post, keyword_score, thread_id
):
    store.ingest(
        shop_bsky_account.id,
        [make_post("at://b/1", "hi", network=Network.BLUESKY)],
        keyword_score,
    )
    store.save_draft(thread_id, "draft")
    store.enqueue_reply(thread_id, "1", "x", "k")
    store.set_cursor(shop_account.id, "5")

    assert store.remove_account(shop_account.id) == 1

    assert [a.id for a in store.accounts()] == [shop_bsky_account.id]
    assert store.count_threads(ThreadQuery()) == 1
    assert store.list_drafts() == [] and store.outbox_items() == []
    assert store.count_threads(ThreadQuery(search="cake")) == 0


# ------------------------------------------------------------------- demo

DEMO = {
    "accounts": [
        {"key": "masto", "network": "mastodon", "server": "https://toot.example",
         "handle": "@bakery@toot.example", "display_name": "Bakery"},
    ],
    "posts": [
        {"account": "masto", "id": "m1", "author": {"id": "a1", "handle": "@dana@x.example",
         "name": "Dana"}, "text": "The cake is broken, awful", "created_at": "2024-05-01T10:00:00Z",
         "parent": None, "is_mention": True, "is_own": False, "visibility": "public",
         "language": "en"},
        {"account": "masto", "id": "m2", "author": {"id": "shop", "handle": "@bakery@toot.example",
         "name": "Bakery"}, "text": "So sorry Dana!", "created_at": "2024-05-01T10:05:00Z",
         "parent": "m1", "is_mention": False, "is_own": True, "visibility": "public",
         "language": "en"},
        {"account": "masto", "id": "m3", "author": {"id": "a2", "handle": "@eli@x.example",
         "name": "Eli"}, "text": "Love the bread", "created_at": "2024-05-01T09:00:00Z",
         "parent": None, "is_mention": True, "is_own": False, "visibility": "public",
         "language": "en"},
    ],
}  # fmt: skip


def test_demo_loads_once_and_is_removed_in_one_step(store, shop_account, tmp_path, keyword_score):
    from app.storage.demo import load_demo

    path = tmp_path / "demo.json"
    path.write_text(json.dumps(DEMO))

    first = load_demo(store, path, score=keyword_score)
    again = load_demo(store, path, score=keyword_score)

    assert first.new_posts == 3 and again.new_posts == 0
    assert store.has_demo_data()
    demo_rows = store.list_threads(ThreadQuery(), 0, 10)
    assert len(demo_rows) == 2 and all(r.is_demo for r in demo_rows)
    dana = next(r for r in demo_rows if r.author_name == "Dana")
    assert dana.status == ThreadStatus.REPLIED
    assert [a.state for a in store.accounts() if a.is_demo] == [AccountState.DEMO]

    assert store.remove_demo_data() == 2

    assert not store.has_demo_data()
    assert [a.id for a in store.accounts()] == [shop_account.id]
    assert store.count_threads(ThreadQuery()) == 0


def test_the_shipped_demo_file_loads(store):
    from app.core.paths import resources_dir
    from app.storage.demo import load_demo

    path = resources_dir() / "demo" / "demo.json"
    if not path.exists():
        pytest.skip("resources/demo/demo.json not written yet")
    result = load_demo(store, path, score=lambda text: _neutral())
    assert result.new_posts == len(json.loads(path.read_text())["posts"])
    assert store.count_threads(ThreadQuery()) >= 5


def _neutral():
    from app.core.models import Sentiment, SentimentLabel

    return Sentiment(0.0, SentimentLabel.NEUTRAL)
