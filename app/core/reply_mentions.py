"""Who a Mastodon reply @-mentions, as one rule for the client that sends it and the
composer that counts it: a count that differs from what is sent lets a reply pass
the composer and fail at the server.

The server adds no mentions itself, so the reply starts with the parent's author
and everyone the parent mentions, minus the shop itself and minus any handle the
owner already typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from app.core.models import Post


def is_own_handle(handle: str, own_handle: str, own_domains: Iterable[str]) -> bool:
    """`handle` names the shop: '@shop', or '@shop@<a domain the account lives at>'."""
    handle = handle.lower()
    own = own_handle.lower()
    if handle == own:
        return True
    local = own.lstrip("@").split("@")[0]
    return any(handle == f"@{local}@{domain.lower()}" for domain in own_domains if domain)


def reply_mentions(
    parent: Post, text: str, is_me: Callable[[str], bool], my_id: str = ""
) -> list[str]:
    """The handles to put before `text`, in order, none twice, never the shop."""
    wanted: list[str] = []
    seen: set[str] = set()
    author = parent.author.handle
    handles = list(parent.mentions)
    if not (my_id and parent.author.remote_id == my_id):
        handles.insert(0, author)
    for handle in handles:
        key = handle.lower()
        if not handle or key in seen or is_me(handle):
            continue
        seen.add(key)
        if re.search(rf"(?<![\w@]){re.escape(handle)}(?![\w@])", text, re.IGNORECASE):
            continue
        wanted.append(handle)
    return wanted


def with_mentions(parent: Post, text: str, is_me: Callable[[str], bool], my_id: str = "") -> str:
    """`text` as it will be sent: the mentions first, then the owner's words."""
    wanted = reply_mentions(parent, text, is_me, my_id)
    return f"{' '.join(wanted)} {text}" if wanted else text
