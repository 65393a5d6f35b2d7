"""Mastodon client: one connected account on one server, behind the NetworkClient port.

Everything the server sends goes through `mastodon_parse`; this module only
decides which requests to make, in which order, and how failures are typed.
The access token travels only in the Authorization header.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
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
    ServerError,
    TooLong,
)
from app.core.in_flight import IN_FLIGHT
from app.core.models import AccountInfo, MentionBatch, Network, Post
from app.core.reply_mentions import is_own_handle, with_mentions
from app.net.http import MAX_SECONDS, TIMEOUT, HttpSession, Response, reset_in_seconds
from app.net.mastodon_parse import (
    INBOX_TYPES,
    Credentials,
    NotificationItem,
    NotificationPage,
    error_message,
    instance_domain,
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
MAX_PAGES = 100  # a fuse: twice the pages 2,000 mentions fill; the rest waits for the next sync
EMPTY_PAGES = 3  # pages in a row with no mention in them: the rest is noise, stop here
SAME_WINDOW = 1.0  # seconds: two reset moments this close name the same rate-limit window
FRESH_FOR = 600.0  # seconds a status from the notifications counts as just read
RETRY_PAUSE = 0.5  # seconds before asking once more after a 502/503/504 on a read
READ_ONLY_TOKEN = (
    "This token can read but not reply: create one with write access "
    '(in your server\'s Development settings, tick "write") and paste it again.'
)
DELETED_PARENT = (
    "The post you are answering was deleted, so the reply was not sent. Nothing was posted."
)

_AUTH_WORDS = re.compile(r"token|authori[sz]|authenticat|credential", re.IGNORECASE)
_TOO_LONG_WORDS = re.compile(r"character limit|too long", re.IGNORECASE)
_SCOPE_WORDS = re.compile(r"scope", re.IGNORECASE)
_UNSAYABLE = re.compile(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MENTION = re.compile(r"(?<![\w@/])@\w[\w.-]*(?:@[\w.-]*\w)?")


class MastodonClient:
    """NetworkClient for any server speaking the Mastodon client API.

    `thread` may run on several threads at once (the sync keeps `in_flight` conversation
    fetches going): the rate-limit state and the counters are kept under a lock.
    """

    network = Network.MASTODON
    in_flight = IN_FLIGHT

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
        account_domain: str = "",
    ) -> None:
        self._http = HttpSession(
            server, timeout=timeout, max_seconds=max_seconds, connections=self.in_flight
        )
        self._lock = threading.Lock()  # rate-limit state and counters, shared by fetching threads
        self.server = self._http.base_url
        self._token = access_token
        self._unreadable_in_threads = 0  # statuses left out of conversations (counted)
        self.page_pause = page_pause
        self._sleep = sleep
        self._creds: Credentials | None = None
        self._limits: tuple[int, int] | None = (
            (max_chars, MASTODON_URL_WEIGHT) if max_chars else None
        )
        self._instance_domain = ""
        self._instance_read = False
        self._account_domain = account_domain.lower()  # stored at sign-in: no request needed
        self._types: tuple[str, ...] = INBOX_TYPES  # narrowed to mention on servers that balk
        self._blocked_until = 0.0  # monotonic time before which the server said "no more"
        self._remaining: int | None = None
        self._reset_at: float | None = None
        self._just_sent: dict[str, tuple[float, Post]] = {}  # mentions read moments ago

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
        for attempt in (1, 2):
            try:
                resp = self._http.request(
                    method, path, params=params, json_body=json_body, headers=all_headers
                )
                break
            except RateLimited as exc:
                with self._lock:
                    self._blocked_until = max(
                        self._blocked_until, time.monotonic() + exc.retry_after
                    )
                raise
            except ServerError:
                if method != "GET" or attempt == 2:
                    raise  # a write is never repeated here: the outbox decides, with its key
                log.info("%s %s: server error, asking once more", method, path)
                self._sleep(RETRY_PAUSE)
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
        message = _cleaned(error_message(resp.body))
        detail = f"{what}: HTTP {resp.status}: {message}"
        said = f"error {resp.status}: {message}" if message else f"error {resp.status}"
        if resp.status == 401:
            return AuthError(detail)
        if resp.status == 400 and _AUTH_WORDS.search(message):
            return AuthError(detail)  # proxies and old servers answer bad tokens with 400 text
        if resp.status == 403 and _SCOPE_WORDS.search(message):
            return AuthError(
                detail,
                user_message=(
                    f"This sign-in does not allow Shopkeep to do that "
                    f"(the server answered {said}). "
                    "Sign in again so Shopkeep can ask for read and write access."
                ),
            )
        if resp.status == 403:
            return AuthError(
                detail,
                user_message=(
                    f"The server refused this account (it answered {said}). "
                    "Sign in on the website to see why."
                ),
            )
        if resp.status in (404, 410):
            return NotFound(detail)
        if resp.status == 422 and _TOO_LONG_WORDS.search(message):
            return TooLong(detail)
        return BadResponse(detail, user_message=f"The server refused the request: {message}")

    def _note_rate_limit(self, headers: Mapping[str, str]) -> None:
        """Remember X-RateLimit-Remaining/Reset; at 0 the next call waits for the reset.

        With fetches in flight the answers can arrive out of order: within one window
        (the same reset moment) the lowest count the server gave is the true one.
        """
        raw = headers.get("X-RateLimit-Remaining")
        if raw is None:
            return
        try:
            remaining = int(raw.strip())
        except ValueError:
            return
        reset = reset_in_seconds(headers.get("X-RateLimit-Reset"))
        now = time.monotonic()
        reset_at = now + reset if reset is not None else None
        with self._lock:
            same_window = (
                self._remaining is not None
                and reset_at is not None
                and self._reset_at is not None
                and abs(reset_at - self._reset_at) < SAME_WINDOW
            )
            if same_window and self._remaining is not None:
                remaining = min(remaining, self._remaining)
            self._remaining = remaining
            self._reset_at = reset_at
            if remaining <= 0:
                self._blocked_until = now + (reset if reset is not None else 60.0)

    def _pace(self) -> None:
        """A short pause between pages; longer when the remaining budget runs low."""
        if self._blocked_until > time.monotonic():
            return  # the next call raises RateLimited at once; sleeping first helps nobody
        if self._remaining is not None and self._remaining >= HIGH_REMAINING:
            return  # the server told us the budget and it is ample: pausing only slows sync
        wait = self.page_pause
        if (
            self._remaining is not None
            and self._reset_at is not None
            and self._remaining < LOW_REMAINING
        ):
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
        self._instance_read = False
        max_chars, _ = self._load_limits()
        return AccountInfo(
            network=Network.MASTODON,
            server=self.server,
            handle=creds.author.handle,
            remote_id=creds.author.remote_id,
            display_name=creds.author.display_name,
            max_chars=max_chars,
            default_visibility=creds.default_visibility,
            domain=self.account_domain(),
        )

    def account_domain(self) -> str:
        """Where the account lives: its acct's domain, the instance's `domain` (which may
        differ from the server's host, e.g. @shop@example.com on social.example.com),
        else the host. Asks the server at most once."""
        if self._account_domain:
            return self._account_domain
        acct = self._creds.author.handle.lstrip("@") if self._creds else ""
        if "@" in acct:
            return acct.split("@", 1)[1].lower()
        self._read_instance()
        return self._instance_domain or (urlsplit(self.server).hostname or "")

    def check_can_post(self) -> None:
        """Refuse a token that can read but not post, without posting anything.

        An empty status fails validation (422) only after the token's scopes passed;
        a token without write access is refused before that (403). A server that
        takes the empty post gets it deleted at once.
        """
        try:
            data = self._call(
                "POST",
                "/api/v1/statuses",
                json_body={"status": ""},
                headers={"Idempotency-Key": secrets.token_hex(16)},
            )
        except AuthError as exc:
            if ": HTTP 403:" not in str(exc):
                raise
            said = str(exc).split(": HTTP 403:", 1)[1].strip()
            raise AuthError(
                str(exc),
                user_message=(f"{READ_ONLY_TOKEN[:-1]} (the server answered error 403: {said})."),
            ) from exc
        except (BadResponse, NotFound, TooLong):
            return  # refused for what it says, not for who asks: the token may post
        except ServerError as exc:  # some forks fail on an empty post: cannot tell, let it be
            log.info("could not check write access: %s", exc)
            return
        post = parse_status(data, "posted status")
        log.warning("the server accepted an empty status %s; deleting it", post.remote_id)
        self._call("DELETE", f"/api/v1/statuses/{quote(post.remote_id, safe='')}")

    def _me(self) -> Credentials:
        if self._creds is None:
            self._creds = parse_credentials(
                self._call("GET", "/api/v1/accounts/verify_credentials")
            )
        return self._creds

    def _load_limits(self) -> tuple[int, int]:
        """max_characters and characters_reserved_per_url: v2 instance, then v1, then 500/23."""
        if self._limits is None:
            self._read_instance()
        if self._limits is None:
            self._limits = (DEFAULT_MAX_CHARS, MASTODON_URL_WEIGHT)
        return self._limits

    def _read_instance(self) -> None:
        """Once: length limits and the account domain from /api/v2/instance, else v1."""
        if self._instance_read:
            return
        for path in ("/api/v2/instance", "/api/v1/instance"):
            try:
                data = self._call("GET", path)
                self._instance_domain = self._instance_domain or instance_domain(data)
                limits = parse_instance_limits(data, path)
            except (NotFound, BadResponse) as exc:
                log.info("no length limits from %s: %s", path, exc)
                continue
            if limits is not None and self._limits is None:
                self._limits = limits
            if self._limits is not None and self._instance_domain:
                break
        self._instance_read = True

    def max_chars(self) -> int:
        """The server's limit (asks the server once unless given to the constructor)."""
        return self._load_limits()[0]

    def count_chars(self, text: str) -> int:
        """Never touches the network: safe for a live counter."""
        url_weight = self._limits[1] if self._limits else MASTODON_URL_WEIGHT
        return mastodon_length(text, url_weight)

    # ------------------------------------------------------------ mentions

    def _notifications(self, **bound: str) -> NotificationPage:
        """One page of mentions and quotes (a server that refuses the quote types gets
        asked for mentions only from then on)."""
        while True:
            params: list[tuple[str, str]] = [("types[]", kind) for kind in self._types]
            params += [("include_filtered", "true"), ("limit", str(PAGE_LIMIT))]
            params += sorted(bound.items())
            try:
                data = self._call("GET", "/api/v1/notifications", params=params)
            except BadResponse as exc:
                if len(self._types) == 1 or not re.search(r": HTTP 4(00|22):", str(exc)):
                    raise
                log.info("the server refused the quote notification types; mentions only")
                self._types = ("mention",)
                continue
            return parse_notifications(data)

    @staticmethod
    def _unseen(page: list[NotificationItem], seen: set[str]) -> list[NotificationItem]:
        """Drop repeats; a page of nothing new means the server ignores the paging ids."""
        fresh = [item for item in page if item.id not in seen]
        if page and not fresh:
            raise BadResponse(
                "the server sent the same notifications page twice (it ignores min_id/max_id)"
            )
        seen.update(item.id for item in fresh)
        return fresh

    def mentions(
        self, cursor: str | None, *, max_items: int = 2000, days: float | None = None
    ) -> MentionBatch:
        """Mentions newer than `cursor`, oldest first; first sync walks back max_items/days."""
        if cursor:
            return self._remember(self._mentions_forward(cursor, max_items))
        return self._remember(self._mentions_backward(max_items, days))

    def _remember(self, batch: MentionBatch) -> MentionBatch:
        """Keep the statuses the notifications carried: their conversation fetch need not
        read them again (one request less per conversation)."""
        now = time.monotonic()
        self._just_sent = {k: v for k, v in self._just_sent.items() if now - v[0] < FRESH_FOR}
        self._just_sent.update((p.remote_id, (now, p)) for p in batch.posts)
        return batch

    def _mentions_forward(self, cursor: str, max_items: int) -> MentionBatch:
        """min_id pages come oldest-first page by page, so stopping early loses nothing.

        Bounded: MAX_PAGES, and EMPTY_PAGES in a row that bring no mention (a server
        can keep sending fresh notifications with no post); the next sync goes on.
        """
        posts: list[Post] = []
        newest = cursor
        complete = True
        seen: set[str] = set()
        pages = empty = skipped = 0
        while True:
            if pages >= MAX_PAGES or empty >= EMPTY_PAGES:
                complete = False
                break
            if pages:
                self._pace()
            try:
                page = self._notifications(min_id=newest)
            except RateLimited:
                if not posts:
                    raise
                complete = False  # keep what we have; the next call reports the wait
                break
            pages += 1
            skipped += page.unreadable - sum(item.unreadable for item in page.items)
            if not page.items:
                break
            newest = page.items[0].id  # newest-first within the page
            fresh = self._unseen(page.items, seen)
            skipped += sum(item.unreadable for item in fresh)
            found = [item.post for item in reversed(fresh) if item.post is not None]
            posts.extend(found)
            empty = 0 if found else empty + 1
            if len(posts) >= max_items:
                complete = False
                break
        return MentionBatch(posts=posts, cursor=newest, complete=complete, skipped=skipped)

    def _mentions_backward(
        self, max_items: int, days: float | None, before: str | None = None
    ) -> MentionBatch:
        """Newest page first (or the page below `before`), then max_id backwards until a
        bound or the end. Stopped by the count, `older` says where to go on; stopped by
        the page cap or pages with no mention in them, the walk simply ends."""
        cutoff = datetime.now(UTC) - timedelta(days=days) if days else None
        posts: list[Post] = []
        newest: str | None = None
        max_id = before
        older: str | None = None
        complete = True
        seen: set[str] = set()
        pages = empty = skipped = 0
        while complete:
            if pages >= MAX_PAGES or empty >= EMPTY_PAGES:
                complete = False
                break
            if max_id != before:
                self._pace()
            page = self._notifications(max_id=max_id) if max_id else self._notifications()
            pages += 1
            skipped += page.unreadable - sum(item.unreadable for item in page.items)
            if not page.items:
                break
            newest = newest or page.items[0].id
            found = 0
            for item in self._unseen(page.items, seen):
                skipped += item.unreadable
                if item.post is not None and cutoff and item.post.created_at < cutoff:
                    complete = False
                    break
                if item.post is not None and len(posts) >= max_items:
                    complete, older = False, max_id
                    break
                max_id = item.id
                if item.post is not None:
                    posts.append(item.post)
                    found += 1
            else:
                max_id = page.items[-1].id
            empty = 0 if found else empty + 1
        posts.reverse()
        return MentionBatch(
            posts=posts, cursor=newest, complete=complete, older=older, skipped=skipped
        )

    def older_mentions(
        self, before: str, *, max_items: int = 2000, days: float | None = None
    ) -> MentionBatch:
        """Mentions older than `before` (an `older` of an earlier walk), newest first."""
        return self._remember(self._mentions_backward(max_items, days, before))

    # ------------------------------------------------------------ threads

    def status(self, remote_id: str) -> Post:
        """One status, fresh from the server (NotFound when deleted or hidden)."""
        return parse_status(self._call("GET", f"/api/v1/statuses/{quote(remote_id, safe='')}"))

    def thread(self, post: Post) -> list[Post]:
        """Ancestors (root first), the post, descendants; a deleted post comes back deleted."""
        sent_at, known = self._just_sent.pop(post.remote_id, (0.0, None))
        try:
            try:
                fresh = (
                    known
                    if known is not None and time.monotonic() - sent_at < FRESH_FOR
                    else self.status(post.remote_id)
                )
            except BadResponse as exc:  # unreadable now: keep what we had, read the rest
                log.warning("status %s could not be read again: %s", post.remote_id, exc)
                fresh = post
            data = self._call("GET", f"/api/v1/statuses/{quote(post.remote_id, safe='')}/context")
        except NotFound:
            return [replace(post, deleted=True)]
        skipped: list[str] = []
        ancestors, descendants = parse_context(data, skipped=skipped)
        with self._lock:
            self._unreadable_in_threads += len(skipped)
        fresh = replace(fresh, is_mention=post.is_mention)
        root = ancestors[0].remote_id if ancestors else fresh.remote_id
        return [replace(p, root_remote_id=root) for p in (*ancestors, fresh, *descendants)]

    def take_unreadable(self) -> int:
        """Statuses left out of conversations since the last call (for the sync report)."""
        with self._lock:
            count, self._unreadable_in_threads = self._unreadable_in_threads, 0
        return count

    # ------------------------------------------------------------ replying

    def _is_me(self, handle: str) -> bool:
        """'@shop', or '@shop@' any domain the account is known by (its own, the host's)."""
        me = self._me().author.handle
        if is_own_handle(handle, me, ()):
            return True
        domains = {
            urlsplit(self.server).hostname or "",
            self.account_domain(),
            self._instance_domain,
        }
        return is_own_handle(handle, me, domains)

    def reply_text(self, parent: Post, text: str, private: bool = False) -> str:
        """`text` prefixed with @-mentions of the author and the others, minus the owner;
        a private reply mentions the author alone (a direct post reaches only those named)."""
        if private:
            parent = replace(parent, mentions=())
        return with_mentions(parent, text, self._is_me, self._me().author.remote_id)

    def reply_visibility(self, parent: Post, private: bool = False) -> str:
        """Never wider than the parent: the more private of the parent's and our default;
        "direct" when the owner chose to answer the customer alone."""
        if private:
            return "direct"
        return narrower(parent.visibility, self._me().default_visibility)

    def reply(
        self, parent: Post, text: str, idempotency_key: str, *, private: bool = False
    ) -> Post:
        """Post under `parent`; a retry with the same Idempotency-Key (1 h) gets that post."""
        body = self.reply_text(parent, text, private)
        payload: dict[str, Any] = {
            "status": body,
            "in_reply_to_id": parent.remote_id,
            "visibility": self.reply_visibility(parent, private),
        }
        if parent.content_warning:
            payload["spoiler_text"] = parent.content_warning
        length = self.count_chars(parent.content_warning + body)
        if length > self.max_chars():
            raise TooLong(f"{length} > {self.max_chars()} characters")
        self._check_parent(parent)
        data = self._call(
            "POST",
            "/api/v1/statuses",
            json_body=payload,
            headers={"Idempotency-Key": idempotency_key},
        )
        post = parse_status(data, "posted status")
        if post.parent_remote_id != parent.remote_id:
            self._take_back(post, parent, body)
        return replace(post, root_remote_id=parent.root_remote_id or parent.remote_id)

    def _check_parent(self, parent: Post) -> None:
        """The post we answer must still exist: some servers post a reply to an unknown
        parent as a new public post on the shop's profile instead of refusing it."""
        try:
            self.status(parent.remote_id)
        except NotFound as exc:
            raise NotFound(
                f"parent {parent.remote_id} is gone: {exc}", user_message=DELETED_PARENT
            ) from exc

    def _take_back(self, post: Post, parent: Post, body: str) -> None:
        """The server posted something that is not a reply to `parent`: if it is ours, delete
        it at once (it would sit on the shop's profile as a stray public post), and say so."""
        detail = (
            f"posted status {post.remote_id} replies to {post.parent_remote_id!r}, "
            f"not {parent.remote_id!r}"
        )
        ours = post.author.remote_id == self._me().author.remote_id and _comparable(
            post.text
        ) == _comparable(body)
        if not ours:
            raise BadResponse(
                detail,
                user_message=(
                    "The server answered the reply with a different post. Check the shop's "
                    "profile on the website before sending it again."
                ),
            )
        try:
            self._call("DELETE", f"/api/v1/statuses/{quote(post.remote_id, safe='')}")
        except NotFound:
            pass  # already gone
        except NetworkError as exc:
            raise BadResponse(
                f"{detail}; deleting it failed: {exc}",
                user_message=(
                    "The server posted the reply as a new post instead of an answer, and "
                    "Shopkeep could not delete it. Please delete it on the website."
                ),
            ) from exc
        log.warning("%s; deleted it again", detail)
        raise NotFound(
            detail,
            user_message=(
                "The server posted the reply as a new post instead of an answer to the customer "
                "(the post being answered is probably gone), so Shopkeep deleted it again."
            ),
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
        """After a timeout/reset/5xx: our reply with this text under `parent`, if it exists.

        Mastodon cannot look a post up by its Idempotency-Key, so an older reply with
        the same words must not pass for ours: ids in `exclude` (known before this reply
        was queued) and posts made before `not_before` are skipped, and the newest
        remaining match wins.
        """
        expected = _comparable(self.reply_text(parent, text, private))
        me = self._me().author.remote_id
        data = self._call("GET", f"/api/v1/statuses/{quote(parent.remote_id, safe='')}/context")
        _, descendants = parse_context(data)
        found = [
            post
            for post in descendants
            if post.parent_remote_id == parent.remote_id
            and post.author.remote_id == me
            and post.remote_id not in exclude
            and (not_before is None or post.created_at >= not_before)
            and _comparable(post.text) == expected
        ]
        if not found:
            return None
        newest = max(found, key=lambda post: (post.created_at, len(post.remote_id), post.remote_id))
        return replace(newest, root_remote_id=parent.root_remote_id or parent.remote_id)

    def delete_post(self, remote_id: str) -> None:
        """DELETE /api/v1/statuses/:id: the owner takes a sent reply back (gone is done)."""
        try:
            self._call("DELETE", f"/api/v1/statuses/{quote(remote_id, safe='')}")
        except NotFound:
            log.info("status %s was already gone", remote_id)

    # ------------------------------------------------------------ refresh

    def requests_left(self) -> int | None:
        """What the server's rate limit still allows before its reset (None: never said)."""
        return self._remaining

    def reset_in(self) -> float | None:
        """Seconds until the server's rate limit starts afresh (None: never said)."""
        return None if self._reset_at is None else self._reset_at - time.monotonic()

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


def _cleaned(message: str, limit: int = 160) -> str:
    """The server's error words, safe to show: no control or direction characters, short."""
    text = " ".join(_UNSAYABLE.sub(" ", message).split())
    return text[:limit] + "…" if len(text) > limit else text


def _comparable(text: str) -> str:
    """Text as both sides can agree on: the server renders remote mentions without domain."""
    return " ".join(_MENTION.sub(" ", text).split())
