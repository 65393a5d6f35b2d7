"""File → Export…: the current list or everything, to CSV or JSON, with progress and cancel.

The writing is `app.core.export.export_inbox` on a pool thread of the task
runner (reads only, so it never waits on the write lane); progress comes back
through a queued signal, Cancel sets an event the exporter checks per thread.
The exporter writes under a temporary name and renames at the end, so a cancel
leaves no half file. The file name is typed or picked with "Choose…" (a
non-modal file dialog), so tests never meet a modal dialog.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ShopkeepError
from app.core.export import ExportFormat, ExportResult, ExportStore, export_inbox
from app.core.models import Folder
from app.core.ports import ThreadQuery
from app.ui.task_runner import TaskRunner


class _Relay(QObject):
    """Carries (done, total) from the export thread to the dialog (a queued signal)."""

    progressed = Signal(object)


def default_folder() -> Path:
    """Documents when that folder exists (a fresh account may have none), else home,
    else the folder Shopkeep was started in: never a folder the export cannot use."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    for folder in (Path(found) if found else None, Path.home()):
        if folder is not None and folder.is_dir():
            return folder
    return Path.cwd()


class ExportDialog(QDialog):
    """Signals `finished_export(ExportResult)` after a file was written (or cancelled)."""

    finished_export = Signal(object)

    def __init__(
        self,
        store: ExportStore,
        runner: TaskRunner,
        query: ThreadQuery,
        shown: int,
        parent: QWidget | None = None,
        *,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.query = query
        self.cancel_event: threading.Event | None = None
        self.export_result: ExportResult | None = None  # `result` is QDialog's own
        self.setWindowTitle("Export conversations")
        self.setObjectName("exportDialog")
        self.resize(520, 0)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 18)
        box.setSpacing(10)
        self.current = QRadioButton(
            f"The current list ({shown} conversation{'s' if shown != 1 else ''} shown)", self
        )
        self.everything = QRadioButton("Everything Shopkeep has saved", self)
        self.current.setChecked(True)
        self.scope = QButtonGroup(self)
        what = self._group("What", box)
        for button in (self.current, self.everything):
            self.scope.addButton(button)
            what.addWidget(button)
        self.csv = QRadioButton("CSV – one row per post, opens in a spreadsheet", self)
        self.json = QRadioButton("JSON – conversations with replies and notes", self)
        self.csv.setChecked(True)
        self.kind = QButtonGroup(self)
        fmt = self._group("Format", box)
        for button in (self.csv, self.json):
            self.kind.addButton(button)
            fmt.addWidget(button)
        self.csv.toggled.connect(lambda _on: self._fix_suffix())
        for group in (self.scope, self.kind):  # a new choice: the last result no longer applies
            group.buttonToggled.connect(self._on_choice)
        row = QHBoxLayout()
        self.path = QLineEdit(str((folder or default_folder()) / "shopkeep-export.csv"), self)
        self.path.setAccessibleName("Export to file")
        self.path.textEdited.connect(lambda _t: self._forget_result())
        self.choose = QPushButton("Choose…", self)
        self.choose.clicked.connect(self._choose)
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        box.addLayout(row)
        self.bar = QProgressBar(self)
        self.bar.setVisible(False)
        box.addWidget(self.bar)
        self.message = QLabel("", self)
        self.message.setObjectName("pageText")
        self.message.setWordWrap(True)
        box.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Close", self)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.export_button = QPushButton("Export", self)
        self.export_button.setObjectName("primaryButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        box.addLayout(buttons)
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._on_progress)

    def _group(self, title: str, box: QVBoxLayout) -> QVBoxLayout:
        """A titled group, so "What" and "Format" never read as one set of four choices."""
        group = QGroupBox(title, self)
        inner = QVBoxLayout(group)
        inner.setContentsMargins(10, 6, 10, 6)
        inner.setSpacing(4)
        box.addWidget(group)
        return inner

    def _on_choice(self, _button: object, on: bool) -> None:
        if on:
            self._forget_result()

    def _forget_result(self) -> None:
        if self.cancel_event is None:
            self.export_result = None
            self.message.setText("")
            self.bar.setVisible(False)

    # ---- choosing

    def fmt(self) -> ExportFormat:
        return ExportFormat.JSON if self.json.isChecked() else ExportFormat.CSV

    def _fix_suffix(self) -> None:
        path = Path(self.path.text().strip() or "shopkeep-export")
        self.path.setText(str(path.with_suffix("." + self.fmt().value)))

    def _choose(self) -> None:
        dialog = QFileDialog(self, "Export to", self.path.text())
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(["CSV files (*.csv)", "JSON files (*.json)"])
        dialog.fileSelected.connect(self._chosen)
        dialog.open()

    def _chosen(self, name: str) -> None:
        self.path.setText(name)
        (self.json if name.lower().endswith(".json") else self.csv).setChecked(True)

    # ---- running

    def start(self) -> None:
        """Write the file on a pool thread; the dialog shows progress until it is done."""
        if self.cancel_event is not None:
            return
        target = Path(self.path.text().strip()).expanduser()
        query = self.query if self.current.isChecked() else ThreadQuery(folder=Folder.ALL)
        store, fmt, relay = self.store, self.fmt(), self._relay
        cancel = self.cancel_event = threading.Event()

        def work() -> ExportResult:
            return export_inbox(
                store,
                target,
                query,
                fmt=fmt,
                cancel=cancel,
                progress=lambda done, total: relay.progressed.emit((done, total)),
            )

        self._set_running(True)
        self.message.setText(f"Writing {target.name}…")
        self.runner.run(work, self._done, self._failed, name="export")

    def _set_running(self, running: bool) -> None:
        self.bar.setVisible(running or self.bar.isVisible())
        for w in (
            self.export_button,
            self.path,
            self.choose,
            self.current,
            self.everything,
            self.csv,
            self.json,
        ):
            w.setEnabled(not running)
        self.cancel_button.setText("Cancel" if running else "Close")

    def _on_progress(self, value: Any) -> None:
        done, total = value
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(min(done, max(1, total)))

    def _cancel_or_close(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.message.setText("Stopping…")
        else:
            self.reject()

    def _done(self, result: ExportResult) -> None:
        self.cancel_event = None
        self.export_result = result
        self._set_running(False)
        if result.cancelled:
            self.message.setText("Export cancelled; no file was written.")
        else:
            self.message.setText(
                f"Saved {result.threads} conversation"
                f"{'s' if result.threads != 1 else ''} ({result.posts} posts) "
                f"to {result.path}."
            )
        self.finished_export.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.cancel_event = None
        self._set_running(False)
        self.message.setText(
            exc.user_message
            if isinstance(exc, ShopkeepError)
            else "The export failed unexpectedly. The details are in the log file."
        )

    def reject(self) -> None:
        if self.cancel_event is not None:  # Esc / closing while writing: stop, then close
            self.cancel_event.set()
        super().reject()
