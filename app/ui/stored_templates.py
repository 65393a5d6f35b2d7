"""The composer's reply templates as stored: read once at start, before any composer exists.

A window reads them while it builds (in the write lane: a fresh inbox gets the shipped
ones first), so the composer, built after the first painted inbox, has them when the
first conversation opens: its suggestion does not change under the owner's eyes.
"""

from __future__ import annotations

from app.core.models import Template
from app.ui.ports import AnswerStore


def read_templates(store: AnswerStore) -> list[Template]:
    """Every template; a fresh inbox gets the shipped ones first (runs in the write lane)."""
    found = store.list_templates()
    if not found:
        from app.ui.templates_dialog import builtin_specs

        store.restore_builtins(builtin_specs())
        found = store.list_templates()
    return found
