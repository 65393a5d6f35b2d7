"""The main window on the demo shop: folders, selection, keys, sort, search, safety."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl

from app.core.models import Author, Folder, Network, Post, SentimentLabel
from app.core.sentiment import score
from app.ui.folder_model import FolderRoles
from app.ui.thread_model import Roles
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def _select_folder(window, folder):
    row = window.folder_model.row_of_folder(folder)
    window.folder_view.setCurrentIndex(window.folder_model.index(row))


def _rows(window):
    m = window.thread_model
    return [m.thread_at(r) for r in range(m.rowCount())]


def test_window_opens_with_counts_and_banner(main_window, ui_store):
    counts = ui_store.folder_counts()
    fm = main_window.folder_model
    for folder in (Folder.NEEDS_REPLY, Folder.NEGATIVE, Folder.ALL, Folder.DONE):
        assert fm.index(fm.row_of_folder(folder)).data(FolderRoles.CountRole) == counts[folder]
    assert main_window.thread_model.rowCount() == counts[Folder.ALL]
    assert main_window.banner.isVisible()
    assert "demo data" in main_window.banner.label.text()
    assert len(main_window.status.account_labels) == len(ui_store.accounts())


def test_selecting_a_thread_shows_its_conversation(main_window, ui_store):
    main_window.select_row(2)
    row = main_window.current_thread()
    pane = main_window.conversation_pane
    assert pane.current_thread is not None and pane.current_thread.id == row.id
    posts = ui_store.thread_posts(row.id)
    text = pane.view.toPlainText()
    for sp in posts:
        assert sp.post.text.splitlines()[0] in text
    assert pane.title.text() == (row.author_name or row.author_handle)
    assert main_window.current_thread().unread is False
    assert ui_store.thread(row.id).unread is False


def test_the_list_read_again_leaves_the_open_conversation_as_it_is(main_window, qtbot):
    """A sync or a cleared search reads the list again. The conversation open, first in
    the list again, was blanked, then read and drawn again: a flash, and 10-20 ms on the
    window's thread in the middle of whatever the owner was doing."""
    main_window.select_row(0)  # unread until now: opening it marks it read
    pane = main_window.conversation_pane
    shown, document = pane.current_thread, pane.view.document()
    assert shown is not None and main_window.current_thread().unread is False
    opened: list[int] = []
    blanked: list[int] = []
    main_window.thread_opened.connect(opened.append)
    pane.stack.currentChanged.connect(blanked.append)

    main_window.thread_model.reload()
    qtbot.waitUntil(lambda: main_window.current_thread() is not None)

    assert main_window.current_thread().id == shown.id
    assert pane.current_thread is shown and pane.view.document() is document
    assert opened == [] and blanked == []

    main_window.select_row(1)  # another thread still opens as before
    assert opened == [main_window.current_thread().id]


