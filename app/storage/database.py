"""Opening the database safely, mapping SQLite failures to calm errors, and backups.

Everything goes through `database_proxy`, so tests (a temp file) and team mode
(PostgreSQL, later) can swap the real database in without touching the models.
A damaged file is never deleted: it is renamed aside and `DatabaseCorrupt` says where.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

import peewee

from app.core.errors import (
    BackupFailed,
    DatabaseCorrupt,
    DiskFull,
    StorageError,
    TeamUnreachable,
)
from app.core.paths import PRIVATE_DIR, AppPaths, make_private
from app.core.write_marks import check_write_allowed
from app.storage.raw_sql import execute, sqlite_connection

log = logging.getLogger(__name__)

database_proxy = peewee.DatabaseProxy()

PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 5000,
    # 4 MB page cache per reading connection: the GUI holds six (its own, four readers,
    # the write lane), and the OS caches the file once for all of them. 16 MB each cost
    # +37 MB resident after a scroll through 100k posts, with no faster search.
    "cache_size": -4000,
}
# The connection that writes walks every index of a big batch: with 4 MB it re-reads
# pages all the time (100k-post ingest 0.44x of the raw limit, 0.58x with 16 MB).
WRITER_CACHE_KIB = 32000
_local = threading.local()
# A full `PRAGMA quick_check` reads every page (~2.5 ms per MB): at start it runs only
# on files up to this size (or when a marker asks); bigger ones get the cheap header
# check at start and the full check in the write lane, before the daily backup.
FULL_CHECK_MAX_BYTES = 16 * 1024 * 1024
CHECK_MARKER = ".needs-check"
_MAGIC = b"SQLite format 3\x00"
BACKUP_KEEP = 5
BACKUP_PREFIX = "shopkeep-"
BACKUP_SUFFIX = ".sqlite3"
DAMAGED_LABEL = "damaged"
HANDLED_SUFFIX = ".handled"  # beside a damaged copy once the owner was offered a restore

_CORRUPT_MARKERS = ("file is not a database", "malformed", "corrupt", "not a database")
_FULL_MARKERS = ("database or disk is full", "disk is full", "no space")
_IO_MARKERS = ("disk i/o error", "unable to open", "readonly", "read-only")
_BUSY_MARKERS = ("locked", "database is busy")
BUSY_MESSAGE = (
    "The database stayed busy with another Shopkeep (the open window or a sync) for too "
    "long, so this was not saved. Nothing was lost: please try again in a moment."
)

P = ParamSpec("P")
R = TypeVar("R")


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")


def is_sqlite(db: peewee.Database | peewee.DatabaseProxy | None = None) -> bool:
    """SQLite-only features (FTS5, backups) check this so PostgreSQL keeps working.
    Without `db`, or given the models' proxy, it asks about the database behind it."""
    target = database_proxy if db is None else db
    if isinstance(target, peewee.DatabaseProxy):
        target = target.obj
    return isinstance(target, peewee.SqliteDatabase)


# The team database's connection went (server down or restarting, network gone).
_GONE_MARKERS = (
    "server closed the connection",
    "connection already closed",
    "terminating connection",
    "could not connect",
    "connection refused",
    "connection to server",
    "ssl syscall error",
)
TEAM_GONE_MESSAGE = (
    "The team database stopped answering, so this was not done. What you typed is still "
    "here; try again in a moment. If it stays away, restart Shopkeep: it then works from "
    "this laptop's copy of the team inbox and hands your replies over when it is back."
)


