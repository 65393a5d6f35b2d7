"""User stories against a REAL local AT Protocol network (tests/devnet/).

A shop and two customers; customers mention, reply (down to five levels) and
quote; the shop syncs, reads threads and answers through BlueskyClient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from app.core.errors import AuthError, NotFound, ServerUnreachable, WrongCredentials
from app.core.models import Post
from app.core.outbox import new_tid
from app.net.bluesky import BlueskyClient
from app.net.bluesky_parse import UNAVAILABLE_TEXT
from app.net.bluesky_session import login, resolve_handle, resolve_pds
from tests.fixtures.bluesky import Devnet, DevnetAccount, forge_expired

pytestmark = [pytest.mark.devnet, pytest.mark.timeout(900)]


# The AppView notifies a reply's ancestors only up to 4 levels up (height < 5), so
# reply5 (five levels under the shop's post) is NOT a notification: thread() finds it.
NOTIFIED = (
    "mention",
    "reply1",
    "quote",
    "reply2",
    "reply3",
    "reply4",
    "reply_mention",
    "deep_mention",
)


@dataclass
class Shop:
    account: DevnetAccount
    app_password: str
    client: BlueskyClient
    saved: list[tuple[str, str]] = field(default_factory=list)


def _client(devnet: Devnet, account: DevnetAccount, password: str) -> Shop:
    saved: list[tuple[str, str]] = []
    result = login(account.handle, password, service=devnet.pds_url, plc_url=devnet.plc_url)
    client = BlueskyClient.from_login(result, lambda a, r: saved.append((a, r)))
    shop = Shop(account, password, client, saved)
    return shop


@pytest.fixture(scope="module")
def people(devnet: Devnet) -> tuple[Shop, DevnetAccount, DevnetAccount]:
    shop_acct = devnet.create_account("shop")
    shop = _client(devnet, shop_acct, devnet.create_app_password(shop_acct))
    return shop, devnet.create_account("ann"), devnet.create_account("bob")


@pytest.fixture(scope="module")
def story(devnet: Devnet, people: tuple[Shop, DevnetAccount, DevnetAccount]) -> dict[str, Any]:
    """Customers talk to and about the shop; returns what they posted, by name."""
    shop, ann, bob = people
    posts: dict[str, Any] = {}
    posts["announce"] = devnet.post(shop.account, "New beans in store today ☕")
    posts["mention"] = devnet.post(
        ann, f"Héllo 👋 @{shop.account.handle} — café ☕ is cold!", mention=[shop.account]
    )
    devnet.wait_indexed(posts["announce"]["uri"])
    posts["reply1"] = devnet.post(bob, "Which beans? 🤔", reply_to=posts["announce"])
    posts["quote"] = devnet.post(ann, "Look at this 👀", quote=posts["announce"])
    parent = posts["reply1"]
    for level in range(2, 6):  # a chain five levels under the shop's post
        devnet.wait_indexed(parent["uri"])
        author = ann if level % 2 == 0 else bob
        parent = devnet.post(author, f"level {level} ✨", reply_to=parent)
        posts[f"reply{level}"] = parent
    devnet.wait_indexed(parent["uri"])
    posts["deep_mention"] = devnet.post(  # six levels down, but it names the shop
        bob,
        f"@{shop.account.handle} are you still reading? 📚",
        mention=[shop.account],
        reply_to=parent,
    )
    devnet.wait_indexed(posts["reply1"]["uri"])
    posts["reply_mention"] = devnet.post(
        ann,
        f"Also @{shop.account.handle}, hours?",
        mention=[shop.account],
        reply_to=posts["reply1"],
    )
    for name in NOTIFIED:
        devnet.wait_for_uri(shop.account, posts[name]["uri"])
    return posts


def test_handle_resolves_to_did_and_pds(devnet: Devnet, people: Any) -> None:
    shop, _, _ = people
    did = resolve_handle(shop.account.handle, service=devnet.pds_url)
    assert did == shop.account.did
    assert resolve_pds(did, plc_url=devnet.plc_url) == devnet.pds_url
    info = shop.client.verify()
    assert (info.handle, info.remote_id, info.max_chars) == (shop.account.handle, did, 300)


def test_mentions_replies_quotes_arrive_once(people: Any, story: dict[str, Any]) -> None:
    shop, ann, _bob = people
    batch = shop.client.mentions(None)
    by_uri = {p.remote_id: p for p in batch.posts}
    assert len(by_uri) == len(batch.posts), "each notification exactly once"
    assert set(by_uri) == {story[n]["uri"] for n in NOTIFIED}
    assert story["reply5"]["uri"] not in by_uri
    assert batch.complete
    assert [p.created_at for p in batch.posts] == sorted(p.created_at for p in batch.posts)

    mention = by_uri[story["mention"]["uri"]]
    assert mention.text.startswith("Héllo 👋 @") and mention.mentions == (shop.account.handle,)
    assert mention.is_mention and mention.author.remote_id == ann.did and mention.cid
    assert mention.parent_remote_id is None
    # a reply that also mentions the shop is notified as "mention": the record still says reply
    both = by_uri[story["reply_mention"]["uri"]]
    assert both.parent_remote_id == story["reply1"]["uri"]
    assert both.root_remote_id == story["announce"]["uri"]
    deep = by_uri[story["deep_mention"]["uri"]]
    assert deep.parent_remote_id == story["reply5"]["uri"]
    assert deep.root_remote_id == story["announce"]["uri"]
    quote = by_uri[story["quote"]["uri"]]
    assert [m.label for m in quote.media] == ["Quoted post"]
    assert quote.media[0].url.endswith("/post/" + story["announce"]["uri"].rsplit("/", 1)[1])


def test_stored_cursor_returns_nothing_new_then_only_new(
    devnet: Devnet, people: Any, story: dict[str, Any]
) -> None:
    shop, _, bob = people
    first = shop.client.mentions(None)
    again = shop.client.mentions(first.cursor)
    assert again.posts == []
    assert shop.client.mentions(again.cursor).posts == []
    fresh = devnet.post(bob, f"@{shop.account.handle} one more 🍪", mention=[shop.account])
    devnet.wait_for_uri(shop.account, fresh["uri"])
    newer = shop.client.mentions(again.cursor)
    assert [p.remote_id for p in newer.posts] == [fresh["uri"]]
    assert shop.client.mentions(newer.cursor).posts == []


def test_thread_of_a_deep_reply(people: Any, story: dict[str, Any]) -> None:
    shop, _, _ = people
    deep = _reply_target(shop, story["deep_mention"]["uri"])
    thread = shop.client.thread(deep)
    uris = [p.remote_id for p in thread]
    chain = [
        story[n]["uri"]
        for n in ("announce", "reply1", "reply2", "reply3", "reply4", "reply5", "deep_mention")
    ]
    assert uris[:7] == chain, "ancestors root first, then the post"
    # the un-notified fifth level also shows up under the fourth
    fourth = shop.client.thread(_reply_target(shop, story["reply4"]["uri"]))
    assert story["reply5"]["uri"] in [p.remote_id for p in fourth]
    assert story["reply_mention"]["uri"] in uris, "other branches come from the root"
    assert len(uris) == len(set(uris))
    assert next(p for p in thread if p.remote_id == deep.remote_id).is_mention
    for post in thread:
        if post.remote_id != chain[0]:
            assert post.root_remote_id == chain[0]


def test_deleted_posts_become_placeholders(devnet: Devnet, people: Any) -> None:
    shop, ann, bob = people
    root = devnet.post(ann, f"@{shop.account.handle} soon gone", mention=[shop.account])
    devnet.wait_indexed(root["uri"])
    child = devnet.post(
        bob, f"@{shop.account.handle} still here", mention=[shop.account], reply_to=root
    )
    devnet.wait_for_uri(shop.account, child["uri"])
    posts = {p.remote_id: p for p in shop.client.mentions(None).posts}
    devnet.xrpc(
        "POST",
        "com.atproto.repo.deleteRecord",
        token=ann.access,
        body={
            "repo": ann.did,
            "collection": "app.bsky.feed.post",
            "rkey": root["uri"].rsplit("/", 1)[1],
        },
    )
    thread = _eventually(lambda: shop.client.thread(posts[child["uri"]]), lambda t: t[0].deleted)
    assert thread[0].remote_id == root["uri"] and thread[0].text == UNAVAILABLE_TEXT
    assert thread[1].remote_id == child["uri"] and not thread[1].deleted
    gone = _eventually(lambda: shop.client.thread(posts[root["uri"]]), lambda t: t[0].deleted)
    assert len(gone) == 1 and gone[0].remote_id == root["uri"]


def _eventually(fetch: Any, ok: Any, tries: int = 100) -> Any:
    import time

    for _ in range(tries):
        value = fetch()
        if ok(value):
            return value
        time.sleep(0.05)
    raise AssertionError(f"never became true: {value!r}")


def _reply_target(shop: Shop, uri: str) -> Post:
    return next(p for p in shop.client.mentions(None).posts if p.remote_id == uri)


def test_reply_reaches_the_customer_with_root_parent_and_facets(
    devnet: Devnet, people: Any, story: dict[str, Any]
) -> None:
    shop, _ann, bob = people
    parent = _reply_target(shop, story["deep_mention"]["uri"])  # bob's, six levels down
    text = f"Désolé 😔 ☕ @{bob.handle}, voilà: https://shop.example/beans?x=1 — merci!"
    sent = shop.client.reply(parent, text, new_tid())
    note = devnet.wait_for_uri(bob, sent.remote_id)
    record = note["record"]
    assert note["author"]["did"] == shop.account.did
    assert record["reply"]["parent"] == {"uri": parent.remote_id, "cid": parent.cid}
    assert record["reply"]["root"] == {
        "uri": story["announce"]["uri"],
        "cid": story["announce"]["cid"],
    }
    data = record["text"].encode("utf-8")
    spans = {
        f["features"][0]["$type"].rsplit("#", 1)[1]: (
            f,
            data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode("utf-8"),
        )
        for f in record["facets"]
    }
    mention, mention_text = spans["mention"]
    assert mention_text == "@" + bob.handle and mention["features"][0]["did"] == bob.did
    assert mention["index"]["byteStart"] != text.index("@"), "byte offsets, not characters"
    link, link_text = spans["link"]
    assert link_text == "https://shop.example/beans?x=1"
    assert link["features"][0]["uri"] == link_text
    assert sent.parent_remote_id == parent.remote_id and sent.text == text

    # a plain reply (no mention) reaches the parent's author as reason "reply"
    first = _reply_target(shop, story["reply1"]["uri"])
    plain = shop.client.reply(first, "Ethiopian 🇪🇹, fresh today!", new_tid())
    note = devnet.wait_for_uri(bob, plain.remote_id)
    assert note["reason"] == "reply" and note["reasonSubject"] == first.remote_id
    assert note["record"]["reply"]["root"]["uri"] == story["announce"]["uri"]


def test_lost_answer_is_found_and_retry_does_not_post_twice(
    devnet: Devnet, people: Any, story: dict[str, Any], monkeypatch: Any
) -> None:
    shop, ann, _ = people
    parent = _reply_target(shop, story["mention"]["uri"])
    key = new_tid()
    assert shop.client.find_reply(parent, "x", key) is None
    http = shop.client._xrpc.http
    real = http.request

    def lose_answer(method: str, path: str, **kwargs: Any) -> Any:
        resp = real(method, path, **kwargs)
        if path.endswith("com.atproto.repo.createRecord"):
            raise ServerUnreachable("timed out (simulated: the server stored it)")
        return resp

    monkeypatch.setattr(http, "request", lose_answer)
    with pytest.raises(ServerUnreachable):
        shop.client.reply(parent, "Sorry! A new cup is on us ☕", key)
    monkeypatch.setattr(http, "request", real)

    found = shop.client.find_reply(parent, "Sorry! A new cup is on us ☕", key)
    assert found is not None and found.text == "Sorry! A new cup is on us ☕"
    assert found.remote_id.endswith("/" + key) and found.parent_remote_id == parent.remote_id
    again = shop.client.reply(parent, "Sorry! A new cup is on us ☕", key)
    assert again.remote_id == found.remote_id and again.cid == found.cid
    mine = [
        r
        for r in devnet.list_records(shop.account)
        if r["value"].get("reply", {}).get("parent", {}).get("uri") == parent.remote_id
    ]
    assert len(mine) == 1
    devnet.wait_for_uri(ann, found.remote_id)


def test_expired_token_is_refreshed_once_and_saved(devnet: Devnet, people: Any) -> None:
    shop, _, _ = people
    shop.saved.clear()
    session = shop.client._xrpc
    session._access = forge_expired(session._access, devnet.jwt_secret)
    shop.client.mentions(None)
    assert len(shop.saved) == 1
    access, refresh = shop.saved[0]
    assert access == session._access and refresh == session._refresh
    shop.client.verify()
    assert len(shop.saved) == 1, "no second refresh while the new token is good"
    # the saved pair works for a client built later (what the next app start does)
    later = BlueskyClient(devnet.pds_url, shop.account.did, access, refresh, lambda a, r: None)
    assert later.verify().remote_id == shop.account.did


def test_expired_refresh_token_asks_to_sign_in_again(devnet: Devnet, people: Any) -> None:
    shop, _, _ = people
    saved: list[Any] = []
    result = login(
        shop.account.handle, shop.app_password, service=devnet.pds_url, plc_url=devnet.plc_url
    )
    client = BlueskyClient.from_login(result, lambda a, r: saved.append(r))
    client._xrpc._access = forge_expired(result.access_jwt, devnet.jwt_secret)
    client._xrpc._refresh = "not-a-token"
    with pytest.raises(AuthError) as info:
        client.verify()
    assert "sign in again" in info.value.user_message and saved == []


def test_sign_in_errors_in_plain_words(devnet: Devnet, people: Any) -> None:
    shop, ann, _ = people
    with pytest.raises(WrongCredentials):
        login(shop.account.handle, "wrong-password", service=devnet.pds_url, plc_url=devnet.plc_url)
    with pytest.raises(NotFound):
        login("nobody-here.test", "x", service=devnet.pds_url, plc_url=devnet.plc_url)
    main = login(ann.handle, ann.password, service=devnet.pds_url, plc_url=devnet.plc_url)
    assert main.app_password is False and main.did == ann.did
