"""`shopkeep --self-test`: prove a build has everything it needs, one line per check.

Run on the frozen app by tests/test_frozen.py (and by anyone whose download
"does not start"): the store opens, the bundled VADER lexicon scores, the
keychain round-trips a secret, and the main window renders. Nothing is
written outside a temporary folder. Exit 0 only when no check failed; a
missing keychain is reported as skipped, because the app runs without one.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

SENTENCE = "The cake was wonderful, thank you!"
KEYCHAIN_SERVICE = "Shopkeep self-test"
KEYCHAIN_TIMEOUT_S = 15.0  # a locked keychain may wait on a prompt nobody answers
MIN_WINDOW_SIZE = (320, 200)


class Skipped(Exception):
    """A check that cannot run here and is not the build's fault (no keychain)."""


RESOURCE_DIRS = ("demo", "icons", "style", "templates")


def check_resources(tmp: Path) -> str:
    """Demo data, icons, style and templates are bundled where resources_dir() looks."""
    from app.core.paths import resources_dir

    root = resources_dir()
    missing = [d for d in RESOURCE_DIRS if not any((root / d).glob("*"))]
    if missing:
        raise RuntimeError(f"nothing in {', '.join(missing)} under {root}")
    files = sum(1 for p in root.rglob("*") if p.is_file())
    return f"{files} files in {root}"


def check_store(tmp: Path) -> str:
    """The SQLite store opens, migrates and answers a query in a fresh folder."""
    from app.core.paths import resolve_paths
    from app.core.ports import ThreadQuery
    from app.wiring.window import open_store

    store = open_store(resolve_paths(tmp / "store").ensure())
    try:
        return f"{len(store.accounts())} accounts, {store.count_threads(ThreadQuery())} threads"
    finally:
        store.close()


def check_sentiment(tmp: Path) -> str:
    """A plainly happy sentence scores positive: VADER's lexicon files were bundled."""
    from app.core.models import SentimentLabel
    from app.core.sentiment import score

    result = score(SENTENCE)
    if result.label != SentimentLabel.POSITIVE:
        raise RuntimeError(f"{SENTENCE!r} scored {result.label} ({result.compound:+.2f})")
    return f"{result.label} {result.compound:+.2f}"


def check_scoring_workers(tmp: Path) -> str:
    """A big batch is scored in worker processes: the build can start them (spawn)."""
    from app.core import scoring_pool
    from app.core.models import SentimentLabel
    from app.core.sentiment import score

    workers = scoring_pool.worker_count()
    if workers < 2:
        raise Skipped("one core: big batches are scored inline")
    texts = [f"{SENTENCE} ({i})" for i in range(scoring_pool.MIN_PARALLEL)]
    job = scoring_pool.ScoringJob(score, texts)
    labels = {job.get(t).label for t in texts}
    scoring_pool.shutdown()
    if not job.parallel or scoring_pool.has_failed():
        raise RuntimeError("worker processes could not score (see the log)")
    if labels != {SentimentLabel.POSITIVE}:
        raise RuntimeError(f"workers scored {sorted(labels)}")
    return f"{len(texts)} posts in {workers} processes"


def check_keychain(tmp: Path) -> str:
    """Set, read and delete a random secret; no keychain is a skip, not a failure."""
    outcome: list[str | BaseException] = []
    worker = threading.Thread(
        target=lambda: outcome.append(_keychain_round_trip()),
        daemon=True,
        name="self-test-keychain",
    )
    worker.start()
    worker.join(KEYCHAIN_TIMEOUT_S)
    if not outcome:
        raise Skipped(f"not available (no answer in {KEYCHAIN_TIMEOUT_S:.0f} s; locked?)")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _keychain_round_trip() -> str | BaseException:
    from app.core.errors import KeychainUnavailable

    key = f"self-test:{secrets.token_hex(4)}"
    value = secrets.token_urlsafe(16)
    try:
        try:
            from app.storage.credentials import CredentialStore, backend_name
        except ImportError:
            return _raw_keyring_round_trip(key, value)
        store = CredentialStore(service=KEYCHAIN_SERVICE)
        store.save(key, {"secret": value})
        try:
            loaded = store.load(key)
        finally:
            store.delete(key)
        if loaded != {"secret": value}:
            return RuntimeError("the secret read back differs from the one saved")
        if store.load(key) is not None:
            return RuntimeError("the secret was still there after deleting it")
        return backend_name()
    except KeychainUnavailable as exc:
        return Skipped(f"not available ({exc})")
    except Exception as exc:  # a keychain error we did not foresee is a failure
        return exc


def _raw_keyring_round_trip(key: str, value: str) -> str | BaseException:
    import keyring
    import keyring.errors

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "fail" in name or "null" in name:
        return Skipped(f"not available ({name})")
    try:
        backend.set_password(KEYCHAIN_SERVICE, key, value)
        loaded = backend.get_password(KEYCHAIN_SERVICE, key)
        backend.delete_password(KEYCHAIN_SERVICE, key)
    except (keyring.errors.KeyringLocked, keyring.errors.NoKeyringError) as exc:
        return Skipped(f"not available ({type(exc).__name__}: {exc})")
    if loaded != value:
        return RuntimeError("the secret read back differs from the one saved")
    return name


def check_window(tmp: Path) -> str:
    """The main window builds over the demo shop and paints, its SVG icons included."""
    from app.wiring.window import build_window, ensure_qt_platform

    ensure_qt_platform()
    from app.core.paths import resolve_paths, resources_dir
    from app.ui.application import make_application
    from app.ui.window_check import icon_renders, missing_photo_formats, paint_offscreen

    qt_app = make_application([])
    if not icon_renders(resources_dir() / "icons" / "shopkeep.svg"):
        raise RuntimeError("SVG icons do not render (Qt's svg plugins missing?)")
    if missing_photo_formats():
        raise RuntimeError(
            f"customers' photos cannot be shown: no Qt image plugin for "
            f"{', '.join(missing_photo_formats())}"
        )
    window = build_window(resolve_paths(tmp / "window"), demo=True, synchronous=True)
    try:
        width, height, platform = paint_offscreen(window)
        if width < MIN_WINDOW_SIZE[0] or height < MIN_WINDOW_SIZE[1]:
            raise RuntimeError(f"window painted at {width}x{height}, too small")
        return f"{width}x{height} on {platform}"
    finally:
        window.runner.shutdown()
        window.close()
        window.deleteLater()
        qt_app.processEvents()


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("resources", check_resources),
    ("store", check_store),
    ("sentiment", check_sentiment),
    ("scoring workers", check_scoring_workers),
    ("keychain", check_keychain),
    ("window", check_window),
]


def run_self_test(out: Callable[[str], None] = print) -> int:
    """Run every check, print one line each, and return the exit code (0 = all passed)."""
    failed = 0
    with tempfile.TemporaryDirectory(prefix="shopkeep-self-test-") as tmp:
        for name, check in CHECKS:
            try:
                detail = check(Path(tmp))
            except Skipped as exc:
                out(f"skip {name}: {exc}")
            except Exception as exc:
                failed += 1
                out(f"FAIL {name}: {type(exc).__name__}: {exc}")
                if os.environ.get("SHOPKEEP_SELF_TEST_TRACEBACK"):
                    traceback.print_exc()
            else:
                out(f"ok   {name}: {detail}" if detail else f"ok   {name}")
    out("self-test passed" if not failed else f"self-test failed: {failed} check(s)")
    return 0 if not failed else 1
