"""Team mode in the window: File → Team…, the offline banner, the local copy kept fresh.

One call from wiring.window.build_window (`install_team`); the logic is in
app/services/team_mode.py (Qt-free) and the widgets in app/ui/team_dialog.py and team_banner.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from app.core.paths import AppPaths

if TYPE_CHECKING:
    from app.storage.inbox_store import SqliteInboxStore
    from app.ui.main_window import MainWindow
    from app.ui.sync_scheduler import SyncScheduler
    from app.ui.task_runner import TaskRunner
    from app.ui.team_dialog import TeamDialog
    from app.ui.team_parts import TeamParts


class Triggerable(Protocol):
    """File → Export… (a QAction), offered by the Team dialog in team mode."""

    def trigger(self) -> None: ...


COPY_EVERY_S = 300.0  # the offline copy is refreshed after a sync, at most this often


def open_store_asking(paths: AppPaths) -> SqliteInboxStore:
    """The inbox the window opens. In team mode, when the team inbox does not open (and
    there is no copy to read), the owner chooses: try again, this laptop's own inbox
    (team mode off), or quit (the error goes up, as without a window)."""
    from app.core.errors import (
        KeychainUnavailable,
        TeamLoginRefused,
        TeamTlsFailed,
        TeamUnreachable,
    )
    from app.core.settings import SettingsFile

    if SettingsFile(paths.settings_file).load().team is None:  # one laptop: its own file
        from app.storage.inbox_store import SqliteInboxStore

        return SqliteInboxStore.open(paths.database)
    from app.services.team_mode import open_inbox

    def ask_password(conn: Any, why: str) -> str | None:
        from app.ui.team_dialog import ask_team_password  # Qt only when it is needed

        return ask_team_password(conn, why)

    while True:
        try:
            return open_inbox(paths, ask_password=ask_password).store
        except (TeamUnreachable, TeamLoginRefused, TeamTlsFailed, KeychainUnavailable) as exc:
            from app.ui.team_dialog import OWN_INBOX, ask_when_team_fails

            choice = ask_when_team_fails(exc.user_message)
            if choice is None:
                raise
            if choice == OWN_INBOX:
                SettingsFile(paths.settings_file).update(team=None)


def install_team(
    window: MainWindow,
    scheduler: SyncScheduler,
    export_action: Triggerable,
    *,
    store: SqliteInboxStore,
    runner: TaskRunner,
    paths: AppPaths,
    person_name: Callable[[Any], str] | None = None,
) -> TeamParts:
    """File → Team… on every window; in team mode the banner and watches too."""
    # One laptop's window loads only the File → Team… action before its first paint: the
    # dialog, the team services and the banner load when team mode needs them.
    from app.core.settings import SettingsFile
    from app.ui.sync_controls import add_file_action
    from app.ui.team_parts import TeamParts
    from app.wiring.people import ask_person_name, install_people, remembered_person

    opened: list[TeamDialog] = []

    def export() -> None:
        export_action.trigger()

    def show() -> None:
        if opened:
            opened[0].show()
            opened[0].raise_()
            return
        from app.services.team_mode import TeamService
        from app.ui.team_dialog import TeamDialog

        dialog = TeamDialog(TeamService(paths, store), runner, window, export=export)
        dialog.switched.connect(lambda text: switched(dialog, text))
        dialog.finished.connect(lambda _r: opened.clear())
        opened.append(dialog)
        dialog.open()

    def switched(dialog: TeamDialog, text: str) -> None:
        """Settings point at the other inbox now: nothing more goes into this one (no
        sync, no typing behind the message); once read, the window closes and the
        next start opens the other inbox."""
        from app.ui.dialogs import notice

        scheduler.shutdown()
        dialog.close()
        box = notice(window, text, "Team")  # window-modal: the inbox takes no more typing
        box.finished.connect(lambda _r: window.close())

    parts = TeamParts(
        add_file_action(
            window, "Team…", show, None, "Share this inbox with your team on a PostgreSQL database"
        ),
        people=install_people(
            window, store, paths, ask_name=person_name or ask_person_name
        ),  # a team inbox: who, Mine, presence
    )
    if not (store.is_team or store.offline):
        return parts
    from app.services.team_mode import hand_over_when_back, is_team_store, keep_local_copy
    from app.storage.team_offline import OfflineCopyStore
    from app.ui.team_banner import ConnectionWatch, OfflineWatch, TeamBanner

    if isinstance(store, OfflineCopyStore):
        # what is written offline is the remembered person's, as on the team database
        person = remembered_person(paths, store.data_folder_id())
        if person is not None:
            store.use_person(person)
        conn = SettingsFile(paths.settings_file).load().team
        banner = parts.banner = TeamBanner(window)
        if conn is not None:

            def probe() -> int | None:
                handed = hand_over_when_back(conn, paths.data_dir)
                return None if handed is None else handed.replies

            parts.offline_watch = OfflineWatch(banner, runner, probe)
        return parts

    last: list[float] = []

    def refresh() -> None:
        """A whole copy each time: at most every few minutes, not after every account."""
        now = time.monotonic()
        if last and now - last[0] < COPY_EVERY_S:
            return
        last[:] = [now]
        runner.run(lambda: keep_local_copy(store, paths.data_dir), name="team inbox copy")

    if is_team_store(store):
        from app.core.errors import TeamUnreachable

        parts.connection_watch = ConnectionWatch(
            window, runner, store.folder_counts, lambda exc: isinstance(exc, TeamUnreachable)
        )
        refresh()  # at open, then after each account's sync
        scheduler.account_synced.connect(lambda _report: refresh())
    return parts
