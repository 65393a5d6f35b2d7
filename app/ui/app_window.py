"""The main window with all its parts, built from the `AppServices` main.py hands in.

`MainWindow` is the inbox (folders | threads | conversation); this adds, in its own
constructor and as declared attributes, what needs the layers below: sync (scheduler,
notifier, status), the filter bar, File → Export…, Settings… and Reports…, the
account dialogs, the answering tools, label corrections and customers' photos.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.core.models import Template
from app.ui.app_services import AppServices
from app.ui.app_style import choose_scheme
from app.ui.corrections import Corrections
from app.ui.desktop_notifications import DesktopNotifications
from app.ui.filter_bar import FilterBar, install_filter_bar
from app.ui.first_paint import Slices, after_first_paint
from app.ui.main_window import MainWindow
from app.ui.photo_loader import PhotoLoader
from app.ui.stored_templates import read_templates
from app.ui.sync_controls import SyncControls, add_file_action, select_account_when_listed
from app.ui.sync_scheduler import SyncScheduler
from app.ui.sync_settings import SyncSettings
from app.ui.team_parts import TeamParts
from app.ui.tray_notifier import TrayNotifier

if TYPE_CHECKING:  # dialogs, Reports (QtCharts) and Export load when asked: not on first paint
    from app.ui.accounts_dialog import AccountsDialog
    from app.ui.add_account_dialog import AddAccountDialog
    from app.ui.answer_pane import AnswerPane
    from app.ui.export_dialog import ExportDialog
    from app.ui.reports_window import ReportsWindow
    from app.ui.settings_dialog import SettingsDialog

# What the answering parts import beyond the first painted inbox, those imported by
# others first: one module per turn of the event loop (each 0.1-2 ms of Python).
ANSWER_MODULES = (
    "app.core.templates",
    "app.core.audience",
    "app.core.suggestion",
    "app.core.reply_mentions",
    "app.core.reply_rules",
    "app.ui.answer_services",
    "app.ui.composer_parts",
    "app.ui.draft_saver",
    "app.ui.reply_sender",
    "app.ui.elided_label",
    "app.ui.composer",
    "app.ui.history_panel",
    "app.ui.label_menu",
    "app.ui.thread_actions",
    "app.ui.row_menu",
    "app.ui.answer_pane",
)


class AppWindow(MainWindow):
    """Shopkeep's window as the app opens it; every part is typed and made here."""

    def __init__(self, services: AppServices) -> None:
        super().__init__(services.store, services.runner, paths=services.paths)
        self.services = services
        services.runner.setParent(self)
        store, runner = services.store, services.runner
        stored = services.settings.load()
        settings = SyncSettings.from_mapping(stored.as_mapping())
        choose_scheme(settings.colour_scheme)

        # sync: F5 and the timer, progress in the status bar, new complaints notified
        self.scheduler = SyncScheduler(
            store,
            runner,
            services.connections.client_for,
            services.owner_scorer,
            interval_minutes=settings.interval_minutes,
            max_mentions=settings.first_sync_max,
            parent=self,
        )
        self.desktop = DesktopNotifications(self)
        # its bus thread connects to D-Bus holding the interpreter lock: after the first paint
        after_first_paint(
            self.thread_view.viewport(),
            self.desktop.start,
            lambda: self.thread_model.rowCount() > 0,
        )
        self.destroyed.connect(self.desktop.close)
        self.notifier = TrayNotifier(
            store, runner, self, enabled=settings.notifications, desktop=self.desktop
        )
        self.sync = SyncControls(self, self.scheduler, store, self.notifier, self.open_accounts)
        self.filter_bar: FilterBar = install_filter_bar(self)
        self.export_dialog: ExportDialog | None = None
        self.export_action: QAction = add_file_action(
            self,
            "Export…",
            self.export,
            "Ctrl+E",
            "Save the current list or everything as CSV or JSON",
        )
        self.settings_action: QAction = add_file_action(
            self,
            "Settings…",
            self.edit_settings,
            "Ctrl+,",
            "Sync interval, notifications, undo send, first sync",
        )

        # accounts: Add account… and Accounts… ("Sign in again" opens the latter)
        self.add_account_requested.connect(self.add_account)
        self.accounts_requested.connect(lambda: self.open_accounts())

        # answering: composer, drafts, history, thread actions. No conversation is open at
        # the first painted inbox, so they are built after it, a slice per turn of the
        # event loop (or at once when a conversation opens first, or when asked for);
        # their menu is in place already.
        self._answer_pane: AnswerPane | None = None
        self._answer_settings = (stored.business, stored.signature, settings.undo_send_seconds)
        self._templates: list[Template] | None = None  # read now, for the composer
        runner.run(
            lambda: read_templates(services.store),
            self._templates_read,
            write=True,
            name="read templates",
        )
        self.thread_menu = QMenu("&Thread", self)
        self.menuBar().insertMenu(self.menus["help"].menuAction(), self.thread_menu)
        self.answer_build: Slices = Slices(self._answer_pane_steps(), self)
        self.thread_opened.connect(lambda _id: self.answer_pane)
        after_first_paint(
            self.thread_view.viewport(),
            self.answer_build.start,
            lambda: self.thread_model.rowCount() > 0,
        )
        # one-click label corrections, the reasons tooltip and View → Sentiment words…
        self.corrections = Corrections(
            self, store, runner, services.paths, services.rescorer, services.owner_scorer
        )
        self.reports: ReportsWindow | None = None
        self.reports_action: QAction = add_file_action(
            self,
            "Reports…",
            self.show_reports,
            "Ctrl+Shift+R",
            "How fast you answer and how customers feel, over time",
        )
        # customers' photos: placeholders until asked, then fetched and cached on disk
        self.photo_loader = PhotoLoader(
            self.conversation_pane,
            runner,
            services.photos,
            set(stored.load_photos_accounts),
            self._save_photo_accounts,
        )
        # File → Team…; in team mode the offline banner and the database watches
        self.team: TeamParts | None = (
            services.team(self, self.scheduler, self.export_action) if services.team else None
        )
        self.notifier.open_thread.connect(lambda thread_id: self.answer_pane.open_thread(thread_id))
        self.demo_removed.connect(lambda _n: services.settings.update(demo_dismissed=True))
        self.demo_requested.connect(self.bring_demo_back)

    @property
    def answer_pane(self) -> AnswerPane:
        """The composer, history and thread actions; what is not built yet is built now."""
        if self._answer_pane is None:
            self.answer_build.finish()
            if self._answer_pane is None:
                raise RuntimeError("the answering parts could not be built")
        return self._answer_pane

    def _answer_pane_steps(self) -> Iterator[None]:
        """The answering parts, in steps of a few milliseconds (see `Slices`)."""
        for name in ANSWER_MODULES:
            importlib.import_module(name)
            yield
        from app.ui.answer_pane import AnswerPane
        from app.ui.answer_services import AnswerServices

        business, signature, undo_seconds = self._answer_settings
        services = AnswerServices(
            self.services.store,
            self.runner,
            business=business,
            signature=signature,
            send_now=self.scheduler.send_now,
            undo_seconds=undo_seconds,
            client_for=self.services.connections.client_for,
            save_profile=self._save_profile,
        )
        templates = self._templates
        pane = AnswerPane(self, services, self.thread_menu, templates, build=False)
        yield from pane.build_steps()
        if self._templates is not None and self._templates is not templates:
            pane.composer.set_templates(self._templates)  # they came while it was built
        self._answer_pane = pane

    def _templates_read(self, templates: list[Template]) -> None:
        self._templates = templates
        if self._answer_pane is not None:  # built before they came: give them now
            self._answer_pane.composer.set_templates(templates)

    def _save_profile(self, business: str, signature: str) -> None:
        self.services.settings.update(business=business, signature=signature)

    def _save_photo_accounts(self, account_ids: list[int]) -> None:
        self.services.settings.update(load_photos_accounts=account_ids)

    # -- accounts ---------------------------------------------------------------------

    def _accounts_changed(self) -> None:
        self.refresh_side()
        self.scheduler.sync_now()  # a new or re-signed account: fetch its mentions now

    def add_account(self) -> AddAccountDialog:
        from app.ui.add_account_dialog import AddAccountDialog

        dialog = AddAccountDialog(self.services.account_service(), self.runner, self)
        dialog.account_added.connect(lambda _a: self._accounts_changed())
        dialog.open()
        return dialog

    def open_accounts(self, account_id: int | None = None) -> AccountsDialog:
        """The accounts dialog; with `account_id` that account is selected ("Sign in again")."""
        from app.ui.accounts_dialog import open_accounts_dialog

        dialog = open_accounts_dialog(self.services.account_service(), self.runner, self)
        dialog.accounts_changed.connect(self._accounts_changed)
        if account_id is not None:
            select_account_when_listed(dialog, account_id)
        return dialog

    # -- File → Export…, Settings…, Reports… ---------------------------------------------

    def export(self) -> None:
        current = self.export_dialog
        if current is not None and current.cancel_event is not None:
            current.show()  # still writing: show its progress
            return
        if current is not None:
            current.deleteLater()
        from app.ui.export_dialog import ExportDialog

        dialog = ExportDialog(
            self.services.store, self.runner, self.query, self.thread_model.rowCount(), self
        )
        self.export_dialog = dialog
        dialog.open()

    def edit_settings(self) -> SettingsDialog:
        from app.ui.settings_dialog import SettingsDialog

        current = SyncSettings.from_mapping(self.services.settings.load().as_mapping())
        dialog = SettingsDialog(current, self)
        dialog.settings_changed.connect(self.apply_settings)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def apply_settings(self, new: SyncSettings) -> None:
        self.services.settings.update(**new.to_mapping())
        self.scheduler.set_interval(new.interval_minutes)
        self.scheduler.set_max_mentions(new.first_sync_max)
        self.notifier.set_enabled(new.notifications)
        choose_scheme(new.colour_scheme)
        self.answer_pane.set_undo_seconds(new.undo_send_seconds)

    def show_reports(self) -> None:
        """One Reports window, raised again when already open."""
        # read at every opening: the owner may have changed them in Settings
        hours = self.services.settings.load().hours
        if self.reports is not None:
            self.reports.set_hours(hours)
            self.reports.show()
            self.reports.raise_()
            self.reports.activateWindow()
            return
        from app.ui.reports_window import ReportsWindow

        self.reports = ReportsWindow(self.services.store, self.runner, hours, self)
        self.reports.open_thread.connect(self._go_to_thread)
        self.reports.show()

    def _go_to_thread(self, thread_id: int) -> None:
        self.answer_pane.open_thread(thread_id)
        self.raise_()
        self.activateWindow()

    # -- the demo shop --------------------------------------------------------------------

    def bring_demo_back(self) -> None:
        """ "Show the demo shop": load it in the write lane, then show it."""
        self.services.settings.update(demo_dismissed=False)
        self.runner.run(
            self.services.load_demo,
            lambda _loaded: self.demo_loaded(),
            write=True,
            name="load the demo shop",
        )
