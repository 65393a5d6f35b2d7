"""Syncing from the window: F5, streamed rows, a smooth GUI, parallel accounts, a revoked
token, notifications and quitting. The real window (build_window), a threaded task
runner, local Mastodon servers, tokens in the real keychain, a temp data folder."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from app.core.models import AccountState
from app.main import quit_quickly, read_settings
from app.ui.accounts_dialog import AccountsDialog
from app.ui.settings_dialog import SyncSettings
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.mastodon_server import MastodonServer
from tests.ui_sync_support import (
    add_mentions,
    all_rows,
    connect_account,
    integrity,
    open_window,
    sql_on_this_thread,
    wait_sync_done,
)

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


@pytest.fixture
def cafe_server():
    server = MastodonServer(domain="cafe.test").start()
    try:
        yield server
    finally:
        server.stop()


def press_f5(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window.thread_view, Qt.Key.Key_F5)


def test_f5_inserts_synced_mentions_as_rows_without_a_reset(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    account = connect_account(app_store, keychain, mastodon_server)
    add_mentions(mastodon_server, 6)
    window = open_window(qtbot, ui_paths, app_store, keychain)
    assert window.thread_model.rowCount() == 0
    assert window.sync_action.isEnabled()  # a real account: sync is available
    resets, inserted, progress, titles = [], [], [], []
    window.thread_model.modelReset.connect(lambda: resets.append(1))
    window.thread_model.rowsInserted.connect(lambda _p, a, b: inserted.append(b - a + 1))
    window.scheduler.progress.connect(
        lambda p: progress.append(window.status.labels_by_account[p.account_id].text())
    )
    window.windowTitleChanged.connect(titles.append)

    press_f5(qtbot, window)
    wait_sync_done(qtbot, window)

    assert window.thread_model.rowCount() == 6
    assert resets == [] and sum(inserted) == 6
    assert any("Fetching" in text for text in progress)  # per-account progress shown
    assert any("Syncing" in t for t in titles) and window.windowTitle() == "Shopkeep (6 unread)"
    label = window.status.labels_by_account[account.id]
    assert "Connected · Last synced" in label.text()
    assert window.sync_action.isEnabled() and window.sync_action.text() == "Sync now"
    assert not window.status.offline_label.isVisible()


def test_a_sync_of_1000_mentions_never_stalls_the_window(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    connect_account(app_store, keychain, mastodon_server)
    add_mentions(mastodon_server, 1000, replies=0.85, people=40)
    window = open_window(qtbot, ui_paths, app_store, keychain)
    resets = []
    window.thread_model.modelReset.connect(lambda: resets.append(1))
    with sql_on_this_thread(app_store) as gui_sql:
        window.sync_action.trigger()
        qtbot.waitUntil(lambda: window.scheduler.is_busy(), timeout=5000)
        while window.scheduler.is_busy():  # "scroll" while it syncs
            window.thread_view.verticalScrollBar().setValue(
                window.thread_view.verticalScrollBar().value() + 3
            )
            qtbot.wait(15)
        wait_sync_done(qtbot, window)
    # The window can only freeze by waiting on the disk or the write lock: its thread ran
    # no SQL at all while 1000 posts were stored (the stall in ms is bench/measure_stall).
    assert gui_sql == []
    stored = app_store.count_threads(window.query)
    assert stored > 100 and window.thread_model.rowCount() == len(all_rows(window)) == stored
    assert sum(len(app_store.thread_posts(r.id)) for r in all_rows(window)) == 1000
    assert resets == []  # rows streamed in, the list never started over


def test_parallel_accounts_write_through_one_lane(
    qtbot, ui_paths, app_store, keychain, mastodon_server, cafe_server
):
    shop = connect_account(app_store, keychain, mastodon_server)
    cafe = connect_account(app_store, keychain, cafe_server)
    for server in (mastodon_server, cafe_server):
        add_mentions(server, 40)
        server.delay["/api/v1/statuses"] = 0.01  # both conversations walks overlap in time
    writers, overlap = set(), []

    def spied(real):
        def spy(*args, **kwargs):
            writers.add(threading.get_ident())
            return real(*args, **kwargs)

        return spy

    for name in ("ingest", "store_mentions", "store_fetched"):  # every sync write of posts
        setattr(app_store, name, spied(getattr(app_store, name)))
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.scheduler.progress.connect(
        lambda _p: overlap.append(len(window.scheduler.syncing_ids()))
    )
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)

    assert max(overlap) == 2  # the two accounts synced at the same time
    assert len(writers) == 1 and threading.get_ident() not in writers  # one lane, not the GUI
    rows = all_rows(window)
    assert {r.account_id for r in rows} == {shop.id, cafe.id} and len(rows) == 80
    assert all(r.ok for r in window.scheduler.last_reports.values())
    assert integrity(ui_paths.database) == "ok"


def test_revoked_token_asks_to_sign_in_again_while_the_other_account_syncs(
    qtbot, ui_paths, app_store, keychain, mastodon_server, cafe_server
):
    shop = connect_account(app_store, keychain, mastodon_server)
    cafe = connect_account(app_store, keychain, cafe_server)
    add_mentions(mastodon_server, 3)
    add_mentions(cafe_server, 4)
    mastodon_server.tokens.pop(mastodon_server.token)  # revoked on the server
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    qtbot.waitUntil(lambda: shop.id in window.status.sign_in_buttons)

    assert [r.account_id for r in all_rows(window)] == [cafe.id] * 4
    assert app_store.account(shop.id).state is AccountState.NEEDS_SIGN_IN
    assert "Needs sign-in" in window.status.labels_by_account[shop.id].text()
    assert "Connected · Last synced" in window.status.labels_by_account[cafe.id].text()
    assert "Last synced" not in window.status.labels_by_account[shop.id].text()
    assert cafe.id not in window.status.sign_in_buttons
    assert not window.status.offline_label.isVisible()  # one account's problem, not offline

    qtbot.mouseClick(window.status.sign_in_buttons[shop.id], Qt.MouseButton.LeftButton)
    dialogs = window.findChildren(AccountsDialog)
    assert len(dialogs) == 1
    qtbot.waitUntil(lambda: dialogs[0].selected() is not None)
    assert dialogs[0].selected().id == shop.id
    assert dialogs[0].sign_in_button.isEnabled()
    assert window.runner.wait_idle(5000)
    QCoreApplication.processEvents()  # the account checks' results reach the dialog
    dialogs[0].reject()


def test_new_complaints_raise_one_summary_notification(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    connect_account(app_store, keychain, mastodon_server)
    add_mentions(mastodon_server, 9, negative_every=3)  # 3 complaints, 6 praise
    window = open_window(qtbot, ui_paths, app_store, keychain)
    notifier = window.notifier
    notifier.min_gap_s = 2.5
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    qtbot.waitUntil(lambda: notifier.last_message is not None)
    assert notifier.messages == [("3 new complaints", notifier.last_message[1])]
    assert notifier.last_message[1].startswith("From Customer")

    ann = mastodon_server.add_account("ann", "town.example", display_name="Ann")
    mastodon_server.add_mention(ann, "Awful, my cake was ruined and the shop never answered")
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    assert len(notifier.messages) == 1  # rate-limited: it waits for the gap
    qtbot.waitUntil(lambda: len(notifier.messages) == 2, timeout=6000)
    title, body = notifier.last_message
    assert title == "New complaint from Ann" and "cake was ruined" in body

    notifier.set_enabled(False)
    mastodon_server.add_mention(ann, "Terrible, still no answer about my ruined cake")
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    QCoreApplication.processEvents()  # whatever the sync's results queued for the notifier
    assert len(notifier.messages) == 2 and not notifier._timer.isActive()


def test_settings_change_the_interval_and_notifications(qtbot, ui_paths, app_store, keychain):
    from app.ui.settings_dialog import SettingsDialog

    window = open_window(qtbot, ui_paths, app_store, keychain)
    assert window.settings_action in window.menus["file"].actions()
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(SettingsDialog)))
    dialog = window.findChildren(SettingsDialog)[0]
    dialog.interval.setValue(12)
    dialog.notifications.setChecked(False)
    dialog.first_sync.setValue(300)
    dialog.accept()
    assert window.scheduler.interval_minutes == 12
    assert window.scheduler.service.max_mentions == 300
    assert window.notifier.enabled is False
    assert SyncSettings.from_mapping(read_settings(ui_paths)) == SyncSettings(
        12, False, 300, undo_send_seconds=0
    )  # open_window turns the undo window off


def test_the_undo_send_window_is_a_setting(qtbot, ui_paths, app_store, keychain):
    from app.core.settings import validate
    from app.ui.settings_dialog import SettingsDialog

    assert SyncSettings().undo_send_seconds == 10  # the default
    assert validate({"undo_send_seconds": 1e9})[0].undo_send_seconds == 120  # kept sane
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(SettingsDialog)))
    dialog = window.findChildren(SettingsDialog)[0]
    assert dialog.undo_send.value() == 0
    dialog.undo_send.setValue(25)
    dialog.accept()
    assert window.answer_pane.services.undo_seconds == 25  # the next Send waits 25 s
    assert read_settings(ui_paths)["undo_send_seconds"] == 25


def test_quitting_mid_sync_is_quick_and_leaves_a_sound_database(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    connect_account(app_store, keychain, mastodon_server)
    add_mentions(mastodon_server, 60)
    mastodon_server.delay["/api/v1/statuses"] = 0.1  # a slow server: the sync takes long
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: app_store.count_threads(window.query) >= 3, timeout=20_000)
    quit_quickly(window, 900)
    assert window.runner.wait_idle(0)  # nothing left running: quitting did not wait for it
    assert integrity(ui_paths.database) == "ok"
    fetched = mastodon_server.requests_to("/api/v1/statuses/")
    assert len([r for r in fetched if r.path.endswith("/context")]) < 60  # stopped early
    assert app_store.count_threads(window.query) == 60  # the mentions stored before it
