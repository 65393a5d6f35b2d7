"""A search for an emoji finds the conversations with that emoji, not every conversation.

The full-text index keeps words only; a cake emoji typed alone in the search box
used to be no search at all, so the list showed the whole inbox.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.core.ports import ThreadQuery

POSTS = {
    "1": "Loved the 🍰 today",
    "2": "The cake was dry",
    "3": "🍰🍰 for the party please",
    "4": "Great coffee 👍",
    "5": "Is it 100% rye?!!",
}


@pytest.fixture
def inbox(store: Any, shop_account: Any, make_post: Any, keyword_score: Any) -> Any:
    for remote_id, text in POSTS.items():
        store.ingest(
            shop_account.id, [make_post(remote_id, text, author=f"cust{remote_id}")], keyword_score
        )
    return store


def found(store: Any, search: str) -> set[str]:
    return {
        sp.post.text
        for t in store.list_threads(ThreadQuery(search=search), 0, 50)
        for sp in store.thread_posts(t.id)
    }


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("🍰", {POSTS["1"], POSTS["3"]}),
        ("👍", {POSTS["4"]}),
        ("🥖", set()),  # nobody wrote it: nothing, not everything
        ("cake 🍰", set()),  # both must be there
        ("loved 🍰", {POSTS["1"]}),
        ("?!!", {POSTS["5"]}),
        ("%", {POSTS["5"]}),  # a LIKE wildcard is a plain character here
    ],
)
def test_a_search_for_symbols_finds_only_what_holds_them(
    inbox: Any, search: str, expected: set[str]
) -> None:
    assert found(inbox, search) == expected


def test_a_word_search_is_unchanged(inbox: Any) -> None:
    assert found(inbox, "cake") == {POSTS["2"]}
