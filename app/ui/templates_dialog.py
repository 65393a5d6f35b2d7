"""Reply templates: create, edit, delete, restore the built-ins, and the owner's sign-off.

The editor checks the body with `templates.validate` as it is typed: an
unknown field such as {frist_name} is shown in red with a suggestion and the
template cannot be saved, so a reply can never go out with a brace in it.
A live preview shows the words as a customer would read them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import templates as tpl
from app.core.models import Account, Author, Network, Template, TemplateKind
from app.ui import palette
from app.ui.answer_services import AnswerServices
from app.ui.composer_parts import KIND_TITLES

SAMPLE = Author(Network.MASTODON, "sample", "@sam@example.social", "Sam Rivera")
KIND_NAMES = {"apology": "Apology", "thanks": "Thank-you", "answer": "Answer"}
NEW_BODY = "Hi {first_name}, \n\n{signature}"
NEW_ITEM_ID = -1  # the list row of a template being written that is not saved yet

STYLE = """
QLabel#templateProblems { color: @warn_text; background: @warn_bg; border: 1px solid @warn_border;
    border-radius: 6px; padding: 6px 8px; }
QLabel#templatePreview { color: @text; background: @window; border: 1px solid @border;
    border-radius: 6px; padding: 8px; }
QLabel#sectionTitle { font-weight: 600; color: @text_secondary; padding-top: 4px; }
QPushButton#fieldButton { font-family: "DejaVu Sans Mono", monospace; padding: 2px 6px;
    color: @checked_text; background: @accent_soft_bg; border: 1px solid @accent_soft_border;
    border-radius: 5px; }
QListWidget#templateList { border: 1px solid @border; border-radius: 6px; outline: 0;
    padding: 4px; }
QListWidget#templateList::item { padding: 3px 2px; }
QPushButton#primaryButton { background: @accent; border: 1px solid @accent_border;
    color: @on_accent;
    font-weight: 600; border-radius: 6px; padding: 6px 16px; }
QPushButton#primaryButton:disabled { background: @accent_disabled; border-color: @accent_disabled;
    color: @on_accent_disabled; }
