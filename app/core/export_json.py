"""The JSON export: threads with their posts, the shop's replies and the private notes
kept about each customer, streamed one thread at a time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from app.core.export_types import FormatWriter, iso
from app.core.models import Contact, OutboxItem, OutboxState, StoredPost, ThreadRow
from app.core.ports import ThreadQuery

FORMAT_VERSION = 1


def describe_query(query: ThreadQuery) -> dict[str, Any]:
    """The filters behind an export, so a JSON file says what it contains."""
    found: dict[str, Any] = {"folder": query.folder.value}
    if query.search.strip():
        found["search"] = query.search.strip()
    for name in ("account_id", "network", "label", "status"):
        value = getattr(query, name)
        if value is not None:
            found[name] = str(value) if not isinstance(value, int) else value
    if query.since is not None:
        found["since"] = iso(query.since)
    if query.until is not None:
        found["until"] = iso(query.until)
    return found


class JsonWriter(FormatWriter):
    def begin(self, query: ThreadQuery, total: int) -> None:
        # Two small caches instead of a query per post / per thread: customers repeat
        # across threads, and the outbox (replies sent from Shopkeep) is small next to
        # the posts. Both are bounded by people and replies, never by posts.
        self.contacts: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.outbox: dict[int, list[OutboxItem]] = {}
        for item in self.store.outbox_items():
            self.outbox.setdefault(item.thread_id, []).append(item)
        head = {
            "format": "shopkeep-export",
            "version": FORMAT_VERSION,
            "exported_at": iso(datetime.now(UTC)),
            "query": describe_query(query),
        }
        text = json.dumps(head, ensure_ascii=False, indent=2)
        self.out.write(text[:-2] + ',\n  "threads": [')  # drop "\n}" and open the list
        self.first = True

    def thread(self, row: ThreadRow, posts: list[StoredPost]) -> None:
        item = self.thread_json(row, posts)
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self.out.write(("\n    " if self.first else ",\n    ") + text)
        self.first = False

    def end(self, threads: int, posts: int) -> None:
        closing = "\n  ]" if not self.first else "]"
        self.out.write(f'{closing},\n  "thread_count": {threads},\n  "post_count": {posts}\n}}\n')

    def thread_json(self, row: ThreadRow, posts: list[StoredPost]) -> dict[str, Any]:
        account = self.accounts.get(row.account_id)
        return {
            "id": row.id,
            "account": {
                "id": row.account_id,
                "handle": account.handle if account else "",
                "name": account.display_name if account else "",
            },
            "network": row.network.value,
            "status": row.status.value,
            "snoozed_until": iso(row.snoozed_until),
            "last_activity": iso(row.last_activity),
            "worst_label": row.worst_label.value,
            "worst_compound": round(row.worst_compound, 4),
            "customers": self.customers(posts),
            "posts": [self.post_json(p) for p in posts],
            "replies": self.replies(row.id, posts),
        }

    @staticmethod
    def post_json(stored: StoredPost) -> dict[str, Any]:
        post = stored.post
        return {
            "id": stored.id,
            "remote_id": post.remote_id,
            "url": post.url,
            "created_at": iso(post.created_at),
            "edited_at": iso(post.edited_at),
            "parent_remote_id": post.parent_remote_id,
            "author": {"handle": post.author.handle, "name": post.author.display_name},
            "is_own": stored.is_own,
            "text": post.text,
            "content_warning": post.content_warning,
            "language": post.language,
            "visibility": post.visibility,
            "media": [{"label": m.label, "url": m.url} for m in post.media],
            "deleted": post.deleted,  # no longer readable on the network
            "unavailable": post.unavailable.value if post.unavailable else None,  # why, if said
            "sentiment": {
                "label": stored.label.value,
                "scored_label": stored.sentiment.label.value,
                "corrected_label": stored.corrected_label.value if stored.corrected_label else None,
                "compound": round(stored.sentiment.compound, 4),
                "reasons": list(stored.sentiment.reasons),
            },
        }

    def customers(self, posts: list[StoredPost]) -> list[dict[str, Any]]:
        """Everyone but the shop in this thread, with the private note kept about them."""
        found: dict[int, dict[str, Any]] = {}
        for stored in posts:
            if stored.is_own:
                continue
            author = stored.post.author
            key = (author.network.value, author.remote_id)
            if key not in self.contacts:
                self.contacts[key] = self.contact_json(self.store.contact_for_post(stored.id))
            customer = self.contacts[key]
            if customer is not None:
                found.setdefault(customer["contact_id"], customer)
        return list(found.values())

    @staticmethod
    def contact_json(contact: Contact | None) -> dict[str, Any] | None:
        if contact is None:
            return None
        return {
            "contact_id": contact.id,
            "network": contact.network.value,
            "handle": contact.handle,
            "name": contact.display_name,
            "note": contact.note,
            "person_id": contact.person_id,
        }

    def replies(self, thread_id: int, posts: list[StoredPost]) -> list[dict[str, Any]]:
        """The shop's answers: its own posts, plus outbox items (one entry per reply)."""
        result: list[dict[str, Any]] = []
        own_ids: set[str] = set()
        for stored in posts:
            if not stored.is_own:
                continue
            own_ids.add(stored.post.remote_id)
            result.append(
                {
                    "source": "post",
                    "state": "deleted" if stored.post.deleted else OutboxState.SENT.value,
                    "text": stored.post.text,
                    "created_at": iso(stored.post.created_at),
                    "sent_at": iso(stored.post.created_at),
                    "remote_id": stored.post.remote_id,
                    "url": stored.post.url,
                    "in_reply_to": stored.post.parent_remote_id,
                }
            )
        for item in self.outbox.get(thread_id, ()):
            if item.remote_id and item.remote_id in own_ids:
                continue  # sent and already synced back: the post above is the same reply
            result.append(
                {
                    "source": "outbox",
                    "state": item.state.value,
                    "text": item.text,
                    "created_at": iso(item.created_at),
                    "sent_at": iso(item.sent_at),
                    "remote_id": item.remote_id,
                    "url": item.url,
                    "in_reply_to": item.parent_remote_id,
                    "attempts": item.attempts,
                    "last_error": item.last_error,
                }
            )
        result.sort(key=lambda r: r["created_at"] or "")
        return result