def translate_error(exc: BaseException) -> BaseException:
    """Map a driver error to an expected failure; anything unknown stays a bug."""
    if isinstance(exc, StorageError):
        return exc
    message = str(exc).lower()
    if isinstance(exc, peewee.OperationalError | peewee.InterfaceError) and any(
        m in message for m in _GONE_MARKERS
    ):
        return TeamUnreachable(str(exc), user_message=TEAM_GONE_MESSAGE)
    if any(m in message for m in _FULL_MARKERS):
        return DiskFull(str(exc))
    if any(m in message for m in _CORRUPT_MARKERS):
        return DatabaseCorrupt(str(exc))
    if isinstance(exc, peewee.OperationalError | sqlite3.OperationalError) and any(
        m in message for m in _BUSY_MARKERS
    ):
        return StorageError(str(exc), user_message=BUSY_MESSAGE)
    if isinstance(exc, peewee.OperationalError | sqlite3.OperationalError) and any(
        m in message for m in _IO_MARKERS
    ):
        return StorageError(str(exc))
    return exc


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn disk-full / I/O / corruption errors into ShopkeepErrors (qutebrowser's split)."""
    try:
        yield
    except (peewee.DatabaseError, peewee.InterfaceError, sqlite3.DatabaseError) as exc:
        mapped = translate_error(exc)
        if mapped is exc:
            raise
        raise mapped from exc


@contextmanager
def write_transaction(db: peewee.Database) -> Iterator[None]:
    """`db.atomic()`, but when SQLite already rolled back by itself (disk full, I/O
    error) the real error surfaces instead of peewee's failed ROLLBACK.

    Raises UnmarkedWrite when a store method without `@writes` opens it off the lane."""
    check_write_allowed()
    _writer_cache(db)
    try:
        # IMMEDIATE: take the write lock first, waiting up to busy_timeout for another
        # process (the window beside `shopkeep sync`). A deferred transaction that read
        # first fails at once with "database is locked" when the other one committed
        # meanwhile: SQLite cannot wait its way out of a stale snapshot.
        with db.atomic(*(("IMMEDIATE",) if _outermost_sqlite(db) else ())):
            _one_writer_on_postgres(db)
            yield
    except (peewee.OperationalError, sqlite3.OperationalError) as exc:
        original: BaseException | None = exc
        while original is not None and "no transaction is active" in str(original):
            original = original.__context__
        if original is not None and original is not exc:
            raise original from None
        raise


# pg_advisory_xact_lock key of every team write transaction ("shopwrit" in ASCII).
TEAM_WRITE_LOCK = 0x73686F7077726974


def _one_writer_on_postgres(db: peewee.Database) -> None:
    """On PostgreSQL, write transactions take turns, as on SQLite (BEGIN IMMEDIATE).

    The store's writes read before they write (is this post known? which thread?)
    and were written for one writer at a time. Under PostgreSQL's READ COMMITTED two
    laptops would both find a post missing and both insert it (one sync stores a
    reply another laptop's outbox is storing). A transaction-level advisory lock
    restores the turns; the server releases it at commit, rollback or disconnect.
    """
    target = db.obj if isinstance(db, peewee.DatabaseProxy) else db
    if isinstance(target, peewee.PostgresqlDatabase) and target.transaction_depth() == 1:
        execute(target, "SELECT pg_advisory_xact_lock(%s)", (TEAM_WRITE_LOCK,))


def _outermost_sqlite(db: peewee.Database) -> bool:
    target = db.obj if isinstance(db, peewee.DatabaseProxy) else db
    return isinstance(target, peewee.SqliteDatabase) and target.transaction_depth() == 0


def _writer_cache(db: peewee.Database) -> None:
    """Give this thread's connection the writer's page cache, once per connection."""
    target = db.obj if isinstance(db, peewee.DatabaseProxy) else db
    if not isinstance(target, peewee.SqliteDatabase):
        return
    conn = sqlite_connection(target)
    if getattr(_local, "writer", None) is not conn:
        conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        _local.writer = conn


def translated(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of `storage_errors` for public store methods."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with storage_errors():
            return func(*args, **kwargs)

    return wrapper


def move_aside(path: Path, label: str = "damaged", now: datetime | None = None) -> Path:
    """Rename the file (and its -wal/-shm companions) aside; never delete user data."""
    stamp = _stamp(now)
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
        n += 1
    path.rename(target)
    for companion in ("-wal", "-shm"):
        extra = path.with_name(path.name + companion)
        if extra.exists():
            extra.rename(target.with_name(target.name + companion))
    log.warning("Moved %s aside to %s", path, target)
    return target


def check_file(path: Path, *, full: bool = True) -> None:
    """Raise if the existing file is not a healthy database.

    full: `PRAGMA quick_check` (every page). Otherwise a cheap check: the header, the
    schema, and a file no shorter than its header says (a cut-off copy).
    """
    if not full:
        _check_header(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise _mapped_open_error(exc, path) from exc
    try:
        sql = "PRAGMA quick_check" if full else "SELECT count(*) FROM sqlite_master"
        rows = conn.execute(sql).fetchall()
    except sqlite3.DatabaseError as exc:
        raise _mapped_open_error(exc, path) from exc
    finally:
        conn.close()
    problems = [str(r[0]) for r in rows if str(r[0]).lower() != "ok"] if full else []
    if problems:
        raise DatabaseCorrupt("; ".join(problems[:5]), path=str(path))


def _check_header(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(_MAGIC):
        raise DatabaseCorrupt("file is not a database", path=str(path))
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    header_size_valid = head[24:28] == head[92:96]
    wal = path.with_name(path.name + "-wal")
    if header_size_valid and not wal.exists() and path.stat().st_size < page * pages:
        raise DatabaseCorrupt("database file is truncated", path=str(path))


def full_check_due(path: Path) -> bool:
    """Whether opening `path` should run the full check now (small file, or a marker)."""
    path = Path(path)
    marker = path.with_name(path.name + CHECK_MARKER)
    if marker.exists():
        return True
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    return size <= FULL_CHECK_MAX_BYTES


def verify_open(db: peewee.SqliteDatabase) -> None:
    """The full check of an open database (off the GUI thread). On damage it leaves a
    marker, so the next start checks fully and moves the file aside, then raises."""
    path = Path(db.database)
    with storage_errors():
        rows = execute(db, "PRAGMA quick_check").fetchall()
    problems = [str(r[0]) for r in rows if str(r[0]).lower() != "ok"]
    if problems:
        path.with_name(path.name + CHECK_MARKER).touch()
        raise DatabaseCorrupt("; ".join(problems[:5]), path=str(path))


def _mapped_open_error(exc: sqlite3.Error, path: Path) -> StorageError:
    mapped = translate_error(exc)
    if isinstance(mapped, DatabaseCorrupt):
        return DatabaseCorrupt(str(exc), path=str(path))
    if isinstance(mapped, StorageError):
        return mapped
    return StorageError(f"{path}: {exc}")


def open_database(
    path: Path, *, bind: bool = True, full_check: bool | None = None
) -> peewee.SqliteDatabase:
    """Open (creating if missing) the SQLite file in WAL mode after checking it.

    full_check None: full when `full_check_due`; else the caller runs `verify_open` later.

    A garbled file raises DatabaseCorrupt carrying `path` and `damaged_path`, the
    name it was moved to, so the next start begins fresh or from a backup.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if _emptied(path):
        damaged = move_aside(path, DAMAGED_LABEL)
        raise DatabaseCorrupt(
            f"{path}: the file is empty but backups exist",
            path=str(path),
            damaged_path=str(damaged),
        )
    if path.exists() and path.stat().st_size > 0:
        full = full_check_due(path) if full_check is None else full_check
        try:
            check_file(path, full=full)
            if full:
                path.with_name(path.name + CHECK_MARKER).unlink(missing_ok=True)
        except DatabaseCorrupt as exc:
            damaged = move_aside(path, DAMAGED_LABEL)
            path.with_name(path.name + CHECK_MARKER).unlink(missing_ok=True)
            raise DatabaseCorrupt(
                f"{path}: {exc}", path=str(path), damaged_path=str(damaged)
            ) from exc
    db = peewee.SqliteDatabase(str(path), pragmas=dict(PRAGMAS), timeout=5)
    with storage_errors():
        db.connect(reuse_if_open=True)
        mode = execute(db, "PRAGMA journal_mode").fetchone()
    for private in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        make_private(private)  # the shop's customers and drafts: the user's eyes only
    if mode and str(mode[0]).lower() != "wal":
        log.info("SQLite journal mode is %s, not wal", mode[0])
    if bind:
        database_proxy.initialize(db)
    return db


def _emptied(path: Path) -> bool:
    """A zero-byte file where backups exist was a real database once: it is damaged
    (a full disk, a bad copy), not a new one to fill with the demo shop."""
    if not path.exists() or path.stat().st_size > 0:
        return False
    return bool(list_backups(AppPaths(path.parent).backup_dir))


def damaged_copies(db_path: Path) -> list[Path]:
    """Damaged files set aside whose owner has not yet been offered a restore, newest first.

    `shopkeep sync` may be the one that found the damage: the window asks at every
    start until the owner answers (`mark_handled`).
    """
    db_path = Path(db_path)
    if not db_path.parent.exists():
        return []
    found = [
        p
        for p in db_path.parent.glob(f"{db_path.name}.{DAMAGED_LABEL}-*")
        if p.is_file()
        and not p.name.endswith(("-wal", "-shm", HANDLED_SUFFIX))
        and not p.with_name(p.name + HANDLED_SUFFIX).exists()
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)


def mark_handled(damaged: Iterable[Path]) -> None:
    """The owner answered the restore offer for these copies: stop asking (they stay)."""
    for path in damaged:
        path.with_name(path.name + HANDLED_SUFFIX).touch()


# ---------------------------------------------------------------- backups


def list_backups(backup_dir: Path) -> list[Path]:
    """Backups newest first (the timestamp in the name sorts by time)."""
    if not backup_dir.exists():
        return []
    found = [
        p
        for p in backup_dir.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}")
        if p.is_file() and not p.name.endswith(".partial" + BACKUP_SUFFIX)
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_now(
    db: peewee.SqliteDatabase,
    backup_dir: Path,
    *,
    now: datetime | None = None,
    keep: int = BACKUP_KEEP,
) -> Path:
    """Copy the live database with SQLite's online backup API, then keep the newest `keep`.

    A backup that fails (full disk, unwritable folder) raises BackupFailed saying why,
    and leaves no half-written `.partial` file behind (nor any from earlier tries).
    """
    target = backup_dir / f"{BACKUP_PREFIX}{_stamp(now)}{BACKUP_SUFFIX}"
    partial = target.with_name(target.stem + ".partial" + BACKUP_SUFFIX)
    try:
        backup_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        for stale in backup_dir.glob(f"*.partial{BACKUP_SUFFIX}"):
            stale.unlink()
        with storage_errors():
            dest = sqlite3.connect(str(partial))
            try:
                sqlite_connection(db).backup(dest)
            finally:
                dest.close()
        make_private(partial)
        partial.replace(target)  # a half-written backup never looks like a real one
    except (OSError, StorageError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise _backup_failed(exc, backup_dir) from exc
    for old in list_backups(backup_dir)[keep:]:
        old.unlink()
    log.info("Database backed up to %s", target)
    return target


def _backup_failed(exc: BaseException, backup_dir: Path) -> BackupFailed:
    text = str(exc).lower()
    if (
        isinstance(exc, DiskFull)
        or getattr(exc, "errno", None) == errno.ENOSPC
        or any(m in text for m in _FULL_MARKERS)
    ):
        reason = "the disk is full"
    elif getattr(exc, "errno", None) in (errno.EACCES, errno.EPERM, errno.EROFS) or any(
        m in text for m in ("readonly", "read-only", "unable to open")
    ):
        reason = "Shopkeep is not allowed to write there"
    else:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
    return BackupFailed(
        f"backup to {backup_dir} failed: {exc}",
        user_message=(
            f"Today's automatic backup could not be saved in {backup_dir} ({reason}). Your "
            "inbox itself is safe; Shopkeep tries again at the next start."
        ),
    )


def backup_if_due(
    db: peewee.SqliteDatabase,
    backup_dir: Path,
    *,
    now: datetime | None = None,
    keep: int = BACKUP_KEEP,
) -> Path | None:
    """The daily automatic backup: makes one unless today's (UTC) already exists."""
    now = now or datetime.now(UTC)
    today = f"{BACKUP_PREFIX}{now:%Y%m%d}-"
    if any(p.name.startswith(today) for p in list_backups(backup_dir)):
        return None
    return backup_now(db, backup_dir, now=now, keep=keep)


# After a restore, every reply not known as sent may have gone out since the backup was
# taken: it is marked tried, so the sender asks the server before sending it again.
RESTORED_UNCLEAR_SQL = (
    "UPDATE outbox_item SET attempts = 1, last_error = ? WHERE state != 'sent' AND attempts = 0"
)
RESTORED_NOTE = "restored from a backup, so Shopkeep asks the server first"


def mark_restored_unclear(conn: sqlite3.Connection) -> int:
    with conn:
        return conn.execute(RESTORED_UNCLEAR_SQL, (RESTORED_NOTE,)).rowcount


def _check_with_server_first(path: Path) -> None:
    """Replies waiting in the backup may have gone out since: mark them tried, so the
    sender asks the server before posting any of them again."""
    conn = sqlite3.connect(str(path))
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'outbox_item'").fetchone():
            marked = mark_restored_unclear(conn)
            log.info("%d waiting replies will be checked with the server first", marked)
    finally:
        conn.close()


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did: the backup put in place and where the file it replaced went."""

    backup: Path
    replaced: Path | None = None


def restore_last_backup(db_path: Path, backup_dir: Path, *, now: datetime | None = None) -> Path:
    """Put the newest healthy backup in place of the database (which must be closed).

    The current file, if any, is moved aside as `.replaced-<time>`, never deleted.
    Returns the backup that was restored; raises StorageError when none is usable.
    """
    return restore_backup(db_path, backup_dir, now=now).backup


def restore_backup(db_path: Path, backup_dir: Path, *, now: datetime | None = None) -> Restored:
    """`restore_last_backup`, also saying where the replaced file was kept."""
    db_path = Path(db_path)
    for candidate in list_backups(backup_dir):
        try:
            check_file(candidate)
        except StorageError:
            log.warning("Skipping unreadable backup %s", candidate)
            continue
        replaced = move_aside(db_path, "replaced", now) if db_path.exists() else None
        for companion in ("-wal", "-shm"):  # a stale WAL must never replay onto a backup
            extra = db_path.with_name(db_path.name + companion)
            if extra.exists():
                extra.rename(extra.with_name(f"{extra.name}.replaced-{_stamp(now)}"))
        tmp = db_path.with_name(db_path.name + ".restoring")
        shutil.copy2(candidate, tmp)
        _check_with_server_first(tmp)
        tmp.replace(db_path)
        log.info("Restored %s from %s", db_path, candidate)
        mark_handled(damaged_copies(db_path))
        return Restored(candidate, replaced)
    raise StorageError(
        f"no usable backup in {backup_dir}",
        user_message="There is no automatic backup to restore yet.",
    )
