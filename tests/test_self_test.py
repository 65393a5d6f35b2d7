"""`python -m app --self-test` from source: the same checks the frozen build runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ("resources", "store", "sentiment", "keychain", "window")


def run_self_test(
    command: list[str], data_dir: Path, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run a self-test offscreen with a throwaway data folder (shared with test_frozen)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SHOPKEEP_DATA_DIR=str(data_dir))
    return subprocess.run(
        [*command, "--self-test"], cwd=cwd, env=env, capture_output=True, text=True, timeout=90
    )


def assert_all_passed(result: subprocess.CompletedProcess[str]) -> None:
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CHECKS:
        # a missing keychain is a skip (the app works without one), never a failure
        prefixes = ("ok   ", "skip ") if name == "keychain" else ("ok   ",)
        assert any(line.startswith(tuple(p + name for p in prefixes)) for line in lines), lines
    assert not [line for line in lines if line.startswith("FAIL")], lines
    assert lines[-1] == "self-test passed"


def test_self_test_from_source_passes(tmp_path):
    result = run_self_test([sys.executable, "-m", "app"], tmp_path / "data", ROOT)
    assert_all_passed(result)
    assert not (tmp_path / "data").exists(), "the self-test must only write to its temp folder"


def test_a_failing_check_fails_the_run(monkeypatch):
    from app.wiring import self_test

    def broken(tmp: Path) -> str:
        raise RuntimeError("lexicon missing")

    lines: list[str] = []
    monkeypatch.setattr(self_test, "CHECKS", [("sentiment", broken)])
    assert self_test.run_self_test(lines.append) == 1
    assert lines[0] == "FAIL sentiment: RuntimeError: lexicon missing"


def test_no_keychain_is_a_skip_not_a_failure(monkeypatch):
    from app.wiring import self_test

    def no_keychain(tmp: Path) -> str:
        raise self_test.Skipped("not available (no D-Bus session)")

    lines: list[str] = []
    monkeypatch.setattr(self_test, "CHECKS", [("keychain", no_keychain)])
    assert self_test.run_self_test(lines.append) == 0
    assert lines == ["skip keychain: not available (no D-Bus session)", "self-test passed"]
