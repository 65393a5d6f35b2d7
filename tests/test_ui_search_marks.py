"""Search matches are marked in the open conversation (issue 22), and only while searching."""

from __future__ import annotations

from app.ui.search_marks import search_terms


def _shows_the_selected_thread(window) -> bool:
    """The list's selected thread is the one in the conversation pane (read and drawn)."""
    selected, shown = window.current_thread(), window.conversation_pane.current_thread
    return selected is not None and shown is not None and shown.id == selected.id


def _search(qtbot, window, text: str) -> None:
    window.search_box.setText(text)
    window._apply_search()
    qtbot.waitUntil(lambda: _shows_the_selected_thread(window), timeout=3000)


def _marked(window) -> list[str]:
    return [m.cursor.selectedText() for m in window.conversation_pane.view.extraSelections()]


def test_the_searched_word_is_marked_in_the_conversation(qtbot, main_window):
    _search(qtbot, main_window, "birthday")
    marked = _marked(main_window)
    assert marked, "the match that put this conversation in the list is marked"
    assert all(text.lower().startswith("birthday") for text in marked)
    assert "Birthday" in main_window.conversation_pane.view.toPlainText()  # text unchanged

    main_window.search_box.clear()
    main_window._apply_search()
    qtbot.waitUntil(lambda: _shows_the_selected_thread(main_window), timeout=3000)
    assert _marked(main_window) == []  # no search, no marks


def test_every_word_of_the_search_is_marked_in_each_thread_opened(qtbot, main_window):
    _search(qtbot, main_window, "cake Nia")
    assert {t.lower() for t in _marked(main_window)} >= {"cake", "nia"}
    main_window.select_next()  # the next matching conversation is marked too
    qtbot.waitUntil(lambda: _marked(main_window) != [], timeout=3000)


def test_search_terms_are_words_and_symbols_once_each():
    assert search_terms("Cake cake  🍰 order#4471") == ["Cake", "🍰", "order", "4471"]
    assert search_terms("   ") == []
