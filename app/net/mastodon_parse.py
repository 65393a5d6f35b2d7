"""Mastodon JSON -> core dataclasses: the one place Mastodon JSON is read.

Every field is type-checked, because a fork, a proxy or a half-upgraded server
can send anything; a wrong shape becomes `BadResponse` with the field's path,
never a crash deeper in the app. Status HTML becomes safe plain text here.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from app.core.errors import BadResponse
from app.core.models import Author, MediaKind, MediaLink, Network, Post
from app.net.http import decode_json

log = logging.getLogger(__name__)

VISIBILITIES = ("public", "unlisted", "private", "direct")  # widest to narrowest

_MEDIA_LABELS = {"image": "Image", "gifv": "GIF", "video": "Video", "audio": "Audio"}
_MEDIA_KINDS = {
    "image": MediaKind.IMAGE,
    "gifv": MediaKind.VIDEO,
    "video": MediaKind.VIDEO,
    "audio": MediaKind.AUDIO,
}

# ---------------------------------------------------------------- type checks


def _where(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def req_dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadResponse(f"{where}: expected an object, got {type(value).__name__}")
    return value


def req_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise BadResponse(f"{where}: expected a list, got {type(value).__name__}")
    return value


def req_str(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        got = "missing" if key not in obj else type(value).__name__
        raise BadResponse(f"{_where(where, key)}: expected a string, got {got}")
    return value


def opt_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    """A string, or None when missing/null; any other type is a bad response."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadResponse(f"{_where(where, key)}: expected a string, got {type(value).__name__}")
    return value


def req_id(obj: dict[str, Any], key: str, where: str) -> str:
    """Ids are opaque non-empty strings (never cast to int: forks use other schemes)."""
    value = req_str(obj, key, where)
    if not value:
        raise BadResponse(f"{_where(where, key)}: empty id")
    return value