"""


def builtin_specs() -> list[dict[str, str]]:
    """The shipped templates as restore_builtins wants them."""
    return [
        {"key": t.key, "kind": t.kind, "title": t.title, "body": t.body} for t in tpl.load_builtin()
    ]


class TemplatesDialog(QDialog):
    """Edits the store's templates; `templates_changed(list)` after every write lands."""

    templates_changed = Signal(object)

    def __init__(
        self,
        services: AnswerServices,
        parent: QWidget | None = None,
        account: Account | None = None,
    ) -> None:
        """`account`: the shop account whose name fills {business} when none is set here
        (the composer's fallback), shown as the placeholder and in the preview."""
        super().__init__(parent)
        self.services = services
        self.account = account
        self.setWindowTitle("Reply templates")
        palette.style(self, STYLE)
        self.resize(880, 560)
        self.templates: list[Template] = []
        self.current: Template | None = None  # None with the editor open means "new"
        # "save", "discard" or "cancel" when edits would be left; tests replace it
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved
        self._loaded: tuple[object, str, str] | None = None  # the editor as last loaded
        self._switching = False
        col = QVBoxLayout(self)

        profile = QFormLayout()
        self.business = QLineEdit(services.business, self)
        fallback = services.business_for(account) if account is not None else ""
        self.business.setPlaceholderText(
            f"{fallback} (your account's name; type to change)"
            if fallback
            else "Your shop's name, e.g. Juniper & Rye Bakery"
        )
        self.signature = QLineEdit(services.signature, self)
        self.signature.setPlaceholderText(
            f"{services.signature_for(account)} (type to change)"
            if fallback
            else "How you sign off, e.g. — Priya at Juniper & Rye"
        )
        for edit in (self.business, self.signature):
            edit.textChanged.connect(self._update_preview)
            edit.editingFinished.connect(self._save_profile)
        profile.addRow("Business name ({business})", self.business)
        profile.addRow("Signature ({signature})", self.signature)
        col.addLayout(profile)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(split)
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(left)
        self.list.setObjectName("templateList")
        self.list.currentItemChanged.connect(self._on_current_changed)
        lcol.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton("New", left)
        self.new_button.clicked.connect(self.new_template)
        self.delete_button = QPushButton("Delete", left)
        self.delete_button.clicked.connect(lambda: self.delete_current())
        self.restore_button = QPushButton("Restore built-ins", left)
        self.restore_button.setToolTip(
            "Put the shipped templates back as shipped; your own templates stay"
        )
        self.restore_button.clicked.connect(self.restore_builtins)
        for b in (self.new_button, self.delete_button, self.restore_button):
            row.addWidget(b)
        lcol.addLayout(row)
        split.addWidget(left)
        split.addWidget(self._build_editor(split))
        split.setSizes([300, 580])
        col.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        col.addWidget(buttons)
        self.reload()

    def _build_editor(self, parent: QWidget) -> QWidget:
        box = QFrame(parent)
        form = QVBoxLayout(box)
        form.setContentsMargins(10, 0, 0, 0)
        top = QFormLayout()
        self.kind = QComboBox(box)
        for kind in (TemplateKind.APOLOGY, TemplateKind.THANKS, TemplateKind.ANSWER):
            self.kind.addItem(KIND_NAMES[kind.value], kind)
        self.title = QLineEdit(box)
        self.title.setPlaceholderText("A short name you will recognise in the list")
        top.addRow("Kind", self.kind)
        top.addRow("Title", self.title)
        form.addLayout(top)
        fields = QHBoxLayout()
        fields.addWidget(QLabel("Insert:", box))
        for name in tpl.FIELDS:
            button = QPushButton("{" + name + "}", box)
            button.setObjectName("fieldButton")
            button.setToolTip(f"Insert the {name.replace('_', ' ')} field")
            button.clicked.connect(lambda _c=False, n=name: self._insert_field(n))
            fields.addWidget(button)
        fields.addStretch(1)
        form.addLayout(fields)
        self.body = QPlainTextEdit(box)
        self.body.setAccessibleName("Template text")
        self.body.textChanged.connect(self._on_edited)
        self.title.textChanged.connect(self._on_edited)
        self.kind.currentIndexChanged.connect(self._on_edited)
        form.addWidget(self.body, 1)
        self.problems = QLabel(box)
        self.problems.setObjectName("templateProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        form.addWidget(self.problems)
        preview_title = QLabel("Preview, as Sam Rivera would read it", box)
        preview_title.setObjectName("sectionTitle")
        form.addWidget(preview_title)
        self.preview = QLabel(box)
        self.preview.setObjectName("templatePreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        form.addWidget(self.preview)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.save_button = QPushButton("Save template", box)
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save)
        actions.addWidget(self.save_button)
        form.addLayout(actions)
        return box

    def _insert_field(self, name: str) -> None:
        self.body.insertPlainText("{" + name + "}")

    # -- list --------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        store = self.services.store
        self.services.runner.run(
            store.list_templates, lambda ts: self._show(ts, select_id), name="read templates"
        )

    def _show(self, templates: list[Template], select_id: int | None) -> None:
        self.templates = list(templates)
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        self.list.blockSignals(True)
        self.list.clear()
        chosen: QListWidgetItem | None = None
        first: QListWidgetItem | None = None
        last = None
        for t in sorted(templates, key=lambda t: (t.kind.value, t.title.lower())):
            if t.kind != last:
                last = t.kind
                header = QListWidgetItem(KIND_TITLES[t.kind.value].upper(), self.list)
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                font = header.font()
                font.setBold(True)
                font.setPointSizeF(font.pointSizeF() * 0.85)
                header.setFont(font)
                header.setForeground(palette.colour("text_muted"))
            item = QListWidgetItem(
                ("    " + t.title) + ("" if t.builtin else "   (yours)"), self.list
            )
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            if t.id == keep:
                chosen = item
            first = first or item
        self.list.blockSignals(False)
        picked = chosen or first
        if picked is not None:
            self.list.setCurrentItem(picked)
        else:
            self.edit(None)
            self._add_new_item()
        self.templates_changed.emit(self.templates)

    def _add_new_item(self) -> QListWidgetItem:
        """A row for the template being written, so the list never points elsewhere
        (Tab into an empty-current list used to pick the first template)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == NEW_ITEM_ID:
                return self.list.item(i)
        item = QListWidgetItem("New template (not saved yet)")
        item.setData(Qt.ItemDataRole.UserRole, NEW_ITEM_ID)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        self.list.blockSignals(True)
        self.list.insertItem(0, item)
        self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        return item

    def _drop_new_item(self) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == NEW_ITEM_ID:
                self.list.blockSignals(True)
                self.list.takeItem(i)
                self.list.blockSignals(False)
                return

    def _on_current_changed(
        self, item: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        template_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if template_id == NEW_ITEM_ID or self._switching:
            return
        if not self.leave_edits(then_select=template_id):
            self.list.blockSignals(True)  # stay where the edits are
            self.list.setCurrentRow(self.list.row(previous) if previous is not None else -1)
            self.list.blockSignals(False)
            return
        self._drop_new_item()
        self.edit(next((t for t in self.templates if t.id == template_id), None))

    def _editor_state(self) -> tuple[object, str, str]:
        return self.kind.currentData(), self.title.text().strip(), self.body.toPlainText()

    def is_dirty(self) -> bool:
        """Whether the editor holds words that differ from what it last loaded or saved."""
        return self._loaded is not None and self._editor_state() != self._loaded

    def leave_edits(self, then_select: int | None = None) -> bool:
        """Before the editor shows something else: ask about unsaved words.

        True when it may go on (nothing to keep, discarded, or saved: after a save the
        list reloads with `then_select` chosen); False to stay.
        """
        if not self.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == "save" and not self.body_problems():
            self.save(then_select=then_select)
            return True
        return answer == "discard"

    def _ask_unsaved(self) -> str:
        name = self.title.text().strip() or "the new template"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved template",
            f"Save your changes to “{name}”?",
            parent=self,
        )
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return {
            QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard",
        }.get(QMessageBox.StandardButton(box.exec()), "cancel")

    # -- editor ------------------------------------------------------------------

    def edit(self, template: Template | None) -> None:
        self.current = template
        for w in (self.kind, self.title, self.body):
            w.blockSignals(True)
        self.kind.setCurrentIndex(
            max(0, self.kind.findData(template.kind if template else TemplateKind.ANSWER))
        )
        self.title.setText(template.title if template else "")
        self.body.setPlainText(template.body if template else NEW_BODY)
        for w in (self.kind, self.title, self.body):
            w.blockSignals(False)
        self._loaded = self._editor_state()
        self.delete_button.setEnabled(template is not None)
        self._on_edited()

    def new_template(self) -> None:
        if not self.leave_edits():
            return
        self.edit(None)
        self._add_new_item()
        self.title.setFocus()

    def body_problems(self) -> list[str]:
        problems = tpl.validate(self.body.toPlainText())
        if not self.body.toPlainText().strip():
            problems.append("The template is empty.")
        if not self.title.text().strip():
            problems.append("Give the template a title.")
        return problems

    def _on_edited(self) -> None:
        problems = self.body_problems()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.save_button.setEnabled(not problems)
        self._update_preview()

    def _update_preview(self) -> None:
        business = (
            self.business.text().strip()
            or (self.services.business_for(self.account) if self.account else "")
            or "your shop"
        )
        context = tpl.FillContext.for_author(
            SAMPLE,
            business=business,
            signature=self.signature.text().strip() or "— " + business,
            original_text="Do you have anything gluten-free on Sundays?",
        )
        try:
            self.preview.setText(tpl.fill(self.body.toPlainText(), context))
        except tpl.TemplateError:
            self.preview.setText("(fix the problem above to see the preview)")

    # -- writes (all through the write lane) ---------------------------------------

    def save(self, then_select: int | None = None) -> None:
        if self.body_problems():
            return
        store, current = self.services.store, self.current
        kind = TemplateKind(self.kind.currentData())
        title, body = self.title.text().strip(), self.body.toPlainText()

        def write() -> Template:
            if current is None:
                return store.add_template(kind, title, body)
            return store.update_template(current.id, kind=kind, title=title, body=body)

        def saved(template: Template) -> None:
            self.current = template  # saved: nothing is left unsaved
            self._loaded = self._editor_state()
            self.reload(then_select if then_select is not None else template.id)

        self.services.runner.run(write, saved, self._on_error, write=True, name="save template")

    def delete_current(self, confirm: bool = True) -> None:
        current = self.current
        if current is None:
            return
        if (
            confirm
            and QMessageBox.question(
                self,
                "Delete template",
                f"Delete “{current.title}”?"
                + (
                    "\n\nBuilt-in templates come back with Restore built-ins."
                    if current.builtin
                    else ""
                ),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        store = self.services.store
        self.current = None
        self.services.runner.run(
            lambda: store.delete_template(current.id),
            lambda _ok: self.reload(),
            self._on_error,
            write=True,
            name="delete template",
        )

    def restore_builtins(self) -> None:
        store, specs = self.services.store, builtin_specs()
        self.services.runner.run(
            lambda: store.restore_builtins(specs),
            lambda _n: self.reload(),
            self._on_error,
            write=True,
            name="restore templates",
        )

    def _save_profile(self) -> None:
        business, signature = self.business.text().strip(), self.signature.text().strip()
        if (business, signature) == (self.services.business, self.services.signature):
            return
        self.services.business, self.services.signature = business, signature
        if self.services.save_profile is not None:
            self.services.save_profile(business, signature)

    def _on_error(self, exc: BaseException) -> None:
        self.problems.setText(getattr(exc, "user_message", "") or "That could not be saved.")
        self.problems.show()

    def reject(self) -> None:
        """Close, Esc and the title bar (QDialog routes all three here) ask about unsaved
        words first, like switching templates does."""
        if self.leave_edits():
            super().reject()

    def hideEvent(self, event: QHideEvent) -> None:
        """Closing by any means (Close, Esc, the title bar) keeps the owner's details."""
        self._save_profile()
        super().hideEvent(event)
