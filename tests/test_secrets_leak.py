"""Secrets never leak: not into the database, logs, crash reports, settings or URLs.

The owner signs in a Mastodon account (pasted token) and a Bluesky account
(handle + app password, whose session is refreshed mid-sync so four JWTs pass
through) on local servers, with the real Secret Service keychain, then runs
`python -m app sync` with DEBUG logging to a file, and the app crashes once.
Every file in the data folder is then searched for every secret: none may be
there. The keychain alone holds them, and no request carried one in its URL.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from app.cli.sync import main as sync_main
from app.core.errors import InsecureServer
from app.core.paths import AppPaths
from app.main import configure_logging, update_settings
from app.net.bluesky import BlueskyClient
from app.net.http import HttpSession, normalise_server, redact
from app.net.mastodon import MastodonClient
from app.services.accounts import AppAccountService
from app.storage.credentials import ENV_KEYCHAIN_SERVICE
from app.storage.inbox_store import SqliteInboxStore
from tests.bluesky_error_server import ErrorServer
from tests.mastodon_server import MastodonServer

ROOT = Path(__file__).resolve().parent.parent
DID = "did:plc:shopsecret"


def fake_jwt(scope: str = "com.atproto.appPass") -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return ".".join(
        [
            part({"typ": "at+jwt", "alg": "HS256"}),
            part({"scope": scope, "sub": DID, "jti": secrets.token_hex(8)}),
            secrets.token_urlsafe(32),
        ]
    )


@pytest.fixture
def paths(tmp_path: Path) -> Iterator[AppPaths]:
    """A data folder with the app's own DEBUG log file (removed from logging afterwards)."""
    data = AppPaths(tmp_path / "data").ensure()
    configure_logging(data, verbose=True)
    yield data
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_shopkeep", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.WARNING)


def script_pds(server: ErrorServer, secrets_used: dict[str, str]) -> None:
    """The error server as handle resolver, PLC directory and PDS for one Bluesky account."""
    doc = {
        "id": DID,
        "service": [
            {
                "id": "#atproto_pds",
                "type": "AtprotoPersonalDataServer",
                "serviceEndpoint": server.url,
            }
        ],
    }
    server.route("com.atproto.identity.resolveHandle", json_body={"did": DID})
    server.route(f"/{DID}", json_body=doc)
    server.route(
        "com.atproto.server.createSession",
        json_body={
            "did": DID,
            "handle": "shop.test",
            "didDoc": doc,
            "accessJwt": secrets_used["first access JWT"],
            "refreshJwt": secrets_used["first refresh JWT"],
        },
    )
    server.route(
        "com.atproto.server.refreshSession",
        json_body={
            "did": DID,
            "handle": "shop.test",
            "accessJwt": secrets_used["second access JWT"],
            "refreshJwt": secrets_used["second refresh JWT"],
        },
    )
    server.route("com.atproto.server.getSession", json_body={"did": DID, "handle": "shop.test"})
    server.route("app.bsky.actor.getProfile", json_body={"displayName": "The Shop"})
    uri = "at://did:plc:dana/app.bsky.feed.post/3kaaaaaaaaa22"
    author = {"did": "did:plc:dana", "handle": "dana.test"}
    record = {
        "$type": "app.bsky.feed.post",
        "text": "@shop.test my order?",
        "createdAt": "2024-05-01T09:00:00Z",
    }
    server.route(
        "app.bsky.notification.listNotifications",
        400,
        {"error": "ExpiredToken", "message": "Token has expired"},
    )
    server.route(
        "app.bsky.notification.listNotifications",
        json_body={
            "notifications": [
                {
                    "uri": uri,
                    "cid": "c1",
                    "reason": "mention",
                    "author": author,
                    "record": record,
                    "indexedAt": "2024-05-01T09:00:01Z",
                }
            ]
        },
    )
    server.route(
        "app.bsky.feed.getPostThread",
        json_body={
            "thread": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": {
                    "uri": uri,
                    "cid": "c1",
                    "author": author,
                    "record": record,
                    "indexedAt": "2024-05-01T09:00:01Z",
                },
                "replies": [],
            }
        },
    )


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def leaks(folder: Path, secret_values: dict[str, str]) -> list[str]:
    """'<what> in <file>' for every secret (raw, URL-quoted or JSON-escaped) found."""
    found = []
    for path in files_under(folder):
        content = path.read_bytes()
        for what, value in secret_values.items():
            forms = {
                value,
                quote(value, safe=""),
                json.dumps(value)[1:-1],
                value.rsplit(".", 1)[-1],
            }  # a JWT's signature alone is the secret too
            if any(form.encode() in content for form in forms if len(form) >= 12):
                found.append(f"{what} in {path.name}")
    return found


