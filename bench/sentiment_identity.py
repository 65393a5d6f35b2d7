"""`python -m bench.sentiment_identity`: every labelled text scores as it did before the
engine was rebuilt (label, compound, language and reasons, hashed per data set).

The data folder (`../shared/data/sentiment`, or $SHOPKEEP_SENTIMENT_DATA) is not in the
repository and not on every test machine, so this check is a command, run beside
`python -m bench.sentiment`; the in-repository examples are checked by
tests/test_sentiment_identity.py. Exit code 0: identical; 1: a data set scores
differently (a rule change: record a new RULES_VERSION and its digests here).
"""

from __future__ import annotations

import sys

from app.core.sentiment_version import RULES_VERSION
from bench import sentiment as bench
from tests.sentiment_support import data_folder, digest

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


def main() -> int:
    scored = {ds.name: digest(ds.texts) for ds in bench.load(data_folder(), None)}
    expected = DATA_DIGESTS.get(RULES_VERSION, {})
    for name, value in scored.items():
        verdict = "same" if expected.get(name) == value else "DIFFERENT"
        print(f"{name:<45} {value}  {verdict}")
    return 0 if scored == expected else 1


if __name__ == "__main__":
    sys.exit(main())
