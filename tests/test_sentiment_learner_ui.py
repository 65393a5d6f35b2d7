"""The owner teaches Shopkeep in the inbox: three corrections about the same thing, and
the next such post arrives coloured by what was learned, saying why in its chip."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.core.models import Author, Network, Post, SentimentLabel
from app.core.rescore import OwnerScorer
from app.storage.word_list import StoredPostRescorer
from app.ui.corrections import install_corrections
from tests.test_ui_corrections import _chips, _open_post

NEG, NEU = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL
QUEUE_POSTS = (
    "the queue at the till this morning",
    "queue at the till again at lunch",
    "long queue at the till on saturday",
)


def _mention(account: Any, n: int, text: str) -> Post:
    return Post(
        network=Network(account.network),
        remote_id=f"queue-{n}",
        author=Author(account.network, f"q{n}", f"@q{n}@x.example", f"Q{n}"),
        text=text,
        created_at=datetime.now(UTC),
        is_mention=True,
    )


def _ingest(store: Any, owner: OwnerScorer, n: int, text: str) -> Any:
    account = store.accounts()[0]
    thread_id = store.ingest(account.id, [_mention(account, n, text)], owner).new_thread_ids[0]
    return store.thread_posts(thread_id)[0]


def test_three_corrections_colour_the_fourth_post_and_the_chip_says_why(
    main_window, ui_store, ui_runner, ui_paths
):
    owner = OwnerScorer()
    corrections = install_corrections(
        main_window, ui_store, ui_runner, ui_paths, StoredPostRescorer(ui_store.db), owner
    )
    ui_runner.wait_idle()
    posts = [_ingest(ui_store, owner, n, text) for n, text in enumerate(QUEUE_POSTS)]
    assert [p.sentiment.label for p in posts] == [NEU, NEU, NEU]

    for post in posts:  # the owner marks each one a complaint, one click each
        corrections.correct(post.id, NEG)
        ui_runner.wait_idle()

    fourth = _ingest(ui_store, owner, 9, "there's a queue at the till again")
    assert fourth.sentiment.label is NEG
    assert fourth.sentiment.reasons[0].startswith("learned: you marked posts with '")
    assert fourth.sentiment.reasons[0].endswith("' as a complaint 3 times")
    _open_post(main_window, ui_store, fourth)
    tip = _chips(main_window.conversation_pane.view)[fourth.id][1]
    assert "as a complaint 3 times" in tip

    # the owner's reset: the rules alone again, for stored posts and new ones
    corrections.forget_learned()
    ui_runner.wait_idle()
    assert ui_store.post(fourth.id).sentiment.label is NEU
    assert _ingest(ui_store, owner, 10, "queue at the till yet again").sentiment.label is NEU
    assert ui_store.post(posts[0].id).label is NEG  # the owner's own labels stay
