"""The one place Bluesky JSON becomes core dataclasses.

Everything the AppView/PDS sends is checked here; a shape we cannot read
raises `BadResponse` (so a sync does not advance its cursor past it) instead
of a KeyError that would reach the crash dialog. Keeping the raw JSON on each
Post lets a later parser fix re-read stored posts.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.core.errors import BadResponse
from app.core.models import Author, MediaKind, MediaLink, Network, Post, Unavailable
from app.net.bluesky_richtext import decode

log = logging.getLogger(__name__)

POST_NSID = "app.bsky.feed.post"
UNAVAILABLE_TEXT = "[post not available]"
BLOCKED_TEXT = "[post not available: blocked]"
WEB = "https://bsky.app"

_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"
_TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
_FRACTION_RE = re.compile(r"(\.\d{1,6})\d*")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SAFE_URL = re.compile(
    r"^https?://[^\s\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]+$", re.IGNORECASE
)
MAX_REPLY_DEPTH = 200  # getPostThread is asked for 10 levels; deeper is hostile


def is_tid(value: str) -> bool:
    return bool(_TID_RE.match(value))


def tid_datetime(rkey: str) -> datetime | None:
    """The moment a TID record key was minted (its top 53 bits are microseconds)."""
    if not is_tid(rkey):
        return None
    number = 0
    for ch in rkey:
        number = number * 32 + _TID_CHARS.index(ch)
    try:
        return datetime.fromtimestamp((number >> 10) / 1_000_000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 from the network -> aware UTC datetime; None when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = _FRACTION_RE.sub(lambda m: m.group(1), value.strip()).replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # year 9999 at -12:00 is past the end of the calendar
        return None


def split_uri(uri: str) -> tuple[str, str, str]:
    """at://did/collection/rkey -> (did, collection, rkey)."""
    if not isinstance(uri, str) or not uri.startswith("at://"):
        raise BadResponse(f"not an at:// URI: {uri!r}")
    parts = uri[len("at://") :].split("/")
    if len(parts) != 3 or not all(parts):
        raise BadResponse(f"not a record URI: {uri!r}")
    return parts[0], parts[1], parts[2]


def web_url(uri: str, handle: str = "") -> str:
    """The bsky.app page of a post (by handle when it is a real one, else by DID)."""
    did, collection, rkey = split_uri(uri)
    if collection != POST_NSID:
        return ""
    who = handle if handle and handle != "handle.invalid" else did
    return f"{WEB}/profile/{who}/post/{rkey}"


