"""The usual gestures (issue 22): right-click a row for open on the web, copy link, mark
unread, done, snooze and label; mark as unread; the unread count in the window title."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMenu

from app.core.models import Author, Folder, Network, Post, SentimentLabel, ThreadStatus
from app.core.sentiment import score

WEB = "https://social.example/@oona/4242"


class _Browser(QObject):
    """Stands in for the system browser: records what Shopkeep asked it to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser(qapp):
    recorder = _Browser()
    QDesktopServices.setUrlHandler("https", recorder, "open")
    yield recorder
    QDesktopServices.unsetUrlHandler("https")


def _post_with_link(store) -> int:
    """A customer's mention with a web address, as a Mastodon sync stores it."""
    account = next(a for a in store.accounts() if a.network is Network.MASTODON)
    post = Post(
        Network.MASTODON,
        "m-web-1",
        Author(Network.MASTODON, "acct-web", "@oona@social.example", "Oona Price"),
        "@juniperrye do you still have the rye sourdough on Saturdays?",
        datetime.now(UTC) - timedelta(minutes=5),
        url=WEB,
        is_mention=True,
    )
    result = store.ingest(account.id, [post], score)
    return result.new_thread_ids[0]


def _right_click(qtbot, window, thread_id: int) -> QMenu:
    model, view = window.thread_model, window.thread_view
    while model.row_for_id(thread_id) < 0 and model.canFetchMore():
        model.fetchMore()
    index = model.index(model.row_for_id(thread_id))
    view.scrollTo(index)
    view.customContextMenuRequested.emit(view.visualRect(index).center())
    menu = window.findChild(QMenu, "rowMenu")
    qtbot.waitUntil(lambda: menu is not None and menu.isVisible(), timeout=2000)
    return menu


def _action(menu: QMenu, text: str):
    return next(a for a in menu.actions() if a.text() == text)


def test_right_click_offers_the_usual_gestures(qtbot, answer_window, browser):
    window = answer_window.window
    thread_id = _post_with_link(answer_window.store)
    window.thread_model.reload()
    menu = _right_click(qtbot, window, thread_id)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == [
        "Open on the web",
        "Copy link",
        "Mark as unread",
        "Done",
        "Snooze until",
        "Label",
    ]
    _action(menu, "Copy link").trigger()
    assert QGuiApplication.clipboard().text() == WEB
    _action(menu, "Open on the web").trigger()
    assert browser.opened == [WEB]
    menu.hide()


def test_done_and_snooze_from_the_menu_change_that_row_not_the_open_one(qtbot, answer_window):
    window, store = answer_window.window, answer_window.store
    opened = answer_window.open_by("leo")
    other = next(
        r
        for r in window.thread_model.loaded_rows()
        if r.id != opened.id and r.status is ThreadStatus.NEEDS_REPLY
    )
    window.thread_view.customContextMenuRequested.disconnect()  # the menu, built directly
    posts = store.thread_posts(other.id)
    menu = answer_window.pane.row_menu.menu_for(other, posts)
    snooze = _action(menu, "Snooze until").menu()
    snooze.actions()[0].trigger()  # later today / in 3 hours
    assert store.thread(other.id).status is ThreadStatus.SNOOZED
    woken_at = store.thread(other.id).snoozed_until
    assert timedelta(hours=2) < woken_at - datetime.now(UTC) <= timedelta(hours=3)
    assert store.thread(opened.id).status is ThreadStatus.NEEDS_REPLY
    menu = answer_window.pane.row_menu.menu_for(store.thread(other.id), posts)
    _action(menu, "Done").trigger()
    assert store.thread(other.id).status is ThreadStatus.DONE
    assert store.thread(opened.id).status is ThreadStatus.NEEDS_REPLY


def test_label_from_the_menu_corrects_the_post_that_coloured_the_row(qtbot, answer_window):
    window, store = answer_window.window, answer_window.store
    row = next(
        r for r in window.thread_model.loaded_rows() if r.worst_label is SentimentLabel.NEGATIVE
    )
    menu = answer_window.pane.row_menu.menu_for(row, store.thread_posts(row.id))
    labels = _action(menu, "Label").menu()
    labels.choose(SentimentLabel.POSITIVE)
    corrected = [p for p in store.thread_posts(row.id) if p.corrected_label]
    assert [p.corrected_label for p in corrected] == [SentimentLabel.POSITIVE]
    model = window.thread_model
    shown = model.thread_at(model.row_for_id(row.id))
    assert shown.worst_label is store.thread(row.id).worst_label  # the row shows it now


def test_mark_as_unread_makes_the_row_bold_and_counts_in_the_title(qtbot, answer_window):
    window, store = answer_window.window, answer_window.store
    row = answer_window.open(lambda r: r.unread and r.status is ThreadStatus.NEEDS_REPLY)
    model = window.thread_model
    assert not store.thread(row.id).unread  # opening read it
    unread = store.unread_threads()
    assert unread > 0
    assert window.windowTitle() == f"Shopkeep ({unread} unread)"

    answer_window.pane.row_menu.mark_unread_action.trigger()  # Shift+U: the open thread

    assert store.thread(row.id).unread
    assert model.thread_at(model.row_for_id(row.id)).unread
    assert window.windowTitle() == f"Shopkeep ({unread + 1} unread)"
    assert "Mark as unread" in [a.text() for a in answer_window.pane.menu.actions()]


def test_the_title_says_shopkeep_alone_when_nothing_is_unread(qtbot, answer_window):
    window, store = answer_window.window, answer_window.store
    for row in store.threads(range(1, 500)):
        store.mark_read(row.id)
    window.refresh_side()
    assert window.windowTitle() == "Shopkeep"


def test_drafts_folder_rows_show_the_first_line_of_the_draft(qtbot, answer_window):
    window, store = answer_window.window, answer_window.store
    row = next(r for r in window.thread_model.loaded_rows() if "ruth" in r.author_handle)
    store.save_draft(row.id, "\n  Thanks Ruth, the rye is back on Friday.\nSee you then!")
    folders = window.folder_model
    window.folder_view.setCurrentIndex(folders.index(folders.row_of_folder(Folder.DRAFTS)))
    model = window.thread_model
    shown = model.thread_at(model.row_for_id(row.id))
    assert shown.draft == "Thanks Ruth, the rye is back on Friday."
    delegate = window.thread_view.itemDelegate()
    delegate.forget()
    window.thread_view.viewport().grab()  # paint the rows as the owner sees them
    painted = [lay.lines for key, lay in delegate._layouts.items() if key[0].id == row.id]
    assert painted and all(lines[0].startswith("Your draft: Thanks Ruth") for lines in painted)
    # The same thread elsewhere still shows what the customer wrote.
    window.folder_view.setCurrentIndex(folders.index(folders.row_of_folder(Folder.ALL)))
    elsewhere = model.thread_at(model.row_for_id(row.id))
    window.thread_view.scrollTo(model.index(model.row_for_id(row.id)))
    delegate.forget()
    window.thread_view.viewport().grab()
    painted = [lay.lines for key, lay in delegate._layouts.items() if key[0].id == elsewhere.id]
    assert painted and not any(lines[0].startswith("Your draft") for lines in painted)