def test_after_a_real_run_no_secret_is_anywhere_but_the_keychain(
    keychain: Any,
    paths: AppPaths,
    mastodon_server: MastodonServer,
    bluesky_error_server: ErrorServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    used = {
        "Mastodon token": mastodon_server.token,
        "Bluesky app password": "abcd-efgh-ijkl-mnop",
        "first access JWT": fake_jwt(),
        "first refresh JWT": fake_jwt("refresh"),
        "second access JWT": fake_jwt(),
        "second refresh JWT": fake_jwt("refresh"),
    }
    script_pds(bluesky_error_server, used)
    customer = mastodon_server.add_account("ann", "town.example")
    mastodon_server.add_mention(customer, "Do you deliver on Saturdays?")

    store = SqliteInboxStore.open(paths.database)
    keychain.use_folder(store.data_folder_id())  # the entries the CLI will read and rotate
    service = AppAccountService(
        store, keychain, bluesky_service=bluesky_error_server.url, plc_url=bluesky_error_server.url
    )
    mastodon = service.add_mastodon_token(mastodon_server.url, used["Mastodon token"])
    bluesky = service.add_bluesky("shop.test", used["Bluesky app password"])
    keychain.saved_keys.update(keychain_keys(store))
    store.close()

    monkeypatch.setenv(ENV_KEYCHAIN_SERVICE, keychain.service)
    code = sync_main([], paths, out=sys.stdout, err=sys.stderr)
    assert code == 0
    assert bluesky_error_server.calls("com.atproto.server.refreshSession")  # JWTs rotated

    crash_with_clients_in_the_message(paths, used)
    update_settings(paths, demo_dismissed=True)
    store = SqliteInboxStore.open(paths.database)
    store.backup_now(paths.backup_dir)
    assert {a.id for a in store.accounts()} == {mastodon.id, bluesky.id}
    store.close()

    assert (paths.log_dir / "shopkeep.log").stat().st_size > 0  # DEBUG logging really ran
    assert any(
        p.name.endswith("-wal") or p.suffix == ".sqlite3" for p in files_under(paths.data_dir)
    )
    assert leaks(paths.data_dir, used) == []
    # Positive control: the keychain has them, so the search would have found a copy.
    stored = json.dumps([keychain.load(k) for k in keychain.saved_keys])
    for what in ("Mastodon token", "second access JWT", "second refresh JWT"):
        assert used[what] in stored, what
    assert used["Bluesky app password"] not in stored  # only the session tokens are kept

    for request in mastodon_server.requests:
        where = request.path + json.dumps(request.query)
        assert used["Mastodon token"] not in where
    for request in bluesky_error_server.requests:
        where = request.nsid + json.dumps(request.params)
        assert not any(value in where for value in used.values())


def keychain_keys(store: SqliteInboxStore) -> set[str]:
    from app.core.connections import key_for

    return {key_for(a) for a in store.accounts()}


def crash_with_clients_in_the_message(paths: AppPaths, used: dict[str, str]) -> None:
    """An uncaught exception whose message shows live clients, through the crash handler."""
    from app.ui.crash_dialog import CrashHandler

    mastodon = MastodonClient("https://shop.example", used["Mastodon token"])
    bluesky = BlueskyClient(
        "https://pds.example",
        DID,
        used["second access JWT"],
        used["second refresh JWT"],
        lambda a, r: None,
    )
    handler = CrashHandler(paths.log_dir / "shopkeep.log", show_dialog=False)
    try:
        raise RuntimeError(f"sync blew up with {mastodon!r} and {bluesky!r}")
    except RuntimeError as exc:
        handler(type(exc), exc, exc.__traceback__)
    finally:
        mastodon.close()
        bluesky.close()
    assert "blew up" in handler.last_details
    assert not any(value in handler.last_details for value in used.values())


# ---------------------------------------------------------------- the log redacts


@pytest.mark.parametrize(
    "line",
    [
        "send: b'GET /api/v1/notifications HTTP/1.1"
        "\\r\\nAuthorization: Bearer SECRETTOKEN123\\r\\n'",
        "headers={'Authorization': 'Bearer SECRETTOKEN123', 'Accept': '*/*'}",
        'https://shop.example:443 "GET /oauth/authorize'
        '?client_id=x&code=SECRETTOKEN123 HTTP/1.1" 200',
        "POST /oauth/token?client_secret=SECRETTOKEN123&grant_type=authorization_code",
        "refresh failed for eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQifQ.SECRETTOKEN123sig",
        "login {'identifier': 'shop.test', 'password': 'SECRETTOKEN123'}",
    ],
)
def test_the_log_file_redacts_tokens_even_when_a_library_logs_them(
    paths: AppPaths, line: str
) -> None:
    for name in ("urllib3.connectionpool", "app.net.http", "shopkeep"):
        logging.getLogger(name).debug("%s", line)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (paths.log_dir / "shopkeep.log").read_text()
    assert "SECRETTOKEN123" not in text
    assert text.count("[redacted]") == 3  # each logger's line kept, the secret gone
    assert "SECRETTOKEN123" not in redact(line)


def test_a_secret_logged_before_any_network_client_is_loaded_is_redacted_too(
    tmp_path: Path,
) -> None:
    """The app's first log lines come before it imports a network client (startup, the
    keychain, a crash): configure_logging itself must install the redaction."""
    script = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from app.core.paths import AppPaths\n"
        "from app.main import configure_logging\n"
        "configure_logging(AppPaths(Path(sys.argv[1])).ensure())\n"
        "logging.getLogger('shopkeep').warning('sign-in: Authorization: Bearer SECRETTOKEN123')\n"
        "logging.getLogger('keyring').warning('saved {\"password\": \"SECRETTOKEN123\"}')\n"
        "print('app.net.http' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "data")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"  # no network client was loaded
    text = (tmp_path / "data" / "logs" / "shopkeep.log").read_text()
    assert "sign-in" in text and "saved" in text
    assert "SECRETTOKEN123" not in text + proc.stderr
    assert text.count("[redacted]") == 2


# ---------------------------------------------------------------- https only


def test_only_https_outside_this_computer_and_certificates_always_checked() -> None:
    with pytest.raises(InsecureServer):
        normalise_server("http://example.com")
    assert normalise_server("example.com") == "https://example.com"
    assert normalise_server("http://127.0.0.1:8080") == "http://127.0.0.1:8080"  # tests only
    assert HttpSession("https://example.com")._session.verify is True
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in (ROOT / "app").rglob("*.py")
        for n, text in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(
            r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|"
            r"disable_warnings|_create_unverified_context",
            text,
        )
    ]
    assert offenders == []
