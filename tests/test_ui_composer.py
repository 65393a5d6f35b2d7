"""The composer as a shop owner uses it: suggestion, drafts, limits, send, scripted warning."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.models import Folder, OutboxState, TemplateKind, ThreadStatus
from app.core.ports import ThreadQuery
from app.ui.composer import Composer
from app.ui.templates_dialog import TemplatesDialog
from tests.fixtures.answering import BUSINESS, send_same_words


def test_complaint_gets_a_filled_apology(answer_window):
    row = answer_window.open_by("owen", "negative")
    composer = answer_window.pane.composer
    assert composer.suggested is not None
    assert composer.suggested.kind is TemplateKind.APOLOGY
    assert "apology" in composer.suggestion_text.text()
    composer.use_button.click()
    text = composer.editor.toPlainText()
    assert text.startswith("Hi Owen,")
    assert BUSINESS in text
    assert "{" not in text and "}" not in text
    assert composer.send_button.isEnabled()
    assert composer.current_thread.id == row.id


def test_question_gets_an_answer_and_praise_a_thank_you(answer_window):
    composer = answer_window.pane.composer
    answer_window.open_by("fern")  # "do you deliver to Millbrook?"
    assert composer.suggested.kind is TemplateKind.ANSWER
    answer_window.open_by("tomreyes")
    assert composer.suggested.kind is TemplateKind.THANKS


def test_typing_saves_a_draft_that_a_new_composer_restores(qtbot, answer_window, answer_services):
    row = answer_window.open_by("ruth")
    composer = answer_window.pane.composer
    qtbot.keyClicks(composer.editor, "Hi Ruth, checking the double charge now")
    store = answer_window.store
    qtbot.waitUntil(lambda: store.get_draft(row.id) is not None, timeout=3000)
    assert store.get_draft(row.id).text == "Hi Ruth, checking the double charge now"
    # the Drafts folder lists it
    drafts = store.list_threads(ThreadQuery(folder=Folder.DRAFTS), 0, 50)
    assert [r.id for r in drafts] == [row.id]

    fresh = Composer(answer_services)
    qtbot.addWidget(fresh)
    thread = store.thread(row.id)
    fresh.set_thread(thread, store.thread_posts(row.id), None)
    assert fresh.editor.toPlainText() == "Hi Ruth, checking the double charge now"


def test_switching_threads_keeps_each_draft(qtbot, answer_window):
    composer = answer_window.pane.composer
    ruth = answer_window.open_by("ruth")
    qtbot.keyClicks(composer.editor, "for Ruth")
    answer_window.open_by("leo")  # leaving flushes at once, no pause needed
    assert answer_window.store.get_draft(ruth.id).text == "for Ruth"
    assert composer.editor.toPlainText() == ""
    answer_window.open_by("ruth")
    assert composer.editor.toPlainText() == "for Ruth"


def test_ctrl_enter_queues_the_reply_and_keeps_the_thread_in_needs_reply_until_it_is_sent(
    qtbot, answer_window, answer_services
):
    row = answer_window.open_by("owen", "negative")
    assert row.status is ThreadStatus.NEEDS_REPLY
    composer = answer_window.pane.composer
    composer.use_suggestion()
    text = composer.editor.toPlainText()
    composer.editor.setFocus()
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    store = answer_window.store
    items = store.outbox_items(thread_id=row.id)
    assert len(items) == 1
    assert items[0].state is OutboxState.QUEUED
    assert items[0].text == text
    assert items[0].idempotency_key  # chosen at queue time
    queued = store.thread(row.id)  # replied means answered: the reply is not out yet
    assert queued.status is ThreadStatus.NEEDS_REPLY and queued.reply_state == "waiting"
    assert store.get_draft(row.id) is None
    assert composer.editor.toPlainText() == ""
    assert "Queued" in composer.outbox.state_text
    assert answer_services.kicks  # the sender was asked to go


def test_outbox_states_show_in_words_with_retry(qtbot, answer_window):
    row = answer_window.open_by("leo")
    composer = answer_window.pane.composer
    composer.use_suggestion()
    composer.send()
    store = answer_window.store
    item = store.outbox_items(thread_id=row.id)[0]

    store.mark_sending(item.id)
    composer.refresh_outbox()
    assert "Sending" in composer.outbox.state_text
    store.mark_failed(item.id, "The server could not be reached. Check the internet connection.")
    composer.refresh_outbox()
    assert "Not sent: The server could not be reached" in composer.outbox.state_text
    assert composer.outbox.retry.isVisibleTo(composer)
    composer.outbox.retry.click()
    assert store.outbox_item(item.id).state is OutboxState.QUEUED
    store.mark_sending(item.id)
    store.mark_sent(item.id, "1234", "https://toot.example/@juniperrye/1234")
    composer.refresh_outbox()
    assert "Sent" in composer.outbox.state_text
    assert 'href="https://toot.example/@juniperrye/1234"' in composer.outbox.state_text
    assert not composer.outbox.retry.isVisibleTo(composer)


def test_send_is_disabled_with_the_reason(qtbot, answer_window):
    answer_window.open_by("leo")
    composer = answer_window.pane.composer
    assert not composer.send_button.isEnabled()
    assert composer.send_problem() == "Write a reply first."
    qtbot.keyClicks(composer.editor, "Hi {frist_name}")
    assert not composer.send_button.isEnabled()
    assert "{frist_name}" in composer.reason.text()


def test_a_5000_character_paste_is_counted_over_the_limit(qtbot, answer_window):
    row = answer_window.open_by("leo")
    composer = answer_window.pane.composer
    big = ("Lovely bread, really. " * 300)[:5000]
    QApplication.clipboard().setText(big)
    composer.editor.setFocus()
    composer.editor.paste()
    qtbot.waitUntil(lambda: "over" in composer.counter.text(), timeout=2000)
    assert composer.counter.property("over") is True
    assert composer.counter.text().startswith("5,0")  # plus the @leo the client adds
    assert not composer.send_button.isEnabled()
    assert "Too long for Mastodon" in composer.reason.text()
    assert len(composer.editor.toPlainText()) == 5000
    qtbot.waitUntil(lambda: answer_window.store.get_draft(row.id) is not None, timeout=3000)
    assert len(answer_window.store.get_draft(row.id).text) == 5000


def test_counts_follow_each_network(qtbot, answer_window):
    composer = answer_window.pane.composer
    answer_window.open_by("leo")  # Mastodon: links weigh 23, the @mention is added
    composer.editor.setPlainText("See https://example.com/a/very/long/path/that/goes/on/and/on")
    assert composer.length().used == len("@leo ") + len("See ") + 23
    answer_window.open_by("benw")  # Bluesky: 300 graphemes
    composer.editor.setPlainText("👩‍👩‍👧" * 300)
    assert composer.length().used == 300 and composer.length().ok is False  # bytes > 3000
    composer.editor.setPlainText("a" * 301)
    assert composer.counter.text().startswith("301 / 300")
    assert not composer.send_button.isEnabled()


def test_same_words_to_many_people_warns_before_sending(qtbot, answer_window):
    store = answer_window.store
    composer = answer_window.pane.composer
    template = next(t for t in store.list_templates() if t.builtin_key == "thanks-1")
    others = [
        r
        for r in store.list_threads(ThreadQuery(folder=Folder.ALL), 0, 100)
        if r.worst_label.value == "positive" and "tomreyes" not in r.author_handle
    ][:5]
    assert len({r.author_handle for r in others}) == 5
    for n, row in enumerate(others):  # the same template, filled for five different people
        first = row.author_name.split()[0]
        send_same_words(
            store,
            template.body.replace("{first_name}", first).replace(
                "{signature}", "— Priya at Juniper & Rye Bakery"
            ),
            [row],
        )
        assert n >= 0

    row = answer_window.open_by("tomreyes")
    composer.use_template(template)
    composer.send()
    assert composer.scripted.isVisibleTo(composer)
    assert "5 other people" in composer.scripted.text.text()
    assert store.outbox_items(thread_id=row.id) == []

    composer.scripted.personalise.click()  # offers to personalise: cursor after the greeting
    assert not composer.scripted.isVisibleTo(composer)
    composer.editor.insertPlainText(" The rye croissant is my favourite too!")
    composer.send()
    assert [i.state for i in store.outbox_items(thread_id=row.id)] == [OutboxState.QUEUED]
    assert "favourite too" in store.outbox_items(thread_id=row.id)[0].text


def test_send_anyway_after_the_warning(qtbot, answer_window):
    store = answer_window.store
    composer = answer_window.pane.composer
    text = "Thank you so much, it means a lot!"
    others = store.list_threads(ThreadQuery(folder=Folder.ALL), 0, 8)
    people = {r.author_handle: r for r in others if "owen" not in r.author_handle}
    send_same_words(store, text, list(people.values())[:5])
    row = answer_window.open_by("owen", "positive")
    composer.editor.setPlainText(text)
    composer.send()
    assert composer.scripted.isVisibleTo(composer)
    composer.scripted.send_anyway.click()
    assert [i.text for i in store.outbox_items(thread_id=row.id)] == [text]


def test_templates_dialog_rejects_unknown_fields(qtbot, answer_services):
    from tests.fixtures.answering import BUSINESS as business

    answer_services.store.restore_builtins(
        __import__("app.ui.templates_dialog", fromlist=["builtin_specs"]).builtin_specs()
    )
    dialog = TemplatesDialog(answer_services)
    qtbot.addWidget(dialog)
    before = answer_services.store.list_templates()
    dialog.new_template()
    dialog.title.setText("Typo")
    dialog.body.setPlainText("Hi {frist_name}, thanks!\n\n{signature}")
    assert dialog.problems.isVisibleTo(dialog)
    assert "{frist_name} is not a field" in dialog.problems.text()
    assert "{first_name}" in dialog.problems.text()
    assert not dialog.save_button.isEnabled()
    dialog.save()
    assert answer_services.store.list_templates() == before

    dialog.body.setPlainText("Hi {first_name}, thanks from {business}!")
    assert not dialog.problems.isVisibleTo(dialog)
    assert f"Hi Sam, thanks from {business}!" == dialog.preview.text()
    dialog.save_button.click()
    mine = [t for t in answer_services.store.list_templates() if t.title == "Typo"]
    assert len(mine) == 1 and not mine[0].builtin


def test_templates_dialog_edit_delete_restore(qtbot, answer_services):
    from app.ui.templates_dialog import builtin_specs

    store = answer_services.store
    store.restore_builtins(builtin_specs())
    dialog = TemplatesDialog(answer_services)
    qtbot.addWidget(dialog)
    apology = next(t for t in store.list_templates() if t.builtin_key == "apology-1")
    dialog.edit(apology)
    dialog.title.setText("Sorry (short)")
    dialog.save_button.click()
    assert store.get_template(apology.id).title == "Sorry (short)"
    dialog.edit(store.get_template(apology.id))
    dialog.delete_current(confirm=False)
    assert store.get_template(apology.id) is None
    dialog.restore_button.click()
    restored = next(t for t in store.list_templates() if t.builtin_key == "apology-1")
    assert restored.title == "Sorry, we'll put it right"
    assert len(dialog.templates) == len(builtin_specs())


def test_a_template_edit_reaches_the_open_composer(qtbot, answer_window):
    answer_window.open_by("owen", "negative")
    composer = answer_window.pane.composer
    dialog = answer_window.pane.open_templates()
    dialog.new_template()
    dialog.kind.setCurrentIndex(dialog.kind.findData(TemplateKind.APOLOGY))
    dialog.title.setText("Refund sorted, sorry")
    dialog.body.setPlainText("Hi {first_name}, your refund is on its way.\n\n{signature}")
    dialog.save_button.click()
    assert any(t.title == "Refund sorted, sorry" for t in composer.templates)
    dialog.close()


def test_the_canned_reply_list_keeps_its_order_and_finds_by_typing(qtbot, answer_window):
    """Issue 21: the picker reordered per conversation, its first row looked like a search
    box, and typing did not select."""
    composer = answer_window.pane.composer
    picker = composer.picker

    def rows():
        return [picker.itemText(i) for i in range(picker.count()) if picker.itemData(i) is not None]

    answer_window.open_by("owen", "negative")
    complaint_order = rows()
    answer_window.open(lambda r: r.worst_label.value == "positive")
    assert rows() == complaint_order and complaint_order
    assert picker.currentIndex() == -1 and picker.placeholderText() == "Canned replies…"

    answer_window.window.activateWindow()
    picker.setFocus()
    picker.showPopup()
    qtbot.waitUntil(picker.view().isVisible)
    qtbot.keyClicks(picker.view(), "Sorry it")
    assert picker.view().currentIndex().data() == "Sorry it was late"
    qtbot.keyClick(picker.view(), Qt.Key.Key_Return)
    assert "sorry" in composer.editor.toPlainText().lower()
    assert picker.currentIndex() == -1
