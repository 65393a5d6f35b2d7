"""The suite's own rules, checked: what a marker promises is what a test needs."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def collected(*args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 5), proc.stdout + proc.stderr  # 5: nothing selected
    return [line for line in proc.stdout.splitlines() if "::" in line]


def test_a_test_taking_the_keychain_is_marked_keychain_and_the_quick_path_leaves_it_out():
    marked = collected("-m", "keychain", "tests/test_credentials.py")
    assert "tests/test_credentials.py::test_round_trip_through_the_real_keychain" in marked
    # this one swaps in keyring's fail backend and needs no keychain at all
    assert "tests/test_credentials.py::test_no_keychain_says_so_plainly" not in marked

    quick = collected(
        "-m", "not devnet and not frozen and not keychain", "tests/test_credentials.py"
    )
    assert "tests/test_credentials.py::test_no_keychain_says_so_plainly" in quick
    assert not set(quick) & set(marked)


def test_the_two_pytests_of_the_whole_suite_run_every_test_once():
    """tests/pytest_session.sh splits the suite in two by markers: a test in neither
    half would never run, one in both would run twice, and a module named in RUN_BESIDE
    that was renamed would fall back into the main half unnoticed."""
    from tests.conftest import RUN_BESIDE

    script = (ROOT / "tests" / "pytest_session.sh").read_text(encoding="utf-8")
    halves = re.findall(r'pytest -m "([^"]+)"', script)
    assert len(halves) == 2, halves
    for frozen in (False, True):
        for beside in (False, True):
            marks = {"frozen": frozen, "beside": beside}
            # pytest's -m expressions are and/or/not over marker names, as in Python
            runs_in = [eval(half, {"__builtins__": {}}, marks) for half in halves]
            assert runs_in.count(True) == 1, (marks, halves)
    for name in RUN_BESIDE:
        assert (ROOT / "tests" / name).is_file(), f"RUN_BESIDE names a missing module: {name}"


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            found[canonical(name)] = version.strip()
    return found


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_installed_packages_are_the_pinned_ones_ci_tested():
    mismatched = {}
    for name, version in pins().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # a platform's own dependency (SecretStorage on Linux only)
        if installed != version:
            mismatched[name] = f"pinned {version}, installed {installed}"
    assert mismatched == {}, f"refresh constraints.txt (CONTRIBUTING.md): {mismatched}"


def test_every_dependency_and_test_or_build_extra_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in ("test", "build"):
        wanted += project["optional-dependencies"][extra]
    names = {canonical(re.match(r"[A-Za-z0-9_.-]+", req).group()) for req in wanted}
    assert names - set(pins()) == set()


def test_a_qt_warning_fails_a_ui_test_in_any_module(tmp_path: Path):
    """The setting is suite-wide (pyproject.toml), not a marker each module must remember."""
    (tmp_path / "test_unmarked.py").write_text(
        "from PySide6.QtCore import qWarning\n\n\n"
        "def test_a_window_that_warns(qtbot):\n"
        "    qWarning('QWidget::setLayout: a layout is already set')\n\n\n"
        "def test_the_offscreen_screen_saying_what_it_cannot_do(qtbot):\n"
        "    qWarning('This plugin does not support raise()')\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:cacheprovider",
            "-q",
            str(tmp_path / "test_unmarked.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert "1 failed, 1 passed" in proc.stdout, proc.stdout + proc.stderr
    assert "test_a_window_that_warns" in proc.stdout.split("short test summary")[-1]


def test_the_test_command_checks_types_after_the_linter_and_before_pytest():
    script = (ROOT / "tests" / "run.sh").read_text(encoding="utf-8")
    lint = script.index("\n.venv/bin/ruff check app tests bench\n")
    types = script.index("\n.venv/bin/mypy\n")
    tests = script.index("bash tests/pytest_session.sh")
    assert lint < types < tests


def test_mypy_is_strict_on_all_of_app_with_no_error_kind_turned_off():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert config["files"] == ["app"]
    for override in config.get("overrides", []):  # only untyped third-party imports
        assert set(override) <= {"module", "ignore_missing_imports"}, override["module"]