def test_browsing_conversations_keeps_only_the_one_shown_in_memory(main_window):
    """Every conversation opened stayed in memory: going through 240 conversations grew
    the app by 160 MB."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QTextDocument

    view = main_window.conversation_pane.view
    for n in range(12):
        main_window.select_row(n % 4)
        assert main_window.conversation_pane.current_thread.id == main_window.current_thread().id
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    kept = [c for c in view.children() if isinstance(c, QTextDocument)]
    assert kept == [view.document()]


def test_j_and_k_move_the_selection(main_window, qtbot):
    main_window.activateWindow()
    main_window.thread_view.setFocus()
    qtbot.waitUntil(lambda: main_window.thread_view.hasFocus())
    start = main_window.thread_view.currentIndex().row()
    qtbot.keyClick(main_window.thread_view, Qt.Key.Key_J)
    qtbot.keyClick(main_window.thread_view, Qt.Key.Key_J)
    assert main_window.thread_view.currentIndex().row() == start + 2
    qtbot.keyClick(main_window.thread_view, Qt.Key.Key_K)
    assert main_window.thread_view.currentIndex().row() == start + 1
    # The mouse equivalent: a click selects, a double-click opens.
    rect = main_window.thread_view.visualRect(main_window.thread_model.index(3))
    qtbot.mouseClick(
        main_window.thread_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert main_window.thread_view.currentIndex().row() == 3


def test_typing_j_in_search_does_not_move(main_window, qtbot):
    main_window.activateWindow()
    main_window.focus_search()
    qtbot.waitUntil(lambda: main_window.search_box.hasFocus())
    before = main_window.thread_view.currentIndex().row()
    qtbot.keyClicks(main_window.search_box, "jk")
    assert main_window.search_box.text() == "jk"
    assert main_window.thread_view.currentIndex().row() == before


def test_negative_folder_only_shows_negative(main_window):
    _select_folder(main_window, Folder.NEGATIVE)
    rows = _rows(main_window)
    assert rows and {r.worst_label for r in rows} == {SentimentLabel.NEGATIVE}


def test_sort_angriest_first(main_window):
    main_window.sort_angriest.trigger()
    rows = _rows(main_window)
    assert main_window.thread_model.query.sort == "sentiment"
    negatives = [r for r in rows if r.worst_label == SentimentLabel.NEGATIVE]
    assert rows[: len(negatives)] == negatives
    assert rows[0].worst_compound == min(r.worst_compound for r in negatives)
    main_window.sort_newest.trigger()
    rows = _rows(main_window)
    assert rows == sorted(rows, key=lambda r: r.last_activity, reverse=True)


def test_search_narrows(main_window, ui_store, qtbot):
    total = main_window.thread_model.rowCount()
    main_window.activateWindow()
    qtbot.keyClick(main_window.thread_view, Qt.Key.Key_Slash)
    qtbot.waitUntil(main_window.search_box.hasFocus)
    qtbot.keyClicks(main_window.search_box, "refund")
    qtbot.keyClick(main_window.search_box, Qt.Key.Key_Return)
    rows = _rows(main_window)
    assert 0 < len(rows) < total
    for r in rows:
        assert any("refund" in sp.post.text.lower() for sp in ui_store.thread_posts(r.id))
    qtbot.keyClick(main_window.search_box, Qt.Key.Key_Escape)
    assert main_window.thread_model.rowCount() == total


def test_post_text_is_never_html(main_window, ui_store):
    account = ui_store.accounts()[0]
    evil = Post(
        network=account.network,
        remote_id="evil-1",
        author=Author(account.network, "evil", "@mallory@bad.example", "<b>Mallory</b>"),
        text='<img src="http://tracker.example/x.png"><b>bold</b> see https://shop.example/a?b=1',
        created_at=datetime.now(UTC),
        is_mention=True,
    )
    result = ui_store.ingest(account.id, [evil], score)
    main_window.apply_ingest(result)
    assert main_window.current_thread() is not None
    main_window.select_row(main_window.thread_model.row_for_id(result.new_thread_ids[0]))
    view = main_window.conversation_pane.view
    text = view.toPlainText()
    assert '<img src="http://tracker.example/x.png"><b>bold</b>' in text
    assert "<b>Mallory</b>" in text
    assert "https://shop.example/a?b=1" in text  # the link shows its real target
    hrefs = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor() and fmt.anchorHref():
                hrefs.append((fmt.anchorHref(), it.fragment().text()))
            it += 1
        block = block.next()
    assert ("https://shop.example/a?b=1", "https://shop.example/a?b=1") in hrefs
    # Every link shows its real target; nothing is ever fetched for display.
    assert all(shown == href or shown.startswith("Open on") for href, shown in hrefs)
    assert view.loadResource(2, QUrl("http://tracker.example/x.png")) is None
    assert view.document().allFormats()  # built by cursor inserts, not from HTML


def test_live_ingest_inserts_a_row_without_reset(main_window, ui_store):
    account = ui_store.accounts()[0]
    resets = []
    main_window.thread_model.modelReset.connect(lambda: resets.append(1))
    selected = main_window.current_thread().id
    post = Post(
        network=Network(account.network),
        remote_id="live-1",
        author=Author(account.network, "n1", "@newbie@x.example", "New Person"),
        text="Just tried your sourdough, wonderful!",
        created_at=datetime.now(UTC),
        is_mention=True,
    )
    result = ui_store.ingest(account.id, [post], score)
    main_window.apply_ingest(result)
    assert main_window.thread_model.thread_at(0).id == result.new_thread_ids[0]
    assert main_window.current_thread().id == selected
    assert resets == []


def test_remove_demo_data_shows_empty_state(main_window, qtbot):
    with qtbot.waitSignal(main_window.demo_removed):
        main_window.remove_demo_data(confirm=False)
    assert main_window.thread_model.rowCount() == 0
    qtbot.waitUntil(lambda: main_window.conversation_pane.stack.currentIndex() == 0)
    # Issue 21: no dead end: with no account and no demo the window still offers one
    banner = main_window.banner
    assert banner.isVisible() and "No account yet" in banner.label.text()
    assert banner.add_button.isVisible() and not banner.remove_button.isVisible()


def test_demo_beside_a_real_account_is_said_plainly(main_window, ui_store):
    """Issue 21: after adding an account the banner still said "you are looking at demo
    data" while real and demo conversations were mixed."""
    from app.core.models import AccountInfo, AccountState, Network

    ui_store.add_account(
        AccountInfo(
            Network.MASTODON, "https://shop.example", "@me@shop.example", "real-1", "My Shop"
        ),
        state=AccountState.CONNECTED,
    )
    main_window.refresh_side()
    banner = main_window.banner
    assert banner.isVisible() and "beside your own" in banner.label.text()
    assert not banner.add_button.isVisible() and banner.remove_button.isVisible()


