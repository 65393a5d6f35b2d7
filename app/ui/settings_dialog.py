"""Settings: how often to sync, desktop notifications, how far back the first sync reaches.

The dialog edits a frozen `SyncSettings` and hands the new one back through
`settings_changed`; main.py saves it to settings.json and applies it to the
scheduler and the notifier. It never writes files itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """The owner's choices, as settings.json keeps them (see `to_mapping`)."""

    interval_minutes: int = 5  # 0: only when asked (F5)
    notifications: bool = True
    first_sync_max: int = 2000  # mentions the first sync of an account reaches back

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SyncSettings:
        """Read settings.json's keys; anything missing or odd falls back to the default."""
        def number(key: str, default: int, low: int, high: int) -> int:
            try:
                return max(low, min(high, int(data.get(key, default))))
            except (TypeError, ValueError):
                return default

        default = cls()
        return cls(
            interval_minutes=number("sync_interval_minutes", default.interval_minutes, 0, 1440),
            notifications=bool(data.get("notifications", default.notifications)),
            first_sync_max=number("first_sync_max", default.first_sync_max, 20, 50_000),
        )

    def to_mapping(self) -> dict[str, Any]:
        return {"sync_interval_minutes": self.interval_minutes,
                "notifications": self.notifications, "first_sync_max": self.first_sync_max}


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
        self.first_sync = QSpinBox(self)
        self.first_sync.setRange(20, 50_000)
        self.first_sync.setSingleStep(100)
        self.first_sync.setSuffix(" mentions")
        self.first_sync.setValue(settings.first_sync_max)
        self.first_sync.setAccessibleName("First sync reaches back")
        form.addRow("First sync reaches back", self.first_sync)
        box.addLayout(form)
        hint = QLabel("The first sync of a new account fetches at most this many recent "
                      "mentions; older ones stay on the server.", self)
        hint.setObjectName("pageText")
        hint.setWordWrap(True)
        box.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def value(self) -> SyncSettings:
        return SyncSettings(self.interval.value(), self.notifications.isChecked(),
                            self.first_sync.value())

    def accept(self) -> None:
        self.settings_changed.emit(self.value())
        super().accept()
