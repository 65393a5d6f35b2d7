"""BlueskyClient: the NetworkClient for one Bluesky account (AT Protocol, app password).

Sign-in happens once (`bluesky_session.login`); this client takes the stored
tokens back and never creates a session by itself. Reads go through the PDS,
which forwards app.bsky.* calls to the AppView. Replies use a record key
chosen when the reply was queued (the idempotency key), so a retry can find
or re-use the same record instead of posting twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.errors import BadResponse, NetworkError, NotFound, ServerError, TooLong
from app.core.models import AccountInfo, Author, MentionBatch, Network, Post, Unavailable
from app.net.bluesky_parse import (
    POST_NSID,
    ViewSummary,
    cut_off,
    is_single_line,
    is_tid,
    notification_stamp,
    parse_datetime,
    parse_notification,
    parse_post_view,
    parse_post_views,
    parse_thread,
    post_from_record,
    root_ref_from_raw,
    strong_ref,
)
from app.net.bluesky_richtext import (
    MAX_BYTES,
    MAX_GRAPHEMES,
    byte_count,
    detect_facets,
    grapheme_count,
)
from app.net.bluesky_session import LoginResult, SaveTokens, XrpcSession
from app.net.bluesky_threads import ConversationPrefetch
from app.net.http import MAX_SECONDS

log = logging.getLogger(__name__)

REASONS = ("mention", "reply", "quote")
PAGE_LIMIT = 100
MAX_PAGES = 200  # short pages are normal (the reason filter runs after paging); this is a fuse
OVERLAP = timedelta(minutes=15)  # re-read this far behind the newest item; dedupe by uri
MAX_SEEN = 500
THREAD_DEPTH = 10
MAX_DEEPER = 25  # levels of THREAD_DEPTH followed below a conversation's first answer
EMPTY_PAGES = 10  # notification pages in a row that bring nothing new: stop, the rest is noise
THREAD_PARENT_HEIGHT = 20
ROOT_THREAD_TTL = 120.0  # seconds a fetched root thread is re-used by later mentions under it

_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"


def _encode_tid(number: int) -> str:
    chars = []
    for _ in range(13):
        chars.append(_TID_CHARS[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def rkey_for(idempotency_key: str) -> str:
    """The reply's record key: the key itself when it is a TID, else a stable TID-shaped hash."""
    if is_tid(idempotency_key):
        return idempotency_key
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).digest()
    return _encode_tid(int.from_bytes(digest[:8], "big") >> 1)  # 63 bits: top bit stays 0


def _uri_parts(uri: str) -> tuple[str, str, str]:
    """at://<repo>/<collection>/<rkey> split in three ('' where a part is missing)."""
    parts = [*uri.removeprefix("at://").split("/"), "", "", ""]
    return parts[0], parts[1], parts[2]


def _iso_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def resume_at(when: datetime) -> str:
    """A listNotifications cursor that starts with the item at `when` (items come strictly
    older than the cursor; one repeated item is dropped by uri downstream)."""
    later = when + timedelta(milliseconds=1)
    return later.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _uri_of(item: Any) -> str:
    """A notification's uri for a log line (never its text); "?" when it has none."""
    uri = item.get("uri") if isinstance(item, dict) else None
    return uri if isinstance(uri, str) and len(uri) < 300 else "?"


def encode_cursor(newest: datetime, seen: dict[str, datetime]) -> str:
    keep = sorted(((t, u) for u, t in seen.items() if t >= newest - OVERLAP), reverse=True)
    return json.dumps(
        {"v": 1, "t": newest.isoformat(), "seen": [[u, t.isoformat()] for t, u in keep[:MAX_SEEN]]},
        separators=(",", ":"),
    )


def decode_cursor(cursor: str | None) -> tuple[datetime, dict[str, datetime]] | None:
    """Our sync cursor: the newest notification time plus the uris seen near it."""
    if not cursor:
        return None
    try:
        data = json.loads(cursor)
        newest = parse_datetime(data["t"])
        seen = {str(u): parse_datetime(t) for u, t in data.get("seen", [])}
    except (ValueError, KeyError, TypeError) as exc:
        raise BadResponse(
            f"unreadable Bluesky sync cursor: {exc}",
            user_message="Shopkeep's saved sync position was unreadable.",
        ) from exc
    if newest is None:
        raise BadResponse("Bluesky sync cursor without a time")
    return newest, {u: t for u, t in seen.items() if t is not None}


