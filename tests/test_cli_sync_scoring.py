"""`shopkeep sync` from cron colours each post exactly as the window would.

The owner taught Shopkeep that "coeliac" is a complaint in their shop, and
their shop is called "Sunny Bakes" (not praise, just a name). A mention that
arrives through the command-line sync must get the label the window gives it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.core.connections import key_for
from app.core.models import SentimentLabel
from app.core.ports import ThreadQuery
from app.core.rescore import owner_scorer_for
from app.core.sentiment import score as plain_score
from tests.mastodon_server import MastodonServer
from tests.sync_support import mastodon_account

ROOT = Path(__file__).resolve().parent.parent
MENTIONS = {
    "the rye was coeliac again": SentimentLabel.NEGATIVE,  # the owner's word
    "Sunny Bakes on Mill Road": SentimentLabel.NEUTRAL,  # the shop's name, not "sunny"
}


def test_the_command_line_sync_uses_the_owners_words_and_business_name(
    store: Any, keychain: Any, mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"  # where the `store` fixture keeps its database
    settings = data_dir / "settings.json"
    settings.write_text(
        json.dumps({"business": "Sunny Bakes", "sentiment_words": {"coeliac": -2.5}}),
        encoding="utf-8",
    )
    shop = mastodon_account(store, mastodon_server)
    keychain.save(key_for(shop), {"access_token": mastodon_server.token})
    ann = mastodon_server.add_account("ann", "town.example", display_name="Ann")
    for text in MENTIONS:
        mastodon_server.add_mention(ann, text)
    store.close()

    env = {**os.environ, "SHOPKEEP_KEYCHAIN_SERVICE": keychain.service}
    env.pop("SHOPKEEP_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "app", "sync", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    from app.storage.inbox_store import SqliteInboxStore

    reopened = SqliteInboxStore.open(data_dir / "shopkeep.sqlite3")
    try:
        window_scorer = owner_scorer_for(settings, reopened.accounts())
        stored = {
            sp.post.text.removeprefix("@shop "): sp.sentiment.label
            for t in reopened.list_threads(ThreadQuery(), 0, 10)
            for sp in reopened.thread_posts(t.id)
        }
    finally:
        reopened.close()
    for text, expected in MENTIONS.items():
        assert stored[text] is expected
        assert window_scorer("@shop " + text).label is expected  # the window agrees
        assert plain_score("@shop " + text).label is not expected  # and it mattered


def test_the_command_line_sync_says_where_a_broken_settings_file_went(
    store: Any, keychain: Any, mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "settings.json").write_text('{"business": "Sunny Bakes",,}', encoding="utf-8")
    shop = mastodon_account(store, mastodon_server)
    keychain.save(key_for(shop), {"access_token": mastodon_server.token})
    store.close()

    env = {**os.environ, "SHOPKEEP_KEYCHAIN_SERVICE": keychain.service}
    env.pop("SHOPKEEP_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "app", "sync", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [kept] = data_dir.glob("settings.json.bad-*")
    assert str(kept) in result.stderr and "Your old settings" in result.stderr
    assert kept.read_text(encoding="utf-8") == '{"business": "Sunny Bakes",,}'
