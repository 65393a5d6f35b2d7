"""The per-post correction menu: Complaint / Neutral / Praise / Use Shopkeep's score.

Opened by one click on a post's sentiment chip in the conversation view. The
choice is handed to a callback; storing it is the caller's job (write lane).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from app.core.models import SentimentLabel

# (menu text, label to store; None = clear the correction and use the score)
CHOICES: tuple[tuple[str, SentimentLabel | None], ...] = (
    ("Complaint", SentimentLabel.NEGATIVE),
    ("Neutral", SentimentLabel.NEUTRAL),
    ("Praise", SentimentLabel.POSITIVE),
    ("Use Shopkeep's score", None),
)


class LabelMenu(QMenu):
    """Checkable choices; the current correction (or the score's choice) is ticked."""

    def __init__(
        self,
        post_id: int,
        corrected: SentimentLabel | None,
        on_choice: Callable[[int, SentimentLabel | None], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labelMenu")
        self.setToolTipsVisible(True)
        self.post_id = post_id
        group = QActionGroup(self)
        self.choice_actions: dict[SentimentLabel | None, QAction] = {}
        for text, label in CHOICES:
            action = QAction(text, self)
            action.setCheckable(True)
            action.setChecked(label == corrected)
            if label is None:
                self.addSeparator()
                action.setToolTip("Forget your correction; colour by the scorer again")
            group.addAction(action)
            action.triggered.connect(lambda _c=False, lab=label: on_choice(post_id, lab))
            self.addAction(action)
            self.choice_actions[label] = action

    def choose(self, label: SentimentLabel | None) -> None:
        """Pick an entry as a click would (tests, keyboard)."""
        self.choice_actions[label].trigger()