def test_sync_and_add_account_are_signals(main_window, qtbot):
    assert not main_window.sync_action.isEnabled()  # until the sync service is wired
    main_window.set_sync_available(True)
    with qtbot.waitSignal(main_window.sync_requested):
        main_window.sync_action.trigger()
    with qtbot.waitSignal(main_window.add_account_requested):
        main_window.banner.add_button.click()


def test_slots_for_composer_and_history(main_window):
    pane = main_window.conversation_pane
    for slot in (pane.composer_slot, pane.side_slot, pane.header_actions):
        assert slot.count() == 0
    assert main_window.thread_view.uniformItemSizes()
    assert main_window.thread_view.model().canFetchMore(QModelIndex()) is False
    assert main_window.thread_model.index(0).data(Roles.ThreadRole) is not None


def test_conversation_tree_and_reasons(main_window, ui_store):
    from app.ui.conversation_view import thread_order

    longest = max(_rows(main_window), key=lambda r: r.post_count)
    main_window.select_row(main_window.thread_model.row_for_id(longest.id))
    posts = ui_store.thread_posts(longest.id)
    order = thread_order(posts)
    assert len(order) == len(posts) and order[0][1] == 0
    assert all(d >= 1 for _p, d in order[1:])
    view = main_window.conversation_pane.view
    tips = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            tip = it.fragment().charFormat().toolTip()
            if tip.startswith("Score"):
                tips.append((it.fragment().text().strip(), tip))
            it += 1
        block = block.next()
    customer = [p for p in posts if not p.is_own]
    assert len(tips) == len(customer)
    words = {"Complaint", "Praise", "Neutral"}
    assert all(w in words or "not scored" in w for w, _t in tips)
    reasons = [r for p in customer for r in p.sentiment.reasons]
    assert reasons and any(reasons[0] in t for _w, t in tips)


def test_after_removing_the_demo_it_can_be_brought_back(qtbot, ui_paths):
    """Issue 21: with no account and the demo removed, there was no way back to it."""
    from app.storage.inbox_store import SqliteInboxStore
    from app.wiring.window import build_window, read_settings

    store = SqliteInboxStore.open(ui_paths.database)
    window = build_window(ui_paths, store=store, demo=True, synchronous=True)
    qtbot.addWidget(window)
    try:
        shown = window.thread_model.rowCount()
        assert shown > 0 and not window.banner.demo_button.isVisible()
        window.remove_demo_data(confirm=False)
        assert window.thread_model.rowCount() == 0
        assert window.banner.demo_button.isVisibleTo(window)
        assert read_settings(ui_paths).get("demo_dismissed") is True

        window.banner.demo_button.click()

        qtbot.waitUntil(lambda: window.thread_model.rowCount() == shown)
        assert window.banner.remove_button.isVisibleTo(window)
        assert not window.banner.demo_button.isVisibleTo(window)
        assert read_settings(ui_paths).get("demo_dismissed") is False
    finally:
        window.runner.shutdown()
        store.close()
