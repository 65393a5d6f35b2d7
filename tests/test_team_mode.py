"""Team mode (issue 24): the connection in settings.json, plain errors, moving in and out.

The moves run against the real PostgreSQL of tests/run.sh (an empty database of the
test's own) and, for the password and a server that goes away, a cluster of the
test's own (tests/pg_cluster.py). "Nothing lost" is shown by row counts per table and
a digest of every row, read back from each database on its own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import peewee
import pytest

from app.core.errors import TeamLoginRefused, TeamTlsFailed, TeamUnreachable
from app.core.models import Folder, SentimentLabel, TemplateKind, ThreadStatus
from app.core.paths import AppPaths
from app.core.ports import ThreadQuery
from app.core.settings import SettingsFile, validate
from app.core.team import TeamConnection
from app.services.team_mode import TeamService, load_password, open_inbox
from app.storage import tables as t
from app.storage.credentials import ENV_KEYCHAIN_SERVICE
from app.storage.inbox_copy import TargetNotEmpty, summarize
from app.storage.inbox_store import SqliteInboxStore
from app.storage.migrations import write_meta
from app.storage.postgres import open_postgres
from app.wiring.window import ensure_demo
from tests import pg_cluster
from tests.fixtures.postgres import database_url

PASSWORD = "correct horse battery staple 42"


# ---------------------------------------------------------------- settings


def test_team_connection_is_kept_in_settings_and_checked_on_read(tmp_path):
    settings = SettingsFile(tmp_path / "settings.json")
    conn = TeamConnection("db.shop.example", "shopkeep", "sam", 5433)
    assert settings.update(team=conn).team == conn
    reread = settings.read()
    assert reread.settings.team == conn and reread.problem == ""
    stored = json.loads((tmp_path / "settings.json").read_text())["team"]
    assert set(stored) == {"host", "port", "database", "user", "key_id"}  # no password

    # A hand-edited file with a bad port turns team mode off, and says so.
    fixed, problems = validate({"team": {**stored, "port": 70000}})
    assert fixed.team is None and "port" in problems[0] and "team mode is off" in problems[0]
    # Without its keychain name it still reads the same at every start.
    no_id = {k: v for k, v in stored.items() if k != "key_id"}
    assert validate({"team": no_id})[0].team == validate({"team": no_id})[0].team
    # Leaving team mode.
    assert settings.update(team=None).team is None


def test_anything_but_this_computer_needs_tls_with_the_certificate_checked():
    remote = TeamConnection("db.shop.example", "shopkeep", "sam").dsn()
    assert "sslmode=verify-full" in remote and "sslrootcert=system" in remote
    for host in ("127.0.0.1", "localhost", "::1"):
        assert "sslmode=prefer" in TeamConnection(host, "shopkeep", "sam").dsn()
    assert "sslmode=verify-full" in TeamConnection("10.0.0.5", "shopkeep", "sam").dsn()


# ---------------------------------------------------------------- plain errors


@pytest.fixture
def locked_cluster() -> Iterator[pg_cluster.PgCluster]:
    """A server of the test's own that asks for a password, as a shop's real one does."""
    why = pg_cluster.available()
    if why:
        pytest.fail(f"no PostgreSQL server programs: {why}", pytrace=False)
    cluster = pg_cluster.PgCluster(password=PASSWORD)
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.mark.postgres
def test_wrong_password_unreachable_and_tls_failures_are_told_apart_without_the_password(
    locked_cluster,
):
    conn = TeamConnection("127.0.0.1", "postgres", "shopkeep", locked_cluster.port)
    with pytest.raises(TeamLoginRefused) as refused:
        open_postgres(conn.dsn(), password="not the password", bind=False)
    assert "password" in refused.value.user_message
    open_postgres(conn.dsn(), password=PASSWORD, bind=False).close()  # the right one opens

    # A server that offers no TLS, asked for verify-full as any remote one is.
    with pytest.raises(TeamTlsFailed) as insecure:
        open_postgres(
            conn.dsn().replace("sslmode=prefer", "sslmode=verify-full&sslrootcert=system"),
            password=PASSWORD,
            bind=False,
        )
    assert "secure connection" in insecure.value.user_message

    locked_cluster.stop()
    with pytest.raises(TeamUnreachable) as away:
        open_postgres(conn.dsn(), password=PASSWORD, bind=False)
    assert "could not reach" in away.value.user_message
    for caught in (refused.value, insecure.value, away.value):
        assert PASSWORD not in caught.user_message and PASSWORD not in str(caught)
        assert "not the password" not in str(caught)


@pytest.mark.postgres
def test_the_password_comes_from_the_keychain_and_a_refused_one_is_asked_again(
    locked_cluster, keychain, tmp_path
):
    paths = AppPaths(tmp_path / "data").ensure()
    env = {ENV_KEYCHAIN_SERVICE: keychain.service}
    conn = TeamConnection("127.0.0.1", "shopkeep", "shopkeep", locked_cluster.port)
    locked_cluster.create_database("shopkeep")
    service = TeamService(paths, SqliteInboxStore.open(paths.database), env)
    try:
        service.join(conn, PASSWORD)
    finally:
        service.store.close()
    assert load_password(conn, env) == PASSWORD
    assert PASSWORD not in (paths.settings_file).read_text()

    opened = open_inbox(paths, env=env)
    assert isinstance(opened.store.db, peewee.PostgresqlDatabase) and not opened.offline
    opened.store.close()

    # The server's password changed: the window asks, keeps the new one, and opens.
    keychain_entry = TeamService(paths, opened.store, env)
    keychain_entry._switch_to(conn, "an old password")
    asked: list[str] = []

    def ask(_conn: TeamConnection, why: str) -> str:
        asked.append(why)
        return PASSWORD

    reopened = open_inbox(paths, env=env, ask_password=ask)
    reopened.store.close()
    assert len(asked) == 1 and "refused" in asked[0]
    assert load_password(conn, env) == PASSWORD
    keychain.delete(conn.keychain_key)
    from app.services.team_mode import forget_password

    forget_password(conn, env)


# ---------------------------------------------------------------- moving in and out


def full_inbox(paths: AppPaths) -> SqliteInboxStore:
    """The demo shop plus one of everything an owner makes: drafts, own templates, notes,
    corrections, a queued reply, sync cursors and jobs, a merge, learner data."""
    store = SqliteInboxStore.open(paths.database)
    ensure_demo(store, paths, force=True)
    threads = store.list_threads(ThreadQuery(), 0, 10)
    first, second = threads[0], threads[1]
    posts = store.thread_posts(first.id)
    store.save_draft(second.id, "Half a reply, typed before the move")
    store.add_template(TemplateKind.ANSWER, "Opening hours", "We open at nine, {first_name}.")
    contact = store.contact_for_post(posts[0].id)
    assert contact is not None
    store.set_contact_note(contact.id, "Prefers email; ordered twice")
    store.correct_label(posts[0].id, SentimentLabel.NEGATIVE)
    store.enqueue_reply(first.id, posts[0].post.remote_id, "Sorry about that!", uuid.uuid4().hex)
    account = store.accounts()[0].id
    store.set_cursor(account, "cursor-42")
    t.SyncJob.create(account=account, kind="conversation", remote_id="4711")
    t.ThreadMerge.create(source_id=999_999, target_id=first.id)
    write_meta(store.db, "learner_forgotten", "[1, 2]")
    store.data_folder_id()
    return store


@pytest.fixture
def empty_team_db(pg_server) -> Iterator[str]:
    """An empty database (no tables at all), as whoever sets the server up makes it."""
    name = f"shopkeep_team_{uuid.uuid4().hex[:12]}"
    yield pg_server.create(name)
    pg_server.drop(name)


def loopback(url: str) -> TeamConnection:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return TeamConnection(
        parts.hostname or "", parts.path.lstrip("/"), parts.username or "", parts.port or 5432
    )


@pytest.mark.postgres
def test_moving_in_and_back_out_loses_nothing(empty_team_db, tmp_path):
    paths = AppPaths(tmp_path / "data").ensure()
    store = full_inbox(paths)
    before = summarize(store.db)
    for table in ("account", "thread", "post", "draft", "template", "contact", "outbox_item"):
        assert before.counts[table] > 0, table
    for table in ("sync_cursor", "sync_job", "thread_merge", "meta"):
        assert before.counts[table] > 0, table
    conn = loopback(empty_team_db)
    seen: list[tuple[int, int]] = []

    said = TeamService(paths, store).move_in(conn, "", lambda d, n: seen.append((d, n)))
    store.close()
    assert f"{before.counts['thread']} conversations" in said
    assert seen and seen[-1] == (before.rows, before.rows)  # the bar reached the end
    assert SettingsFile(paths.settings_file).load().team == conn

    team = open_inbox(paths).store  # what the next start opens
    assert isinstance(team.db, peewee.PostgresqlDatabase)
    assert summarize(team.db) == before  # every row of every table, by content
    assert team.list_drafts()[0].text == "Half a reply, typed before the move"
    # new rows get new ids, after the copied ones
    added = team.add_template(TemplateKind.THANKS, "After the move", "Thanks!")
    assert added.id > max(tpl.id for tpl in team.list_templates() if tpl.id != added.id)
    team.delete_template(added.id)
    in_team = summarize(team.db)

    said = TeamService(paths, team).move_out(lambda d, n: None)
    team.close()
    assert "on this laptop alone" in said
    assert SettingsFile(paths.settings_file).load().team is None
    assert list(paths.data_dir.glob("shopkeep.sqlite3.before-team-*"))  # kept, not deleted
    alone = open_inbox(paths).store
    try:
        assert summarize(alone.db) == in_team
        assert alone.count_threads(ThreadQuery(search="order")) > 0  # search index rebuilt
    finally:
        alone.close()


@pytest.mark.postgres
def test_a_team_database_that_already_holds_an_inbox_is_not_overwritten(empty_team_db, tmp_path):
    paths = AppPaths(tmp_path / "data").ensure()
    store = full_inbox(paths)
    conn = loopback(empty_team_db)
    TeamService(paths, store).move_in(conn, "", lambda d, n: None)
    SettingsFile(paths.settings_file).update(team=None)  # a second laptop tries the same
    other = AppPaths(tmp_path / "other").ensure()
    second = SqliteInboxStore.open(other.database)
    ensure_demo(second, other, force=True)
    with pytest.raises(TargetNotEmpty) as refused:
        TeamService(other, second).move_in(conn, "", lambda d, n: None)
    assert "Join" in refused.value.user_message
    assert SettingsFile(other.settings_file).load().team is None
    second.close()
    store.close()


@pytest.mark.postgres
def test_a_move_cut_off_halfway_leaves_the_old_inbox_in_use_and_the_team_database_empty(
    pg_server, empty_team_db, tmp_path
):
    paths = AppPaths(tmp_path / "data").ensure()
    store = full_inbox(paths)
    before = summarize(store.db)
    name = empty_team_db.rsplit("/", 1)[1]

    def cut(done: int, total: int) -> None:
        """The server drops the copying connection after the first page of rows."""
        pg_server.admin.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )

    with pytest.raises(TeamUnreachable) as broke:
        TeamService(paths, store).move_in(loopback(empty_team_db), "", cut)
    assert "still in use" in broke.value.user_message
    assert SettingsFile(paths.settings_file).load().team is None
    assert summarize(store.db) == before  # the inbox in use: untouched
    store.close()
    check = peewee.PostgresqlDatabase(database_url(pg_server.dsn, name))
    try:
        assert check.execute_sql("SELECT COUNT(*) FROM post").fetchone()[0] == 0
    finally:
        check.close()
    # ... and the move works once the connection holds.
    store = SqliteInboxStore.open(paths.database)
    TeamService(paths, store).move_in(loopback(empty_team_db), "", lambda d, n: None)
    store.close()
    assert SettingsFile(paths.settings_file).load().team is not None


@pytest.mark.postgres
def test_export_and_report_read_the_team_inbox_and_restore_points_at_the_server(
    empty_team_db, tmp_path
):
    """The commands of a laptop in team mode: real `shopkeep` processes."""
    import os
    import subprocess
    import sys

    paths = AppPaths(tmp_path / "data").ensure()
    store = full_inbox(paths)
    TeamService(paths, store).move_in(loopback(empty_team_db), "", lambda d, n: None)
    store.close()
    team = open_inbox(paths).store
    team.add_template(TemplateKind.THANKS, "Only in the team", "Thanks!")
    thread = team.list_threads(ThreadQuery(), 0, 1)[0]
    team.set_status(thread.id, ThreadStatus.DONE)  # a change made after the move
    done = team.count_threads(ThreadQuery(folder=Folder.DONE))
    team.close()
    own = SqliteInboxStore.open(paths.database)  # the laptop's file, as it was at the move
    assert own.count_threads(ThreadQuery(folder=Folder.DONE)) == done - 1
    own.close()
    env = {k: v for k, v in os.environ.items() if k != "SHOPKEEP_DATA_DIR"}

    def shopkeep(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", "--data-dir", str(paths.data_dir), *args],
            capture_output=True, text=True, timeout=90, env=env, stdin=subprocess.DEVNULL,
        )  # fmt: skip

    out = tmp_path / "done.json"
    exported = shopkeep("export", str(out), "--folder", "done")
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(out.read_text())["threads"]) == done  # the team's Done, not the file's
    report = shopkeep("report", "--format", "json")
    assert report.returncode == 0, report.stderr
    restore = shopkeep("restore")
    assert restore.returncode == 2 and "database server's business" in restore.stderr


def test_the_offline_copy_queues_what_is_written_and_forgets_an_undone_reply(tmp_path):
    """The copy keeps the queue for the team; an undone send leaves it (else the copy
    would wait for a hand-over that can never happen, and never be refreshed)."""
    from app.storage.team_offline import OfflineCopyStore, pending_hand_over

    paths = AppPaths(tmp_path / "data").ensure()
    full_inbox(paths).close()
    copy = paths.data_dir / "team-copy.sqlite3"
    paths.database.rename(copy)
    offline = OfflineCopyStore.open(copy)
    try:
        thread = offline.list_threads(ThreadQuery(), 0, 1)[0]
        parent = offline.thread_posts(thread.id)[-1].post.remote_id
        kept = offline.enqueue_reply(thread.id, parent, "Back on Monday", "k-1")
        undone = offline.enqueue_reply(thread.id, parent, "Oops, wrong words", "k-2")
        assert offline.waiting() == 2
        assert offline.cancel_outbox_item(undone.id)  # the undo button
        assert offline.waiting() == 1
        offline.save_draft(thread.id, "and one more thing")
        assert offline.claim_outbox_item(kept.id, None) is None  # a copy never sends
        with offline.sync_lock(kept.account_id) as ours:
            assert not ours  # nor pulls
    finally:
        offline.close()
    assert pending_hand_over(copy) == 2  # the reply and the draft
