"""What the full window needs from the layers below: one typed object, built once by main.py.

The window and its panes take what they use from here through their constructors,
so nothing is attached to a widget from outside and nothing is looked up by name.
Everything is typed against core's ports and the ui's own protocols: `app.storage`
and `app.net` are never imported here (app/wiring/window.py builds the concrete parts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.core.accounts import AccountService
from app.core.connections import Connections
from app.core.paths import AppPaths
from app.core.photos import PhotoSource
from app.core.rescore import OwnerScorer
from app.core.settings import SettingsFile
from app.ui.ports import AppStore, Rescorer
from app.ui.task_runner import TaskRunner
from app.ui.team_parts import TeamInstaller


@dataclass(frozen=True)
class AppServices:
    """The window's collaborators. `settings_problem`: what was wrong with settings.json
    when it was read at start (the file was set aside); the window says it once."""

    paths: AppPaths
    store: AppStore
    runner: TaskRunner
    settings: SettingsFile
    connections: Connections
    owner_scorer: OwnerScorer  # the owner's words and shop names, for ingest and rescoring
    rescorer: Rescorer  # rescoring stored posts after the word list changes
    photos: PhotoSource  # customers' photos: disk cache, else their server
    account_service: Callable[[], AccountService]  # built on first use, not for first paint
    load_demo: Callable[[], bool]  # puts the demo shop back (a write: run it in the lane)
    settings_problem: str | None = None
    team: TeamInstaller | None = None  # File → Team… and, in team mode, its banner
