"""Reply privately: the composer says who will see the reply, and on Mastodon the owner
can answer the customer alone; on Bluesky, where every post is public, it says so and
copies the text for a direct message instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.core.models import Network, OutboxState
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_sync_support import connect_account, open_window, wait_sync_done

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def shop_posts(server: Any) -> list[dict[str, Any]]:
    with server.lock:
        return [s for s in server.statuses.values() if s["account"]["username"] == "shop"]


def open_ana(qtbot: Any, ui_paths: Any, app_store: Any, keychain: Any, server: Any) -> Any:
    """Ana complains publicly, with her friend Bob mentioned in the post."""
    connect_account(app_store, keychain, server)
    ana = server.add_account("ana", "town.example", display_name="Ana Lima")
    server.add_account("bob", "town.example", display_name="Bob")
    server.add_mention(ana, "@shop @bob@town.example my parcel never came")
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    window.select_row(0)
    composer = window.answer_pane.composer
    qtbot.waitUntil(lambda: composer.target is not None and composer.account is not None)
    return window


def test_the_composer_says_who_sees_the_reply_and_who_is_mentioned(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    window = open_ana(qtbot, ui_paths, app_store, keychain, mastodon_server)
    composer = window.answer_pane.composer
    said = composer.audience.full_text()
    assert "Public" in said and "@ana" in said and "@bob" in said
    assert composer.private_box.isVisible() and not composer.private_box.isChecked()

    composer.private_box.setChecked(True)
    said = composer.audience.full_text()
    assert "Private" in said and "@ana" in said and "@bob" not in said


def test_a_private_reply_reaches_the_customer_alone(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    window = open_ana(qtbot, ui_paths, app_store, keychain, mastodon_server)
    composer = window.answer_pane.composer
    thread_id = composer.current_thread.id
    composer.private_box.setChecked(True)
    composer.editor.setPlainText("So sorry Ana, could you send me your order number?")
    composer.editor.setFocus()
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: len(shop_posts(mastodon_server)) == 1, timeout=10_000)
    [posted] = shop_posts(mastodon_server)
    assert posted["visibility"] == "direct"
    assert [m["username"] for m in posted["mentions"]] == ["ana"]
    qtbot.waitUntil(
        lambda: app_store.outbox_items(thread_id=thread_id)[0].state is OutboxState.SENT
    )
    qtbot.waitUntil(lambda: "Private reply" in composer.outbox.state_text)
    assert not composer.private_box.isChecked()  # the next reply starts from the default


def test_by_default_the_reply_keeps_the_posts_audience(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    window = open_ana(qtbot, ui_paths, app_store, keychain, mastodon_server)
    composer = window.answer_pane.composer
    composer.editor.setPlainText("So sorry Ana, a new one is on its way.")
    composer.send()
    qtbot.waitUntil(lambda: len(shop_posts(mastodon_server)) == 1, timeout=10_000)
    [posted] = shop_posts(mastodon_server)
    assert posted["visibility"] == "public"
    assert sorted(m["username"] for m in posted["mentions"]) == ["ana", "bob"]


def test_on_bluesky_the_composer_says_replies_are_public_and_copies_for_a_dm(qtbot, answer_window):
    answer_window.open(lambda row: row.network is Network.BLUESKY)
    composer = answer_window.pane.composer
    assert "every Bluesky reply can be read by anyone" in composer.audience.full_text()
    assert not composer.private_box.isVisibleTo(composer)
    assert composer.copy_dm.isVisibleTo(composer)

    QGuiApplication.clipboard().clear()
    composer.editor.setPlainText("Hi! Could you send me your order number?")
    qtbot.mouseClick(composer.copy_dm, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Hi! Could you send me your order number?"
    assert "nothing was posted" in composer.outbox.state_text
