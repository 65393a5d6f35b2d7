"""Drafts (one per thread, saved as the user types) and reply templates.

A draft follows its thread through a merge (a late parent post joins two
conversations): the merge is recorded, so a save still on its way for the
thread that went saves into the one that stayed, and text the editor never
saw is never overwritten by what it has now. On a team inbox each writer has
their own draft of a thread (`person_id`); SQLite's one person is `SOLO`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from app.core import models as m
from app.core.people import SOLO
from app.storage import convert
from app.storage import tables as t
from app.storage.tables import utcnow

MERGE_GAP = "\n\n"


class Overwrite:
    """`seen` left out: the caller owns the draft outright (tools, tests, the crash worker)."""


OVERWRITE = Overwrite()


def save_draft(
    thread_id: int,
    text: str,
    template_id: int | None = None,
    *,
    seen: datetime | Overwrite | None = OVERWRITE,
    person_id: int = SOLO,
) -> m.Draft | None:
    """Upsert `person_id`'s draft of the thread; blank text deletes it (returns None).
    Call in a transaction.

    `thread_id` may name a thread merged away since: the draft goes to the one that
    stayed. `seen`: the `updated_at` of the stored draft the editor last showed or
    wrote (None: it saw none). When the stored draft changed since (a merge moved
    text in), nothing of it is lost: text the editor does not hold is kept in front
    of the editor's, and a blank editor deletes nothing. The returned draft then
    differs from `text`, so the composer can show all of it.
    """
    thread_id = surviving_thread(thread_id)
    mine = (t.Draft.thread == thread_id) & (t.Draft.person_id == person_id)
    row = t.Draft.get_or_none(mine)
    if not isinstance(seen, Overwrite) and row is not None and row.updated_at != seen:
        if not text.strip():
            return convert.draft(row)  # never delete text the editor never showed
        text = _keep_both(row.text, text)
    if not text.strip():
        t.Draft.delete().where(mine).execute()
        return None
    now = utcnow()
    (
        t.Draft.insert(
            thread=thread_id,
            text=text,
            template_id=template_id,
            updated_at=now,
            person_id=person_id,
        )
        .on_conflict(
            conflict_target=[t.Draft.thread, t.Draft.person_id],
            update={t.Draft.text: text, t.Draft.template_id: template_id, t.Draft.updated_at: now},
        )
        .execute()
    )
    return get_draft(thread_id, person_id)


def _keep_both(stored: str, typed: str) -> str:
    """The stored draft and the editor's text, without losing or repeating either."""
    if stored.strip() in typed:
        return typed  # the editor already holds it (typing went on after the merge)
    if typed.strip() in stored:
        return stored  # a fragment of what is stored: the stored text wins
    return f"{stored.rstrip()}{MERGE_GAP}{typed.lstrip()}"


def surviving_thread(thread_id: int) -> int:
    """The thread `thread_id` was merged into (following every later merge), or itself.

    A thread that exists is itself: SQLite may hand a merged-away thread's id to a
    new conversation, and that one's drafts must stay its own.
    """
    seen_ids = {thread_id}
    while not t.Thread.select().where(t.Thread.id == thread_id).exists():
        row = t.ThreadMerge.get_or_none(t.ThreadMerge.source_id == thread_id)
        if row is None or row.target_id in seen_ids:
            return thread_id
        thread_id = row.target_id
        seen_ids.add(thread_id)
    return thread_id


def merge_drafts(source_id: int, target_id: int) -> None:
    """Thread `source` is being merged into `target`: its drafts go along (each writer's
    to that writer's), and the merge is recorded for saves still on their way. Both
    drafts are kept when both exist; the result is newer than either, so an editor that
    saw one of them keeps the other."""
    now = utcnow()  # an upsert both engines speak (REPLACE is SQLite's alone)
    t.ThreadMerge.insert(source_id=source_id, target_id=target_id, merged_at=now).on_conflict(
        conflict_target=[t.ThreadMerge.source_id],
        update={t.ThreadMerge.target_id: target_id, t.ThreadMerge.merged_at: now},
    ).execute()
    t.ThreadMerge.update(target_id=target_id).where(t.ThreadMerge.target_id == source_id).execute()
    for src in list(t.Draft.select().where(t.Draft.thread == source_id)):
        dst = t.Draft.get_or_none(
            (t.Draft.thread == target_id) & (t.Draft.person_id == src.person_id)
        )
        if dst is None:
            t.Draft.update(thread=target_id, updated_at=utcnow()).where(
                t.Draft.id == src.id
            ).execute()
            continue
        dst.text = f"{dst.text.rstrip()}{MERGE_GAP}{src.text.lstrip()}".strip()
        dst.updated_at = utcnow()
        dst.save()
        src.delete_instance()


def get_draft(thread_id: int, person_id: int = SOLO) -> m.Draft | None:
    row = t.Draft.get_or_none((t.Draft.thread == thread_id) & (t.Draft.person_id == person_id))
    return convert.draft(row) if row else None


def delete_draft(thread_id: int, person_id: int = SOLO) -> bool:
    mine = (t.Draft.thread == thread_id) & (t.Draft.person_id == person_id)
    return bool(t.Draft.delete().where(mine).execute())


def list_drafts(person_id: int = SOLO) -> list[m.Draft]:
    """This writer's drafts, newest first (the others' are theirs alone)."""
    select = t.Draft.select().where(t.Draft.person_id == person_id)
    return [convert.draft(r) for r in select.order_by(t.Draft.updated_at.desc())]


def list_templates(kind: m.TemplateKind | None = None) -> list[m.Template]:
    select = t.Template.select()
    if kind is not None:
        select = select.where(t.Template.kind == kind.value)
    return [convert.template(r) for r in select.order_by(t.Template.kind, t.Template.title)]


def get_template(template_id: int) -> m.Template | None:
    row = t.Template.get_or_none(t.Template.id == template_id)
    return convert.template(row) if row else None


def add_template(kind: m.TemplateKind, title: str, body: str) -> m.Template:
    row = t.Template.create(kind=m.TemplateKind(kind).value, title=title, body=body)
    return convert.template(row)


def update_template(
    template_id: int,
    *,
    kind: m.TemplateKind | None = None,
    title: str | None = None,
    body: str | None = None,
) -> m.Template:
    row = t.Template.get_by_id(template_id)
    if kind is not None:
        row.kind = m.TemplateKind(kind).value
    if title is not None:
        row.title = title
    if body is not None:
        row.body = body
    row.updated_at = utcnow()
    row.save()
    return convert.template(row)


def delete_template(template_id: int) -> bool:
    return bool(t.Template.delete().where(t.Template.id == template_id).execute())


def restore_builtins(builtins: Iterable[Mapping[str, str]]) -> int:
    """Put the shipped templates back as shipped ({"key","kind","title","body"} each).

    Edited built-ins get their text back, deleted ones come back; the user's own
    templates are left alone. Returns how many built-ins were written.
    """
    count = 0
    for item in builtins:
        key = item["key"]
        values = {
            "kind": m.TemplateKind(item["kind"]).value,
            "title": item["title"],
            "body": item["body"],
            "builtin": True,
            "updated_at": utcnow(),
        }
        row = t.Template.get_or_none(t.Template.builtin_key == key)
        if row is None:
            t.Template.create(builtin_key=key, **values)
        else:
            t.Template.update(**values).where(t.Template.id == row.id).execute()
        count += 1
    return count
