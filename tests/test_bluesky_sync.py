"""A shop's Bluesky inbox, end to end on a REAL local AT Protocol network (tests/devnet/).

Everything goes through the app's own code paths: the shop signs in with an app
password (AppAccountService.add_bluesky, tokens into the real keychain), clients
come from Connections/register_network_clients, SyncService fills the real
SqliteInboxStore, and replies leave through OutboxSender. Customers act with plain
HTTP helpers (tests/fixtures/bluesky.py), so a client bug cannot hide itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.connections import key_for
from app.core.models import Account, AccountState, Folder, OutboxState, Post, ThreadStatus
from app.core.outbox import OutboxSender, SendReport
from app.core.ports import NetworkClient, ThreadQuery
from app.core.sync import MENTIONS_CURSOR, SyncReport, SyncService, SyncStep
from app.services.accounts import AppAccountService
from app.storage.inbox_store import SqliteInboxStore
from tests.fixtures.bluesky import Devnet, DevnetAccount, forge_expired, jwt_payload, mention_facet
from tests.fixtures.keychain import TrackingCredentialStore
from tests.fixtures.storage import KeywordScorer
from tests.test_crash_kill9 import Worker, integrity

pytestmark = [pytest.mark.devnet, pytest.mark.timeout(900)]  # may include starting the devnet

Ref = dict[str, Any]  # what Devnet.post returns: {"uri", "cid", "record"}


# ---------------------------------------------------------------- the people


@dataclass
class Shop:
    """The shop as the app sees it: signed in, with its inbox, sync and outbox."""

    person: DevnetAccount  # the same account as the network sees it
    account: Account
    accounts: AppAccountService
    store: SqliteInboxStore
    keychain: TrackingCredentialStore
    score: KeywordScorer

    @property
    def handle(self) -> str:
        return self.person.handle

    def client(self) -> NetworkClient:
        return self.accounts.connections.client_for(self.account)

    def sync(self, steps: list[tuple[SyncStep, int, int]] | None = None) -> SyncReport:
        """One sync of this account, as the Sync button runs it."""

        def progress(_account: Account, step: SyncStep, done: int, total: int) -> None:
            if steps is not None:
                steps.append((step, done, total))

        service = SyncService(
            self.store,
            self.accounts.connections.client_for,
            self.score,
            outbox=OutboxSender(self.store, self.score),
        )
        report = service.sync_account(self.account, progress)
        assert report.ok, report.error_message
        return report

    def inbox(self) -> dict[frozenset[str], list[str]]:
        """Every thread as {its post uris: the uris in thread order}."""
        rows = self.store.list_threads(ThreadQuery(account_id=self.account.id), 0, 1000)
        threads = [[sp.post.remote_id for sp in self.store.thread_posts(r.id)] for r in rows]
        return {frozenset(uris): uris for uris in threads}

    def thread_of(self, uri: str) -> int:
        rows = self.store.list_threads(ThreadQuery(account_id=self.account.id), 0, 1000)
        for row in rows:
            if uri in {sp.post.remote_id for sp in self.store.thread_posts(row.id)}:
                return row.id
        raise AssertionError(f"{uri} is not in the inbox")

    def stored(self, uri: str) -> Any:
        thread_id = self.thread_of(uri)
        return next(sp for sp in self.store.thread_posts(thread_id) if sp.post.remote_id == uri)

    def post_rows(self) -> int:
        return int(
            self.store.db.execute_sql(
                "SELECT count(*) FROM post WHERE account_id = ?", (self.account.id,)
            ).fetchone()[0]
        )

    def duplicated_posts(self) -> list[str]:
        rows = self.store.db.execute_sql(
            "SELECT remote_id FROM post GROUP BY account_id, remote_id HAVING count(*) > 1"
        )
        return [r[0] for r in rows.fetchall()]


@pytest.fixture(scope="module")
def customers(devnet: Devnet) -> tuple[DevnetAccount, DevnetAccount]:
    """Ann and Bob, two customers on the network."""
    return devnet.create_account("ann"), devnet.create_account("bob")


@pytest.fixture
def shop(
    devnet: Devnet, store: SqliteInboxStore, keychain: TrackingCredentialStore
) -> Iterator[Shop]:
    """A fresh shop account, added in the app with an app password (as the dialog does)."""
    person = devnet.create_account("shop")
    app_password = devnet.create_app_password(person)
    accounts = AppAccountService(
        store, keychain, bluesky_service=devnet.pds_url, plc_url=devnet.plc_url
    )
    account = accounts.add_bluesky(person.handle, app_password)
    assert (account.handle, account.remote_id) == (person.handle, person.did)
    yield Shop(person, account, accounts, store, keychain, KeywordScorer())
    accounts.connections.close()


def chain_under(devnet: Devnet, root: Ref, authors: list[DevnetAccount]) -> list[Ref]:
    """Each author answers the previous post: one reply per level under `root`."""
    chain = [root]
    for level, author in enumerate(authors, start=1):
        devnet.wait_indexed(chain[-1]["uri"])
        chain.append(devnet.post(author, f"level {level} ✨ still waiting", reply_to=chain[-1]))
    devnet.wait_indexed(chain[-1]["uri"])
    return chain[1:]


def uris(*refs: Ref) -> list[str]:
    return [r["uri"] for r in refs]


def shop_replies_to(devnet: Devnet, shop: Shop, parent_uri: str) -> list[dict[str, Any]]:
    """The shop's own records that answer `parent_uri`, straight from its repository."""
    return [
        r
        for r in devnet.list_records(shop.person)
        if r["value"].get("reply", {}).get("parent", {}).get("uri") == parent_uri
    ]


