"""The window's actions and menus: every shortcut has a menu item (its mouse equivalent)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.core.paths import AppPaths
from app.ui import theme


class MenuWindow(QMainWindow):
    """The part of the main window its actions and menus make; MainWindow builds on it.

    Declared here rather than typed against MainWindow, so this module never imports
    main_window.py (which imports this one): no import circle, not even for types.
    """

    sync_requested = Signal()
    add_account_requested = Signal()
    accounts_requested = Signal()

    # Made by _build_actions / _build_menus, which MainWindow's constructor calls:
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

    # -- built by MainWindow's constructor --------------------------------------------

    def show_about(self) -> None:
        """Help → About; its dialog module loads when asked (not on the first paint)."""
        from app.ui.about_box import about_box

        about_box(self, self.paths)

    def _action(
        self,
        text: str,
        shortcut: str | QKeySequence.StandardKey | None = None,
        slot: object = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.sync_action = self._action(
            "Sync now", "F5", self.sync_requested.emit, "Fetch new mentions from every account (F5)"
        )
        self.sync_action.setIcon(theme.icon("sync"))
        self.next_action = self._action("Next thread", "J", self.select_next)
        self.prev_action = self._action("Previous thread", "K", self.select_previous)
        self.open_action = QAction("Open thread", self)
        self.open_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_action.triggered.connect(self.open_current)
        self.search_action = self._action("Search", "/", self.focus_search)
        self.search_action.setShortcuts(
            [QKeySequence("/"), QKeySequence(QKeySequence.StandardKey.Find)]
        )
        self.add_account_action = self._action(
            "Add account…", None, self.add_account_requested.emit
        )
        self.accounts_action = self._action("Accounts…", None, self.accounts_requested.emit)
        self.remove_demo_action = self._action(
            "Remove demo data", None, lambda: self.remove_demo_data(confirm=True)
        )
        self.quit_action = self._action("Quit", QKeySequence.StandardKey.Quit, self.close)
        self.shortcuts_action = self._action("Keyboard shortcuts", "F1", self.show_shortcuts)
        self.sort_group = QActionGroup(self)
        self.sort_newest = self._action(
            "Newest first",
            "Ctrl+1",
            lambda: self.set_sort("activity"),
            "Most recent activity on top",
        )
        self.sort_angriest = self._action(
            "Complaints first",
            "Ctrl+2",
            lambda: self.set_sort("sentiment"),
            "Complaints on top, the unhappiest first",
        )
        for a in (self.sort_newest, self.sort_angriest):
            a.setCheckable(True)
            self.sort_group.addAction(a)
        self.sort_newest.setChecked(True)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.add_account_action)
        file_menu.addAction(self.accounts_action)
        file_menu.addAction(self.remove_demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.sort_newest)
        view_menu.addAction(self.sort_angriest)
        view_menu.addSeparator()
        view_menu.addAction(self.search_action)
        go_menu = bar.addMenu("&Go")
        go_menu.addAction(self.next_action)
        go_menu.addAction(self.prev_action)
        go_menu.addAction(self.open_action)
        go_menu.addSeparator()
        go_menu.addAction(self.sync_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction("About Shopkeep", self.show_about)
        self.menus = {"file": file_menu, "view": view_menu, "go": go_menu, "help": help_menu}
