"""Owner corrections wired into the window: the chip's one-click menu, the word list
dialog, and rescoring stored posts in the background after the list changes (or
once after an update whose sentiment rules colour posts differently).

main.build_window should call
`install_corrections(window, store, runner, paths, StoredPostRescorer(store.db))`
(app.storage.word_list) once the window exists, and may pass the OwnerScorer it
gives the sync service so new posts use the owner's words too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QCursor

from app.core.models import SentimentLabel, StoredPost, ThreadRow
from app.core.paths import AppPaths
from app.core.ports import InboxStore
from app.core.rescore import (
    OwnerScorer,
    RescoreResult,
    load_words,
    rescore,
    save_words,
)
from app.core.sentiment_version import RULES_VERSION
from app.ui.first_paint import after_first_paint
from app.ui.ports import Rescorer
from app.ui.task_runner import TaskRunner
from app.ui.write_lane import call_in_lane

if TYPE_CHECKING:  # the menu and the dialog load when first opened, not on the first paint
    from app.ui.label_menu import LabelMenu
    from app.ui.word_list_dialog import WordListDialog


class Corrections(QObject):
    """Everything the owner-corrections issue adds to a MainWindow."""

    progress = Signal(int, int)  # done, total: from the rescoring worker, shown in the status bar
    rules_progress = Signal(int, int)  # the same, while rescoring for an update's new rules
    rescored = Signal(object)  # RescoreResult, on the GUI thread
    corrected = Signal(int)  # post id, after the correction is stored and shown

    def __init__(
        self,
        window: Any,
        store: InboxStore,
        runner: TaskRunner,
        paths: AppPaths,
        rescorer: Rescorer,
        owner: OwnerScorer,
    ) -> None:
        super().__init__(window)
        self.window, self.store, self.runner, self.paths = window, store, runner, paths
        self.rescorer, self.owner = rescorer, owner
        self._generation = 0  # bumped by each rescoring pass; an older pass then stops
        self.menu: LabelMenu | None = None
        self.dialog: WordListDialog | None = None
        window.conversation_pane.view.label_clicked.connect(self._on_chip_clicked)
        self._chip_thread: int | None = None  # a list chip was clicked; its posts are loading
        window.thread_view.chip_clicked.connect(self._on_list_chip_clicked)
        window.thread_opened.connect(self._on_thread_opened)
        self.progress.connect(self._show_progress)
        self.rules_progress.connect(self._show_rules_progress)
        self.words_action = QAction("Sentiment words…", window)
        self.words_action.setObjectName("sentimentWordsAction")
        self.words_action.setStatusTip("Words that are praise or a complaint in your trade")
        self.words_action.triggered.connect(self.edit_words)
        self.forget_action = QAction("Forget what Shopkeep learned", window)
        self.forget_action.setObjectName("forgetLearnedAction")
        self.forget_action.setStatusTip(
            "Colour posts by Shopkeep's rules and your words only, as before your corrections"
        )
        self.forget_action.triggered.connect(self.forget_learned)
        menus = getattr(window, "menus", {})
        if "view" in menus:
            menus["view"].addSeparator()
            menus["view"].addAction(self.words_action)
            menus["view"].addAction(self.forget_action)
        window.addAction(self.words_action)
        window.addAction(self.forget_action)
        view = getattr(window, "thread_view", None)
        model = getattr(window, "thread_model", None)
        after_first_paint(  # the scorer's import would hold up the first painted inbox
            view.viewport() if view is not None else window,
            lambda: runner.run(rescorer.learner, self._learned, name="learn from corrections"),
            (lambda: model.rowCount() > 0) if model is not None else (lambda: True),
        )

    # -- one-click label correction ---------------------------------------------------

    def _on_chip_clicked(self, post_id: int) -> None:
        post = self._post(post_id)
        if post is not None:
            self.menu = self.menu_for(post)
            self.menu.popup(QCursor.pos())

    def _on_list_chip_clicked(self, thread_id: int) -> None:
        """A chip in the list: the same menu, for the post that gave the row its colour."""
        self._chip_thread = thread_id
        pane = self.window.conversation_pane
        if pane.current_thread is not None and pane.current_thread.id == thread_id:
            self._on_thread_opened(thread_id)

    def _on_thread_opened(self, thread_id: int) -> None:
        if self._chip_thread != thread_id:
            return
        self._chip_thread = None
        pane = self.window.conversation_pane
        theirs = [p for p in pane.posts if not p.is_own]
        if pane.current_thread is None or not theirs:
            return
        worst = min(
            theirs,
            key=lambda p: (p.label is not pane.current_thread.worst_label, p.sentiment.compound),
        )
        self._on_chip_clicked(worst.id)

    def menu_for(self, post: StoredPost) -> LabelMenu:
        from app.ui.label_menu import LabelMenu

        return LabelMenu(post.id, post.corrected_label, self.correct, self.window)

    def _post(self, post_id: int) -> StoredPost | None:
        posts = self.window.conversation_pane.posts
        return next((p for p in posts if p.id == post_id), None)

    def correct(self, post_id: int, label: SentimentLabel | None) -> None:
        """Store the owner's label in the write lane, then show the post and thread again."""
        post = self._post(post_id)
        store = self.store
        thread_id = post.thread_id if post is not None else None

        def done(_previous: object) -> None:
            if thread_id is not None:
                self.reload_thread(thread_id)
            self.corrected.emit(post_id)
            self.relearn()

        self.runner.run(
            lambda: store.correct_label(post_id, label), done, write=True, name="correct label"
        )

    def reload_thread(self, thread_id: int) -> None:
        store = self.store

        def read() -> tuple[ThreadRow | None, list[StoredPost]]:
            return store.thread(thread_id), store.thread_posts(thread_id)

        self.runner.run(read, self._on_thread_read, name="reload corrected thread")

    def _on_thread_read(self, result: tuple[ThreadRow | None, list[StoredPost]]) -> None:
        row, posts = result
        if row is None:
            return
        self.window.thread_model.update_thread(row)
        pane = self.window.conversation_pane
        if pane.current_thread is not None and pane.current_thread.id == row.id:
            pane.show_thread(row, posts, pane.pending)
        self.window.refresh_side()

    # -- learning from corrections -----------------------------------------------------

    def relearn(self) -> int:
        """Learn again from every correction and reply (off the GUI thread), then colour
        the stored posts with what was learned, in the background."""
        return self.runner.run(
            self.rescorer.learner, self._learned_rescore, name="learn from corrections"
        )

    def forget_learned(self) -> int:
        """The owner's reset: what was learned stops counting; their labels stay."""

        def relearn(_forgotten: int) -> None:
            self.relearn()

        return self.runner.run(
            self.rescorer.forget_learned,
            relearn,
            write=True,
            name="forget what was learned",
        )

    def _learned(self, learner: Any) -> None:
        self.owner.learner = learner  # new posts from now on; swapped whole

    def _learned_rescore(self, learner: Any) -> None:
        self._learned(learner)
        job = self._rescore_all(self.progress.emit)
        self.runner.run(job, self._show_learned, name="rescore with what was learned")

    def _show_learned(self, result: RescoreResult) -> None:
        if result.stopped or not result.changed:
            return  # a newer pass reports, or nothing to show: the list stays as it is
        self.window.statusBar().showMessage(
            f"Learned from your corrections: {result.changed} posts changed colour", 8000
        )
        self._show_rescored(result)

    # -- the word list and rescoring -------------------------------------------------

    def load_words(self) -> dict[str, float]:
        return load_words(self.paths.settings_file)

    def edit_words(self) -> WordListDialog:
        from app.ui.word_list_dialog import WordListDialog

        self.dialog = WordListDialog(self.load_words, self.save_words, self.window)
        self.dialog.open()
        return self.dialog

    def save_words(self, words: dict[str, float]) -> None:
        """Keep the list, score new posts with it, and rescore the stored ones."""
        save_words(self.paths.settings_file, words)
        self.owner.words = dict(words)
        self.start_rescore()

    def _rescore_all(self, progress: Callable[[int, int], None]) -> Callable[[], RescoreResult]:
        """A job scoring every stored post again on a worker thread, with a snapshot of the
        owner's scorer (words and shop names) taken now. Only each batch's writes take the
        write lane, so a sync or a click waits for one batch, not for the whole pass.

        Starting another pass stops this one (its scorer is out of date). A finished pass
        used this release's rules, so it also marks the stored posts as scored with them.
        """
        self._generation += 1
        generation, rescorer, runner = self._generation, self.rescorer, self.runner
        scorer = OwnerScorer(self.owner.words, self.owner.business_names, self.owner.learner)

        def job() -> RescoreResult:
            result = rescore(
                rescorer.post_ids(),
                rescorer.score_batch,
                lambda batch: call_in_lane(
                    runner, lambda: rescorer.write_scores(batch), "rescore: store a batch"
                ),
                scorer,
                progress=progress,
                cancelled=lambda: runner.cancelled or generation != self._generation,
            )
            if not result.stopped:
                call_in_lane(
                    runner,
                    lambda: rescorer.mark_scored_with(RULES_VERSION),
                    "rescore: mark the rules version",
                )
            return result

        return job

    def start_rescore(self) -> int:
        job = self._rescore_all(self.progress.emit)
        return self.runner.run(job, self._on_rescored, name="rescore posts")

    def rescore_for_new_rules(self) -> int:
        """Once after an update whose rules colour posts differently (RULES_VERSION), score
        the stored posts again; corrections still win. A quit mid-way leaves the version
        unmarked, so the next start finishes the job."""
        rescorer, rescore_all = self.rescorer, self._rescore_all(self.rules_progress.emit)

        def job() -> RescoreResult | None:
            if rescorer.scored_with() == RULES_VERSION:
                return None
            return rescore_all()

        return self.runner.run(job, self._on_rules_rescored, name="rescore posts for new rules")

    def _show_progress(self, done: int, total: int) -> None:
        self.window.statusBar().showMessage(f"Scoring posts with your words… {done}/{total}")

    def _show_rules_progress(self, done: int, total: int) -> None:
        self.window.statusBar().showMessage(
            f"Updating colours with Shopkeep's new sentiment rules… {done}/{total}"
        )

    def _on_rules_rescored(self, result: RescoreResult | None) -> None:
        if result is None or result.scored == 0 or result.stopped:
            return  # up to date, nothing stored yet, or a newer pass took over
        if result.changed:  # a first start or an update that moved no colour stays quiet
            self.window.statusBar().showMessage(
                f"Updated colours with Shopkeep's new sentiment rules: {result.changed} of "
                f"{result.scored} posts changed colour",
                8000,
            )
        self._show_rescored(result)

    def _on_rescored(self, result: RescoreResult) -> None:
        if result.stopped:
            return  # the owner changed the list again: the newer pass reports
        self.window.statusBar().showMessage(
            f"Scored {result.scored} posts with your words; {result.changed} changed colour", 8000
        )
        self._show_rescored(result)

    def _show_rescored(self, result: RescoreResult) -> None:
        """The new colours in the list, the folder counts and the open conversation."""
        self.window.thread_model.reload()
        self.window.refresh_side()
        pane = self.window.conversation_pane
        if pane.current_thread is not None:
            self.reload_thread(pane.current_thread.id)
        self.rescored.emit(result)


def install_corrections(
    window: Any,
    store: Any,
    runner: Any,
    paths: AppPaths,
    rescorer: Rescorer,
    owner: OwnerScorer | None = None,
) -> Corrections:
    """Add owner corrections to `window`; kept on `window.corrections`."""
    if owner is None:
        owner = OwnerScorer(load_words(paths.settings_file))
    corrections = Corrections(window, store, runner, paths, rescorer, owner)
    window.corrections = corrections
    return corrections
