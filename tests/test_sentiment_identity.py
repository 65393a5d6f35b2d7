"""The engine can be rebuilt without moving a single score.

Every sentiment test example is scored (the labelled development data too, by
`python -m bench.sentiment_identity`), and the label, compound, language and reasons
are hashed per source. The hashes were recorded from the scorer before its rebuild
into a small engine with rules as data; a rule change that moves a score is not a
refactor and must change these together with RULES_VERSION (tests/test_rules_version.py).
"""

from __future__ import annotations

from app.core.sentiment_version import RULES_VERSION
from tests.sentiment_support import OWNER_SETUP, digest, example_texts

# Recorded from the scorer at commit f0fff7d (before the rebuild); a rule change that
# moves these gets a new RULES_VERSION (tests/test_rules_version.py) and a new entry.
# The labelled data folder lives outside the repository, so its digests are checked by
# `python -m bench.sentiment_identity` (the data is not on every test machine).
EXAMPLE_DIGESTS = {18: {"plain": "d6d8b577f5c5d4b8", "owner": "02bbf30ee88464b3"}}


def test_every_example_scores_as_it_did_before_the_rebuild():
    texts = example_texts()
    assert {
        "plain": digest(texts),
        "owner": digest(texts, **OWNER_SETUP),
    } == EXAMPLE_DIGESTS[RULES_VERSION]
