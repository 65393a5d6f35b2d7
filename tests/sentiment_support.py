"""What the sentiment tests share: the three colours, the scorer's reasons as one line,
and the digests that prove a refactor leaves every score as it was."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment import score

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE

# Every text the sentiment tests and the held-out customer messages held on the day the
# engine was rebuilt (frozen: moving a test between files must not move the digest).
EXAMPLE_TEXTS = Path(__file__).parent / "fixtures" / "sentiment_texts.json"
# The owner set-up the examples are also scored under: a shop name and a word list
# (single words and a phrase, praise, complaint and a zero), as the tests use them.
OWNER_SETUP: dict[str, Any] = {
    "business_names": ["Happy Bakes"],
    "extra_words": {"bitter": 1.5, "flat": -2.0, "cold brew": 2.0, "slow": -1.0, "waiting": 0.0},
}


def why(text: str, **kw: Any) -> str:
    """The reasons the scorer gives, joined, so a test can look for one in plain words."""
    return " | ".join(score(text, **kw).reasons)


def reasons_of(result: Sentiment) -> str:
    return " | ".join(result.reasons)


def check(text: str, label: SentimentLabel, reason: str | None = None) -> None:
    """Assert the label (and that the reason appears), saying what the scorer said."""
    result = score(text)
    assert result.label is label, (text, result)
    if reason is not None:
        assert reason in reasons_of(result), (text, result.reasons)


def example_texts() -> list[str]:
    """The texts the rules version is measured on: the frozen set, and every example in
    the table (tests/sentiment_examples.py), in one sorted list."""
    from tests.sentiment_examples import EXAMPLES

    frozen = json.loads(EXAMPLE_TEXTS.read_text(encoding="utf-8"))
    return sorted({*frozen, *(e.text for e in EXAMPLES)})


def result_line(s: Sentiment) -> str:
    """Everything the scorer says about one text, as one comparable line."""
    return f"{s.label.value}|{s.compound!r}|{s.language}|{'/'.join(s.reasons)}"


def digest(texts: Iterable[str], **kw: Any) -> str:
    """A short hash over the scores of `texts`, in order."""
    h = hashlib.sha256()
    for text in texts:
        h.update(result_line(score(text, **kw)).encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()[:16]


def rules_digest() -> str:
    """What RULES_HISTORY records per version: the examples scored plainly and with the
    owner set-up, hashed together."""
    texts = example_texts()
    both = f"{digest(texts)}/{digest(texts, **OWNER_SETUP)}"
    return hashlib.sha256(both.encode()).hexdigest()[:16]


def history_conflicts(histories: Iterable[Mapping[int, str]]) -> list[str]:
    """What breaks "a version's digest never changes": each history is RULES_HISTORY as
    one commit (or the working tree) had it, oldest first. A version recorded with two
    digests was re-pinned in place; a version that disappears was rewritten."""
    seen: dict[int, str] = {}
    problems = []
    for history in histories:
        for version, recorded in seen.items():
            now = history.get(version)
            if now is None:
                problems.append(f"version {version} was removed from the history")
            elif now != recorded:
                problems.append(f"version {version} was re-pinned: {recorded} -> {now}")
        for version, value in history.items():
            seen.setdefault(version, value)
    return list(dict.fromkeys(problems))


def data_folder() -> Path:
    """The labelled development data (never in the repository): $SHOPKEEP_SENTIMENT_DATA,
    else the `shared/data/sentiment` folder beside or above the checkout."""
    env = os.environ.get("SHOPKEEP_SENTIMENT_DATA")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "sentiment"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "no shared/data/sentiment folder above the checkout: set SHOPKEEP_SENTIMENT_DATA"
    )