def raw(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _str(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _object(value: Any) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else an empty one (a field left out or malformed)."""
    return value if isinstance(value, Mapping) else {}


def _url(obj: Mapping[str, Any], key: str) -> str:
    """The field when it is a safe http(s) URL (see `_http`), else ""."""
    value = obj.get(key)
    return value if isinstance(value, str) and _http(value) else ""


def parse_author(obj: Any) -> Author:
    if not isinstance(obj, Mapping) or not _str(obj, "did"):
        raise BadResponse("post author without a DID")
    return Author(
        Network.BLUESKY,
        obj["did"],
        _str(obj, "handle") or obj["did"],
        _str(obj, "displayName").strip(),
    )


def _ref_uri(reply: Any, key: str) -> str | None:
    if isinstance(reply, Mapping) and isinstance(reply.get(key), Mapping):
        uri = reply[key].get("uri")
        return uri if isinstance(uri, str) and uri else None
    return None


def _http(url: Any) -> bool:
    """An http(s) URL with no spaces, control or bidi characters (which hide the target)."""
    return isinstance(url, str) and bool(_SAFE_URL.match(url))


def _quote_link(record: Any, fallback: str) -> MediaLink:
    """A quoted post as a link; a hydrated view also names its author and opening words."""
    if not isinstance(record, Mapping):
        return MediaLink("Quoted post", fallback)
    uri = _str(record, "uri")
    handle = _str(_object(record.get("author")), "handle")
    try:
        url = web_url(uri, handle) or fallback
    except BadResponse:
        url = fallback
    label = f"Quoted post by @{handle}" if handle else "Quoted post"
    value = record.get("value")
    if isinstance(value, Mapping) and _str(value, "text"):
        snippet = _str(value, "text").replace("\n", " ")
        label += ": " + (snippet[:80] + "…" if len(snippet) > 80 else snippet)
    if record.get("notFound") or record.get("blocked") or record.get("detached"):
        label = "Quoted post (not available)"
    return MediaLink(label, url)


def media_from_embed(embed: Any, post_url: str) -> tuple[MediaLink, ...]:
    """Embeds (record or hydrated #view form) as labelled links; images are never fetched."""
    if not isinstance(embed, Mapping):
        return ()
    kind = _str(embed, "$type").removesuffix("#view")
    links: list[MediaLink] = []
    if kind == "app.bsky.embed.images":
        images = embed.get("images")
        for image in images if isinstance(images, list) else []:
            if not isinstance(image, Mapping):
                continue
            alt = _str(image, "alt").strip()
            full, thumb = _url(image, "fullsize"), _url(image, "thumb")
            links.append(
                MediaLink(
                    f"Image: {alt}" if alt else "Image",
                    full or post_url,
                    kind=MediaKind.IMAGE if full or thumb else MediaKind.LINK,
                    alt=alt,
                    preview_url=thumb,
                )
            )
    elif kind == "app.bsky.embed.video":
        alt = _str(embed, "alt").strip()
        links.append(
            MediaLink(f"Video: {alt}" if alt else "Video", post_url, kind=MediaKind.VIDEO, alt=alt)
        )
    elif kind == "app.bsky.embed.external":
        ext = _object(embed.get("external"))
        if _url(ext, "uri"):
            title = _str(ext, "title").strip()
            links.append(MediaLink(f"Link: {title}" if title else "Link", _url(ext, "uri")))
    elif kind == "app.bsky.embed.record":
        links.append(_quote_link(embed.get("record"), post_url))
    elif kind == "app.bsky.embed.recordWithMedia":
        inner = embed.get("record")
        links.append(
            _quote_link(inner.get("record") if isinstance(inner, Mapping) else None, post_url)
        )
        links.extend(media_from_embed(embed.get("media"), post_url))
    elif kind:
        links.append(MediaLink("Attachment", post_url))
    return tuple(links)


def post_from_record(
    uri: str,
    cid: str,
    author: Author,
    record: Any,
    *,
    indexed_at: Any = None,
    embed_view: Any = None,
    is_mention: bool = False,
    raw_obj: Any = None,
) -> Post:
    """A Post from an app.bsky.feed.post record plus the envelope it came in."""
    if not isinstance(record, Mapping):
        raise BadResponse(f"{uri}: post without a record")
    split_uri(uri)
    facets = record.get("facets")
    rich = decode(_str(record, "text"), facets if isinstance(facets, list) else None)
    created = parse_datetime(record.get("createdAt"))
    indexed = parse_datetime(indexed_at)
    # clients may write any createdAt; the network sorts by the earlier of the two
    stamps = [d for d in (created, indexed) if d is not None]
    when = min(stamps) if stamps else (tid_datetime(split_uri(uri)[2]) or _EPOCH)
    url = web_url(uri, author.handle)
    media = media_from_embed(embed_view if embed_view is not None else record.get("embed"), url)
    known = {m.url for m in media}
    media += tuple(MediaLink("Link", link) for link in rich.links if link not in known)
    langs = record.get("langs")
    reply = record.get("reply")
    return Post(
        network=Network.BLUESKY,
        remote_id=uri,
        author=author,
        text=rich.text,
        created_at=when,
        url=url,
        parent_remote_id=_ref_uri(reply, "parent"),
        root_remote_id=_ref_uri(reply, "root"),
        is_mention=is_mention,
        media=media,
        mentions=rich.mentions,
        language=langs[0]
        if isinstance(langs, list) and langs and isinstance(langs[0], str)
        else None,
        cid=cid if isinstance(cid, str) else "",
        raw_json=raw(raw_obj if raw_obj is not None else record),
    )


def parse_notification(item: Any) -> Post:
    """One listNotifications item (mention / reply / quote) -> Post(is_mention=True)."""
    if not isinstance(item, Mapping) or not _str(item, "uri"):
        raise BadResponse("notification without a uri")
    return post_from_record(
        item["uri"],
        _str(item, "cid"),
        parse_author(item.get("author")),
        item.get("record"),
        indexed_at=item.get("indexedAt"),
        is_mention=True,
        raw_obj=item,
    )


def notification_stamp(item: Any) -> tuple[str, datetime]:
    """(uri, sort time) of a notification: what the sync cursor remembers."""
    if not isinstance(item, Mapping) or not _str(item, "uri"):
        raise BadResponse("notification without a uri")
    when = parse_datetime(item.get("indexedAt"))
    if when is None:
        raise BadResponse(f"notification {item['uri']} without indexedAt")
    return item["uri"], when


def parse_post_view(view: Any, *, is_mention: bool = False) -> Post:
    """An app.bsky.feed.defs#postView (thread, getPosts) -> Post."""
    if not isinstance(view, Mapping) or not _str(view, "uri"):
        raise BadResponse("post view without a uri")
    return post_from_record(
        view["uri"],
        _str(view, "cid"),
        parse_author(view.get("author")),
        view.get("record"),
        indexed_at=view.get("indexedAt"),
        embed_view=view.get("embed"),
        is_mention=is_mention,
        raw_obj=view,
    )


@dataclass(frozen=True, slots=True)
class ViewSummary:
    """A getPosts post view: the Post plus how many replies the AppView counts under it."""

    post: Post
    reply_count: int | None  # None: the AppView did not say

    @property
    def is_whole_thread(self) -> bool:
        """A root post nobody answered is its own whole conversation (no getPostThread needed)."""
        return (
            self.reply_count == 0
            and self.post.parent_remote_id is None
            and self.post.root_remote_id is None
        )


def parse_post_views(body: Any) -> dict[str, ViewSummary]:
    """getPosts -> {uri: summary}. Posts the AppView left out (deleted, blocked) are absent."""
    views = body.get("posts") if isinstance(body, Mapping) else None
    if not isinstance(views, list):
        raise BadResponse("getPosts without a posts list")
    out: dict[str, ViewSummary] = {}
    for view in views:
        post = parse_post_view(view)
        count = view.get("replyCount")
        known = isinstance(count, int) and not isinstance(count, bool) and count >= 0
        out[post.remote_id] = ViewSummary(post, count if known else None)
    return out


def placeholder(
    uri: str,
    *,
    author_did: str = "",
    parent: str | None = None,
    root: str | None = None,
    raw_obj: Any = None,
    why: Unavailable = Unavailable.NOT_FOUND,
) -> Post:
    """A deleted, blocked or missing post: kept so the thread shape stays intact.

    It carries no words of its own: storage keeps what it stored before and records
    `why`, so a blocked post is not shown as deleted."""
    did, _, rkey = split_uri(uri)
    did = author_did or did
    return Post(
        network=Network.BLUESKY,
        remote_id=uri,
        author=Author(Network.BLUESKY, did, did),
        text=BLOCKED_TEXT if why is Unavailable.BLOCKED else UNAVAILABLE_TEXT,
        created_at=tid_datetime(rkey) or _EPOCH,
        url=web_url(uri),
        parent_remote_id=parent,
        root_remote_id=root if root != uri else None,
        deleted=True,
        raw_json=raw(raw_obj if raw_obj is not None else {"uri": uri}),
        unavailable=why,
    )


def _node_kind(node: Any) -> str:
    if not isinstance(node, Mapping):
        return ""
    kind = _str(node, "$type")
    if kind.endswith("#threadViewPost") or (not kind and isinstance(node.get("post"), Mapping)):
        return "post"
    if _missing_why(node) is not None:
        return "missing"
    return ""


def _missing_why(node: Mapping[str, Any]) -> Unavailable | None:
    """Why a thread node holds no post: a #blockedPost or a #notFoundPost (None: neither)."""
    kind = _str(node, "$type")
    if kind.endswith("#blockedPost") or node.get("blocked") is True:
        return Unavailable.BLOCKED
    if kind.endswith("#notFoundPost") or node.get("notFound") is True:
        return Unavailable.NOT_FOUND
    return None


def _node_post(node: Mapping[str, Any], parent: str | None, root: str | None) -> Post | None:
    kind = _node_kind(node)
    if kind == "post":
        return parse_post_view(node.get("post"))
    if kind == "missing" and _str(node, "uri"):
        author = _object(node.get("author"))
        return placeholder(
            node["uri"],
            author_did=_str(author, "did"),
            parent=parent,
            root=root,
            raw_obj=node,
            why=_missing_why(node) or Unavailable.NOT_FOUND,
        )
    return None  # an unknown union member: skip it rather than fail the thread


def parse_thread(body: Any) -> list[Post]:
    """getPostThread -> ancestors (root first), the anchor, then replies depth-first."""
    node = body.get("thread") if isinstance(body, Mapping) else None
    if _node_kind(node) == "missing" and isinstance(node, Mapping) and _str(node, "uri"):
        # a customer who blocks the shop (or a deleted post): a state of this one post,
        # never an error that stops the sync
        missing = _node_post(node, None, None)
        return [missing] if missing is not None else []
    if not isinstance(node, Mapping) or _node_kind(node) != "post":
        raise BadResponse("getPostThread did not return a post")
    anchor = parse_post_view(node.get("post"))
    root = anchor.root_remote_id or anchor.remote_id
    chain: list[Mapping[str, Any]] = []
    cursor = node.get("parent")
    while isinstance(cursor, Mapping) and len(chain) < 1000:
        chain.append(cursor)
        cursor = cursor.get("parent") if _node_kind(cursor) == "post" else None
    ancestors: list[Post] = []
    for ancestor in chain:
        try:
            post = _node_post(ancestor, None, root)
        except BadResponse as exc:  # the posts above an unreadable one stay out of reach
            log.warning("skipped an unreadable post above %s: %s", anchor.remote_id, exc)
            post = None
        if post is None:
            break
        ancestors.append(post)
    posts = list(reversed(ancestors))
    posts.append(anchor)
    _walk_replies(node, anchor.remote_id, root, posts)
    return posts


def cut_off(body: Any, limit: int = 1000) -> list[str]:
    """Posts in a getPostThread answer whose replies were left out: the AppView counts
    replies under them (replyCount) but the answer stops there, at the depth asked for.
    Their own threads hold the rest of the conversation."""
    node = body.get("thread") if isinstance(body, Mapping) else None
    found: list[str] = []
    stack = [node]
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        if _node_kind(node) != "post" or not isinstance(node, Mapping):
            continue
        view = node.get("post")
        replies = node.get("replies")
        if isinstance(replies, list) and replies:
            stack.extend(replies)
            continue
        if not isinstance(view, Mapping):
            continue
        count = view.get("replyCount")
        if (
            isinstance(count, int)
            and not isinstance(count, bool)
            and count > 0
            and _str(view, "uri")
        ):
            found.append(view["uri"])
    return found


def is_single_line(body: Any) -> bool:
    """getPostThread's ancestors reach the root and none has a reply off this line.

    The root's own thread (replies up to the same depth) then holds nothing this
    answer lacks, so it need not be fetched.
    """
    node = body.get("thread") if isinstance(body, Mapping) else None
    if not isinstance(node, Mapping) or _node_kind(node) != "post":
        return False
    anchor = node.get("post")
    if not isinstance(anchor, Mapping):
        return False
    record = anchor.get("record")
    root = _ref_uri(record.get("reply") if isinstance(record, Mapping) else None, "root")
    top: Mapping[str, Any] | None = None
    cursor = node.get("parent")
    for _ in range(1000):
        if not isinstance(cursor, Mapping):
            break
        view = cursor.get("post")
        if (
            _node_kind(cursor) != "post"
            or not isinstance(view, Mapping)
            or view.get("replyCount") != 1
            or isinstance(view.get("replyCount"), bool)
        ):
            return False
        top, cursor = view, cursor.get("parent")
    return root is not None and top is not None and cursor is None and top.get("uri") == root


def _walk_replies(node: Mapping[str, Any], parent: str, root: str, out: list[Post]) -> None:
    """Replies depth-first, pre-order (an explicit stack: hostile nesting cannot overflow)."""
    done = object()
    first = node.get("replies")
    stack: list[tuple[Iterator[Any], str]] = [
        (iter(first if isinstance(first, list) else []), parent)
    ]
    while stack:
        children, parent_uri = stack[-1]
        child = next(children, done)
        if child is done:
            stack.pop()
            continue
        if not isinstance(child, Mapping):
            continue
        try:
            post = _node_post(child, parent_uri, root)
        except BadResponse as exc:  # one unreadable reply: leave it (and below it) out
            log.warning("skipped an unreadable reply under %s: %s", parent_uri, exc)
            continue
        if post is None:
            continue
        out.append(post)
        replies = child.get("replies") if _node_kind(child) == "post" else None
        if isinstance(replies, list) and len(stack) < MAX_REPLY_DEPTH:
            stack.append((iter(replies), post.remote_id))


def strong_ref(obj: Any) -> dict[str, str] | None:
    """{uri, cid} when both are there (what reply.root / reply.parent need)."""
    if isinstance(obj, Mapping) and _str(obj, "uri") and _str(obj, "cid"):
        return {"uri": obj["uri"], "cid": obj["cid"]}
    return None


def root_ref_from_raw(raw_json: str) -> dict[str, str] | None:
    """The reply.root strong ref inside a stored post's raw JSON (notification, view or record)."""
    try:
        obj = json.loads(raw_json) if raw_json else None
    except ValueError:
        return None
    if not isinstance(obj, Mapping):
        return None
    record = obj.get("record") if isinstance(obj.get("record"), Mapping) else obj
    reply = record.get("reply") if isinstance(record, Mapping) else None
    return strong_ref(reply.get("root")) if isinstance(reply, Mapping) else None