def opt_int(obj: dict[str, Any], key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadResponse(f"{_where(where, key)}: expected an integer, got {type(value).__name__}")
    return value


def parse_time(value: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadResponse(f"{where}: not an ISO 8601 time: {value[:40]!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:  # year 9999 at -12:00 is past the end of the calendar
        raise BadResponse(f"{where}: time out of range: {value[:40]!r}") from exc


def error_message(body: bytes) -> str:
    """The server's own words from `{"error": ...}`, or the start of a plain-text body."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        desc = data.get("error_description")
        return f"{data['error']}: {desc}" if isinstance(desc, str) else data["error"]
    if text.startswith("<"):
        return "an HTML page"
    return text[:200]


def load_json(body: bytes, where: str) -> Any:
    """Decode JSON, saying plainly when a proxy or maintenance page answered instead."""
    text = body.decode("utf-8", "replace").lstrip()
    if text.startswith("<"):
        raise BadResponse(f"{where}: got an HTML page where JSON was expected")
    return decode_json(text, where)


_SAFE_URL = re.compile(
    r"^https?://[^\s\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]+$", re.IGNORECASE
)


def safe_url(value: str | None) -> str:
    """An http(s) link to show and open on click; anything else (javascript:, file:,
    data:, bidi tricks that hide the real target) becomes "" so it is never a link."""
    value = (value or "").strip()
    return value if _SAFE_URL.match(value) else ""


# ---------------------------------------------------------------- HTML -> text

_SKIP_TAGS = frozenset({"script", "style", "template", "iframe", "object", "noscript", "head"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_EMOJI_ALT = re.compile(r"^:[\w+-]+:$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _TextExtractor(HTMLParser):
    """Collects text: every span kept (split URLs), breaks as newlines, scripts dropped."""

    def __init__(self, drop_quote_inline: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._drop_quote_inline = drop_quote_inline
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._pre = 0

    def _newline(self, count: int) -> None:
        """End the line: trailing spaces go, then up to `count` newlines (never more).

        Looks only at the tail of `parts`: joining everything here made a status of
        many short paragraphs quadratic (minutes for a hostile 10 MB answer).
        """
        parts = self.parts
        while parts:
            last = parts[-1].rstrip(" ")
            if last:
                parts[-1] = last
                break
            parts.pop()
        if not parts:
            return
        trailing = 0
        for part in reversed(parts):
            stripped = part.rstrip("\n")
            trailing += len(part) - len(stripped)
            if stripped or trailing >= count:
                break
        if trailing < count:
            parts.append("\n" * (count - trailing))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            self._skip_depth += tag == self._skip_tag
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag in _SKIP_TAGS or (
            tag == "p" and self._drop_quote_inline and "quote-inline" in classes
        ):
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self._newline(1)
            self.parts.append("- ")
        elif tag == "pre":
            self._pre += 1
        elif tag == "img":  # never loaded: custom emoji keep their :shortcode:
            alt = (dict(attrs).get("alt") or "").strip()
            if _EMOJI_ALT.match(alt):
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth <= 0:
                    self._skip_tag = None
            return
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag in _BLOCK_TAGS:
            self._newline(2)
        elif tag == "li":
            self._newline(1)

    def handle_data(self, data: str) -> None:
        if self._skip_tag is not None:
            return
        if not self._pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
            if not self.parts or self.parts[-1].endswith("\n"):
                data = data.lstrip(" ")
        self.parts.append(data)


def html_to_text(html: str, *, drop_quote_inline: bool = False) -> str:
    """Sanitised status HTML -> plain text. Entities are decoded: show it as text, never HTML."""
    parser = _TextExtractor(drop_quote_inline)
    parser.feed(html)
    parser.close()
    text = _CONTROL.sub("", "".join(parser.parts))
    text = re.sub(r" +\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# ---------------------------------------------------------------- entities


def handle_of(acct: str) -> str:
    """Mastodon's acct ('user' locally, 'user@domain' remotely) as a handle: '@user[@domain]'."""
    return "@" + acct.lstrip("@")


def parse_author(value: Any, where: str = "account") -> Author:
    obj = req_dict(value, where)
    return Author(
        network=Network.MASTODON,
        remote_id=req_id(obj, "id", where),
        handle=handle_of(req_str(obj, "acct", where)),
        display_name=opt_str(obj, "display_name", where) or "",
    )


@dataclass(frozen=True, slots=True)
class Credentials:
    """The owner as verify_credentials describes them."""

    author: Author
    default_visibility: str


def parse_credentials(value: Any) -> Credentials:
    where = "verify_credentials"
    obj = req_dict(value, where)
    author = parse_author(obj, where)
    source = obj.get("source")
    privacy = None
    if source is not None:
        privacy = opt_str(req_dict(source, f"{where}.source"), "privacy", f"{where}.source")
    return Credentials(author, privacy if privacy in VISIBILITIES else "public")


def parse_instance_limits(value: Any, where: str) -> tuple[int, int] | None:
    """(max_characters, characters_reserved_per_url) from /api/v2 or /api/v1 instance."""
    obj = req_dict(value, where)
    config = obj.get("configuration")
    limits: dict[str, Any] = {}
    if isinstance(config, dict) and isinstance(config.get("statuses"), dict):
        limits = config["statuses"]
    max_chars = opt_int(limits, "max_characters", f"{where}.configuration.statuses")
    if max_chars is None:
        max_chars = opt_int(obj, "max_toot_chars", where)  # Pleroma/Akkoma, old forks
    url_chars = opt_int(limits, "characters_reserved_per_url", f"{where}.configuration.statuses")
    if max_chars is None or max_chars <= 0:
        return None
    return max_chars, url_chars if url_chars is not None and url_chars >= 0 else 23


_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$")


def instance_domain(value: Any) -> str:
    """The domain accounts on this server live at: v2 `domain`, v1 `uri` ("" if neither).

    It may differ from the host the API answers on (@shop@example.com served by
    social.example.com); v1's `uri` is sometimes a full URL on forks.
    """
    if not isinstance(value, dict):
        return ""
    for key in ("domain", "uri"):
        raw = value.get(key)
        if isinstance(raw, str) and raw.strip():
            text = raw.strip().lower()
            text = text.split("://", 1)[1] if "://" in text else text
            text = text.split("/", 1)[0]
            if _DOMAIN.match(text):
                return text
    return ""


def _media(value: Any, where: str) -> tuple[MediaLink, ...]:
    links = []
    for i, item in enumerate(req_list(value or [], where)):
        at = f"{where}[{i}]"
        obj = req_dict(item, at)
        media_type = opt_str(obj, "type", at) or ""
        kind = _MEDIA_LABELS.get(media_type, "Attachment")
        description = (opt_str(obj, "description", at) or "").strip()
        preview = safe_url(opt_str(obj, "preview_url", at))
        url = (
            safe_url(opt_str(obj, "url", at)) or safe_url(opt_str(obj, "remote_url", at)) or preview
        )
        links.append(
            MediaLink(
                f"{kind}: {description}" if description else kind,
                url,
                kind=_MEDIA_KINDS.get(media_type, MediaKind.LINK),
                alt=description,
                preview_url=preview,
            )
        )
    return tuple(links)


def _mentions(value: Any, where: str) -> tuple[str, ...]:
    handles = []
    for i, item in enumerate(req_list(value or [], where)):
        handles.append(handle_of(req_str(req_dict(item, f"{where}[{i}]"), "acct", f"{where}[{i}]")))
    return tuple(handles)


def _quoted(value: Any) -> tuple[MediaLink, ...]:
    """A quote post (4.5+) shows the post it quotes as a labelled link with its first words."""
    if not isinstance(value, dict):
        return ()
    inner = value.get("quoted_status")
    if not isinstance(inner, dict):
        return (MediaLink("Quoted post (not available)", ""),)
    try:
        quoted = parse_status(inner, "status.quote.quoted_status")
    except BadResponse:
        return (MediaLink("Quoted post", ""),)
    snippet = quoted.text.replace("\n", " ")
    snippet = snippet[:80] + "…" if len(snippet) > 80 else snippet
    label = f"Quoted post by {quoted.author.handle}" + (f": {snippet}" if snippet else "")
    return (MediaLink(label, quoted.url),)


def parse_status(value: Any, where: str = "status", *, is_mention: bool = False) -> Post:
    """One Status entity -> Post. A reblog is unwrapped to the post it shares."""
    obj = req_dict(value, where)
    if obj.get("reblog") is not None:
        return parse_status(obj["reblog"], f"{where}.reblog", is_mention=is_mention)
    quoted = obj.get("quote") is not None
    edited = opt_str(obj, "edited_at", where)
    visibility = opt_str(obj, "visibility", where) or "public"
    return Post(
        network=Network.MASTODON,
        remote_id=req_id(obj, "id", where),
        author=parse_author(obj.get("account"), f"{where}.account"),
        text=html_to_text(req_str(obj, "content", where), drop_quote_inline=quoted),
        created_at=parse_time(req_str(obj, "created_at", where), f"{where}.created_at"),
        url=safe_url(opt_str(obj, "url", where)) or safe_url(opt_str(obj, "uri", where)),
        parent_remote_id=opt_str(obj, "in_reply_to_id", where) or None,
        is_mention=is_mention,
        visibility=visibility,
        content_warning=(opt_str(obj, "spoiler_text", where) or "").strip(),
        media=_media(obj.get("media_attachments"), f"{where}.media_attachments")
        + _quoted(obj.get("quote")),
        mentions=_mentions(obj.get("mentions"), f"{where}.mentions"),
        language=opt_str(obj, "language", where) or None,
        edited_at=parse_time(edited, f"{where}.edited_at") if edited else None,
        raw_json=json.dumps(obj, ensure_ascii=False, separators=(",", ":")),
        replies_count=_count(obj.get("replies_count")),
    )


def _count(value: Any) -> int | None:
    """A server's counter, or None when it is missing or not a plain non-negative number."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


@dataclass(frozen=True, slots=True)
class NotificationItem:
    """One notification: its id drives the cursor even when it carries no post."""

    id: str
    post: Post | None
    unreadable: bool = False  # its status could not be read: skipped, counted, logged


@dataclass(frozen=True, slots=True)
class NotificationPage:
    """A page of notifications (newest first) and how many of them could not be read."""

    items: list[NotificationItem]
    unreadable: int = 0

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[NotificationItem]:
        return iter(self.items)


INBOX_TYPES = ("mention", "quote", "quoted_update")  # what becomes a post in the inbox


def _item_id(item: Any) -> str:
    """The id of a notification or status, for a log line; "?" when even that is missing."""
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) and value and len(value) <= 64 else "?"


def parse_notifications(value: Any, where: str = "notifications") -> NotificationPage:
    """A page (newest first). Mentions and quotes with a status become posts.

    One unreadable item never blocks the rest: it is logged with the field at
    fault and its id (never its text), counted, and skipped; its id still moves
    the cursor past it so it is not asked for again and again.
    """
    items: list[NotificationItem] = []
    unreadable = 0
    for i, item in enumerate(req_list(value, where)):
        at = f"{where}[{i}]"
        try:
            obj = req_dict(item, at)
            nid = req_id(obj, "id", at)
        except BadResponse as exc:
            unreadable += 1
            log.warning("skipped an unreadable notification (id %s): %s", _item_id(item), exc)
            continue
        try:
            post = None
            if req_str(obj, "type", at) in INBOX_TYPES and obj.get("status") is not None:
                post = parse_status(obj["status"], f"{at}.status", is_mention=True)
            items.append(NotificationItem(nid, post))
        except BadResponse as exc:
            unreadable += 1
            log.warning(
                "skipped notification %s (status %s): %s", nid, _item_id(obj.get("status")), exc
            )
            items.append(NotificationItem(nid, None, unreadable=True))
    return NotificationPage(items, unreadable)


def _statuses(value: Any, where: str, skipped: list[str] | None) -> list[Post]:
    posts = []
    for i, item in enumerate(req_list(value, where)):
        try:
            posts.append(parse_status(item, f"{where}[{i}]"))
        except BadResponse as exc:
            if skipped is None:
                raise
            skipped.append(_item_id(item))
            log.warning("skipped status %s in a conversation: %s", _item_id(item), exc)
    return posts


def parse_context(
    value: Any, where: str = "context", *, skipped: list[str] | None = None
) -> tuple[list[Post], list[Post]]:
    """(ancestors root-first, descendants) of /api/v1/statuses/:id/context.

    With `skipped`, an unreadable status is left out (its id appended there)
    instead of failing the whole conversation.
    """
    obj = req_dict(value, where)
    return (
        _statuses(obj.get("ancestors"), f"{where}.ancestors", skipped),
        _statuses(obj.get("descendants"), f"{where}.descendants", skipped),
    )


def narrower(a: str, b: str) -> str:
    """The more private of two visibilities; unknown values count as direct (safest)."""
    rank = {v: i for i, v in enumerate(VISIBILITIES)}
    return VISIBILITIES[max(rank.get(a, 3), rank.get(b, 3))]
