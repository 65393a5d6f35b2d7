"""The phrase kinds are rows in one ordered registry: a new kind is found, and no two
kinds can share a key (the second would silently take the first one's place)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.sentiment import kinds, pattern_starts, phrases
from app.core.sentiment.kinds import REGISTERED, Kind


def _module_rows() -> list[tuple[str, Kind]]:
    out = []
    for info in pkgutil.iter_modules(kinds.__path__):
        module = importlib.import_module(f"{kinds.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, tuple) and value and all(isinstance(k, Kind) for k in value):
                out.extend((info.name, k) for k in value)
    return out


def test_no_two_kinds_share_a_key():
    keys = [k.key for k in REGISTERED]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
    assert phrases.NEGATED_PRAISE not in keys


def test_every_kind_a_module_defines_is_registered():
    registered = set(REGISTERED)
    forgotten = [(module, k.key) for module, k in _module_rows() if k not in registered]
    assert forgotten == []


def test_a_repeated_key_is_caught():
    """The check above is no formality: two modules with the same key fail it."""
    dup = (*REGISTERED, Kind(REGISTERED[0].key, "again", ("again",), -1.0))
    keys = [k.key for k in dup]
    assert len(set(keys)) < len(keys)


def test_every_kind_reads_as_a_complaint_or_as_praise_with_a_title():
    for kind in REGISTERED:
        assert kind.valence != 0 and kind.title and kind.patterns, kind.key


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?:still|been) waiting", "still waiting"),
        (r"\d+ (?:days?|weeks?) late", "12 days late"),
        (r"(?<=the )parcel(?: has)? gone", "parcel has gone"),
        (r"never (?:\w+ ){1,5}?again", "never going again"),
        (r"(?:won'?t|will not) (?:be )?(?:return(?:ing)?|recommend\w*)", "wont be recommending"),
    ],
)
def test_every_match_starts_with_one_of_the_pattern_heads(pattern, text):
    """The pre-scan's reading of a pattern covers every match's start (a digit is any digit)."""
    parsed = pattern_starts.parse(pattern)
    heads = phrases._heads(parsed, pattern_starts.prefixes(parsed, phrases.KEY, None))
    assert re.fullmatch(pattern.replace("(?<=the )", ""), text)
    assert heads
    written = re.sub(r"\d", pattern_starts.DIGIT, text)
    assert any(written.startswith(h) for h in heads)


def test_a_pattern_that_can_start_anywhere_has_no_heads():
    assert pattern_starts.prefixes(pattern_starts.parse(r"d[^o]g|.at"), 3, None) is None


def test_no_function_in_the_sentiment_package_grows_back_into_a_long_chain():
    """Rules are rows; the engine's functions stay small (ruff's C901, at most 15, set in
    pyproject.toml for this package)."""
    root = Path(__file__).resolve().parent.parent
    config = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert "max-complexity = 15" in config and '"!app/core/sentiment/**" = ["C901"]' in config
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--select",
            "C901",
            "app/core/sentiment",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
    )
    assert done.returncode == 0, done.stdout