class BlueskyClient:
    """NetworkClient for one Bluesky account, from tokens stored at sign-in."""

    network = Network.BLUESKY

    def __init__(
        self,
        pds_url: str,
        did: str,
        access_jwt: str,
        refresh_jwt: str,
        save_tokens: SaveTokens,
        *,
        handle: str = "",
        appview_proxy: str | None = None,
        langs: tuple[str, ...] | None = None,
        timeout: tuple[float, float] | None = None,
        max_seconds: float = MAX_SECONDS,
        prefetch_threads: bool = True,
    ) -> None:
        self._xrpc = XrpcSession(
            pds_url,
            did,
            access_jwt,
            refresh_jwt,
            save_tokens,
            appview_proxy=appview_proxy,
            timeout=timeout,
            max_seconds=max_seconds,
        )
        self.did = did
        self._handle = handle
        self._display_name = ""
        self._langs = langs  # None: use the parent's language, if it names one
        self._did_cache: dict[str, str | None] = {}
        self._prefetch_threads = prefetch_threads  # False: one getPostThread per thread()
        self._prefetch: ConversationPrefetch | None = None  # the last mentions()' threads
        self._root_threads: dict[str, tuple[float, Future[list[Post]]]] = {}
        self._root_lock = threading.Lock()

    @classmethod
    def from_login(
        cls, result: LoginResult, save_tokens: SaveTokens, **kwargs: Any
    ) -> BlueskyClient:
        return cls(
            result.pds_url,
            result.did,
            result.access_jwt,
            result.refresh_jwt,
            save_tokens,
            handle=result.handle,
            **kwargs,
        )

    def __repr__(self) -> str:  # never show the tokens
        return f"BlueskyClient({self._xrpc.pds_url!r}, {self.did!r})"

    @property
    def pds_url(self) -> str:
        return self._xrpc.pds_url

    def close(self) -> None:
        self._forget_threads()
        self._xrpc.close()

    def _call(self, method: str, nsid: str, **kwargs: Any) -> dict[str, Any]:
        return self._xrpc.call(method, nsid, **kwargs)

    # ------------------------------------------------------------ account

    def verify(self) -> AccountInfo:
        """Check the stored tokens (refreshing them if needed) and learn our handle and name."""
        session = self._call("GET", "com.atproto.server.getSession")
        if session.get("did") != self.did:
            raise BadResponse("getSession answered for another account")
        self._handle = str(session.get("handle") or self.did)
        try:
            profile = self._call(
                "GET", "app.bsky.actor.getProfile", params={"actor": self.did}, appview=True
            )
            self._display_name = str(profile.get("displayName") or "").strip()
        except NotFound:
            self._display_name = ""  # a new account may not be indexed by the AppView yet
        return AccountInfo(
            network=Network.BLUESKY,
            server=self.pds_url,
            handle=self._handle,
            remote_id=self.did,
            display_name=self._display_name,
            max_chars=MAX_GRAPHEMES,
        )

    def max_chars(self) -> int:
        return MAX_GRAPHEMES

    def count_chars(self, text: str) -> int:
        return grapheme_count(text)

    def _me(self) -> Author:
        if not self._handle:
            self.verify()
        return Author(Network.BLUESKY, self.did, self._handle, self._display_name)

    # ------------------------------------------------------------ mentions

    def mentions(
        self, cursor: str | None, *, max_items: int = 2000, days: float | None = None
    ) -> MentionBatch:
        """Mentions, replies and quotes newer than `cursor`, oldest first.

        listNotifications only pages backwards, so we walk back from the newest until
        we pass our stored high-water mark (minus OVERLAP, for late indexing) and drop
        uris the cursor already saw. Without a cursor `days`/`max_items` bound the walk.
        """
        state = decode_cursor(cursor)
        if state:
            stop_before: datetime | None = state[0] - OVERLAP
        else:
            stop_before = datetime.now(UTC) - timedelta(days=days) if days else None
        seen_before = state[1] if state else {}
        found: dict[str, tuple[datetime, Post]] = {}
        complete, api_cursor, pages, empty, skipped = True, None, 0, 0, 0
        older: str | None = None  # a first walk stopped by a bound: where the next goes on
        while True:
            params: list[tuple[str, str]] = [("reasons", r) for r in REASONS]
            params += [("priority", "false"), ("limit", str(PAGE_LIMIT))]
            if api_cursor:
                params.append(("cursor", api_cursor))
            body = self._call(
                "GET", "app.bsky.notification.listNotifications", params=params, appview=True
            )
            items = body.get("notifications")
            if not isinstance(items, list):
                raise BadResponse("listNotifications without a notifications list")
            done = False
            before = len(found)
            for item in items:
                try:
                    uri, when = notification_stamp(item)
                    if (
                        uri not in seen_before
                        and uri not in found
                        and item.get("reason") in REASONS
                    ):
                        parsed = parse_notification(item)
                except BadResponse as exc:  # one unreadable item never blocks the rest
                    skipped += 1
                    log.warning("skipped notification %s: %s", _uri_of(item), exc)
                    continue
                if stop_before is not None and when < stop_before:
                    done = True
                    break
                if uri in seen_before or uri in found or item.get("reason") not in REASONS:
                    continue
                if len(found) >= max_items:
                    complete, done = False, True
                    older = None if state else resume_at(when)
                    break
                found[uri] = (when, parsed)
            next_cursor = body.get("cursor")
            if (
                done
                or not isinstance(next_cursor, str)
                or not next_cursor
                or next_cursor == api_cursor
            ):
                break
            next_time = parse_datetime(next_cursor)
            if stop_before is not None and next_time is not None and next_time < stop_before:
                break
            pages += 1
            empty = 0 if len(found) > before else empty + 1
            if pages >= MAX_PAGES or empty >= EMPTY_PAGES:
                complete = False  # a bound, or a server sending page after page of nothing new
                older = None if state or empty >= EMPTY_PAGES else next_cursor
                break
            api_cursor = next_cursor
        seen = {**seen_before, **{uri: when for uri, (when, _) in found.items()}}
        if not seen:
            return MentionBatch(posts=[], cursor=cursor, complete=complete, skipped=skipped)
        newest = max([*seen.values(), *([state[0]] if state else [])])
        posts = [post for _, post in sorted(found.values(), key=lambda wp: wp[0])]
        self._expect_threads(posts)
        return MentionBatch(
            posts=posts,
            cursor=encode_cursor(newest, seen),
            complete=complete,
            older=older,
            skipped=skipped,
        )

    def older_mentions(
        self, before: str, *, max_items: int = 2000, days: float | None = None
    ) -> MentionBatch:
        """The notifications below `before` (an `older` of an earlier walk), oldest first.

        Stops at `max_items` (then `older` says where to go on), at `days` back or at
        the end of the list (then `older` is None: the history is complete).
        """
        cutoff = datetime.now(UTC) - timedelta(days=days) if days else None
        found: dict[str, tuple[datetime, Post]] = {}
        api_cursor = before
        for _ in range(MAX_PAGES):
            params: list[tuple[str, str]] = [("reasons", r) for r in REASONS]
            params += [("priority", "false"), ("limit", str(PAGE_LIMIT)), ("cursor", api_cursor)]
            body = self._call(
                "GET", "app.bsky.notification.listNotifications", params=params, appview=True
            )
            items = body.get("notifications")
            if not isinstance(items, list):
                raise BadResponse("listNotifications without a notifications list")
            for item in items:
                uri, when = notification_stamp(item)
                if cutoff is not None and when < cutoff:
                    return self._older_batch(found, None)
                if uri in found or item.get("reason") not in REASONS:
                    continue
                if len(found) >= max_items:
                    return self._older_batch(found, resume_at(when))
                found[uri] = (when, parse_notification(item))
            next_cursor = body.get("cursor")
            if not isinstance(next_cursor, str) or not next_cursor or next_cursor == api_cursor:
                return self._older_batch(found, None)
            api_cursor = next_cursor
        return self._older_batch(found, api_cursor)

    @staticmethod
    def _older_batch(found: dict[str, tuple[datetime, Post]], older: str | None) -> MentionBatch:
        posts = [post for _, post in sorted(found.values(), key=lambda wp: wp[0])]
        return MentionBatch(posts=posts, cursor=None, complete=older is None, older=older)

    # ------------------------------------------------------------ threads

    def _thread_body(self, uri: str, parent_height: int) -> dict[str, Any]:
        return self._call(
            "GET",
            "app.bsky.feed.getPostThread",
            appview=True,
            params={"uri": uri, "depth": THREAD_DEPTH, "parentHeight": parent_height},
        )

    def _thread(
        self, uri: str, parent_height: int, chain: frozenset[str] = frozenset()
    ) -> list[Post]:
        body = self._thread_body(uri, parent_height)
        posts = parse_thread(body)
        return posts + self._below(body, posts, chain | {uri})

    def _below(
        self, body: dict[str, Any], posts: list[Post], chain: frozenset[str] = frozenset()
    ) -> list[Post]:
        """The replies deeper than THREAD_DEPTH: each post the answer cut off is asked for
        with its own replies (shared like a root thread), down to the end, so a 12-deep
        reply is in the conversation too. `chain`: the posts above, never asked again."""
        if len(chain) > MAX_DEEPER:
            log.info("conversation deeper than %d levels; the rest is not fetched", MAX_DEEPER)
            return []
        known = {p.remote_id for p in posts}
        extra: list[Post] = []
        for uri in cut_off(body):
            if uri in chain:
                continue
            try:
                deeper = self._root_thread(uri, chain)
            except NotFound:
                continue  # deleted since: its replies went with it
            for post in deeper:
                if post.remote_id not in known:
                    known.add(post.remote_id)
                    extra.append(post)
        return extra

    def thread(self, post: Post) -> list[Post]:
        """Ancestors (root first), the post, replies; other branches from the root too.

        For the mentions of the last `mentions()` call the answer may come from
        work done ahead (see bluesky_threads); it is the same conversation.
        """
        prefetch = self._prefetch
        if prefetch is not None and post.remote_id in prefetch:
            return prefetch.take(post)
        return self._conversation(post)

    def plan_threads(self, posts: Sequence[Post]) -> None:
        """The order the sync will ask for conversations in: the work ahead follows it."""
        prefetch = self._prefetch
        if prefetch is not None:
            prefetch.reorder(posts)

    def _expect_threads(self, mentions: list[Post]) -> None:
        """A new batch of mentions: get ready to fetch their conversations ahead."""
        self._forget_threads()
        if self._prefetch_threads:
            self._prefetch = ConversationPrefetch(mentions, self._conversation, self._lookup)

    def _forget_threads(self) -> None:
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None:
            prefetch.close()
        with self._root_lock:
            self._root_threads.clear()

    def _lookup(self, uris: list[str]) -> dict[str, ViewSummary]:
        """getPosts: post views (with reply counts) for up to 25 uris in one call."""
        body = self._call(
            "GET", "app.bsky.feed.getPosts", appview=True, params=[("uris", uri) for uri in uris]
        )
        return parse_post_views(body)

    def _conversation(self, post: Post) -> list[Post]:
        """getPostThread around `post`, plus its root's thread when the root is elsewhere."""
        if post.parent_remote_id is None:
            return self._root_conversation(post)
        try:
            body = self._thread_body(post.remote_id, THREAD_PARENT_HEIGHT)
        except NotFound:
            return [replace(post, deleted=True, unavailable=Unavailable.NOT_FOUND)]
        fetched = parse_thread(body)
        fetched += self._below(body, fetched, frozenset({post.remote_id}))
        around = [
            replace(p, is_mention=post.is_mention) if p.remote_id == post.remote_id else p
            for p in fetched
        ]
        root = next((p.root_remote_id for p in around if p.remote_id == post.remote_id), None)
        if not root or root == post.remote_id:
            self._keep_root_thread(post.remote_id, fetched)  # a root has no parents to differ
            return around
        if is_single_line(body):  # no other branch under the root: its thread adds nothing
            return around
        try:
            from_root = self._root_thread(root)
        except NotFound:  # the root was deleted: what we have is all there is
            return around
        known = {p.remote_id for p in around}
        merged = list(around)
        merged.extend(p for p in from_root if p.remote_id not in known)
        return merged

    def _root_conversation(self, root: Post) -> list[Post]:
        """A root mention's thread, shared from the moment it is asked for: a mention
        under it fetched in parallel waits for this answer instead of asking again."""
        try:
            posts = self._root_thread(root.remote_id, fresh=True)
        except NotFound:
            return [replace(root, deleted=True, unavailable=Unavailable.NOT_FOUND)]
        return [
            replace(p, is_mention=root.is_mention) if p.remote_id == root.remote_id else p
            for p in posts
        ]

    def _keep_root_thread(self, root: str, posts: list[Post]) -> None:
        future: Future[list[Post]] = Future()
        future.set_result(posts)
        with self._root_lock:
            self._root_threads[root] = (time.monotonic(), future)

    def _root_thread(
        self, root: str, chain: frozenset[str] = frozenset(), *, fresh: bool = False
    ) -> list[Post]:
        """The root's thread, fetched once for all the mentions under it (even in parallel).

        `fresh`: the root itself is asked for, so only a fetch still on the wire is
        shared; a finished one may be older than a block or an edit since."""
        now = time.monotonic()
        with self._root_lock:
            entry = self._root_threads.get(root)
            owner = entry is None or now - entry[0] > ROOT_THREAD_TTL or (fresh and entry[1].done())
            if owner:
                entry = (now, Future())
                self._root_threads[root] = entry
        assert entry is not None
        future = entry[1]
        if owner:
            try:
                future.set_result(self._thread(root, 0, chain))
            except NotFound as exc:  # deleted: the same answer for every mention under it
                future.set_exception(exc)
            except BaseException as exc:  # rate limit, outage: not kept, the next one asks
                with self._root_lock:
                    if self._root_threads.get(root) is entry:
                        del self._root_threads[root]
                future.set_exception(exc)
                raise
        return future.result()

    # ------------------------------------------------------------ replies

    def _resolve(self, handle: str) -> str | None:
        if handle not in self._did_cache:
            try:
                body = self._call(
                    "GET", "com.atproto.identity.resolveHandle", params={"handle": handle}
                )
                did = body.get("did")
                self._did_cache[handle] = did if isinstance(did, str) else None
            except NotFound:
                self._did_cache[handle] = None
            except NetworkError as exc:  # an unknown handle may surface as a 400
                log.info("could not resolve @%s for a mention: %s", handle, type(exc).__name__)
                self._did_cache[handle] = None
        return self._did_cache[handle]

    def _live_parent(self, parent: Post) -> Post:
        """The post being answered, as the AppView shows it now. A reply to a deleted post
        would be "sent" and point at nothing: refuse it before anything is posted."""
        body = self._call(
            "GET", "app.bsky.feed.getPosts", params={"uris": parent.remote_id}, appview=True
        )
        views = body.get("posts")
        if not isinstance(views, list):
            raise BadResponse("getPosts without a posts list")
        if not views:
            raise NotFound(
                f"{parent.remote_id} is gone",
                user_message=(
                    "The post you are answering was deleted (or its author blocks the shop), so "
                    "the reply was not sent. Nothing was posted."
                ),
            )
        return parse_post_view(views[0])

    def _reply_refs(self, parent: Post) -> dict[str, dict[str, str]]:
        """reply.root and reply.parent strong refs: root = the parent's own root, or the parent."""
        fresh = self._live_parent(parent)
        parent_ref = strong_ref({"uri": parent.remote_id, "cid": parent.cid})
        root_ref = None
        if parent_ref and (not parent.root_remote_id or parent.root_remote_id == parent.remote_id):
            root_ref = parent_ref
        elif parent_ref:
            root_ref = root_ref_from_raw(parent.raw_json)
        if parent_ref is None or root_ref is None:  # not enough stored: the AppView's view
            parent_ref = strong_ref({"uri": fresh.remote_id, "cid": fresh.cid})
            root_ref = root_ref_from_raw(fresh.raw_json) or parent_ref
        if parent_ref is None or root_ref is None:
            raise BadResponse(f"{parent.remote_id}: no cid to reply to")
        return {"root": root_ref, "parent": parent_ref}

    @staticmethod
    def check_length(text: str) -> None:
        """Bluesky allows 300 graphemes and 3000 UTF-8 bytes; refuse before sending."""
        graphemes, size = grapheme_count(text), byte_count(text)
        if graphemes > MAX_GRAPHEMES:
            raise TooLong(f"{graphemes} graphemes > {MAX_GRAPHEMES}")
        if size > MAX_BYTES:
            raise TooLong(
                f"{size} bytes > {MAX_BYTES}",
                user_message=(
                    "The reply is too long for Bluesky (it uses many emoji or special characters)."
                ),
            )
        if not text.strip():
            raise TooLong("empty reply", user_message="The reply is empty.")

    def build_record(self, parent: Post, text: str) -> dict[str, Any]:
        """The app.bsky.feed.post record for a reply (facets in UTF-8 byte offsets)."""
        record: dict[str, Any] = {
            "$type": POST_NSID,
            "text": text,
            "createdAt": _iso_now(),
            "reply": self._reply_refs(parent),
        }
        facets = detect_facets(text, self._resolve)
        if facets:
            record["facets"] = facets
        langs = (
            self._langs
            if self._langs is not None
            else ((parent.language,) if parent.language else ())
        )
        if langs:
            record["langs"] = list(langs)[:3]
        return record

    def reply(
        self, parent: Post, text: str, idempotency_key: str, *, private: bool = False
    ) -> Post:
        """createRecord under a key fixed at queue time; a repeat returns the stored reply."""
        if private:  # every Bluesky post is public: never post one the owner meant as private
            raise BadResponse(
                "Bluesky has no private replies",
                user_message=(
                    "Bluesky replies are public, so this private reply was not sent. "
                    "Send it as a direct message in the Bluesky app instead."
                ),
            )
        self.check_length(text)
        rkey = rkey_for(idempotency_key)
        record = self.build_record(parent, text)
        body = {"repo": self.did, "collection": POST_NSID, "rkey": rkey, "record": record}
        try:
            out = self._call("POST", "com.atproto.repo.createRecord", body=body)
        except ServerError:
            # the PDS answers a taken rkey with a bare 500: it may be our earlier try
            existing = self._own_post(rkey)
            if existing is not None:
                return existing
            raise
        except NetworkError as exc:
            if "longer than" in str(exc):
                raise TooLong(str(exc)) from exc
            raise
        uri, cid = out.get("uri"), out.get("cid")
        if not isinstance(uri, str) or not isinstance(cid, str):
            raise BadResponse("createRecord answer without uri/cid")
        return post_from_record(
            uri, cid, self._me(), record, raw_obj={"uri": uri, "cid": cid, "record": record}
        )

    def find_reply(
        self,
        parent: Post,
        text: str,
        idempotency_key: str,
        *,
        exclude: frozenset[str] = frozenset(),
        not_before: datetime | None = None,
        private: bool = False,
    ) -> Post | None:
        """After an unclear failure: the reply if our repo already holds its record key
        (the key is ours alone, so `exclude` and `not_before` are not needed here)."""
        return self._own_post(rkey_for(idempotency_key))

    def delete_post(self, remote_id: str) -> None:
        """deleteRecord for one of the shop's own posts (an at:// uri); gone is done."""
        repo, collection, rkey = _uri_parts(remote_id)
        if repo != self.did or collection != POST_NSID:
            raise NotFound(
                f"{remote_id} is not one of this account's posts",
                user_message=(
                    "That post is not one of this account's, so Shopkeep cannot delete it."
                ),
            )
        try:
            self._call(
                "POST",
                "com.atproto.repo.deleteRecord",
                body={"repo": repo, "collection": collection, "rkey": rkey},
            )
        except NotFound:
            log.info("record %s was already gone", remote_id)

    def _own_post(self, rkey: str) -> Post | None:
        try:
            got = self._call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": self.did, "collection": POST_NSID, "rkey": rkey},
            )
        except NotFound:
            return None
        uri, cid = got.get("uri"), got.get("cid")
        if not isinstance(uri, str):
            raise BadResponse("getRecord answer without a uri")
        return post_from_record(
            uri,
            cid if isinstance(cid, str) else "",
            self._me(),
            got.get("value"),
            raw_obj={"uri": uri, "cid": cid, "record": got.get("value")},
        )

    # ------------------------------------------------------------ refresh

    def gone(self, uris: list[str]) -> set[str]:
        """Which of these posts the AppView no longer serves (deleted): getPosts, 25 a call.

        A reply deleted with nothing under it simply vanishes from getPostThread, so the
        refresh asks here about the stored ones it no longer saw.
        """
        missing: set[str] = set()
        for start in range(0, len(uris), 25):
            chunk = uris[start : start + 25]
            missing |= set(chunk) - set(self._lookup(chunk))
        return missing