# ---------------------------------------------------------------- 1. first sync


def test_first_sync_shows_each_conversation_once_and_a_deep_reply_arrives_later(
    devnet: Devnet, shop: Shop, customers: tuple[DevnetAccount, DevnetAccount]
) -> None:
    ann, bob = customers
    announce = devnet.post(shop.person, "Fresh sourdough today 🍞")
    mention = devnet.post(ann, f"Héllo @{shop.handle}, is the café open? ☕", mention=[shop.person])
    devnet.wait_indexed(announce["uri"])
    answer = devnet.post(bob, "Is it gluten free? 🤔", reply_to=announce)
    quote = devnet.post(ann, "Best bread in town 👇", quote=announce)
    talk = chain_under(devnet, mention, [bob, ann, bob, ann])  # four levels under the mention
    for notified in (mention, answer, quote):
        devnet.wait_for_uri(shop.person, notified["uri"])

    first = shop.sync()

    assert shop.inbox() == {
        frozenset(uris(mention, *talk)): uris(mention, *talk),  # the conversation, in order
        frozenset(uris(announce, answer)): uris(announce, answer),  # our post + Bob's reply
        frozenset(uris(quote)): uris(quote),  # a quote is a conversation of its own
    }
    assert first.new_posts == 8 and len(first.new_thread_ids) == 3
    assert shop.store.folder_counts()[Folder.NEEDS_REPLY] == 3
    assert shop.duplicated_posts() == []
    assert shop.stored(announce["uri"]).is_own
    assert shop.stored(mention["uri"]).post.is_mention

    # Bob answers five levels under Ann's mention. The shop wrote none of its ancestors
    # (and the AppView notifies ancestors at most 4 levels up), so no notification comes:
    deep = devnet.post(bob, "level 5 🕳️ hello? anyone?", reply_to=talk[-1])
    devnet.wait_indexed(deep["uri"])
    assert deep["uri"] not in {n["uri"] for n in devnet.notifications(shop.person)}

    steps: list[tuple[SyncStep, int, int]] = []
    second = shop.sync(steps)

    conversation = uris(mention, *talk, deep)
    assert shop.inbox()[frozenset(conversation)] == conversation
    mentions = [s for s in steps if s[0] is SyncStep.MENTIONS]
    refreshed = [s for s in steps if s[0] is SyncStep.REFRESH]
    assert mentions[-1] == (SyncStep.MENTIONS, 0, 0), "no notification brought it"
    assert refreshed[-1][2] >= 1, "open conversations were refreshed"
    assert second.new_posts == 1 and second.new_thread_ids == ()
    assert second.updated_thread_ids == (shop.thread_of(mention["uri"]),)  # via the refresh
    assert len(shop.inbox()) == 3 and shop.duplicated_posts() == []


# ---------------------------------------------------------------- 2. sync twice


def test_syncing_again_doubles_nothing(
    devnet: Devnet, shop: Shop, customers: tuple[DevnetAccount, DevnetAccount]
) -> None:
    ann, bob = customers
    announce = devnet.post(shop.person, "Croissants are back 🥐")
    mention = devnet.post(ann, f"@{shop.handle} do you deliver? 🚲", mention=[shop.person])
    devnet.wait_indexed(announce["uri"])
    answer = devnet.post(bob, "Yes please, to the station!", reply_to=announce)
    quote = devnet.post(ann, "Finally ❤️", quote=announce)
    for notified in (mention, answer, quote):
        devnet.wait_for_uri(shop.person, notified["uri"])

    shop.sync()
    inbox, posts, counts = shop.inbox(), shop.post_rows(), shop.store.folder_counts()
    assert len(inbox) == 3 and posts == 4

    again = shop.sync()
    assert (again.new_posts, again.new_thread_ids) == (0, ())
    assert (shop.inbox(), shop.post_rows(), shop.store.folder_counts()) == (inbox, posts, counts)

    # Even a sync that forgot where it was (every notification read again) adds nothing.
    shop.store.set_cursor(shop.account.id, None, MENTIONS_CURSOR)
    from_scratch = shop.sync()
    assert (from_scratch.new_posts, from_scratch.new_thread_ids) == (0, ())
    assert (shop.inbox(), shop.post_rows(), shop.store.folder_counts()) == (inbox, posts, counts)
    assert shop.duplicated_posts() == []


