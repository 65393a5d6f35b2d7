"""A team inbox's people in the window: which person this window is, and their parts.

On a team database each window works as one person, chosen once and kept in the
data folder (`team-person.json`: team database id -> person id), so the next start
asks nothing. A one-person SQLite inbox gets none of this. Called by wiring.team.install_team; like
window.py it may import every layer (the ui in functions), never Qt itself.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.paths import AppPaths, make_private

if TYPE_CHECKING:
    from app.ui.team_people import TeamPeople

log = logging.getLogger(__name__)

PERSON_FILE = "team-person.json"


def _person_file(paths: AppPaths) -> Path:
    return paths.data_dir / PERSON_FILE


def remembered_person(paths: AppPaths, database_id: str) -> int | None:
    """The person this data folder chose for that team database, if any."""
    try:
        chosen = json.loads(_person_file(paths).read_text(encoding="utf-8"))
        return int(chosen[database_id])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_person(paths: AppPaths, database_id: str, person_id: int) -> None:
    """Keep the choice (atomically: a half-written file would ask again, never break)."""
    target = _person_file(paths)
    try:
        chosen = json.loads(target.read_text(encoding="utf-8"))
        if not isinstance(chosen, dict):
            chosen = {}
    except (OSError, ValueError):
        chosen = {}
    chosen[database_id] = person_id
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(chosen, indent=1), encoding="utf-8")
    make_private(partial)
    os.replace(partial, target)


def ask_person_name(window: Any) -> str:
    """Asked once per data folder and team database: who answers from this window."""
    from app.ui.team_people import ask_person_name as ask

    return ask(window)


def install_people(
    window: Any,
    store: Any,
    paths: AppPaths,
    *,
    ask_name: Callable[[Any], str] = ask_person_name,
) -> TeamPeople | None:
    """On a team inbox, the window's person and the parts that show people; else None."""
    if not getattr(store, "is_team", False):
        return None
    database_id = store.data_folder_id()
    remembered = remembered_person(paths, database_id)
    person = store.person(remembered) if remembered is not None else None
    if person is None:
        name = ask_name(window)
        if not name:
            log.info("No person chosen: this window works without assignment and presence")
            return None
        person = store.add_person(name)
        remember_person(paths, database_id, person.id)
    store.use_person(person.id)
    from app.ui.team_people import TeamPeople

    return TeamPeople(window, person, store.presence(person))
