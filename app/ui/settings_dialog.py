"""Settings: how often to sync, desktop notifications, the undo-send window, how far back
the first sync reaches, light or dark, and the shop's opening hours (Reports count waiting
time only while the shop is open).

The dialog edits a frozen `SyncSettings` and hands the new one back through
`settings_changed`; main.py saves it to settings.json and applies it to the
scheduler and the notifier. It never writes files itself.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.business_hours import WEEKDAYS, OpeningHours
from app.ui.sync_settings import MAX_UNDO_SECONDS, SCHEME_WORDS, SyncSettings

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_OPEN, DEFAULT_CLOSE = time(9), time(17, 30)


class SettingsDialog(QDialog):
    """Signals `settings_changed(SyncSettings)` when the owner presses OK."""

    settings_changed = Signal(object)

    def __init__(self, settings: SyncSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 18)
        box.setSpacing(12)
        form = QFormLayout()
        form.setSpacing(10)
        self.interval = QSpinBox(self)
        self.interval.setRange(0, 1440)
        self.interval.setSuffix(" min")
        self.interval.setSpecialValueText("Only when I press Sync")
        self.interval.setValue(settings.interval_minutes)
        self.interval.setAccessibleName("Sync every (minutes)")
        form.addRow("Sync every", self.interval)
        self.notifications = QCheckBox("Tell me about new complaints", self)
        self.notifications.setChecked(settings.notifications)
        self.notifications.setToolTip("A desktop notification, at most one every two minutes")
        form.addRow("Notifications", self.notifications)
        self.scheme = QComboBox(self)
        for key, words in SCHEME_WORDS.items():
            self.scheme.addItem(words, key)
        self.scheme.setCurrentIndex(max(0, self.scheme.findData(settings.colour_scheme)))
        self.scheme.setAccessibleName("Appearance")
        self.scheme.setToolTip('Light or dark; "Same as the system" follows your desktop')
        form.addRow("Appearance", self.scheme)
        self.undo_send = QSpinBox(self)
        self.undo_send.setRange(0, MAX_UNDO_SECONDS)
        self.undo_send.setSuffix(" s")
        self.undo_send.setSpecialValueText("Send at once (no undo)")
        self.undo_send.setValue(settings.undo_send_seconds)
        self.undo_send.setAccessibleName("Undo send window (seconds)")
        self.undo_send.setToolTip(
            "After Send, a reply waits this long, with an Undo button, before it goes out"
        )
        form.addRow("Undo send for", self.undo_send)
        self.first_sync = QSpinBox(self)
        self.first_sync.setRange(20, 50_000)
        self.first_sync.setSingleStep(100)
        self.first_sync.setSuffix(" mentions")
        self.first_sync.setValue(settings.first_sync_max)
        self.first_sync.setAccessibleName("First sync reaches back")
        form.addRow("First sync reaches back", self.first_sync)
        box.addLayout(form)
        hint = QLabel(
            "The first sync of a new account fetches at most this many recent "
            "mentions; older ones stay on the server.",
            self,
        )
        hint.setObjectName("pageText")
        hint.setWordWrap(True)
        box.addWidget(hint)
        box.addWidget(self._hours_box(settings.opening_hours))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def _hours_box(self, hours: OpeningHours) -> QGroupBox:
        """One opening a day (most shops have one); days left unticked are closed."""
        group = QGroupBox("Count only opening hours in Reports", self)
        group.setCheckable(True)
        group.setChecked(not hours.always_open)
        group.setToolTip(
            "A message on Saturday night answered at 09:15 on Monday then "
            "counts as 15 minutes of waiting, not 36 hours"
        )
        grid = QGridLayout(group)
        self.days: list[tuple[QCheckBox, QTimeEdit, QTimeEdit]] = []
        for row, name in enumerate(DAY_NAMES):
            spans = () if hours.always_open else hours.by_weekday[row]
            start, end = spans[0] if spans else (DEFAULT_OPEN, DEFAULT_CLOSE)
            is_open = bool(spans) if not hours.always_open else row < 5
            day = QCheckBox(name, group)
            day.setChecked(is_open)
            opens, closes = QTimeEdit(_qtime(start), group), QTimeEdit(_qtime(end), group)
            for edit, what in ((opens, "opens"), (closes, "closes")):
                edit.setDisplayFormat("HH:mm")
                edit.setAccessibleName(f"{name} {what}")
                edit.setEnabled(is_open)
                day.toggled.connect(edit.setEnabled)
            grid.addWidget(day, row, 0)
            grid.addWidget(opens, row, 1)
            grid.addWidget(QLabel("to", group), row, 2)
            grid.addWidget(closes, row, 3)
            self.days.append((day, opens, closes))
        grid.setColumnStretch(4, 1)  # the times stay beside their day, not at the far edge
        self.hours_group = group
        return group

    def hours(self) -> OpeningHours:
        """The hours as ticked; a day whose closing is not after its opening stays closed."""
        if not self.hours_group.isChecked():
            return OpeningHours()
        table: dict[str, list[list[str]]] = {}
        for key, (day, opens, closes) in zip(WEEKDAYS, self.days, strict=True):
            start, end = _clock(opens.time()), _clock(closes.time())
            ok = day.isChecked() and (end > start or end == time(0))
            table[key] = [[f"{start:%H:%M}", f"{end:%H:%M}"]] if ok else []
        return OpeningHours.from_settings(table)

    def value(self) -> SyncSettings:
        return SyncSettings(
            self.interval.value(),
            self.notifications.isChecked(),
            self.first_sync.value(),
            self.hours(),
            colour_scheme=str(self.scheme.currentData()),
            undo_send_seconds=self.undo_send.value(),
        )

    def accept(self) -> None:
        self.settings_changed.emit(self.value())
        super().accept()


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _clock(value: QTime) -> time:
    """A QTimeEdit's time as a `datetime.time` (the stubs type `toPython()` as object)."""
    return time(value.hour(), value.minute())
