"""Demo conversations can be read and practised on, but never "sent" (issue 21 item 7).

Ctrl+Enter on demo data queued a reply forever and marked the thread Replied;
removing the demo later deleted it silently.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.models import ThreadStatus
from app.ui.answer_pane import install_answer_pane
from app.ui.answer_services import AnswerServices
from app.ui.main_window import MainWindow
from app.ui.task_runner import TaskRunner
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


@pytest.fixture
def demo_window(qtbot, ui_store):
    runner = TaskRunner(synchronous=True)
    kicks: list[int] = []
    services = AnswerServices(
        ui_store,
        runner,
        business="Juniper & Rye Bakery",
        signature="— Priya",
        send_now=lambda: kicks.append(1),
    )
    window = MainWindow(ui_store, runner)
    qtbot.addWidget(window)
    pane = install_answer_pane(window, services)
    window.resize(1280, 800)
    window.start()
    window.show()
    qtbot.waitExposed(window)
    window.kicks = kicks
    yield window, pane
    pane.flush()
    runner.shutdown()


def test_ctrl_enter_on_demo_data_sends_nothing_and_says_why(qtbot, demo_window, ui_store):
    window, pane = demo_window
    window.select_row(0)
    row = window.current_thread()
    assert row.is_demo and row.status is ThreadStatus.NEEDS_REPLY
    composer = pane.composer
    composer.use_suggestion()
    assert composer.editor.toPlainText()  # practising is fine
    assert not composer.send_button.isEnabled()
    assert "Demo data: replies are not sent" in composer.reason.text()
    composer.editor.setFocus()
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert ui_store.outbox_items() == []
    assert ui_store.thread(row.id).status is ThreadStatus.NEEDS_REPLY
    assert window.kicks == []
    assert "Add your account" in composer.outbox.state_text
