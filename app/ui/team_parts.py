"""What team mode adds to the window, as the window holds it (AppWindow.team).

app/wiring/window.py gives the window a `TeamInstaller` through AppServices; the window calls
it once its scheduler and Export… action exist and keeps what comes back, so nothing
is attached to the window from outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction

from app.ui.main_window import MainWindow
from app.ui.sync_scheduler import SyncScheduler

if TYPE_CHECKING:  # loaded in team mode only, not before a one-laptop window's first paint
    from app.ui.team_banner import ConnectionWatch, OfflineWatch, TeamBanner
    from app.ui.team_people import TeamPeople


@dataclass
class TeamParts:
    """File → Team…, and in team mode the banner and the watches that keep it true."""

    action: QAction
    people: TeamPeople | None = None  # a team inbox: this window's person, Mine, presence
    banner: TeamBanner | None = None  # reading the local copy: the database is away
    offline_watch: OfflineWatch | None = None  # hands the waiting replies over when back
    connection_watch: ConnectionWatch | None = None  # the live database going and coming


class TeamInstaller(Protocol):
    def __call__(
        self, window: MainWindow, scheduler: SyncScheduler, export_action: QAction
    ) -> TeamParts: ...
