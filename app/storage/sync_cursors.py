"""Sync cursors: where each account's last fetch stopped, by name (e.g. "mentions")."""

from __future__ import annotations

from app.storage import tables as t

MENTIONS_CURSOR = "mentions"


def get(account_id: int, name: str) -> str | None:
    row = t.SyncCursor.get_or_none(
        (t.SyncCursor.account == account_id) & (t.SyncCursor.name == name)
    )
    return row.value if row else None


def put(account_id: int, value: str | None, name: str) -> None:
    """Upsert the cursor; None clears it. Call in a transaction."""
    where = (t.SyncCursor.account == account_id) & (t.SyncCursor.name == name)
    if value is None:
        t.SyncCursor.delete().where(where).execute()
        return
    t.SyncCursor.insert(
        account=account_id, name=name, value=value, updated_at=t.utcnow()
    ).on_conflict(
        conflict_target=[t.SyncCursor.account, t.SyncCursor.name],
        update={t.SyncCursor.value: value, t.SyncCursor.updated_at: t.utcnow()},
    ).execute()