# ---------------------------------------------------------------- 3. replying


def test_reply_from_the_app_reaches_the_customer_in_the_right_place(
    devnet: Devnet, shop: Shop, customers: tuple[DevnetAccount, DevnetAccount]
) -> None:
    ann, bob = customers
    mention = devnet.post(ann, f"@{shop.handle} my order #12 never came 😡", mention=[shop.person])
    [bobs, anns] = chain_under(devnet, mention, [bob, ann])
    devnet.wait_for_uri(shop.person, mention["uri"])
    shop.sync()
    parent = shop.stored(anns["uri"])

    text = f"Désolé 😔 — ça arrive, même à nous! ☕ @{ann.handle} un café vous attend 🥐"
    item = OutboxSender(shop.store, shop.score).enqueue(
        shop.account, parent.thread_id, parent.post, text
    )
    report = OutboxSender(shop.store, shop.score).send_pending(shop.account, shop.client())
    assert report == SendReport(sent=(item.id,), updated_thread_ids=(parent.thread_id,))

    sent = shop.store.outbox_item(item.id)
    assert sent is not None and sent.state is OutboxState.SENT
    assert sent.remote_id is not None and sent.remote_id.endswith("/" + item.idempotency_key)
    note = devnet.wait_for_uri(ann, sent.remote_id)  # Ann sees it
    record = note["record"]
    assert note["author"]["did"] == shop.person.did and record["text"] == text
    assert record["reply"] == {
        "root": {"uri": mention["uri"], "cid": mention["cid"]},  # the conversation's start
        "parent": {"uri": anns["uri"], "cid": anns["cid"]},  # the post answered
    }
    [facet] = record["facets"]
    expected = mention_facet(text, ann.handle, ann.did)
    assert facet["index"] == expected["index"] and facet["features"] == expected["features"]
    assert facet["index"]["byteStart"] > text.index("@"), "UTF-8 bytes, not characters"
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert text.encode("utf-8")[start:end].decode("utf-8") == "@" + ann.handle

    assert shop.store.thread(parent.thread_id).status is ThreadStatus.REPLIED
    conversation = [*uris(mention, bobs, anns), sent.remote_id]  # our reply joins it
    assert shop.inbox()[frozenset(conversation)] == conversation
    assert shop.stored(sent.remote_id).is_own
    assert len(shop_replies_to(devnet, shop, anns["uri"])) == 1


# ---------------------------------------------------------------- 4. crash


