"""The suite's own rules, checked: what a marker promises is what a test needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def collected(*args: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 5), proc.stdout + proc.stderr  # 5: nothing selected
    return [line for line in proc.stdout.splitlines() if "::" in line]


def test_a_test_taking_the_keychain_is_marked_keychain_and_the_quick_path_leaves_it_out():
    marked = collected("-m", "keychain", "tests/test_credentials.py")
    assert "tests/test_credentials.py::test_round_trip_through_the_real_keychain" in marked
    # this one swaps in keyring's fail backend and needs no keychain at all
    assert "tests/test_credentials.py::test_no_keychain_says_so_plainly" not in marked

    quick = collected("-m", "not devnet and not frozen and not keychain",
                      "tests/test_credentials.py")
    assert "tests/test_credentials.py::test_no_keychain_says_so_plainly" in quick
    assert not set(quick) & set(marked)

