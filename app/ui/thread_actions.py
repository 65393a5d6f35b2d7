"""Done, Snooze and Undo for a thread: one keystroke to clear it, one to bring it back.

Each action is a QUndoCommand on a QUndoStack, so "u" / Ctrl+Z undo the last
one and the Edit menu can say what will be undone ("Undo Done: Owen"). The
store writes go through the task runner's write lane, in order; the updated
thread row comes back through `thread_changed` so the list can move it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from PySide6.QtCore import QDateTime, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from app.core.models import ThreadRow, ThreadStatus
from app.ui.answer_services import AnswerServices


def snooze_choices(now: datetime) -> list[tuple[str, datetime]]:
    """The usual snoozes, in local time: later today, tomorrow morning, the weekend
    (Monday to Thursday), next Monday."""
    local = now.astimezone()
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(9, 0), local.tzinfo)
    monday = local.date() + timedelta(days=(7 - local.weekday()) or 7)
    next_week = datetime.combine(monday, time(9, 0), local.tzinfo)
    later = local + timedelta(hours=3)
    first = "Later today" if later.date() == local.date() else "In 3 hours"
    choices = [
        (f"{first} ({later:%H:%M})", later),
        (f"Tomorrow morning ({tomorrow:%a} 9:00)", tomorrow),
    ]
    if local.weekday() < 4:
        saturday = local.date() + timedelta(days=5 - local.weekday())
        choices.append(
            (
                f"This weekend ({saturday:%a} 9:00)",
                datetime.combine(saturday, time(9, 0), local.tzinfo),
            )
        )
    choices.append((f"Next week ({next_week:%a %d %b}, 9:00)", next_week))
    return [(label, when.astimezone(UTC)) for label, when in choices]


def _who(row: ThreadRow) -> str:
    return (
        (row.author_name or row.author_handle).split()[0]
        if (row.author_name or row.author_handle)
        else "thread"
    )


class _StatusCommand(QUndoCommand):
    """Move one thread to a status; undo puts back exactly what it was (snooze time too)."""

    def __init__(
        self,
        actions: ThreadActions,
        row: ThreadRow,
        status: ThreadStatus,
        until: datetime | None,
        text: str,
    ) -> None:
        super().__init__(text)
        self.actions = actions
        self.thread_id = row.id
        self.status, self.until = status, until
        self.before, self.before_until = row.status, row.snoozed_until

    def redo(self) -> None:
        self.actions._write(self, self.status, self.until)

    def undo(self) -> None:
        self.actions._write(self, self.before, self.before_until, undoing=True)


class ThreadActions(QObject):
    """Done / Snooze / Undo for the open thread. Give it the thread with `set_thread`.

    Signals: `thread_changed(ThreadRow)` after each write lands,
    `message(str)` with a short line for the status bar.
    """

    thread_changed = Signal(object)
    message = Signal(str)

    def __init__(self, services: AnswerServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.current_thread: ThreadRow | None = None
        self.stack = QUndoStack(self)
        self.done_action = QAction("Done", self)
        self.done_action.setShortcut(QKeySequence("E"))
        self.done_action.setToolTip("Mark done: out of Needs reply (E)")
        self.done_action.triggered.connect(lambda: self.done())
        self.snooze_action = QAction("Snooze until…", self)
        self.snooze_action.setShortcut(QKeySequence("Z"))
        self.snooze_action.setToolTip("Hide until later; it comes back by itself (Z)")
        self.undo_action = self.stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcuts(
            [QKeySequence("U"), QKeySequence(QKeySequence.StandardKey.Undo)]
        )
        self.redo_action = self.stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo)])
        self.set_thread(None)

    def set_thread(self, row: ThreadRow | None) -> None:
        self.current_thread = row
        self.done_action.setEnabled(row is not None and row.status is not ThreadStatus.DONE)
        self.snooze_action.setEnabled(row is not None)

    def done(self, row: ThreadRow | None = None) -> None:
        row = row or self.current_thread
        if row is None or row.status is ThreadStatus.DONE:
            return
        self.stack.push(_StatusCommand(self, row, ThreadStatus.DONE, None, f"Done: {_who(row)}"))

    def snooze(self, until: datetime, row: ThreadRow | None = None) -> None:
        row = row or self.current_thread
        if row is None:
            return
        self.stack.push(
            _StatusCommand(self, row, ThreadStatus.SNOOZED, until, f"Snooze: {_who(row)}")
        )

    def undo(self) -> None:
        self.stack.undo()

    def snooze_menu(self, parent: QWidget) -> QMenu:
        """The snooze choices as a menu (for the button, Z and right-click); the times are
        worked out again each time it opens, so "tomorrow" stays tomorrow."""
        menu = QMenu(parent)
        self._fill_snooze_menu(menu, parent)
        menu.aboutToShow.connect(lambda: self._fill_snooze_menu(menu, parent))
        return menu

    def _fill_snooze_menu(self, menu: QMenu, parent: QWidget, row: ThreadRow | None = None) -> None:
        menu.clear()
        for label, when in snooze_choices(self.services.clock()):
            menu.addAction(label, self._snoozer(when, row))
        menu.addSeparator()
        menu.addAction("Choose a date and time…", lambda: self.snooze_custom(parent, row))

    def _snoozer(self, until: datetime, row: ThreadRow | None) -> Callable[[], None]:
        return lambda: self.snooze(until, row)

    def snooze_menu_for(self, row: ThreadRow, parent: QWidget) -> QMenu:
        """The same choices for one thread that need not be the open one (right-click)."""
        menu = QMenu("Snooze until", parent)
        self._fill_snooze_menu(menu, parent, row)
        return menu

    def snooze_custom(self, parent: QWidget, row: ThreadRow | None = None) -> None:
        when = SnoozeDialog.ask(parent, self.services.clock())
        if when is not None:
            self.snooze(when, row)

    def _write(
        self,
        command: _StatusCommand,
        status: ThreadStatus,
        until: datetime | None,
        *,
        undoing: bool = False,
    ) -> None:
        store, thread_id = self.services.store, command.thread_id

        def write() -> tuple[ThreadStatus, ThreadRow | None]:
            previous = store.set_status(thread_id, status, until)
            return previous, store.thread(thread_id)

        def landed(result: tuple[ThreadStatus, ThreadRow | None]) -> None:
            previous, row = result
            if not undoing and previous is not command.before and previous is not status:
                command.before = previous  # the store knew better than our row
            if row is None:
                return
            if self.current_thread is not None and self.current_thread.id == row.id:
                self.set_thread(row)
            self.thread_changed.emit(row)
            word = {ThreadStatus.DONE: "Marked done", ThreadStatus.SNOOZED: "Snoozed"}.get(
                status, "Back in " + status.value.replace("_", " ")
            )
            if undoing:
                self.message.emit(f"Undone: {_who(row)} is back where it was.")
            else:
                self.message.emit(f"{word}: {_who(row)}. Press U to undo.")

        self.services.runner.run(
            write,
            landed,
            lambda exc: self.message.emit(
                getattr(exc, "user_message", "") or "That change could not be saved."
            ),
            write=True,
            name="set thread status",
        )


class SnoozeDialog(QDialog):
    """Pick when a snoozed thread comes back (local time, at least a minute ahead)."""

    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Snooze until")
        col = QVBoxLayout(self)
        col.addWidget(QLabel("Bring this conversation back to Needs reply on:"))
        self.when = QDateTimeEdit(self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        local = now.astimezone() + timedelta(days=1)
        self.when.setDateTime(_qt(local.replace(hour=9, minute=0, second=0, microsecond=0)))
        self.when.setMinimumDateTime(_qt(now + timedelta(minutes=1)))
        col.addWidget(self.when)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Snooze")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)

    def chosen(self) -> datetime:
        return datetime.fromtimestamp(self.when.dateTime().toMSecsSinceEpoch() / 1000, UTC)

    @classmethod
    def ask(cls, parent: QWidget, now: datetime) -> datetime | None:
        dialog = cls(now, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _qt(moment: datetime) -> QDateTime:
    """An aware datetime as the same instant in a QDateTime (local time, as the editor shows)."""
    return QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000))
