"""The engine can be rebuilt without moving a single score.

Every text in the labelled development data and every sentiment test example is
scored, and the label, compound, language and reasons are hashed per source. The
hashes were recorded from the scorer before its rebuild into a small engine with
rules as data; a rule change that moves a score is not a refactor and must change
these together with RULES_VERSION (see tests/test_rules_version.py).
"""

from __future__ import annotations

from app.core.sentiment_version import RULES_VERSION
from bench import sentiment as bench
from tests.sentiment_support import OWNER_SETUP, data_folder, digest, example_texts

# Recorded from the scorer at commit f0fff7d (before the rebuild); a rule change that
# moves these gets a new RULES_VERSION (tests/test_rules_version.py) and a new entry.
DATA_DIGESTS = {
    18: {
        "tweeteval val": "204c006f6867b884",
        "vader amazonReviewSnippets": "84ada92e4652748c",
        "vader movieReviewSnippets": "bb66d4c624fc8702",
        "vader nytEditorialSnippets": "1e99c93bcc0d1e8c",
        "vader tweets": "fcc7476d6e6c97e6",
        "uci amazon": "a8e1dc49d37c9aad",
        "uci yelp": "176e79efffcc96cd",
        "customer messages (written here, held out)": "80c94f6b4e9c9d81",
    },
}
EXAMPLE_DIGESTS = {18: {"plain": "d6d8b577f5c5d4b8", "owner": "02bbf30ee88464b3"}}


def _datasets() -> dict[str, list[str]]:
    return {ds.name: ds.texts for ds in bench.load(data_folder(), None)}


def test_every_example_scores_as_it_did_before_the_rebuild():
    texts = example_texts()
    assert {
        "plain": digest(texts),
        "owner": digest(texts, **OWNER_SETUP),
    } == EXAMPLE_DIGESTS[RULES_VERSION]


def test_every_labelled_text_scores_as_it_did_before_the_rebuild():
    scored = {name: digest(texts) for name, texts in _datasets().items()}
    assert scored == DATA_DIGESTS[RULES_VERSION]
