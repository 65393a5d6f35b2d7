"""The window is built from one typed services object and declares every part it holds.

main() builds `AppServices` once; `AppWindow` takes it and makes its parts (sync,
notifier, filter bar, answering, corrections, photos, Export…, Settings…, Reports…)
in its own constructor. Nothing is set on the window from outside afterwards, and no
module looks a service up on the window by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from app.storage.inbox_store import SqliteInboxStore
from app.ui.accounts_dialog import AccountsDialog
from app.ui.app_window import AppWindow
from app.ui.settings_dialog import SettingsDialog
from app.wiring.window import build_services, open_window
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

ROOT = Path(__file__).resolve().parent.parent
WINDOW = {"window", "self.window", "self.window_"}  # how app/ names a window it was given

# Left in files another change is typing (issue 26); delete each line when its site goes.
KNOWN = {
    ("app/ui/corrections.py", "window.corrections = …"),  # install_corrections, for tests
    ("app/ui/corrections.py", "getattr(window, 'menus', …)"),
    ("app/ui/corrections.py", "getattr(window, 'thread_view', …)"),
    ("app/ui/corrections.py", "getattr(window, 'thread_model', …)"),
    ("app/ui/row_menu.py", "getattr(self.window, 'corrections', …)"),
}


def _window_reaches(path: Path) -> set[str]:
    """`window.x = …` and `getattr/setattr/hasattr(window, "x")` in one module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and ast.unparse(target.value) in WINDOW:
                found.add(f"{ast.unparse(target)} = …")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) >= 2
            and ast.unparse(node.args[0]) in WINDOW
        ):
            found.add(
                f"{node.func.id}({ast.unparse(node.args[0])}, {ast.unparse(node.args[1])}, …)"
            )
    return found


def test_no_module_sets_a_part_on_the_window_or_looks_one_up_by_name():
    assert _window_reaches_text("window.sync = x\nf = getattr(window, 'scheduler', None)\n") == {
        "window.sync = …",
        "getattr(window, 'scheduler', …)",
    }
    found = {
        (path.relative_to(ROOT).as_posix(), reach)
        for path in sorted((ROOT / "app").rglob("*.py"))
        for reach in _window_reaches(path)
    }
    assert found - KNOWN == set()


def _window_reaches_text(text: str) -> set[str]:
    """The same check on a snippet: proves it finds what it is looking for."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snippet.py"
        path.write_text(text, encoding="utf-8")
        return _window_reaches(path)


@pytest.fixture
def store(ui_paths):
    opened = SqliteInboxStore.open(ui_paths.database)
    yield opened
    opened.close()


def test_the_window_holds_after_use_only_what_its_constructor_declared(
    qtbot, ui_paths, store, keychain
):
    bare = AppWindow(build_services(ui_paths, store=store, synchronous=True, credentials=keychain))
    qtbot.addWidget(bare)
    declared = set(vars(bare))
    bare.close()

    services = build_services(
        ui_paths, store=store, demo=True, synchronous=True, credentials=keychain
    )
    window = open_window(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.services is services and window.runner is services.runner
    assert window.answer_pane.services.store is services.store
    assert window.sync.store is services.store
    assert window.photo_loader.source is services.photos

    # the owner goes through the File menu: each part it opens was declared up front
    window.export_action.trigger()
    assert window.export_dialog is not None and window.export_dialog.isVisible()
    window.export_dialog.reject()
    window.settings_action.trigger()
    settings = window.findChild(SettingsDialog)
    assert settings is not None
    settings.reject()
    window.reports_action.trigger()
    assert window.reports is not None and window.reports.isVisible()
    window.reports.close()
    window.accounts_action.trigger()
    accounts = window.findChild(AccountsDialog)
    assert accounts is not None
    assert window.runner.wait_idle(5000)
    QCoreApplication.processEvents()
    accounts.reject()
    window.demo_requested.emit()
    assert window.runner.wait_idle(5000)
    assert set(vars(window)) == declared
    window.runner.shutdown()
