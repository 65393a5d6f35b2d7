"""The owner asks for help and quotes the version: Help → About and `--version` say the same
thing, and it is the installed package's version (pyproject.toml), the one the .deb carries."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_version_comes_from_the_package_metadata():
    import app

    assert app.__version__ == importlib.metadata.version("shopkeep")


def test_a_new_package_version_reaches_the_command_line_with_no_other_edit(tmp_path):
    """Bumping pyproject.toml and reinstalling is all a release needs."""
    metadata = tmp_path / "shopkeep-9.8.7.dist-info" / "METADATA"
    metadata.parent.mkdir()
    metadata.write_text("Metadata-Version: 2.1\nName: shopkeep\nVersion: 9.8.7\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    out = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert out.strip() == "Shopkeep 9.8.7"


def test_command_line_version_is_the_package_version():
    out = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert out.strip() == f"Shopkeep {importlib.metadata.version('shopkeep')}"


def test_help_about_shows_the_package_version(main_window, qtbot):
    from app.ui.about_box import AboutBox
    from app.ui.application import make_application

    make_application([])  # what app.main does: names, version, desktop file name
    about = next(a for a in main_window.menus["help"].actions() if a.text() == "About Shopkeep")
    about.trigger()
    box = main_window.findChild(AboutBox, "aboutBox")
    assert box is not None and box.isVisible()
    assert box.text() == f"Shopkeep {importlib.metadata.version('shopkeep')}"
    box.close()
