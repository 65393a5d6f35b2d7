"""Drafts (one per thread, saved as the user types) and reply templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.core import models as m
from app.storage import convert
from app.storage import tables as t
from app.storage.tables import utcnow


def save_draft(thread_id: int, text: str, template_id: int | None = None) -> m.Draft | None:
    """Upsert the thread's draft; blank text deletes it (returns None). Call in a transaction."""
    if not text.strip():
        t.Draft.delete().where(t.Draft.thread == thread_id).execute()
        return None
    now = utcnow()
    (
        t.Draft.insert(thread=thread_id, text=text, template_id=template_id, updated_at=now)
        .on_conflict(
            conflict_target=[t.Draft.thread],
            update={t.Draft.text: text, t.Draft.template_id: template_id, t.Draft.updated_at: now},
        )
        .execute()
    )
    return get_draft(thread_id)


def get_draft(thread_id: int) -> m.Draft | None:
    row = t.Draft.get_or_none(t.Draft.thread == thread_id)
    return convert.draft(row) if row else None


def delete_draft(thread_id: int) -> bool:
    return bool(t.Draft.delete().where(t.Draft.thread == thread_id).execute())


def list_drafts() -> list[m.Draft]:
    return [convert.draft(r) for r in t.Draft.select().order_by(t.Draft.updated_at.desc())]


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
