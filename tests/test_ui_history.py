"""The customer's history beside the conversation, and the private note."""

from __future__ import annotations

import threading

from app.ui.history_panel import HistoryPanel, load_history


def test_history_lists_earlier_conversations(answer_window):
    answer_window.open_by("owen", "negative")  # the late delivery and refund
    history = answer_window.pane.history
    assert history.history is not None
    earlier = history.history.earlier
    assert len(earlier) == 1
    assert "cardamom buns" in earlier[0].posts[0].post.text
    text = history.view.toPlainText()
    assert "cardamom buns" in text and "Praise" in text
    assert "1 other conversation" in history.meta.text()


def test_history_includes_the_shops_replies(answer_window):
    answer_window.open_by("samh", "positive")  # the shout-out to Priya ("made my day")
    earlier = answer_window.pane.history.history.earlier
    assert len(earlier) == 1
    own = [p for p in earlier[0].posts if p.is_own]
    assert own and "gluten-free" in own[0].post.text
    assert "You: " in answer_window.pane.history.view.toPlainText()


def test_history_spans_accounts_for_linked_contacts(answer_window):
    store = answer_window.store
    owen_thread = answer_window.open_by("owen", "negative")
    ben_thread = next(
        r
        for r in store.list_threads(
            __import__("app.core.ports", fromlist=["ThreadQuery"]).ThreadQuery(), 0, 100
        )
        if "benw" in r.author_handle
    )
    owen = store.contact_for_post(store.thread_posts(owen_thread.id)[0].id)
    ben = store.contact_for_post(store.thread_posts(ben_thread.id)[0].id)
    store.link_contacts(owen.id, ben.id)  # the owner knows they are the same person

    found = load_history(store, owen_thread.id, store.thread_posts(owen_thread.id))
    networks = {e.row.network.value for e in found.earlier}
    assert networks == {"mastodon", "bluesky"}
    assert {c.handle for c in found.linked} == {owen.handle, ben.handle}
    answer_window.open_by("leo")
    answer_window.open_by("owen", "negative")
    assert "Bluesky" in answer_window.pane.history.meta.text()
    assert "cinnamon roll" in answer_window.pane.history.view.toPlainText()


def test_first_time_customer(answer_window):
    answer_window.open_by("fern")
    assert "first time" in answer_window.pane.history.view.toPlainText()


def test_note_is_saved_as_typed_and_restored(qtbot, answer_window, answer_services):
    store = answer_window.store
    row = answer_window.open_by("ruth")
    history = answer_window.pane.history
    qtbot.keyClicks(history.note, "prefers email")
    contact = store.contact_for_post(store.thread_posts(row.id)[0].id)
    qtbot.waitUntil(lambda: store.contact_note(contact.id) == "prefers email", timeout=3000)
    assert "Saved" in history.note_state.text()

    answer_window.open_by("leo")
    assert history.note.toPlainText() == ""
    answer_window.open_by("ruth")
    assert history.note.toPlainText() == "prefers email"

    fresh = HistoryPanel(answer_services)
    qtbot.addWidget(fresh)
    fresh.show_thread(store.thread(row.id), store.thread_posts(row.id))
    assert fresh.note.toPlainText() == "prefers email"


def test_note_typed_then_switching_threads_is_not_lost(qtbot, answer_window):
    store = answer_window.store
    row = answer_window.open_by("ruth")
    qtbot.keyClicks(answer_window.pane.history.note, "VIP")
    answer_window.open_by("leo")  # no pause: leaving writes it at once
    contact = store.contact_for_post(store.thread_posts(row.id)[0].id)
    assert store.contact_note(contact.id) == "VIP"


def test_clicking_an_earlier_conversation_opens_it(answer_window):
    answer_window.open_by("owen", "negative")
    earlier = answer_window.pane.history.history.earlier[0].row
    answer_window.pane.history.open_thread_requested.emit(earlier.id)
    assert answer_window.window.current_thread().id == earlier.id


class GatedStore:
    """The real store; a customer's history and a conversation's posts can be held back,
    as a slow disk or a busy database would hold them."""

    def __init__(self, store):
        self._store = store
        self.history_gate = threading.Event()
        self.posts_gate = threading.Event()
        self.history_gate.set()
        self.posts_gate.set()
        self.histories_read = 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    def contact_for_post(self, post_id):
        assert self.history_gate.wait(10)
        return self._store.contact_for_post(post_id)

    def threads(self, thread_ids):  # the last read of a customer's history
        found = self._store.threads(thread_ids)
        self.histories_read += 1
        return found

    def thread_posts(self, thread_id):
        assert self.posts_gate.wait(10)
        return self._store.thread_posts(thread_id)


def test_the_history_of_a_customer_already_passed_by_is_not_drawn(qtbot, demo_store):
    """j, j, j: the history of each thread passed on the way used to be drawn as it
    arrived, while the next conversation was being read, and slowed its opening."""
    from app.core.models import Folder
    from app.ui.answer_pane import install_answer_pane
    from app.ui.answer_services import AnswerServices
    from app.ui.main_window import MainWindow
    from app.ui.task_runner import TaskRunner

    store = GatedStore(demo_store)
    runner = TaskRunner(max_threads=4)
    services = AnswerServices(store, runner, business="Juniper & Rye", signature="— Priya")
    window = MainWindow(store, runner)
    qtbot.addWidget(window)
    pane = install_answer_pane(window, services)
    window.start(Folder.ALL)
    window.show()
    qtbot.waitUntil(lambda: not runner.is_busy())
    rows = window.thread_model.loaded_rows()
    leo, owen, fern = (
        next(i for i, r in enumerate(rows) if who in r.author_handle)
        for who in ("leo", "owen", "fern")
    )
    window.select_row(leo)
    qtbot.waitUntil(lambda: not runner.is_busy() and pane.history.history is not None)
    assert "leo" in pane.history.history.contact.handle

    store.history_gate.clear()
    with qtbot.waitSignal(window.thread_opened):
        window.select_row(owen)  # Owen's history is on its way
    store.posts_gate.clear()
    window.select_row(fern)  # the owner moves on; Fern's conversation is being read
    read = store.histories_read
    store.history_gate.set()
    qtbot.waitUntil(lambda: store.histories_read > read)  # Owen's history arrives first
    seen: list[str] = []
    window.thread_opened.connect(lambda _id: seen.append(pane.history.history.contact.handle))
    with qtbot.waitSignal(window.thread_opened):
        store.posts_gate.set()
    assert len(seen) == 1 and "owen" not in seen[0]  # Owen's was never drawn
    qtbot.waitUntil(lambda: not runner.is_busy() and "fern" in pane.history.history.contact.handle)
    pane.flush()
    runner.shutdown()
