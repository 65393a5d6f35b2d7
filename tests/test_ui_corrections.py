"""Owner corrections in the inbox: the chip explains itself, takes a correction in one
click, and the owner's word list (or an update's new rules) rescores stored posts in
the background."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QTextCursor

from app.core.models import Author, Network, Post, Sentiment, SentimentLabel, StoredPost
from app.core.rescore import OwnerScorer, load_words
from app.core.sentiment_version import RULES_VERSION
from app.storage.migrations import RULES_KEY
from app.storage.word_list import StoredPostRescorer
from app.ui.conversation_view import CHIP_POST_ID
from app.ui.corrections import install_corrections
from app.ui.task_runner import TaskRunner
from app.ui.thread_model import Roles

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE


def _chips(view: Any) -> dict[int, tuple[int, str]]:
    """post id -> (document position, tooltip) of every sentiment chip in the view."""
    out = {}
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            post_id = frag.charFormat().property(CHIP_POST_ID)
            if isinstance(post_id, int):
                out[post_id] = (frag.position(), frag.charFormat().toolTip())
            it += 1
        block = block.next()
    return out


def _chip_point(view: Any, position: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position + 1)
    return view.cursorRect(cursor).center()


def _open_post(window: Any, store: Any, post: StoredPost) -> None:
    window.thread_model.reload()
    row = window.thread_model.row_for_id(post.thread_id)
    assert row >= 0
    window.select_row(row)
    assert window.conversation_pane.current_thread.id == post.thread_id


def _customer_post(store: Any, window: Any, label: SentimentLabel, contains: str) -> StoredPost:
    for tid in (r.id for r in window.thread_model.loaded_rows()):
        for p in store.thread_posts(tid):
            if not p.is_own and p.sentiment.label is label and contains in p.post.text:
                return p
    raise AssertionError(f"no {label} customer post with {contains!r} in the demo data")


def test_chip_tooltip_shows_reasons_and_one_click_correction_sticks(
    main_window, ui_store, ui_runner, ui_paths, qtbot
):
    corrections = install_corrections(
        main_window, ui_store, ui_runner, ui_paths, StoredPostRescorer(ui_store.db)
    )
    post = _customer_post(ui_store, main_window, NEG, "really upsetting")
    _open_post(main_window, ui_store, post)
    view = main_window.conversation_pane.view
    chips = _chips(view)
    position, tip = chips[post.id]
    assert all(reason in tip for reason in post.sentiment.reasons)
    # hovering: the view's tooltip lookup at the chip's place gives the reasons
    hover = view.tooltip_at(_chip_point(view, position))
    assert post.sentiment.reasons[0] in hover

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_chip_point(view, position))
    menu = corrections.menu
    assert menu is not None and menu.post_id == post.id
    menu.choose(POS)  # one click on "Praise"
    ui_runner.wait_idle()

    assert ui_store.post(post.id).label is POS  # stored, wins over the score
    assert ui_store.post(post.id).sentiment.label is NEG
    row = main_window.thread_model.thread_at(main_window.thread_model.row_for_id(post.thread_id))
    stored_row = ui_store.thread(post.thread_id)
    assert row.worst_label == stored_row.worst_label
    assert "corrected by you" in _chips(view)[post.id][1]

    # survives a reload of the list and the conversation
    main_window.thread_model.reload()
    _open_post(main_window, ui_store, post)
    assert "corrected by you" in _chips(main_window.conversation_pane.view)[post.id][1]
    assert ui_store.post(post.id).corrected_label is POS

    corrections.correct(post.id, None)  # "Use Shopkeep's score"
    ui_runner.wait_idle()
    assert ui_store.post(post.id).label is NEG


def test_word_list_dialog_rescores_stored_posts(main_window, ui_store, ui_runner, ui_paths):
    corrections = install_corrections(
        main_window, ui_store, ui_runner, ui_paths, StoredPostRescorer(ui_store.db)
    )
    post = _customer_post(ui_store, main_window, NEU, "gluten-free")
    progress: list[tuple[int, int]] = []
    corrections.progress.connect(lambda d, t: progress.append((d, t)))
    dialog = corrections.edit_words()
    dialog.word_edit.setText("coeliac")
    dialog.kind_box.setCurrentText("Complaint")
    dialog.add_current()
    dialog.accept()
    ui_runner.wait_idle()

    assert load_words(ui_paths.settings_file) == {"coeliac": -2.0}
    assert ui_store.post(post.id).label is NEG  # rescored in the write lane
    assert "your words: 'coeliac'" in ui_store.post(post.id).sentiment.reasons
    assert progress and progress[-1][0] == progress[-1][1]
    assert corrections.words_action in main_window.menus["view"].actions()

    again = corrections.edit_words()  # the owner sees the list and can remove a word
    assert again.words() == {"coeliac": -2.0}
    again.table.selectRow(0)
    again.remove_selected()
    again.accept()
    ui_runner.wait_idle()
    assert ui_store.post(post.id).label is NEU


def _grey(rescorer: StoredPostRescorer, post_ids: list[int]) -> None:
    rescorer.write_scores(
        rescorer.score_batch(post_ids, lambda _text: Sentiment(0.0, NEU, ("old",), "en"))
    )


def _as_older_rules_left_them(rescorer: StoredPostRescorer) -> None:
    """Every stored post grey, as rules from before RULES_VERSION might have left them."""
    _grey(rescorer, rescorer.post_ids())
    rescorer.mark_scored_with(RULES_VERSION - 1)


def test_an_update_with_new_rules_rescores_the_stored_posts_once(
    main_window, ui_store, ui_runner, ui_paths
):
    rescorer = StoredPostRescorer(ui_store.db)
    corrections = install_corrections(main_window, ui_store, ui_runner, ui_paths, rescorer)
    complaint = _customer_post(ui_store, main_window, NEG, "really upsetting")
    praise = _customer_post(ui_store, main_window, POS, "")
    corrections.correct(praise.id, NEU)  # the owner's own correction, made before the update
    ui_runner.wait_idle()
    _as_older_rules_left_them(rescorer)
    main_window.thread_model.reload()
    assert ui_store.post(complaint.id).sentiment.label is NEU

    corrections.rescore_for_new_rules()  # what the window does at start
    ui_runner.wait_idle()

    assert ui_store.post(complaint.id).sentiment.label is NEG
    assert rescorer.scored_with() == RULES_VERSION
    row = main_window.thread_model.thread_at(
        main_window.thread_model.row_for_id(complaint.thread_id)
    )
    assert row.worst_label is NEG  # the list shows the new colour without a restart
    assert "new sentiment rules" in main_window.statusBar().currentMessage()
    assert ui_store.post(praise.id).label is NEU  # the correction still wins

    # the next start finds the posts up to date and leaves them as they are
    _grey(rescorer, [complaint.id])
    corrections.rescore_for_new_rules()
    ui_runner.wait_idle()
    assert ui_store.post(complaint.id).sentiment.label is NEU


def test_a_new_database_is_marked_and_an_older_one_is_rescored(
    main_window, ui_store, ui_runner, ui_paths
):
    rescorer = StoredPostRescorer(ui_store.db)
    assert rescorer.scored_with() == RULES_VERSION  # made by this release: nothing to redo
    # as releases before versions left it (on this store's own connection: the models'
    # proxy may point at another test's database)
    ui_store.db.execute_sql("DELETE FROM meta WHERE key = ?", (RULES_KEY,))
    assert rescorer.scored_with() is None
    corrections = install_corrections(main_window, ui_store, ui_runner, ui_paths, rescorer)
    corrections.rescore_for_new_rules()
    ui_runner.wait_idle()
    assert rescorer.scored_with() == RULES_VERSION


def test_rescoring_keeps_the_shops_own_name_out_of_the_score(
    main_window, ui_store, ui_runner, ui_paths
):
    account = ui_store.accounts()[0]
    post = Post(
        network=Network(account.network),
        remote_id="name-1",
        author=Author(account.network, "c1", "@cara@x.example", "Cara"),
        text="is happy loaves open on monday?",
        created_at=datetime.now(UTC),
        is_mention=True,
    )
    owner = OwnerScorer({}, business_names=["Happy Loaves"])
    stored_id = ui_store.ingest(account.id, [post], owner).new_thread_ids[0]
    corrections = install_corrections(
        main_window, ui_store, ui_runner, ui_paths, StoredPostRescorer(ui_store.db), owner
    )
    question = ui_store.thread_posts(stored_id)[0]
    assert question.sentiment.label is NEU

    corrections.save_words({"coeliac": -2.0})  # any change to the list rescores every post
    ui_runner.wait_idle()
    assert ui_store.post(question.id).sentiment.label is NEU  # "happy" is the shop's name


def _customer(account: Any, n: int, text: str) -> Post:
    return Post(
        network=Network(account.network),
        remote_id=f"bulk-{n}",
        author=Author(account.network, f"c{n}", f"@c{n}@x.example", f"C{n}"),
        text=text,
        created_at=datetime.now(UTC),
        is_mention=True,
    )


class _GatedRescorer(StoredPostRescorer):
    """The real storage; after the first batch, scoring waits until the test opens the
    gate, so the test decides what happens mid-pass instead of racing a clock."""

    def __init__(self, db: Any) -> None:
        super().__init__(db)
        self.gate = threading.Event()
        self._batches = 0

    def score_batch(self, post_ids: Any, score: Any) -> Any:
        self._batches += 1
        if self._batches > 1:
            assert self.gate.wait(30), "the test never opened the gate"
        return super().score_batch(post_ids, score)


def test_a_click_during_a_rescore_waits_for_one_batch_not_the_whole_pass(
    qtbot, main_window, ui_store, ui_paths
):
    account = ui_store.accounts()[0]
    ui_store.ingest(
        account.id,
        [_customer(account, n, f"order {n} came broken") for n in range(1200)],
        OwnerScorer(),
    )
    runner = TaskRunner()  # real threads: the write lane is one of them
    rescorer = _GatedRescorer(ui_store.db)
    corrections = install_corrections(main_window, ui_store, runner, ui_paths, rescorer)
    batches: list[int] = []  # recorded on the worker thread as each batch is stored
    corrections.progress.connect(
        lambda done, _total: batches.append(done), Qt.ConnectionType.DirectConnection
    )
    finished: list[Any] = []
    corrections.rescored.connect(finished.append)
    total_batches = -(-len(ui_store.db.execute_sql("select id from post").fetchall()) // 200)

    corrections.save_words({"broken": -2.5})
    qtbot.waitUntil(lambda: len(batches) >= 1, timeout=10_000)
    seen_by_click: list[int] = []
    runner.run(lambda: seen_by_click.append(len(batches)), write=True)  # e.g. mark read
    qtbot.waitUntil(lambda: bool(seen_by_click), timeout=10_000)
    assert seen_by_click == [1] and total_batches > 2  # it did not wait for the rest

    # the owner changes the list again mid-pass: the older pass stops, the newer one reports
    corrections.save_words({"broken": -2.5, "came": -1.0})
    rescorer.gate.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert runner.wait_idle(30_000)
    QCoreApplication.processEvents()  # any signal the stopped pass queued arrives now
    assert len(finished) == 1 and not finished[0].stopped
    assert finished[0].scored == sum(
        1
        for p in ui_store.db.execute_sql(
            "select id from post where not is_own and not deleted"
        ).fetchall()
    )
    assert "with your words" in main_window.statusBar().currentMessage()
    runner.shutdown()


def test_rescoring_keeps_the_score_of_an_edit_synced_meanwhile(main_window, ui_store):
    account = ui_store.accounts()[0]
    original = _customer(account, 1, "lovely bread")
    thread_id = ui_store.ingest(account.id, [original], OwnerScorer()).new_thread_ids[0]
    (stored,) = ui_store.thread_posts(thread_id)
    rescorer = StoredPostRescorer(ui_store.db)
    stale = rescorer.score_batch([stored.id], lambda _t: Sentiment(0.9, POS, ("old",), "en"))

    edited = replace(
        original,
        text="awful bread, it was mouldy",
        edited_at=original.created_at + timedelta(minutes=5),
    )
    ui_store.ingest(account.id, [edited], OwnerScorer())  # the sync stores the edit first
    rescorer.write_scores(stale)  # then the rescore's batch, scored from the old text

    assert ui_store.post(stored.id).sentiment.label is NEG


def test_the_list_chip_explains_itself_and_corrects_in_one_click(
    main_window, ui_store, ui_runner, ui_paths, qtbot
):
    """Issue 21: hover and click on the feeling word worked in the conversation only,
    and a row's colour did not say which post it belonged to."""
    corrections = install_corrections(
        main_window, ui_store, ui_runner, ui_paths, StoredPostRescorer(ui_store.db)
    )
    view = main_window.thread_view
    model = main_window.thread_model
    index = next(
        model.index(i)
        for i in range(model.rowCount())
        if model.thread_at(i).post_count > 1 and model.thread_at(i).worst_label is NEG
    )
    row = model.thread_at(index.row())
    chip = view.itemDelegate().chip_rect(row, view.visualRect(index), view.font())
    assert view.chip_at(chip.center()).id == row.id
    assert view.chip_at(chip.center() + QPoint(0, -30)) is None  # the preview is not the chip

    from app.ui.thread_delegate import chip_tooltip

    tip = chip_tooltip(row, index.data(Roles.ReasonsRole))
    assert "unhappiest post in this conversation" in tip and "Click to correct" in tip

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=chip.center())
    assert main_window.conversation_pane.current_thread.id == row.id
    menu = corrections.menu
    worst = ui_store.post(menu.post_id)
    assert worst.thread_id == row.id and worst.label is NEG and not worst.is_own
