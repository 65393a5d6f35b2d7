"""Connected accounts: list, save (connecting again updates), change, and forget with their data.

Writes run inside the transaction the store opens.
"""

from __future__ import annotations

from typing import Any

import peewee

from app.core import models as m
from app.storage import convert
from app.storage import tables as t


def list_accounts() -> list[m.Account]:
    return [convert.account(r) for r in t.Account.select().order_by(t.Account.id)]


def get(account_id: int) -> m.Account | None:
    row = t.Account.get_or_none(t.Account.id == account_id)
    return convert.account(row) if row else None


def add(info: m.AccountInfo, *, is_demo: bool, state: m.AccountState) -> m.Account:
    """Save a verified account; connecting the same one again updates it instead."""
    values: dict[str, Any] = {
        "handle": info.handle,
        "display_name": info.display_name,
        "max_chars": info.max_chars,
        "default_visibility": info.default_visibility,
        "state": state.value,
        "is_demo": is_demo,
        "last_error": "",
    }
    if info.domain:  # never forget a known domain because one check could not learn it
        values["domain"] = info.domain
    row = t.Account.get_or_none(
        (t.Account.network == info.network.value)
        & (t.Account.server == info.server)
        & (t.Account.remote_id == info.remote_id)
    )
    if row is None:
        row = t.Account.create(
            network=info.network.value, server=info.server, remote_id=info.remote_id,
            **values,
        )  # fmt: skip
    else:
        t.Account.update(**values).where(t.Account.id == row.id).execute()
        row = t.Account.get_by_id(row.id)
    return convert.account(row)


def update(account_id: int, values: dict[str, Any]) -> m.Account:
    """Set the given columns (none given: just read it back)."""
    if values:
        t.Account.update(**values).where(t.Account.id == account_id).execute()
    return convert.account(t.Account.get_by_id(account_id))


def remove(where: peewee.Expression) -> int:
    """Delete the matching accounts (cascading) and customers left with no posts and no note.

    Returns how many threads went.
    """
    ids = [a.id for a in t.Account.select(t.Account.id).where(where)]
    if not ids:
        return 0
    threads = t.Thread.select().where(t.Thread.account.in_(ids)).count()
    t.Account.delete().where(t.Account.id.in_(ids)).execute()  # cascades
    orphans = t.Contact.select(t.Contact.id).where(
        (t.Contact.note == "")
        & ~fn_exists(t.Post.select(t.Post.id).where(t.Post.contact == t.Contact.id))
    )
    t.Contact.delete().where(t.Contact.id.in_(orphans)).execute()
    return int(threads)


def has_demo_data() -> bool:
    return bool(t.Account.select().where(t.Account.is_demo).exists())


def remove_demo_data() -> int:
    """The demo accounts with everything they brought, and demo customers; returns threads gone."""
    count = remove(t.Account.is_demo == True)  # noqa: E712
    t.Contact.delete().where(t.Contact.is_demo == True).execute()  # noqa: E712
    return count


def fn_exists(query: peewee.SelectQuery) -> peewee.ColumnBase:
    return peewee.fn.EXISTS(query)
