"""Every labelled example (tests/sentiment_examples.py) reads as labelled: its colour,
and the reason the owner will see in the hover."""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_examples import EXAMPLES, Example


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.story}: {e.text[:48]}")
def test_the_example_reads_as_labelled(example: Example):
    result = score(example.text)
    assert result.label is example.label, (example.text, result)
    if example.reason is not None:
        assert example.reason in " | ".join(result.reasons), (example.text, result.reasons)


def test_every_example_is_in_the_rules_digest():
    """A new example moves the digest, so a rule added with its examples gets a version."""
    from tests.sentiment_support import example_texts

    assert {e.text for e in EXAMPLES} <= set(example_texts())
