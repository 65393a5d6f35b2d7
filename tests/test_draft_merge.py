"""A draft survives a thread merge (issue 20, item 1).

A sync learns a late parent post and joins the open conversation into another
one while the owner is typing. Before: the composer jumped to another thread, the
save for the removed thread failed on its foreign key, and the saved draft was
overwritten by the last fragment typed ("'s on its way."). Now the draft follows
the merge, a fragment never overwrites a draft the editor did not show, and the
composer stays on the merged conversation with its text and cursor untouched.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QTextCursor

from tests.fixtures.storage import KeywordScorer

# Every test here that takes `store` runs on SQLite and on PostgreSQL (team mode).
pytestmark = pytest.mark.engines("sqlite", "postgres")


def _merge_story(store: Any, account_id: int, make_post: Any) -> tuple[int, Any]:
    """Ann's mention X (thread B) and a reply R to a post P that has not arrived yet
    (thread A, keyed by P). Returns (A's id, P): ingesting P merges A into B."""
    score = KeywordScorer()
    store.ingest(account_id, [make_post("x1", "@shop where is my parcel?", minutes=0)], score)
    result = store.ingest(
        account_id,
        [make_post("r1", "@shop hello? anyone?", author="ann", minutes=20, parent="p1")],
        score,
    )
    [orphan] = result.new_thread_ids
    late_parent = make_post(
        "p1", "@shop it was meant to come Monday", author="ann", minutes=10, parent="x1"
    )
    return orphan, late_parent


def test_a_save_for_a_thread_merged_away_lands_in_the_thread_that_stayed(
    store: Any, shop_account: Any, make_post: Any
) -> None:
    orphan, late_parent = _merge_story(store, shop_account.id, make_post)
    store.save_draft(orphan, "Hi Ann, your parcel")
    result = store.ingest(shop_account.id, [late_parent], KeywordScorer())
    assert result.removed_thread_ids == (orphan,)
    survivor = store.surviving_thread(orphan)
    assert survivor != orphan and store.thread(survivor) is not None

    saved = store.save_draft(orphan, "Hi Ann, your parcel's on its way.")  # still in flight

    assert saved is not None and saved.thread_id == survivor
    assert store.get_draft(survivor).text == "Hi Ann, your parcel's on its way."


def test_a_fragment_never_overwrites_a_draft_the_editor_did_not_show(
    store: Any, shop_account: Any, make_post: Any
) -> None:
    orphan, late_parent = _merge_story(store, shop_account.id, make_post)
    store.save_draft(orphan, "Hi Ann, your parcel")
    store.ingest(shop_account.id, [late_parent], KeywordScorer())
    survivor = store.surviving_thread(orphan)

    # The editor of the surviving thread never showed the moved draft (seen=None)
    # and holds only what was typed after the jump.
    saved = store.save_draft(survivor, "'s on its way.", seen=None)

    assert saved.text == "Hi Ann, your parcel\n\n's on its way."
    assert store.get_draft(survivor).text == saved.text
    # A blank editor that never showed it deletes nothing either.
    assert store.save_draft(survivor, "", seen=None).text == saved.text
    # Once shown (seen is its version), the owner's edits and deletion apply as usual.
    edited = store.save_draft(survivor, "Hi Ann, it's on its way.", seen=saved.updated_at)
    assert edited.text == "Hi Ann, it's on its way."
    assert store.save_draft(survivor, "", seen=edited.updated_at) is None


def test_both_drafts_are_kept_when_both_threads_had_one(
    store: Any, shop_account: Any, make_post: Any
) -> None:
    orphan, late_parent = _merge_story(store, shop_account.id, make_post)
    survivor = store.thread_posts(orphan)[0].thread_id  # before the merge: A itself
    store.save_draft(orphan, "Hi Ann")
    [x_thread] = [t for t in store.threads(range(1, 100)) if t.id != survivor]
    store.save_draft(x_thread.id, "About your parcel:")
    store.ingest(shop_account.id, [late_parent], KeywordScorer())
    assert store.surviving_thread(orphan) == x_thread.id
    assert store.get_draft(x_thread.id).text == "About your parcel:\n\nHi Ann"


@pytest.fixture
def merge_window(qtbot: Any, demo_store: Any, answer_window: Any, make_post: Any) -> Any:
    """The real window on the demo shop plus Ann's two conversations, A (an orphan
    reply) open in the composer. Returns (answer_window, account id, A, late parent)."""
    account = next(a for a in demo_store.accounts() if a.network.value == "mastodon")
    orphan, late_parent = _merge_story(demo_store, account.id, make_post)
    window = answer_window.window
    window.thread_model.reload()
    answer_window.open(lambda row: row.id == orphan)
    return answer_window, account.id, orphan, late_parent


def test_typing_on_through_a_merge_loses_nothing_and_the_text_stays_put(
    qtbot: Any, merge_window: Any
) -> None:
    aw, account_id, orphan, late_parent = merge_window
    composer = aw.pane.composer
    qtbot.keyClicks(composer.editor, "Hi Ann, your parcel")
    composer.saver.flush()
    qtbot.keyClicks(composer.editor, "'s on")  # not saved yet: the sync lands now

    result = aw.store.ingest(account_id, [late_parent], KeywordScorer())
    aw.window.apply_ingest(result)

    survivor = aw.store.surviving_thread(orphan)
    assert composer.current_thread.id == survivor  # followed the merge, did not jump elsewhere
    assert aw.window.conversation_pane.current_thread.id == survivor
    assert composer.editor.toPlainText() == "Hi Ann, your parcel's on"
    assert composer.editor.textCursor().position() == len("Hi Ann, your parcel's on")
    qtbot.keyClicks(composer.editor, " its way.")
    composer.saver.flush()
    qtbot.waitUntil(lambda: composer.saver.in_flight == 0)
    assert aw.store.get_draft(survivor).text == "Hi Ann, your parcel's on its way."
    assert aw.window.current_thread().id == survivor


def test_the_conversation_followed_through_a_merge_shows_the_shops_waiting_reply(
    qtbot: Any, merge_window: Any
) -> None:
    """The conversation that stayed had one of the shop's replies still in the outbox.
    Following the merge drew it without that reply, until the conversation was read
    again."""
    aw, account_id, orphan, late_parent = merge_window
    result = aw.store.ingest(account_id, [late_parent], KeywordScorer())
    survivor = aw.store.surviving_thread(orphan)
    customer_post = aw.store.thread_posts(survivor)[-1].post
    waiting = aw.store.enqueue_reply(
        survivor, customer_post.remote_id, "Hi Ann, it left our shop today.", "merge-wait-1"
    )

    aw.window.apply_ingest(result)

    pane = aw.window.conversation_pane
    qtbot.waitUntil(lambda: pane.current_thread is not None and pane.current_thread.id == survivor)
    assert [item.id for item in pane.pending] == [waiting.id]
    assert "Hi Ann, it left our shop today." in pane.view.toPlainText()


def test_a_draft_the_editor_lacks_is_put_around_the_typed_text_not_over_it(
    qtbot: Any, answer_window: Any
) -> None:
    """Another part of Shopkeep wrote this thread's draft after the editor loaded it
    (as a merge does): the next save keeps it, and the composer shows it above the
    owner's words without moving the cursor."""
    row = answer_window.open(lambda r: answer_window.store.get_draft(r.id) is None)
    composer = answer_window.pane.composer
    qtbot.keyClicks(composer.editor, "Thanks for waiting!")
    composer.saver.flush()
    answer_window.store.save_draft(row.id, "Hi Ann,")  # moved in behind the editor's back
    qtbot.keyClicks(composer.editor, " x")
    composer.editor.moveCursor(QTextCursor.MoveOperation.End)
    composer.saver.flush()
    text = composer.editor.toPlainText()
    assert text == "Hi Ann,\n\nThanks for waiting! x"
    assert composer.editor.textCursor().position() == len(text)
    assert answer_window.store.get_draft(row.id).text == text


@pytest.mark.engines("sqlite")  # PostgreSQL's sequences never hand an id out twice
def test_a_new_conversation_that_reuses_a_merged_away_id_keeps_its_own_draft(
    store: Any, shop_account: Any, make_post: Any
) -> None:
    """SQLite may give the merged-away thread's id to the next new conversation: the
    merge's forwarding must not send that conversation's drafts elsewhere."""
    orphan, late_parent = _merge_story(store, shop_account.id, make_post)
    store.ingest(shop_account.id, [late_parent], KeywordScorer())
    result = store.ingest(
        shop_account.id, [make_post("n1", "@shop new question", minutes=30)], KeywordScorer()
    )
    [fresh] = result.new_thread_ids
    assert fresh == orphan  # the id came back
    assert store.surviving_thread(fresh) == fresh
    saved = store.save_draft(fresh, "Hi, a new answer")
    assert saved.thread_id == fresh and store.get_draft(fresh).text == "Hi, a new answer"
