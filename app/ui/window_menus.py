"""The window's actions and menus: every shortcut has a menu item (its mouse equivalent)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.core.paths import AppPaths
from app.ui import theme
from app.ui.about_box import about_box


class MenuWindow(QMainWindow):
    """The part of the main window its actions and menus make; MainWindow builds on it.

    Declared here rather than typed against MainWindow, so this module never imports
    main_window.py (which imports this one): no import circle, not even for types.
    """

    sync_requested = Signal()
    add_account_requested = Signal()
    accounts_requested = Signal()

    # Built by build_actions / build_menus:
    sync_action: QAction
    next_action: QAction
    prev_action: QAction
    open_action: QAction
    search_action: QAction
    add_account_action: QAction
    accounts_action: QAction
    remove_demo_action: QAction
    quit_action: QAction
    shortcuts_action: QAction
    sort_group: QActionGroup
    sort_newest: QAction
    sort_angriest: QAction
    menus: dict[str, QMenu]
    paths: AppPaths | None  # the data folder Help → About shows (None in some tests)

    # What the actions call; MainWindow does each.
    def select_next(self) -> None:
        raise NotImplementedError

    def select_previous(self) -> None:
        raise NotImplementedError

    def open_current(self) -> None:
        raise NotImplementedError

    def focus_search(self) -> None:
        raise NotImplementedError

    def remove_demo_data(self, confirm: bool = True) -> None:
        raise NotImplementedError

    def show_shortcuts(self) -> None:
        raise NotImplementedError

    def set_sort(self, sort: str) -> None:
        raise NotImplementedError


def _action(
    window: MenuWindow,
    text: str,
    shortcut: str | QKeySequence.StandardKey | None = None,
    slot: object = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    if slot is not None:
        action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_actions(window: MenuWindow) -> None:
    window.sync_action = _action(
        window,
        "Sync now",
        "F5",
        window.sync_requested.emit,
        "Fetch new mentions from every account (F5)",
    )
    window.sync_action.setIcon(theme.icon("sync"))
    window.next_action = _action(window, "Next thread", "J", window.select_next)
    window.prev_action = _action(window, "Previous thread", "K", window.select_previous)
    window.open_action = QAction("Open thread", window)
    window.open_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
    window.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    window.open_action.triggered.connect(window.open_current)
    window.search_action = _action(window, "Search", "/", window.focus_search)
    window.search_action.setShortcuts(
        [QKeySequence("/"), QKeySequence(QKeySequence.StandardKey.Find)]
    )
    window.add_account_action = _action(
        window, "Add account…", None, window.add_account_requested.emit
    )
    window.accounts_action = _action(window, "Accounts…", None, window.accounts_requested.emit)
    window.remove_demo_action = _action(
        window, "Remove demo data", None, lambda: window.remove_demo_data(confirm=True)
    )
    window.quit_action = _action(window, "Quit", QKeySequence.StandardKey.Quit, window.close)
    window.shortcuts_action = _action(window, "Keyboard shortcuts", "F1", window.show_shortcuts)
    window.sort_group = QActionGroup(window)
    window.sort_newest = _action(
        window,
        "Newest first",
        "Ctrl+1",
        lambda: window.set_sort("activity"),
        "Most recent activity on top",
    )
    window.sort_angriest = _action(
        window,
        "Complaints first",
        "Ctrl+2",
        lambda: window.set_sort("sentiment"),
        "Complaints on top, the unhappiest first",
    )
    for a in (window.sort_newest, window.sort_angriest):
        a.setCheckable(True)
        window.sort_group.addAction(a)
    window.sort_newest.setChecked(True)


def build_menus(window: MenuWindow) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(window.add_account_action)
    file_menu.addAction(window.accounts_action)
    file_menu.addAction(window.remove_demo_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    view_menu = bar.addMenu("&View")
    view_menu.addAction(window.sort_newest)
    view_menu.addAction(window.sort_angriest)
    view_menu.addSeparator()
    view_menu.addAction(window.search_action)
    go_menu = bar.addMenu("&Go")
    go_menu.addAction(window.next_action)
    go_menu.addAction(window.prev_action)
    go_menu.addAction(window.open_action)
    go_menu.addSeparator()
    go_menu.addAction(window.sync_action)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(window.shortcuts_action)
    help_menu.addAction("About Shopkeep", lambda: about_box(window, window.paths))
    window.menus = {"file": file_menu, "view": view_menu, "go": go_menu, "help": help_menu}
