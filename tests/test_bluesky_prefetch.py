"""Fetching a sync's Bluesky conversations ahead (app/net/bluesky_threads.py).

On the REAL local AT Protocol network: a sync that asks getPosts first and runs
getPostThread a few at a time stores exactly what one getPostThread per mention
stores. Without the network: errors reach the caller as they always did.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import BadResponse, RateLimited, ServerError, ServerUnreachable
from app.core.models import AccountInfo, Author, Network, Post
from app.core.sync import SyncService
from app.net.bluesky import BlueskyClient
from app.net.bluesky_parse import ViewSummary, is_single_line, parse_post_views
from app.net.bluesky_session import login
from app.net.bluesky_threads import ConversationPrefetch
from app.storage.inbox_store import SqliteInboxStore
from tests.fixtures.bluesky import Devnet, DevnetAccount
from tests.fixtures.storage import KeywordScorer

Ref = dict[str, Any]

# ---------------------------------------------------------------- on the devnet


def _chain(devnet: Devnet, parent: Ref, authors: list[DevnetAccount], levels: int) -> Ref:
    for level in range(1, levels + 1):
        devnet.wait_indexed(parent["uri"])
        parent = devnet.post(authors[level % len(authors)], f"level {level}", reply_to=parent)
    devnet.wait_indexed(parent["uri"])
    return parent


@pytest.fixture(scope="module")
def mixed_inbox(devnet: Devnet) -> tuple[DevnetAccount, str, dict[str, Any]]:
    """A shop whose mentions are of every shape a conversation can have."""
    shop = devnet.create_account("shop")
    password = devnet.create_app_password(shop)
    ann, bob, cat = (devnet.create_account(n) for n in ("ann", "bob", "cat"))
    at = f"@{shop.handle}"
    posts: dict[str, Any] = {}
    # more than one getPosts call's worth (25) of lone mentions
    posts["lone"] = [
        devnet.post((ann, bob)[i % 2], f"{at} lone question {i} ☕", mention=[shop])
        for i in range(27)
    ]
    posts["answered"] = devnet.post(bob, f"{at} is the café open? 🤔", mention=[shop])
    _chain(devnet, posts["answered"], [ann, cat], 2)
    other = devnet.post(cat, "What a day at the market")
    devnet.wait_indexed(other["uri"])
    posts["reply_mention"] = devnet.post(ann, f"{at} look at this", mention=[shop], reply_to=other)
    posts["sibling_mention"] = devnet.post(bob, f"{at} agreed!", mention=[shop], reply_to=other)
    posts["quote"] = devnet.post(cat, f"{at} quoting this", mention=[shop], quote=other)
    posts["quiet_root"] = devnet.post(cat, "Rainy day, nobody around")
    devnet.wait_indexed(posts["quiet_root"]["uri"])
    posts["one_line"] = devnet.post(
        ann, f"{at} open today?", mention=[shop], reply_to=posts["quiet_root"]
    )
    deep_parent = _chain(devnet, posts["answered"], [ann, bob], 11)  # below getPostThread's depth
    posts["deep_mention"] = devnet.post(
        cat, f"{at} still there? 📚", mention=[shop], reply_to=deep_parent
    )
    mentions = [
        *posts["lone"],
        posts["answered"],
        posts["reply_mention"],
        posts["sibling_mention"],
        posts["quote"],
        posts["deep_mention"],
        posts["one_line"],
    ]
    for ref in mentions:
        devnet.wait_for_uri(shop, ref["uri"], timeout=30)
    return shop, password, posts


def _sync(
    devnet: Devnet, shop: DevnetAccount, password: str, path: Path, *, prefetch: bool
) -> tuple[SqliteInboxStore, list[tuple[str, Any]]]:
    """One first sync into a fresh store; returns it and every XRPC call made during it."""
    result = login(shop.handle, password, service=devnet.pds_url, plc_url=devnet.plc_url)
    client = BlueskyClient.from_login(result, lambda _a, _r: None, prefetch_threads=prefetch)
    calls: list[tuple[str, Any]] = []
    lock = threading.Lock()
    real_call = client._xrpc.call

    def counted(method: str, nsid: str, **kwargs: Any) -> dict[str, Any]:
        with lock:
            calls.append((nsid, kwargs.get("params")))
        return real_call(method, nsid, **kwargs)

    client._xrpc.call = counted  # type: ignore[method-assign]
    store = SqliteInboxStore.open(path)
    account = store.add_account(AccountInfo(Network.BLUESKY, result.pds_url, shop.handle, shop.did))
    # The refresh of open threads is left out (refresh_limit=0): this compares how the
    # mentions' conversations are fetched; what the refresh re-reads is tested elsewhere,
    # and its re-reads depend on how the prefetch threads happened to finish.
    report = SyncService(store, lambda _a: client, KeywordScorer(), refresh_limit=0).sync_account(
        account
    )
    client.close()
    assert report.ok, report.error_message
    return store, calls


_POST_COLUMNS = (
    "p.remote_id, p.author_remote_id, p.author_handle, p.author_name, p.text, p.created_at, "
    "p.url, p.parent_remote_id, p.root_remote_id, p.is_mention, p.is_own, p.media, p.mentions, "
    "p.language, p.cid, p.deleted, p.raw_json, p.compound, p.label, t.root_remote_id"
)


def _everything(store: SqliteInboxStore) -> tuple[list[Any], list[Any]]:
    posts = store.db.execute_sql(
        f"SELECT {_POST_COLUMNS} FROM post p JOIN thread t "
        "ON t.id = p.thread_id ORDER BY p.remote_id"
    ).fetchall()
    threads = store.db.execute_sql(
        "SELECT root_remote_id, status, worst_label, post_count, snippet, author_handle "
        "FROM thread ORDER BY root_remote_id"
    ).fetchall()
    return posts, threads


@pytest.mark.devnet
@pytest.mark.timeout(900)
def test_prefetching_stores_exactly_what_one_thread_call_per_mention_stores(
    devnet: Devnet, mixed_inbox: tuple[DevnetAccount, str, dict[str, Any]], tmp_path: Path
) -> None:
    shop, password, posts = mixed_inbox
    plain, plain_calls = _sync(devnet, shop, password, tmp_path / "plain.sqlite3", prefetch=False)
    fast, fast_calls = _sync(devnet, shop, password, tmp_path / "fast.sqlite3", prefetch=True)
    try:
        assert _everything(fast) == _everything(plain)
        stored = {row[0] for row in _everything(fast)[0]}
        assert posts["deep_mention"]["uri"] in stored and posts["answered"]["uri"] in stored

        threads_asked = [
            params["uri"] for nsid, params in fast_calls if nsid == "app.bsky.feed.getPostThread"
        ]
        lone = {ref["uri"] for ref in posts["lone"]}
        assert not lone & set(threads_asked), "a root mention nobody answered needs no thread"
        assert posts["answered"]["uri"] in threads_asked, "a mention with replies gets its thread"
        assert posts["deep_mention"]["uri"] in threads_asked
        # a root mention's thread is shared from the moment it is asked for, so a mention
        # under it fetched in parallel waits for it (once seen: 8 asks for 7 threads)
        assert len(threads_asked) == len(set(threads_asked)), "no thread asked twice"
        assert posts["quiet_root"]["uri"] not in threads_asked, "one line: the root adds nothing"
        assert posts["quiet_root"]["uri"] in stored
        assert sum(nsid == "app.bsky.feed.getPosts" for nsid, _ in fast_calls) == 2  # 29 roots
        plain_threads = sum(nsid == "app.bsky.feed.getPostThread" for nsid, _ in plain_calls)
        assert len(threads_asked) < plain_threads // 4
    finally:
        plain.close()
        fast.close()


# ---------------------------------------------------------------- without a network

_ME = Author(Network.BLUESKY, "did:plc:ann", "ann.test")


def _post(n: int, *, reply_to: str | None = None) -> Post:
    uri = f"at://did:plc:ann/app.bsky.feed.post/{n}"
    return Post(
        Network.BLUESKY,
        uri,
        _ME,
        f"post {n}",
        datetime(2026, 1, 1, tzinfo=UTC),
        parent_remote_id=reply_to,
        root_remote_id=reply_to,
        is_mention=True,
    )


def _summary(post: Post, replies: int | None) -> ViewSummary:
    return ViewSummary(
        Post(post.network, post.remote_id, post.author, post.text, post.created_at, raw_json="{}"),
        replies,
    )


class Fakes:
    """Scripted getPosts and getPostThread, recording what was asked."""

    def __init__(self, replies: dict[str, int | None]) -> None:
        self.replies = replies
        self.lookups: list[list[str]] = []
        self.threads: list[str] = []
        self.thread_errors: dict[str, list[Exception]] = {}
        self.lookup_error: Exception | None = None
        self.lock = threading.Lock()

    def lookup(self, uris: list[str]) -> dict[str, ViewSummary]:
        self.lookups.append(list(uris))
        if self.lookup_error is not None:
            raise self.lookup_error
        return {u: _summary(_post_by_uri(u), self.replies[u]) for u in uris if u in self.replies}

    def conversation(self, post: Post) -> list[Post]:
        with self.lock:
            self.threads.append(post.remote_id)
            errors = self.thread_errors.get(post.remote_id)
            error = errors.pop(0) if errors else None
        if error is not None:
            raise error
        return [post]


def _post_by_uri(uri: str) -> Post:
    return _post(int(uri.rsplit("/", 1)[1]))


@pytest.fixture
def prefetch_of() -> Iterator[Callable[..., ConversationPrefetch]]:
    made: list[ConversationPrefetch] = []

    def make(posts: list[Post], fakes: Fakes, **kwargs: Any) -> ConversationPrefetch:
        made.append(ConversationPrefetch(posts, fakes.conversation, fakes.lookup, **kwargs))
        return made[-1]

    yield make
    for prefetch in made:
        prefetch.close()


def test_a_lone_root_mention_comes_from_get_posts_and_keeps_its_mention_flag(
    prefetch_of: Callable[..., ConversationPrefetch],
) -> None:
    posts = [_post(i) for i in range(30)]
    fakes = Fakes({p.remote_id: 0 for p in posts} | {posts[3].remote_id: 2})
    prefetch = prefetch_of(posts, fakes, workers=0)
    got = [prefetch.take(p) for p in posts]
    assert [g[0].remote_id for g in got] == [p.remote_id for p in posts]
    assert all(g[0].is_mention for g in got)
    assert fakes.threads == [posts[3].remote_id]  # only the one with replies
    assert [len(chunk) for chunk in fakes.lookups] == [25, 5]


def test_replies_and_posts_get_posts_left_out_fetch_their_threads(
    prefetch_of: Callable[..., ConversationPrefetch],
) -> None:
    root, reply, missing, unknown = _post(1), _post(2, reply_to="at://x/y/z"), _post(3), _post(4)
    fakes = Fakes({root.remote_id: 0, unknown.remote_id: None})
    prefetch = prefetch_of([root, reply, missing, unknown], fakes)
    for post in (root, reply, missing, unknown):
        assert prefetch.take(post)[0].remote_id == post.remote_id
    assert sorted(fakes.threads) == sorted([reply.remote_id, missing.remote_id, unknown.remote_id])
    assert fakes.lookups == [[root.remote_id, missing.remote_id, unknown.remote_id]]


def test_get_posts_failing_falls_back_to_threads(
    prefetch_of: Callable[..., ConversationPrefetch],
) -> None:
    posts = [_post(i) for i in range(3)]
    fakes = Fakes({p.remote_id: 0 for p in posts})
    fakes.lookup_error = ServerError("501 MethodNotImplemented")
    prefetch = prefetch_of(posts, fakes)
    assert [prefetch.take(p)[0].remote_id for p in posts] == [p.remote_id for p in posts]
    assert sorted(fakes.threads) == sorted(p.remote_id for p in posts)
    assert len(fakes.lookups) == 1


@pytest.mark.parametrize("error", [RateLimited("429", retry_after=5.0), ServerUnreachable("down")])
def test_get_posts_rate_limit_or_outage_reaches_the_caller(
    prefetch_of: Callable[..., ConversationPrefetch], error: Exception
) -> None:
    post = _post(1)
    fakes = Fakes({post.remote_id: 0})
    fakes.lookup_error = error
    prefetch = prefetch_of([post], fakes)
    with pytest.raises(type(error)):
        prefetch.take(post)
    fakes.lookup_error = None  # the sync waited; asking again works
    assert prefetch.take(post)[0].remote_id == post.remote_id


def test_a_prefetched_rate_limit_is_asked_again_not_replayed(
    prefetch_of: Callable[..., ConversationPrefetch],
) -> None:
    posts = [_post(i, reply_to="at://x/y/z") for i in range(4)]
    fakes = Fakes({})
    fakes.thread_errors[posts[2].remote_id] = [RateLimited("429", retry_after=1.0)]
    prefetch = prefetch_of(posts, fakes)
    for post in posts:
        assert prefetch.take(post)[0].remote_id == post.remote_id
    assert fakes.threads.count(posts[2].remote_id) == 2


def test_other_prefetched_errors_reach_the_caller_for_that_mention(
    prefetch_of: Callable[..., ConversationPrefetch],
) -> None:
    posts = [_post(i, reply_to="at://x/y/z") for i in range(3)]
    fakes = Fakes({})
    fakes.thread_errors[posts[1].remote_id] = [ServerError("502"), ServerError("502")]
    prefetch = prefetch_of(posts, fakes)
    assert prefetch.take(posts[0])[0].remote_id == posts[0].remote_id
    with pytest.raises(ServerError):
        prefetch.take(posts[1])


def test_get_posts_views_parse_with_their_reply_counts() -> None:
    view = {
        "uri": "at://did:plc:ann/app.bsky.feed.post/3abc",
        "cid": "c",
        "author": {"did": "did:plc:ann", "handle": "ann.test"},
        "record": {"text": "hi", "createdAt": "2026-01-01T00:00:00Z"},
        "indexedAt": "2026-01-01T00:00:00Z",
        "replyCount": 0,
    }
    answered = dict(view, uri="at://did:plc:ann/app.bsky.feed.post/3abd", replyCount=3)
    reply = dict(
        view,
        uri="at://did:plc:ann/app.bsky.feed.post/3abe",
        record={
            "text": "re",
            "createdAt": "2026-01-01T00:00:00Z",
            "reply": {
                "root": {"uri": view["uri"], "cid": "c"},
                "parent": {"uri": view["uri"], "cid": "c"},
            },
        },
    )
    odd = dict(view, uri="at://did:plc:ann/app.bsky.feed.post/3abf", replyCount=True)
    got = parse_post_views({"posts": [view, answered, reply, odd]})
    assert [got[v["uri"]].is_whole_thread for v in (view, answered, reply, odd)] == [
        True,
        False,
        False,
        False,
    ]
    with pytest.raises(BadResponse):
        parse_post_views({"nope": []})


def _node(uri: str, replies: int | None, parent: Any = None, root: str | None = None) -> Any:
    record: dict[str, Any] = {"text": "t", "createdAt": "2026-01-01T00:00:00Z"}
    if root:
        record["reply"] = {"root": {"uri": root, "cid": "c"}, "parent": {"uri": root, "cid": "c"}}
    node: dict[str, Any] = {
        "$type": "app.bsky.feed.defs#threadViewPost",
        "post": {
            "uri": uri,
            "cid": "c",
            "author": {"did": "did:plc:ann", "handle": "ann.test"},
            "record": record,
            "indexedAt": "2026-01-01T00:00:00Z",
            "replyCount": replies,
        },
    }
    if parent is not None:
        node["parent"] = parent
    return node


def test_a_thread_is_one_line_only_when_every_ancestor_up_to_the_root_has_one_reply() -> None:
    root, mid, me = (f"at://did:plc:ann/app.bsky.feed.post/3ab{c}" for c in "cde")
    line = _node(me, 0, _node(mid, 1, _node(root, 1), root=root), root=root)
    assert is_single_line({"thread": line})
    branched = _node(me, 0, _node(mid, 1, _node(root, 2), root=root), root=root)
    assert not is_single_line({"thread": branched})
    cut = _node(
        me,
        0,
        _node(
            mid,
            1,
            {"$type": "app.bsky.feed.defs#notFoundPost", "uri": root, "notFound": True},
            root=root,
        ),
        root=root,
    )
    assert not is_single_line({"thread": cut})
    short = _node(me, 0, _node(mid, 1, root=root), root=root)  # parentHeight stopped early
    assert not is_single_line({"thread": short})
    assert not is_single_line({"thread": _node(root, 0)})  # a root is not a reply
    assert not is_single_line({"thread": "nonsense"})
