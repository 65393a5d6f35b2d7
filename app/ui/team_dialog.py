"""File → Team…: connect this inbox to the team's PostgreSQL database, or leave it.

The dialog only gathers the connection and shows what happened; the work (the
keychain, the network, copying the inbox) is done by a core.team.TeamActions in the
task runner, with the copy's progress relayed to the bar. After a switch it emits
`switched`: the window then closes, and the next start opens the other inbox.
Also here: the password prompt shown when the team database refuses the one kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ShopkeepError
from app.core.team import DEFAULT_PORT, TeamActions, TeamConnection, connection_problem

BACKUP_WORDS = (
    "Backups: in team mode the inbox lives on the database server, so its backups are "
    "the server's business (whoever runs it: a nightly pg_dump, and a restore tried once). "
    "Shopkeep's daily copy on this laptop stands aside. You can still export everything."
)
INTRO = (
    "Share one inbox with the people who answer with you: it lives on a PostgreSQL "
    "database the shop has or rents. The password is kept in this computer's keychain."
)


def ask_team_password(conn: TeamConnection, why: str) -> str | None:
    """Ask again for the team password (the one kept was refused); None: not given."""
    if QApplication.instance() is None:
        return None
    text, ok = QInputDialog.getText(
        None,
        "Team database password",
        f"{why}\n\nPassword for {conn.label}:",
        QLineEdit.EchoMode.Password,
    )
    return text if ok and text else None


class _Relay(QObject):
    """Progress from the pool thread, delivered on the GUI thread."""

    progressed = Signal(object)


class TeamDialog(QDialog):
    """Signals `switched(str)` (what happened) once settings point at another inbox."""

    switched = Signal(str)

    def __init__(
        self,
        actions: TeamActions,
        runner: Any,
        parent: QWidget | None = None,
        *,
        export: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team")
        self.setMinimumWidth(440)  # the explanations read as sentences, not a column of words
        self.team = actions
        self.runner = runner
        self.busy = False
        current = actions.current
        box = QVBoxLayout(self)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        box.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit(current.host if current else "", self)
        self.host.setPlaceholderText("db.example.com")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(current.port if current else DEFAULT_PORT)
        self.database = QLineEdit(current.database if current else "shopkeep", self)
        self.user = QLineEdit(current.user if current else "shopkeep", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the keychain" if current else "")
        for label, field in (
            ("Server", self.host),
            ("Port", self.port),
            ("Database", self.database),
            ("User", self.user),
            ("Password", self.password),
        ):
            field.setAccessibleName(label)
            form.addRow(label, field)
        box.addLayout(form)
        self.security = QLabel("", self)
        self.security.setWordWrap(True)
        box.addWidget(self.security)
        self.host.textChanged.connect(lambda _t: self._say_security())
        self._say_security()

        row = QHBoxLayout()
        self.test_button = QPushButton("Test connection", self)
        self.test_button.clicked.connect(self.test)
        self.join_button = QPushButton("Join the team database", self)
        self.join_button.setToolTip("Work on a team inbox that is already there")
        self.join_button.clicked.connect(self.join)
        row.addWidget(self.test_button)
        row.addWidget(self.join_button)
        box.addLayout(row)
        self.move_in_button = QPushButton("Move my inbox to the team database", self)
        self.move_in_button.clicked.connect(self.move_in)
        box.addWidget(self.move_in_button)
        self.move_out_button = QPushButton("Go back to one laptop", self)
        self.move_out_button.setToolTip("Copy the team inbox to this laptop and use it alone")
        self.move_out_button.clicked.connect(self.move_out)
        box.addWidget(self.move_out_button)
        self.bar = QProgressBar(self)
        self.bar.setVisible(False)
        box.addWidget(self.bar)
        self.message = QLabel("", self)
        self.message.setObjectName("pageText")
        self.message.setWordWrap(True)
        box.addWidget(self.message)
        self.backups = QLabel(BACKUP_WORDS, self)
        self.backups.setWordWrap(True)
        box.addWidget(self.backups)
        self.export_button = QPushButton("Export…", self)
        if export is not None:
            self.export_button.clicked.connect(lambda _c=False: export())
        box.addWidget(self.export_button)
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        box.addWidget(close)
        self.in_team = current is not None
        self.backups.setVisible(self.in_team)
        self.export_button.setVisible(self.in_team and export is not None)
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._on_progress)
        self._set_busy(False)

    # ---- reading the fields

    def connection(self) -> TeamConnection | None:
        """The typed connection, or None (and the reason shown) when it cannot work."""
        host, database, user = (w.text().strip() for w in (self.host, self.database, self.user))
        problem = connection_problem(host, self.port.value(), database, user)
        if problem:
            self.message.setText(problem)
            return None
        current = self.team.current
        if current is not None and (current.host, current.port, current.database, current.user) == (
            host,
            self.port.value(),
            database,
            user,
        ):
            return current  # the same login: the same keychain entry
        return TeamConnection(host, database, user, self.port.value())

    def _say_security(self) -> None:
        conn = TeamConnection(self.host.text().strip() or "x", "x", "x")
        self.security.setText(
            "This computer: encryption used when the server offers it."
            if conn.loopback
            else "Encrypted, and the server's certificate is checked against its name "
            "(required for any server but this computer)."
        )

    # ---- running

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.test_button, self.join_button, self.move_in_button):
            button.setEnabled(not busy and not self.in_team)
        self.test_button.setEnabled(not busy)
        self.move_out_button.setEnabled(not busy and self.in_team)
        for field in (self.host, self.port, self.database, self.user, self.password):
            field.setEnabled(not busy and not self.in_team)

    def _run(self, words: str, work: Callable[[], str], *, switches: bool) -> None:
        self.message.setText(words)
        self._set_busy(True)

        def done(text: str) -> None:
            self._set_busy(False)
            self.message.setText(text)
            if switches:
                self.switched.emit(text)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.bar.setVisible(False)
            if not isinstance(exc, ShopkeepError):
                self.runner.unhandled_error.emit(exc)
                return
            still = "" if not switches else " Shopkeep keeps using the inbox it had."
            self.message.setText(exc.user_message + still)

        self.runner.run(work, done, failed, write=switches, name=words)

    def _progress(self) -> Callable[[int, int], None]:
        relay = self._relay
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        return lambda done, total: relay.progressed.emit((done, total))

    def _on_progress(self, value: Any) -> None:
        done, total = value
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(min(done, max(1, total)))

    def test(self) -> None:
        conn = self.connection()
        if conn is None:
            return
        password, team = self.password.text(), self.team
        self._run("Connecting…", lambda: team.test(conn, password), switches=False)

    def join(self) -> None:
        conn = self.connection()
        if conn is None:
            return
        password, team = self.password.text(), self.team
        self._run("Connecting…", lambda: team.join(conn, password), switches=True)

    def move_in(self) -> None:
        conn = self.connection()
        if conn is None:
            return
        password, team, progress = self.password.text(), self.team, self._progress()
        self._run(
            "Copying your inbox to the team database…",
            lambda: team.move_in(conn, password, progress),
            switches=True,
        )

    def move_out(self) -> None:
        team, progress = self.team, self._progress()
        self._run(
            "Copying the team inbox to this laptop…",
            lambda: team.move_out(progress),
            switches=True,
        )


RETRY, OWN_INBOX = "retry", "own"


def ask_when_team_fails(why: str) -> str | None:
    """At start, the team inbox did not open: try again, use this laptop's own inbox
    (team mode off; File → Team… joins again later), or quit (None)."""
    if QApplication.instance() is None:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Shopkeep",
        f"{why}\n\nTry again, or work on this laptop's own inbox for now (it is as it was "
        "before team mode; the team inbox stays on the server, and File → Team… joins it "
        "again).",
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    again = box.addButton("Try again", QMessageBox.ButtonRole.AcceptRole)
    own = box.addButton("Use this laptop's own inbox", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(again)
    box.exec()
    clicked = box.clickedButton()
    if clicked is again:
        return RETRY
    if clicked is own:
        return OWN_INBOX
    return None
