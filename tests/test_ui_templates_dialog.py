"""The templates dialog never loses what the owner typed (issue 21 item 3).

After New, a title and a body, Tab out of the signature used to jump to another
template (the new one gone; Save then rewrote the built-in one), and switching
templates dropped edits with no question.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.templates_dialog import NEW_ITEM_ID, TemplatesDialog, builtin_specs
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


@pytest.fixture
def dialog(qtbot, answer_services):
    answer_services.store.restore_builtins(builtin_specs())
    dialog = TemplatesDialog(answer_services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    asked: list[str] = []
    dialog.answers = []  # what the "Save changes?" question will be answered, in turn

    def ask() -> str:
        asked.append(dialog.title.text())
        return dialog.answers.pop(0)

    dialog.ask_unsaved = ask
    dialog.asked = asked
    return dialog


def select_title(dialog, title):
    for i in range(dialog.list.count()):
        if dialog.list.item(i).text().strip() == title:
            dialog.list.setCurrentRow(i)
            return
    raise AssertionError(title)


def test_tab_out_of_the_signature_keeps_the_new_template(qtbot, dialog, answer_services):
    store = answer_services.store
    before = {t.id: (t.title, t.body) for t in store.list_templates()}
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.title, "Birthday cakes")
    dialog.body.setPlainText("Hi {first_name}, yes, we bake them to order.\n\n{signature}")
    dialog.signature.setFocus()
    qtbot.waitUntil(dialog.signature.hasFocus)
    qtbot.keyClick(dialog.signature, Qt.Key.Key_Tab)  # on into the template list
    qtbot.waitUntil(dialog.list.hasFocus)
    assert dialog.list.currentItem().data(Qt.ItemDataRole.UserRole) == NEW_ITEM_ID
    assert dialog.title.text() == "Birthday cakes" and dialog.current is None
    qtbot.keyClick(dialog.list, Qt.Key.Key_Tab)
    dialog.save_button.click()
    after = {t.id: (t.title, t.body) for t in store.list_templates()}
    assert {i: v for i, v in after.items() if i in before} == before  # built-ins untouched
    assert [v[0] for i, v in after.items() if i not in before] == ["Birthday cakes"]
    assert dialog.asked == []


def test_switching_templates_with_edits_asks_first(qtbot, dialog, answer_services):
    store = answer_services.store
    first, second = sorted(store.list_templates(), key=lambda t: (t.kind.value, t.title.lower()))[
        :2
    ]
    select_title(dialog, first.title)
    dialog.body.setPlainText(first.body + " We are open till 6.")

    dialog.answers = ["cancel"]
    select_title(dialog, second.title)
    assert dialog.current.id == first.id and "till 6" in dialog.body.toPlainText()

    dialog.answers = ["save"]
    select_title(dialog, second.title)
    assert "till 6" in store.get_template(first.id).body
    assert dialog.current.id == second.id

    dialog.body.setPlainText("Thrown away")
    dialog.answers = ["discard"]
    select_title(dialog, first.title)
    assert store.get_template(second.id).body == second.body
    assert dialog.asked == [first.title, first.title, second.title]


def test_closing_with_unsaved_words_asks(qtbot, dialog):
    dialog.new_template()
    dialog.title.setText("Half written")
    dialog.answers = ["cancel"]
    dialog.close()
    assert dialog.isVisible()
    dialog.answers = ["discard"]
    dialog.close()
    assert not dialog.isVisible()


def test_the_dialog_shows_the_name_the_composer_signs_with(qtbot, answer_services):
    """The composer signed "— Juniper & Rye Bakery" while the dialog showed the business
    and signature empty and previewed "— your shop"."""
    answer_services.business = answer_services.signature = ""
    answer_services.store.restore_builtins(builtin_specs())
    account = answer_services.store.accounts()[0]
    dialog = TemplatesDialog(answer_services, account=account)
    qtbot.addWidget(dialog)
    name = account.display_name
    assert name and name in dialog.business.placeholderText()
    assert f"— {name}" in dialog.signature.placeholderText()
    dialog.edit(next(t for t in dialog.templates if "{signature}" in t.body))
    assert dialog.preview.text().endswith(f"— {name}")
    assert "your shop" not in dialog.preview.text()