def test_kill_9_after_the_server_stored_the_reply_never_posts_it_twice(
    devnet: Devnet,
    shop: Shop,
    customers: tuple[DevnetAccount, DevnetAccount],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ann, _ = customers
    mention = devnet.post(ann, f"@{shop.handle} are you open on Sunday?", mention=[shop.person])
    devnet.wait_for_uri(shop.person, mention["uri"])
    shop.sync()
    parent = shop.stored(mention["uri"])
    item = OutboxSender(shop.store, shop.score).enqueue(
        shop.account, parent.thread_id, parent.post, "Yes, 9 to 1! 🌞"
    )
    db_path = Path(shop.store.db.database)
    shop.store.close()

    # The app sends it in another process, which dies the moment the server's answer is in.
    worker = Worker("bluesky-outbox", str(db_path), shop.keychain.service, str(shop.account.id))
    try:
        said = worker.wait_for(lambda line: line.startswith("stored "), timeout=60)
        worker.kill()
    finally:
        if worker.proc.poll() is None:
            worker.proc.kill()
            worker.proc.wait(timeout=10)
    uri = said.split(" ", 1)[1]
    assert uri.endswith("/" + item.idempotency_key)
    assert len(shop_replies_to(devnet, shop, mention["uri"])) == 1  # the server has it

    assert integrity(db_path) == "ok"
    restarted = SqliteInboxStore.open(db_path)
    try:
        left = restarted.outbox_item(item.id)
        assert left is not None and left.state is OutboxState.SENDING  # unclear, not lost
        accounts = AppAccountService(
            restarted, shop.keychain, bluesky_service=devnet.pds_url, plc_url=devnet.plc_url
        )  # a new start of the app
        client = accounts.connections.client_for(shop.account)
        sent_again: list[str] = []
        real_reply = client.reply

        def watched_reply(parent: Post, text: str, idempotency_key: str) -> Post:
            sent_again.append(idempotency_key)
            return real_reply(parent, text, idempotency_key)

        monkeypatch.setattr(client, "reply", watched_reply)
        report = OutboxSender(restarted, shop.score).send_pending(shop.account, client)
        accounts.connections.close()

        assert report.sent == (item.id,)
        assert sent_again == [], "the server was asked first, and it already had the reply"
        [record] = shop_replies_to(devnet, shop, mention["uri"])  # still exactly one
        assert record["uri"] == uri
        done = restarted.outbox_item(item.id)
        assert done is not None and done.state is OutboxState.SENT and done.remote_id == uri
        assert restarted.thread(parent.thread_id).status is ThreadStatus.REPLIED
        thread = [sp.post.remote_id for sp in restarted.thread_posts(parent.thread_id)]
        assert thread == [mention["uri"], uri]
    finally:
        restarted.close()


# ---------------------------------------------------------------- 5. expired token


def test_expired_access_token_is_refreshed_once_and_the_new_pair_kept_in_the_keychain(
    devnet: Devnet,
    shop: Shop,
    customers: tuple[DevnetAccount, DevnetAccount],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ann, _ = customers
    key = key_for(shop.account)
    signed_in = shop.keychain.load(key)
    assert signed_in is not None and set(signed_in) == {"access_jwt", "refresh_jwt", "pds_url"}
    # The laptop slept past the token's lifetime: the keychain holds an expired access token.
    stale = dict(signed_in, access_jwt=forge_expired(signed_in["access_jwt"], devnet.jwt_secret))
    shop.keychain.save(key, stale)
    shop.accounts.connections.forget(shop.account.id)
    mention = devnet.post(ann, f"@{shop.handle} still open? 🕙", mention=[shop.person])
    devnet.wait_for_uri(shop.person, mention["uri"])

    writes: list[dict[str, str]] = []
    real_save = shop.keychain.save

    def counted_save(account_key: str, secrets: Mapping[str, str]) -> None:
        writes.append(dict(secrets))
        real_save(account_key, secrets)

    monkeypatch.setattr(shop.keychain, "save", counted_save)
    report = shop.sync()

    assert report.new_posts == 1 and shop.thread_of(mention["uri"])
    assert len(writes) == 1, "one refresh, saved in one keychain write"
    kept = shop.keychain.load(key)
    assert kept == writes[0]
    assert kept["pds_url"] == signed_in["pds_url"]
    assert kept["access_jwt"] != stale["access_jwt"]
    assert kept["refresh_jwt"] != signed_in["refresh_jwt"]
    assert jwt_payload(kept["access_jwt"])["exp"] > time.time()
    assert jwt_payload(kept["access_jwt"])["sub"] == shop.person.did

    # The next start of the app uses the kept pair without refreshing again.
    later = AppAccountService(
        shop.store, shop.keychain, bluesky_service=devnet.pds_url, plc_url=devnet.plc_url
    )
    assert later.check(shop.account) is AccountState.CONNECTED
    later.connections.close()
    assert len(writes) == 1 and shop.keychain.load(key) == kept


# ---------------------------------------------------------------- 6. deleted opening post


def test_replies_keep_arriving_after_the_customer_deletes_the_opening_post(
    devnet: Devnet, shop: Shop, customers: tuple[DevnetAccount, DevnetAccount]
) -> None:
    ann, bob = customers
    mention = devnet.post(ann, f"@{shop.handle} worst service ever 😠", mention=[shop.person])
    [first] = chain_under(devnet, mention, [bob])
    devnet.wait_for_uri(shop.person, mention["uri"])
    shop.sync()

    # Ann thinks better of it and deletes her post; Bob keeps talking under his reply.
    devnet.xrpc(
        "POST",
        "com.atproto.repo.deleteRecord",
        token=ann.access,
        body={
            "repo": ann.did,
            "collection": "app.bsky.feed.post",
            "rkey": mention["uri"].rsplit("/", 1)[1],
        },
    )
    [later] = chain_under(devnet, first, [bob])

    shop.sync()
    conversation = uris(mention, first, later)
    assert shop.inbox() == {frozenset(conversation): conversation}
    assert shop.stored(mention["uri"]).post.deleted  # kept as "[post not available]"
    assert not shop.stored(later["uri"]).post.deleted
