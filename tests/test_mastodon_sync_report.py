"""A whole sync against odd servers: what the owner is told, and what is stored."""

from __future__ import annotations

from app.cli_sync import describe
from app.core.ports import ThreadQuery
from app.core.sync import SyncService
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account, score


def test_one_unreadable_status_among_200_mentions_blocks_nothing(store) -> None:
    server = MastodonServer(one_bad_status=True).start()
    try:
        shop = mastodon_account(store, server)
        ann = server.add_account("ann", "town.example", display_name="Ann")
        for i in range(200):
            server.add_mention(ann, f"question number {i}")
        service = SyncService(store, lambda account: client_for(server), score)

        report = service.sync_account(shop)

        assert report.ok and report.unreadable_posts == 1
        assert len(store.list_threads(ThreadQuery(), 0, 1000)) == 200
        assert "1 post could not be read" in describe(report)
        again = service.sync_account(shop)  # the bad one is not asked for again and again
        assert again.ok and again.unreadable_posts == 0 and again.new_posts == 0
    finally:
        server.stop()
