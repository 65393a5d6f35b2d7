"""A sync's conversations fetched ahead of the caller: fewer requests, and overlapping ones.

The sync asks for one conversation at a time (`BlueskyClient.thread`), and each
getPostThread costs the AppView tens of milliseconds. For the mentions the last
`mentions()` call returned we know what comes next, so `ConversationPrefetch`:
- asks getPosts (25 posts a call) about the mentions that are root posts: one
  nobody answered (replyCount 0) is its own whole conversation, and the post
  view getPosts returns is the one getPostThread would have returned;
- runs the other getPostThread calls a few at a time, at most LOOKAHEAD
  mentions ahead of the caller, so the waits on the server overlap.
The sync may say the order it will ask in (`reorder`: complaints and the newest
first). The caller still gets each conversation, or its error, when it asks for it: a
rate limit is not replayed from a prefetch (the caller may have waited it out)
but asked again, so the sync's waiting and cursor rules stay as they were.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from app.core.errors import AuthError, NetworkError, RateLimited, ServerUnreachable
from app.core.models import Post
from app.net.bluesky_parse import ViewSummary

log = logging.getLogger(__name__)

GET_POSTS_LIMIT = 25  # app.bsky.feed.getPosts takes at most 25 uris
WORKERS = 3  # prefetching threads; with the caller's own call, at most 4 requests in flight
LOOKAHEAD = 6  # mentions fetched ahead of the one asked for: bounds the work a cancel wastes

Conversation = Callable[[Post], list[Post]]
Lookup = Callable[[list[str]], dict[str, ViewSummary]]


class ConversationPrefetch:
    """The conversations of one batch of mentions, fetched ahead in the order they came."""

    def __init__(
        self,
        mentions: Sequence[Post],
        conversation: Conversation,
        lookup: Lookup,
        *,
        workers: int = WORKERS,
        lookahead: int = LOOKAHEAD,
    ) -> None:
        self._order: list[Post] = []
        self._index: dict[str, int] = {}
        for post in mentions:
            if post.remote_id and post.remote_id not in self._index:
                self._index[post.remote_id] = len(self._order)
                self._order.append(post)
        # a mention whose record is a reply always needs its thread; roots may not
        self._roots = [p.remote_id for p in self._order if p.parent_remote_id is None]
        self._next_root = 0  # roots before this one have been asked about
        self._lookup_works = True
        self._summaries: dict[str, ViewSummary] = {}
        self._conversation = conversation
        self._lookup = lookup
        self._workers = max(0, workers)
        self._lookahead = max(0, lookahead)
        self._futures: dict[str, Future[list[Post]]] = {}
        self._taken: set[str] = set()
        self._fetched: set[str] = set()  # uris some finished conversation already holds
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def __contains__(self, uri: object) -> bool:
        return uri in self._index

    def close(self) -> None:
        """Drop queued prefetches; ones already on the wire finish and are forgotten."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._futures.clear()
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def reorder(self, posts: Sequence[Post]) -> None:
        """The caller will ask for these conversations in this order (complaints and the
        newest first): fetch ahead in it. Mentions it leaves out keep their turn after."""
        first: list[Post] = []
        for post in posts:
            at = self._index.get(post.remote_id)
            if at is not None and self._order[at] not in first:
                first.append(self._order[at])
        named = {p.remote_id for p in first}
        asked = set(self._roots[: self._next_root])  # getPosts has been asked about these
        self._order = [*first, *(p for p in self._order if p.remote_id not in named)]
        self._index = {p.remote_id: i for i, p in enumerate(self._order)}
        self._roots = [
            p.remote_id
            for p in self._order
            if p.parent_remote_id is None and p.remote_id not in asked
        ]
        self._next_root = 0

    def take(self, post: Post) -> list[Post]:
        """`post`'s conversation, as the client's own `conversation(post)` would give it."""
        at = self._index[post.remote_id]
        self._classify(at + self._lookahead)
        self._taken.add(post.remote_id)
        self._prefetch(at + 1)
        summary = self._summaries.get(post.remote_id)
        if summary is not None and summary.is_whole_thread:
            return [replace(summary.post, is_mention=post.is_mention)]
        with self._lock:
            future = self._futures.pop(post.remote_id, None)
        if future is not None and not future.cancelled():
            try:
                return future.result()
            except RateLimited:
                pass  # stale: the caller may have waited it out since; ask again below
        return self._remember(self._conversation(post))

    # ---- getPosts

    def _classify(self, upto: int) -> None:
        """Ask getPosts about every root mention up to index `upto` (25 at a time)."""
        while (
            self._lookup_works
            and self._next_root < len(self._roots)
            and self._index[self._roots[self._next_root]] <= upto
        ):
            chunk = self._roots[self._next_root : self._next_root + GET_POSTS_LIMIT]
            try:
                self._summaries.update(self._lookup(chunk))
            except (AuthError, RateLimited, ServerUnreachable):
                raise  # getPostThread would meet the same; the caller handles these
            except NetworkError as exc:  # getPosts missing or odd here: fetch threads instead
                log.info("getPosts failed (%s); fetching whole threads", type(exc).__name__)
                self._lookup_works = False
                return
            self._next_root += len(chunk)

    # ---- getPostThread, ahead of the caller

    def _prefetch(self, start: int) -> None:
        if not self._workers or not self._lookahead:
            return
        for post in self._order[start : start + self._lookahead]:
            uri = post.remote_id
            summary = self._summaries.get(uri)
            if (
                uri in self._taken
                or uri in self._fetched
                or (summary is not None and summary.is_whole_thread)
            ):
                continue
            if (
                post.parent_remote_id is None
                and self._lookup_works
                and self._index[uri] >= self._classified_upto()
            ):
                continue  # getPosts may still show it needs no thread
            with self._lock:
                if uri in self._futures:
                    continue
                if self._executor is None:
                    self._executor = ThreadPoolExecutor(
                        self._workers, thread_name_prefix="bluesky-thread"
                    )
                future = self._executor.submit(self._conversation, post)
                self._futures[uri] = future
            future.add_done_callback(self._remember_done)

    def _classified_upto(self) -> int:
        """The order index of the first root mention getPosts has not been asked about."""
        if self._next_root >= len(self._roots):
            return len(self._order)
        return self._index[self._roots[self._next_root]]

    def _remember_done(self, future: Future[list[Post]]) -> None:
        if not future.cancelled() and future.exception() is None:
            self._remember(future.result())

    def _remember(self, posts: list[Post]) -> list[Post]:
        self._fetched.update(p.remote_id for p in posts)
        return posts
