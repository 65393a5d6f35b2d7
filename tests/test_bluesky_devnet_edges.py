"""On the local AT Protocol network: a conversation deeper than one getPostThread
reaches, and a customer who blocks the shop after the shop synced their post.
Customers act through the Devnet helpers (plain requests), never through the client."""

from __future__ import annotations

import time
from typing import Any

from app.core.ports import ThreadQuery
from app.core.sync import SyncService
from app.net.bluesky import THREAD_DEPTH, BlueskyClient
from app.net.bluesky_parse import BLOCKED_TEXT
from app.net.bluesky_session import login
from app.services.accounts import AppAccountService
from tests.fixtures.bluesky import Devnet, DevnetAccount
from tests.fixtures.storage import KeywordScorer
from tests.waiting import wait_until


def shop_client(devnet: Devnet) -> tuple[DevnetAccount, BlueskyClient]:
    shop = devnet.create_account("shop")
    password = devnet.create_app_password(shop)
    result = login(shop.handle, password, service=devnet.pds_url, plc_url=devnet.plc_url)
    return shop, BlueskyClient.from_login(result, lambda a, r: None, prefetch_threads=False)


def test_the_12th_post_of_a_12_deep_conversation_is_fetched(devnet: Devnet) -> None:
    shop, client = shop_client(devnet)
    ann, bob = devnet.create_account("ann"), devnet.create_account("bob")
    try:
        opening = devnet.post(ann, f"@{shop.handle} which flour for sourdough?", mention=[shop])
        devnet.wait_for_uri(shop, opening["uri"])
        parent = opening
        for level in range(1, THREAD_DEPTH + 3):  # 12 replies below the mention, no mentions
            devnet.wait_indexed(parent["uri"])
            parent = devnet.post((bob, ann)[level % 2], f"level {level}", reply_to=parent)
        devnet.wait_indexed(parent["uri"])

        (mention,) = [p for p in client.mentions(None).posts if p.remote_id == opening["uri"]]
        texts = [p.text for p in client.thread(mention)]
        assert texts[-1] == f"level {THREAD_DEPTH + 2}" and len(texts) == THREAD_DEPTH + 3
    finally:
        client.close()


def test_a_customer_who_blocks_the_shop_after_the_sync_fails_nothing(devnet: Devnet) -> None:
    shop, client = shop_client(devnet)
    cat = devnet.create_account("cat")
    try:
        post = devnet.post(cat, f"@{shop.handle} my order never came", mention=[shop])
        devnet.wait_for_uri(shop, post["uri"])
        (mention,) = client.mentions(None).posts
        assert not client.thread(mention)[0].deleted  # synced while all was well

        devnet.block(cat, shop)
        deadline = time.monotonic() + 15
        while True:  # the AppView applies the block a moment later
            thread: list[Any] = client.thread(mention)
            if thread[0].deleted or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert [(p.remote_id, p.deleted, p.text) for p in thread] == [
            (post["uri"], True, BLOCKED_TEXT)
        ]
    finally:
        client.close()


def test_syncing_after_a_customer_blocked_the_shop_still_works(
    devnet: Devnet, store: Any, keychain: Any
) -> None:
    person = devnet.create_account("shop")
    accounts = AppAccountService(
        store, keychain, bluesky_service=devnet.pds_url, plc_url=devnet.plc_url
    )
    account = accounts.add_bluesky(person.handle, devnet.create_app_password(person))
    service = SyncService(store, accounts.connections.client_for, KeywordScorer())
    dan = devnet.create_account("dan")
    try:
        post = devnet.post(dan, f"@{person.handle} rude staff today", mention=[person])
        devnet.wait_for_uri(person, post["uri"])
        assert service.sync_account(account).new_posts == 1
        devnet.block(dan, person)
        # the AppView applies it shortly
        wait_until(lambda: devnet.blocked_for(person, post["uri"]), "the block to apply", 15)

        report = service.sync_account(account)  # refreshes the open conversation

        assert report.ok, report.error_message
        (row,) = store.list_threads(ThreadQuery(account_id=account.id), 0, 10)
        (kept,) = store.thread_posts(row.id)
        assert kept.post.text == "@" + person.handle + " rude staff today"  # what they wrote
    finally:
        accounts.connections.close()
