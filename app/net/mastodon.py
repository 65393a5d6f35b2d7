"""Mastodon client: one connected account on one server, behind the NetworkClient port.

Everything the server sends goes through `mastodon_parse`; this module only
decides which requests to make, in which order, and how failures are typed.
The access token travels only in the Authorization header.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from app.core.char_count import MASTODON_URL_WEIGHT, mastodon_length
from app.core.errors import (
    AuthError,
    BadResponse,
    NetworkError,
    NotFound,
    RateLimited,
    TooLong,
)
from app.core.models import AccountInfo, MentionBatch, Network, Post
from app.net.http import MAX_SECONDS, TIMEOUT, HttpSession, Response, reset_in_seconds
from app.net.mastodon_parse import (
    Credentials,
    error_message,
    load_json,
    narrower,
    parse_context,
    parse_credentials,
    parse_instance_limits,
    parse_notifications,
    parse_status,
)

log = logging.getLogger(__name__)

PAGE_LIMIT = 40  # the documented default; every server since 2.x accepts it
DEFAULT_MAX_CHARS = 500
PAGE_PAUSE = 0.25  # seconds between page requests when the server gives no rate-limit hints
LOW_REMAINING = 20  # below this many requests left, spread the rest until the reset
HIGH_REMAINING = 100  # at least this many requests left (as the server says): no pause
MAX_SPREAD = 5.0  # never wait longer than this between pages just to be polite

_AUTH_WORDS = re.compile(r"token|authori[sz]|authenticat|credential", re.IGNORECASE)
_TOO_LONG_WORDS = re.compile(r"character limit|too long", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@/])@\w[\w.-]*(?:@[\w.-]*\w)?")


class MastodonClient:
    """NetworkClient for any server speaking the Mastodon client API."""

    network = Network.MASTODON

    def __init__(
        self,
        server: str,
        access_token: str,
        *,
        max_chars: int | None = None,
        page_pause: float = PAGE_PAUSE,
        timeout: tuple[float, float] = TIMEOUT,
        max_seconds: float = MAX_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = HttpSession(server, timeout=timeout, max_seconds=max_seconds)
        self.server = self._http.base_url
        self._token = access_token
        self.page_pause = page_pause
        self._sleep = sleep
        self._creds: Credentials | None = None
        self._limits: tuple[int, int] | None = (
            (max_chars, MASTODON_URL_WEIGHT) if max_chars else None
        )
        self._instance_domain = ""
        self._blocked_until = 0.0  # monotonic time before which the server said "no more"
        self._remaining: int | None = None
        self._reset_at: float | None = None

    def __repr__(self) -> str:  # never show the token
        return f"MastodonClient({self.server!r})"

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------ requests

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """One request with the token in the header; returns decoded JSON or a typed error."""
        wait = self._blocked_until - time.monotonic()
        if wait > 0:
            raise RateLimited(f"{path}: rate limit used up", retry_after=wait)
        all_headers = {"Authorization": f"Bearer {self._token}", **(headers or {})}
        try:
            resp = self._http.request(method, path, params=params, json_body=json_body,
                                      headers=all_headers)
        except RateLimited as exc:
            self._blocked_until = time.monotonic() + exc.retry_after
            raise
        self._note_rate_limit(resp.headers)
        if "Deprecation" in resp.headers:
            log.info("Mastodon marks %s %s as deprecated", method, path)
        if resp.status >= 400:
            raise self._error_for(resp, f"{method} {path}")
        if resp.status == 204 or not resp.body.strip():
            raise BadResponse(f"{method} {path}: empty body where JSON was expected")
        return load_json(resp.body, f"{method} {path}")

    @staticmethod
    def _error_for(resp: Response, what: str) -> NetworkError | TooLong:
        """Map a 4xx to the typed error the app understands (the body gives the words)."""
        message = error_message(resp.body)
        detail = f"{what}: HTTP {resp.status}: {message}"
        if resp.status == 401:
            return AuthError(detail)
        if resp.status == 400 and _AUTH_WORDS.search(message):
            return AuthError(detail)  # proxies and old servers answer bad tokens with 400 text
        if resp.status == 403:
            return AuthError(detail, user_message=(
                "The server refused: the account may be disabled, suspended or still "
                "waiting for approval. Sign in on the website to see why."))
        if resp.status in (404, 410):
            return NotFound(detail)
        if resp.status == 422 and _TOO_LONG_WORDS.search(message):
            return TooLong(detail)
        return BadResponse(detail, user_message=f"The server refused the request: {message}")

    def _note_rate_limit(self, headers: Mapping[str, str]) -> None:
        """Remember X-RateLimit-Remaining/Reset; at 0 the next call waits for the reset."""
        raw = headers.get("X-RateLimit-Remaining")
        if raw is None:
            return
        try:
            remaining = int(raw.strip())
        except ValueError:
            return
        reset = reset_in_seconds(headers.get("X-RateLimit-Reset"))
        now = time.monotonic()
        self._remaining = remaining
        self._reset_at = now + reset if reset is not None else None
        if remaining <= 0:
            self._blocked_until = now + (reset if reset is not None else 60.0)

    def _pace(self) -> None:
        """A short pause between pages; longer when the remaining budget runs low."""
        if self._blocked_until > time.monotonic():
            return  # the next call raises RateLimited at once; sleeping first helps nobody
        if self._remaining is not None and self._remaining >= HIGH_REMAINING:
            return  # the server told us the budget and it is ample: pausing only slows sync
        wait = self.page_pause
        if self._remaining is not None and self._reset_at is not None \
                and self._remaining < LOW_REMAINING:
            spread = (self._reset_at - time.monotonic()) / max(self._remaining, 1)
            wait = max(wait, min(spread, MAX_SPREAD))
        if wait > 0:
            self._sleep(wait)

    # ------------------------------------------------------------ account

    def verify(self) -> AccountInfo:
        """Check the token and learn who we are, our default visibility and the length limit."""
        creds = parse_credentials(self._call("GET", "/api/v1/accounts/verify_credentials"))
        self._creds = creds
        self._limits = None
        max_chars, _ = self._load_limits()
        return AccountInfo(
            network=Network.MASTODON,
            server=self.server,
            handle=creds.author.handle,
            remote_id=creds.author.remote_id,
            display_name=creds.author.display_name,
            max_chars=max_chars,
            default_visibility=creds.default_visibility,
        )

    def _me(self) -> Credentials:
        if self._creds is None:
            self._creds = parse_credentials(
                self._call("GET", "/api/v1/accounts/verify_credentials"))
        return self._creds

    def _load_limits(self) -> tuple[int, int]:
        """max_characters and characters_reserved_per_url: v2 instance, then v1, then 500/23."""
        if self._limits is not None:
            return self._limits
        for path in ("/api/v2/instance", "/api/v1/instance"):
            try:
                data = self._call("GET", path)
                if isinstance(data, dict) and isinstance(data.get("domain"), str):
                    self._instance_domain = data["domain"].lower()
                limits = parse_instance_limits(data, path)
            except (NotFound, BadResponse) as exc:
                log.info("no length limits from %s: %s", path, exc)
                continue
            if limits is not None:
                self._limits = limits
                return limits
        self._limits = (DEFAULT_MAX_CHARS, MASTODON_URL_WEIGHT)
        return self._limits

    def max_chars(self) -> int:
        """The server's limit (asks the server once unless given to the constructor)."""
        return self._load_limits()[0]

    def count_chars(self, text: str) -> int:
        """Never touches the network: safe for a live counter."""
        url_weight = self._limits[1] if self._limits else MASTODON_URL_WEIGHT
        return mastodon_length(text, url_weight)

    # ------------------------------------------------------------ mentions

    def _notifications(self, **bound: str) -> list[Any]:
        params: list[tuple[str, str]] = [
            ("types[]", "mention"), ("include_filtered", "true"), ("limit", str(PAGE_LIMIT))]
        params += sorted(bound.items())
        return parse_notifications(self._call("GET", "/api/v1/notifications", params=params))

    @staticmethod
    def _unseen(page: list[Any], seen: set[str]) -> list[Any]:
        """Drop repeats; a page of nothing new means the server ignores the paging ids."""
        fresh = [item for item in page if item.id not in seen]
        if page and not fresh:
            raise BadResponse("the server sent the same notifications page twice "
                              "(it ignores min_id/max_id)")
        seen.update(item.id for item in fresh)
        return fresh

    def mentions(
        self, cursor: str | None, *, max_items: int = 2000, days: float | None = None
    ) -> MentionBatch:
        """Mentions newer than `cursor`, oldest first; first sync walks back max_items/days."""
        if cursor:
            return self._mentions_forward(cursor, max_items)
        return self._mentions_backward(max_items, days)

    def _mentions_forward(self, cursor: str, max_items: int) -> MentionBatch:
        """min_id pages come oldest-first page by page, so stopping early loses nothing."""
        posts: list[Post] = []
        newest = cursor
        complete = True
        first = True
        seen: set[str] = set()
        while True:
            if not first:
                self._pace()
            first = False
            try:
                page = self._notifications(min_id=newest)
            except RateLimited:
                if not posts:
                    raise
                complete = False  # keep what we have; the next call reports the wait
                break
            if not page:
                break
            newest = page[0].id  # newest-first within the page
            page = self._unseen(page, seen)
            posts.extend(item.post for item in reversed(page) if item.post is not None)
            if len(posts) >= max_items:
                complete = False
                break
        return MentionBatch(posts=posts, cursor=newest, complete=complete)

    def _mentions_backward(self, max_items: int, days: float | None,
                           before: str | None = None) -> MentionBatch:
        """Newest page first (or the page below `before`), then max_id backwards until a
        bound or the end. Stopped by the count, `older` says where to go on."""
        cutoff = datetime.now(UTC) - timedelta(days=days) if days else None
        posts: list[Post] = []
        newest: str | None = None
        max_id = before
        older: str | None = None
        complete = True
        seen: set[str] = set()
        while complete:
            if max_id != before:
                self._pace()
            page = self._notifications(max_id=max_id) if max_id else self._notifications()
            if not page:
                break
            newest = newest or page[0].id
            for item in self._unseen(page, seen):
                if item.post is not None and cutoff and item.post.created_at < cutoff:
                    complete = False
                    break
                if item.post is not None and len(posts) >= max_items:
                    complete, older = False, max_id
                    break
                max_id = item.id
                if item.post is not None:
                    posts.append(item.post)
            else:
                max_id = page[-1].id
        posts.reverse()
        return MentionBatch(posts=posts, cursor=newest, complete=complete, older=older)

    def older_mentions(self, before: str, *, max_items: int = 2000,
                       days: float | None = None) -> MentionBatch:
        """Mentions older than `before` (an `older` of an earlier walk), newest first."""
        return self._mentions_backward(max_items, days, before)

    # ------------------------------------------------------------ threads

    def status(self, remote_id: str) -> Post:
        """One status, fresh from the server (NotFound when deleted or hidden)."""
        return parse_status(self._call("GET", f"/api/v1/statuses/{quote(remote_id, safe='')}"))

    def thread(self, post: Post) -> list[Post]:
        """Ancestors (root first), the post, descendants; a deleted post comes back deleted."""
        try:
            fresh = self.status(post.remote_id)
            data = self._call("GET", f"/api/v1/statuses/{quote(post.remote_id, safe='')}/context")
        except NotFound:
            return [replace(post, deleted=True)]
        ancestors, descendants = parse_context(data)
        fresh = replace(fresh, is_mention=post.is_mention)
        root = ancestors[0].remote_id if ancestors else fresh.remote_id
        return [replace(p, root_remote_id=root) for p in (*ancestors, fresh, *descendants)]

    # ------------------------------------------------------------ replying

    def _is_me(self, handle: str) -> bool:
        me = self._me().author.handle.lower()
        handle = handle.lower()
        if handle == me:
            return True
        local = {urlsplit(self.server).hostname or "", self._instance_domain} - {""}
        return any(handle == f"{me}@{domain}" for domain in local)

    def reply_text(self, parent: Post, text: str) -> str:
        """`text` prefixed with @-mentions of the author and the others, minus the owner."""
        wanted: list[str] = []
        seen: set[str] = set()
        for handle in (parent.author.handle, *parent.mentions):
            key = handle.lower()
            if key in seen or self._is_me(handle):
                continue
            seen.add(key)
            if re.search(rf"(?<![\w@]){re.escape(handle)}(?![\w@])", text, re.IGNORECASE):
                continue
            wanted.append(handle)
        return f"{' '.join(wanted)} {text}" if wanted else text

    def reply_visibility(self, parent: Post) -> str:
        """Never wider than the parent: the more private of the parent's and our default."""
        return narrower(parent.visibility, self._me().default_visibility)

    def reply(self, parent: Post, text: str, idempotency_key: str) -> Post:
        """Post under `parent`; a retry with the same Idempotency-Key (1 h) gets that post."""
        body = self.reply_text(parent, text)
        payload: dict[str, Any] = {
            "status": body,
            "in_reply_to_id": parent.remote_id,
            "visibility": self.reply_visibility(parent),
        }
        if parent.content_warning:
            payload["spoiler_text"] = parent.content_warning
        length = self.count_chars(parent.content_warning + body)
        if length > self.max_chars():
            raise TooLong(f"{length} > {self.max_chars()} characters")
        data = self._call("POST", "/api/v1/statuses", json_body=payload,
                          headers={"Idempotency-Key": idempotency_key})
        post = parse_status(data, "posted status")
        if post.parent_remote_id != parent.remote_id:
            raise BadResponse(
                f"posted status {post.remote_id} replies to {post.parent_remote_id!r}, "
                f"not {parent.remote_id!r}")
        return replace(post, root_remote_id=parent.root_remote_id or parent.remote_id)

    def find_reply(self, parent: Post, text: str, idempotency_key: str, *,
                   exclude: frozenset[str] = frozenset(),
                   not_before: datetime | None = None) -> Post | None:
        """After a timeout/reset/5xx: our reply with this text under `parent`, if it exists.

        Mastodon cannot look a post up by its Idempotency-Key, so an older reply with
        the same words must not pass for ours: ids in `exclude` (known before this reply
        was queued) and posts made before `not_before` are skipped, and the newest
        remaining match wins.
        """
        expected = _comparable(self.reply_text(parent, text))
        me = self._me().author.remote_id
        data = self._call("GET", f"/api/v1/statuses/{quote(parent.remote_id, safe='')}/context")
        _, descendants = parse_context(data)
        found = [post for post in descendants
                 if post.parent_remote_id == parent.remote_id and post.author.remote_id == me
                 and post.remote_id not in exclude
                 and (not_before is None or post.created_at >= not_before)
                 and _comparable(post.text) == expected]
        if not found:
            return None
        newest = max(found, key=lambda post: (post.created_at, len(post.remote_id),
                                              post.remote_id))
        return replace(newest, root_remote_id=parent.root_remote_id or parent.remote_id)

    # ------------------------------------------------------------ refresh

    def requests_left(self) -> int | None:
        """What the server's rate limit still allows before its reset (None: never said)."""
        return self._remaining

    def gone(self, remote_ids: list[str]) -> set[str]:
        """Which of these statuses the server no longer has (404): the refresh asks about
        stored replies a context left out, which some servers trim on long threads."""
        missing: set[str] = set()
        for remote_id in remote_ids:
            try:
                self.status(remote_id)
            except NotFound:
                missing.add(remote_id)
        return missing


def _comparable(text: str) -> str:
    """Text as both sides can agree on: the server renders remote mentions without domain."""
    return " ".join(_MENTION.sub(" ", text).split())
