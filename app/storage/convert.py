"""Rows to core dataclasses: nothing above storage ever sees a peewee object."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from typing import Any

import peewee

from app.core import models as m
from app.core.people import Person
from app.storage import tables as t

# "Angriest first": negative before neutral before unscored before positive.
LABEL_RANK: dict[str, int] = {
    m.SentimentLabel.NEGATIVE: 0,
    m.SentimentLabel.NEUTRAL: 1,
    m.SentimentLabel.UNSCORED: 2,
    m.SentimentLabel.POSITIVE: 3,
}


def account(row: t.Account) -> m.Account:
    return m.Account(
        id=row.id,
        network=m.Network(row.network),
        server=row.server,
        handle=row.handle,
        remote_id=row.remote_id,
        display_name=row.display_name,
        state=m.AccountState(row.state),
        is_demo=bool(row.is_demo),
        max_chars=row.max_chars,
        last_error=row.last_error,
        default_visibility=row.default_visibility,
        domain=row.domain,
    )


# A reply counts as an answer once it is on the server: until then the thread stays in
# Needs reply, marked by its replies still on their way: "failed" sorts first, so one
# failed reply shows even beside a newer queued one. One covering-index read per row.
_UNSENT = (m.OutboxState.QUEUED.value, m.OutboxState.SENDING.value, m.OutboxState.FAILED.value)
_REPLY_STATE = t.OutboxItem.select(peewee.fn.MIN(t.OutboxItem.state)).where(
    (t.OutboxItem.thread == t.Thread.id) & t.OutboxItem.state.in_(_UNSENT)
)
# Why it failed, or why it still waits after a try: the failed one first, like the state.
_REPLY_REASON = (
    t.OutboxItem.select(t.OutboxItem.last_error)
    .where(
        (t.OutboxItem.thread == t.Thread.id)
        & t.OutboxItem.state.in_(_UNSENT)
        & (t.OutboxItem.last_error != "")
    )
    .order_by(t.OutboxItem.state)  # 'failed' first; the (thread, state) index orders it
    .limit(1)
)
REPLY_STATE_WORDS = {
    m.OutboxState.QUEUED.value: "waiting",
    m.OutboxState.SENDING.value: "waiting",
    m.OutboxState.FAILED.value: "failed",
}

# The thread-list columns, in the order `thread_tuple` reads them.
THREAD_COLUMNS = (
    t.Thread.id, t.Thread.account, t.Thread.network, t.Thread.author_handle,
    t.Thread.author_name, t.Thread.snippet, t.Thread.last_activity, t.Thread.status,
    t.Thread.worst_label, t.Thread.worst_compound, t.Thread.unread_count, t.Thread.post_count,
    t.Thread.is_demo, t.Thread.snoozed_until, t.Thread.worst_reasons,
    _REPLY_STATE.alias("reply_state"), _REPLY_REASON.alias("reply_reason"),
    t.Thread.assignee_id,
)  # fmt: skip
_NETWORKS = {n.value: n for n in m.Network}
_STATUSES = {s.value: s for s in m.ThreadStatus}
_LABELS = {label.value: label for label in m.SentimentLabel}
_UNAVAILABLE = {why.value: why for why in m.Unavailable}  # "" (none said) is absent
_NO_REASONS = ("", "[]", None)


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # PostgreSQL hands back naive UTC datetimes
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def thread_tuple(row: tuple[Any, ...]) -> m.ThreadRow:
    """`thread_row` from a raw tuple of THREAD_COLUMNS (no field converters ran)."""
    reasons = row[14]
    return m.ThreadRow(
        id=row[0],
        account_id=row[1],
        network=_NETWORKS[row[2]],
        author_handle=row[3],
        author_name=row[4],
        snippet=row[5],
        last_activity=_utc(row[6]),  # type: ignore[arg-type]  # NOT NULL: never None
        status=_STATUSES[row[7]],
        worst_label=_LABELS[row[8]],
        worst_compound=row[9],
        unread=row[10] > 0,
        post_count=row[11],
        is_demo=bool(row[12]),
        snoozed_until=_utc(row[13]),
        reasons=() if reasons in _NO_REASONS else _reasons(reasons),
        reply_state=REPLY_STATE_WORDS.get(row[15], "") if len(row) > 15 and row[15] else "",
        reply_reason=(row[16] or "") if len(row) > 16 and row[15] else "",
        assignee_id=row[17] if len(row) > 17 else None,  # the name: people.with_assignees
    )


@functools.lru_cache(maxsize=4096)
def _reasons(text: str) -> tuple[str, ...]:
    """Parsed once per distinct list of strings (reasons, mentions): rows share the tuple."""
    return tuple(json.loads(text))


def _media(items: Any) -> tuple[m.MediaLink, ...]:
    return tuple(_media_link(i) for i in items or ())


def _media_link(item: Any) -> m.MediaLink:
    """Rows stored before photos had a kind read as plain links."""
    try:
        kind = m.MediaKind(str(item.get("kind", "link")))
    except ValueError:
        kind = m.MediaKind.LINK
    return m.MediaLink(
        label=str(item.get("label", "")),
        url=str(item["url"]),
        kind=kind,
        alt=str(item.get("alt", "")),
        preview_url=str(item.get("preview", "")),
    )


# The post columns, in the order `stored_post` reads them.
POST_COLUMNS = (
    t.Post.id, t.Post.thread, t.Post.account, t.Post.network, t.Post.remote_id,
    t.Post.author_remote_id, t.Post.author_handle, t.Post.author_name, t.Post.text,
    t.Post.created_at, t.Post.url, t.Post.parent_remote_id, t.Post.root_remote_id,
    t.Post.is_mention, t.Post.visibility, t.Post.content_warning, t.Post.media,
    t.Post.mentions, t.Post.language, t.Post.cid, t.Post.edited_at, t.Post.deleted,
    t.Post.raw_json, t.Post.compound, t.Post.label, t.Post.reasons, t.Post.sentiment_language,
    t.Post.is_own, t.Post.corrected_label, t.Post.unavailable,
)  # fmt: skip
NETWORK_COLUMN, REMOTE_ID_COLUMN = 3, 4


def stored_post(row: tuple[Any, ...]) -> m.StoredPost:
    """A post from a raw tuple of POST_COLUMNS (raw SQL: no per-field converters ran).

    A conversation opens on the GUI's behalf; peewee model objects cost ~40 µs a
    row and the SQL built per call ~1 ms, so post reads go through here.
    """
    network = _NETWORKS[row[3]]
    media, mentions, reasons = row[16], row[17], row[25]
    return m.StoredPost(
        id=row[0],
        thread_id=row[1],
        account_id=row[2],
        post=m.Post(
            network=network,
            remote_id=row[4],
            author=m.Author(network=network, remote_id=row[5], handle=row[6], display_name=row[7]),
            text=row[8],
            created_at=_utc(row[9]),  # type: ignore[arg-type]  # NOT NULL: never None
            url=row[10],
            parent_remote_id=row[11],
            root_remote_id=row[12],
            is_mention=bool(row[13]),
            visibility=row[14],
            content_warning=row[15],
            media=() if media in _NO_REASONS else _media(json.loads(media)),
            mentions=() if mentions in _NO_REASONS else _reasons(mentions),
            language=row[18],
            cid=row[19],
            edited_at=_utc(row[20]),
            deleted=bool(row[21]),
            raw_json=row[22],
            unavailable=_UNAVAILABLE.get(row[29]),
        ),
        sentiment=m.Sentiment(
            compound=row[23],
            label=_LABELS[row[24]],
            reasons=() if reasons in _NO_REASONS else _reasons(reasons),
            language=row[26],
        ),
        is_own=bool(row[27]),
        corrected_label=_LABELS[row[28]] if row[28] else None,
    )


def media_json(media: tuple[m.MediaLink, ...]) -> list[dict[str, str]]:
    """Plain links keep their old two keys, so re-syncing an old post changes nothing."""
    return [
        {"label": x.label, "url": x.url}
        if x.kind is m.MediaKind.LINK
        else {
            "label": x.label,
            "url": x.url,
            "kind": x.kind.value,
            "alt": x.alt,
            "preview": x.preview_url,
        }
        for x in media
    ]


def person(row: t.Person) -> Person:
    return Person(id=row.id, name=row.name, colour=row.colour)


def draft(row: t.Draft) -> m.Draft:
    return m.Draft(
        thread_id=row.thread_id,
        text=row.text,
        updated_at=row.updated_at,
        template_id=row.template_id,
    )


def template(row: t.Template) -> m.Template:
    return m.Template(
        id=row.id,
        kind=m.TemplateKind(row.kind),
        title=row.title,
        body=row.body,
        builtin=bool(row.builtin),
        builtin_key=row.builtin_key,
    )


def outbox_item(row: t.OutboxItem) -> m.OutboxItem:
    return m.OutboxItem(
        id=row.id,
        account_id=row.account_id,
        thread_id=row.thread_id,
        parent_remote_id=row.parent_remote_id,
        text=row.text,
        idempotency_key=row.idempotency_key,
        state=m.OutboxState(row.state),
        created_at=row.created_at,
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
        remote_id=row.remote_id,
        url=row.url,
        template_id=row.template_id,
        payload=row.payload,
        updated_at=row.updated_at,
    )


def contact(row: t.Contact) -> m.Contact:
    return m.Contact(
        id=row.id,
        network=m.Network(row.network),
        remote_id=row.remote_id,
        handle=row.handle,
        display_name=row.display_name,
        note=row.note,
        person_id=row.person_id,
    )
