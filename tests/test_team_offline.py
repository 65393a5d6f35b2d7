"""A laptop cut off from the team database (issue 24): it keeps reading, nothing typed is
lost, and a reply written meanwhile goes out once when the database is back.

The team database is a PostgreSQL cluster of the test's own (tests/pg_cluster.py), so
the test can really stop it (`pg_ctl stop -m immediate`) and start it again; the shared
server of tests/run.sh stays up for the other tests. `shopkeep sync` runs as a real
process; the Mastodon test server ignores Idempotency-Key here, so a reply posted twice
would show as two posts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import peewee
import pytest

from app.core.connections import key_for
from app.core.errors import TeamUnreachable
from app.core.paths import AppPaths
from app.core.ports import ThreadQuery
from app.core.settings import SettingsFile
from app.core.team import TeamConnection
from app.services.team_mode import TeamService, keep_local_copy, open_inbox
from app.storage.inbox_store import SqliteInboxStore
from app.storage.team_offline import OfflineCopyStore, local_copy_path, pending_hand_over
from tests import pg_cluster
from tests.mastodon_server import MastodonServer
from tests.sync_support import mastodon_account
from tests.test_cli_sync import run_sync

pytestmark = pytest.mark.postgres


@pytest.fixture
def team_cluster() -> Iterator[pg_cluster.PgCluster]:
    why = pg_cluster.available()
    if why:
        pytest.fail(f"no PostgreSQL server programs: {why}", pytrace=False)
    cluster = pg_cluster.PgCluster()
    cluster.start()
    yield cluster
    cluster.remove()


def posted(server: MastodonServer) -> list[Any]:
    return server.requests_to("/api/v1/statuses", "POST")


def shop_in_team_mode(
    paths: AppPaths, cluster: pg_cluster.PgCluster, server: MastodonServer, keychain: Any
) -> TeamConnection:
    """A shop with a Mastodon account, moved into the team database (two mentions)."""
    store = SqliteInboxStore.open(paths.database)
    shop = mastodon_account(store, server)
    keychain.save(key_for(shop), {"access_token": server.token})
    ann = server.add_account("ann", "town.example", display_name="Ann")
    server.add_mention(ann, "My parcel never arrived, order 1207")
    bob = server.add_account("bob", "village.example", display_name="Bob")
    server.add_mention(bob, "Do you have the blue mugs again?")
    cluster.create_database("team")
    conn = TeamConnection("127.0.0.1", "team", "shopkeep", cluster.port)
    TeamService(paths, store).move_in(conn, "", lambda d, n: None)
    store.close()
    return conn


def team_rows(cluster: pg_cluster.PgCluster, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    db = peewee.PostgresqlDatabase(cluster.dsn("team"))
    try:
        return list(db.execute_sql(sql, params).fetchall())
    finally:
        db.close()


def test_a_laptop_cut_off_keeps_reading_and_its_reply_goes_out_once_when_it_is_back(
    team_cluster, keychain, mastodon_server, tmp_path
):
    mastodon_server.honour_idempotency = False  # a reply sent twice would show twice
    paths = AppPaths(tmp_path / "data").ensure()
    shop_in_team_mode(paths, team_cluster, mastodon_server, keychain)

    online = run_sync(paths.data_dir, keychain.service)
    assert online.returncode == 0, online.stderr + online.stdout
    assert "2 new posts" in online.stdout
    assert local_copy_path(paths.data_dir).exists()  # the copy for offline reading

    team_cluster.stop()  # the database goes away
    exported = subprocess.run(  # a real process keeps reading: from the copy
        [sys.executable, "-m", "app", "--data-dir", str(paths.data_dir), "export",
         str(tmp_path / "offline.csv")],
        capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "SHOPKEEP_DATA_DIR"},
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert "parcel never arrived" in (tmp_path / "offline.csv").read_text(encoding="utf-8")
    opened = open_inbox(paths)  # as the window opens it
    assert opened.offline and isinstance(opened.store, OfflineCopyStore)
    store = opened.store
    threads = store.list_threads(ThreadQuery(), 0, 50)
    by_text = {t.snippet: t for t in threads}
    parcel = next(t for s, t in by_text.items() if "parcel" in s)
    mugs = next(t for s, t in by_text.items() if "mugs" in s)
    assert store.count_threads(ThreadQuery(search="parcel")) == 1  # search works offline
    mention = store.thread_posts(parcel.id)[-1].post
    key = uuid.uuid4().hex
    store.enqueue_reply(parcel.id, mention.remote_id, "So sorry! A new one is on its way.", key)
    store.save_draft(mugs.id, "Yes, from Friday —")  # typed, not sent
    store.close()

    cut_off = run_sync(paths.data_dir, keychain.service)  # a real process, database down
    assert cut_off.returncode == 1
    assert "cannot be reached" in cut_off.stderr and "1 reply written offline" in cut_off.stderr
    assert "Traceback" not in cut_off.stderr
    assert posted(mastodon_server) == []
    assert pending_hand_over(local_copy_path(paths.data_dir)) == 2  # the reply and the draft

    team_cluster.start()  # back
    back = run_sync(paths.data_dir, keychain.service)
    assert back.returncode == 0, back.stderr + back.stdout
    assert "1 reply written offline joined the team's outbox" in back.stdout
    assert "1 reply sent" in back.stdout
    again = run_sync(paths.data_dir, keychain.service)
    assert again.returncode == 0, again.stderr + again.stdout
    bodies = [r.body.decode("utf-8", "replace") for r in posted(mastodon_server)]
    assert len(bodies) == 1 and "new one is on its way" in bodies[0]  # once, and only once
    outbox = team_rows(
        team_cluster, "SELECT state FROM outbox_item WHERE idempotency_key = %s", (key,)
    )
    assert outbox == [("sent",)]
    drafts = team_rows(team_cluster, "SELECT text FROM draft WHERE thread_id = %s", (mugs.id,))
    assert drafts == [("Yes, from Friday —",)]
    assert pending_hand_over(local_copy_path(paths.data_dir)) == 0


def test_a_hand_over_cut_off_halfway_and_run_again_makes_one_outbox_item(
    team_cluster, keychain, mastodon_server, tmp_path
):
    """The team database took the reply, the laptop died before it noted so: the next
    hand-over (another process, the same queue) finds the key and adds nothing."""
    paths = AppPaths(tmp_path / "data").ensure()
    conn = shop_in_team_mode(paths, team_cluster, mastodon_server, keychain)
    assert run_sync(paths.data_dir, keychain.service).returncode == 0  # fills the copy too
    copy = local_copy_path(paths.data_dir)
    saved = copy.read_bytes()
    team_cluster.stop()
    offline = open_inbox(paths).store
    thread = offline.list_threads(ThreadQuery(), 0, 1)[0]
    parent = offline.thread_posts(thread.id)[-1].post.remote_id
    offline.enqueue_reply(thread.id, parent, "Thanks for waiting!", "offline-key-1")
    offline.close()
    queued = copy.read_bytes()
    team_cluster.start()
    open_inbox(paths).store.close()  # hands over
    copy.write_bytes(queued)  # as if the note "handed over" never reached the disk
    open_inbox(paths).store.close()  # hands over again
    rows = team_rows(
        team_cluster, "SELECT COUNT(*) FROM outbox_item WHERE idempotency_key = 'offline-key-1'"
    )
    assert rows == [(1,)]
    assert pending_hand_over(copy) == 0  # and the queue is done with, not stuck
    assert saved != queued and conn.port == team_cluster.port


def test_the_first_open_with_no_copy_says_the_database_is_unreachable(
    team_cluster, keychain, mastodon_server, tmp_path
):
    paths = AppPaths(tmp_path / "data").ensure()
    shop_in_team_mode(paths, team_cluster, mastodon_server, keychain)
    team_cluster.stop()
    with pytest.raises(TeamUnreachable) as caught:
        open_inbox(paths)
    assert "could not reach the team database" in caught.value.user_message
    assert SettingsFile(paths.settings_file).load().team is not None  # still team mode


def test_the_window_offline_says_so_reads_the_copy_and_hands_over_when_back(
    qtbot, team_cluster, keychain, mastodon_server, tmp_path, monkeypatch
):
    from app.main import build_window, quit_quickly

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SHOPKEEP_KEYCHAIN_SERVICE", keychain.service)
    paths = AppPaths(tmp_path / "data").ensure()
    shop_in_team_mode(paths, team_cluster, mastodon_server, keychain)
    synced = run_sync(paths.data_dir, keychain.service)
    assert synced.returncode == 0, synced.stderr
    team = open_inbox(paths).store
    keep_local_copy(team, paths.data_dir)  # what the window does after opening and syncs
    team.close()
    team_cluster.stop()

    window = build_window(paths, synchronous=True, autosync=True, person_name=lambda _w: "Ann")
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    window.show()
    banner = window.team.banner
    assert banner.isVisible() and "Offline" in banner.label.text()
    assert window.thread_model.rowCount() == 2  # reading the copy
    assert not window.scheduler.is_busy()  # no sync against a copy
    opened = window.store
    thread = opened.list_threads(ThreadQuery(), 0, 1)[0]
    parent = opened.thread_posts(thread.id)[-1].post.remote_id
    opened.enqueue_reply(thread.id, parent, "Back soon with an answer", "window-offline-1")

    window.team.offline_watch.check()  # the minute's probe: still away
    assert "Offline" in banner.label.text()
    team_cluster.start()
    window.team.offline_watch.check()
    assert "is back" in banner.label.text() and "1 reply" in banner.label.text()
    rows = team_rows(
        team_cluster, "SELECT state FROM outbox_item WHERE idempotency_key = 'window-offline-1'"
    )
    assert rows == [("queued",)]  # in the shared outbox: the next sync anywhere sends it


def test_a_window_open_on_the_team_database_says_when_it_goes_and_carries_on_when_back(
    team_cluster, keychain, mastodon_server, tmp_path
):
    """The server restarts under an open inbox: reads in between fail in words (not a
    crash dialog), and the first read after it is back connects again by itself."""
    paths = AppPaths(tmp_path / "data").ensure()
    shop_in_team_mode(paths, team_cluster, mastodon_server, keychain)
    store = open_inbox(paths).store
    try:
        accounts = store.accounts()
        assert len(accounts) == 1
        team_cluster.stop()
        with pytest.raises(TeamUnreachable) as caught:
            store.folder_counts()
        assert "stopped answering" in caught.value.user_message
        with pytest.raises(TeamUnreachable):
            store.folder_counts()  # still away: the same words, not a dead connection's
        team_cluster.start()
        assert store.account(accounts[0].id) is not None  # connected again
        assert store.folder_counts() is not None
    finally:
        store.close()


def test_a_window_that_cannot_open_the_team_inbox_lets_the_owner_use_the_laptops_own(
    qtbot, team_cluster, keychain, mastodon_server, tmp_path, monkeypatch
):
    """No copy yet and the server away: the window asks instead of never opening."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.main import build_window, quit_quickly

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    paths = AppPaths(tmp_path / "data").ensure()
    shop_in_team_mode(paths, team_cluster, mastodon_server, keychain)
    team_cluster.stop()
    asked: list[str] = []
    answers = ["Try again", "Use this laptop's own inbox"]  # still away: asked once more

    def answer() -> None:
        """Whenever the question is up, the owner clicks the next answer."""
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and answers and box.isVisible():
            asked.append(box.text())
            wanted = answers.pop(0)
            next(b for b in box.buttons() if b.text() == wanted).click()

    clicker = QTimer()
    clicker.timeout.connect(answer)
    clicker.start(20)
    window = build_window(paths, synchronous=True, person_name=lambda _w: "Ann")
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    clicker.stop()
    assert len(asked) == 2 and "could not reach the team database" in asked[0]
    assert SettingsFile(paths.settings_file).load().team is None
    assert isinstance(window.store, SqliteInboxStore) and not isinstance(
        window.store.db, peewee.PostgresqlDatabase
    )
    assert window.store.accounts()  # the laptop's inbox as it was before the move


def test_a_window_on_the_live_team_inbox_says_when_the_database_goes_and_when_it_is_back(
    qtbot, team_cluster, keychain, mastodon_server, tmp_path, monkeypatch
):
    from app.main import build_window, quit_quickly

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    paths = AppPaths(tmp_path / "data").ensure()
    shop_in_team_mode(paths, team_cluster, mastodon_server, keychain)
    window = build_window(paths, synchronous=True, person_name=lambda _w: "Ann")
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    window.show()
    watch = window.team.connection_watch
    assert not watch.gone

    team_cluster.stop()
    window.refresh_side()  # the window reads: the database is gone
    assert watch.gone and "stopped answering" in watch.banner.label.text()
    assert "stopped answering" in window.status.currentMessage()  # said, not a crash
    watch.check()  # the half-minute probe: still away
    assert watch.gone
    team_cluster.start()
    watch.check()
    assert not watch.gone
