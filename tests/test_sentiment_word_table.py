"""The scorer reads a post's words in one pass (word_table), with shortcuts that must never
change a score: each is checked against the plain reading it replaces.

- word_table.read gives the tokens, valences, clauses and phrase text that text.clauses,
  engine.valences and phrase_hits.rule_text give, and the valences VADER's own methods give;
- a scored word with nothing around it that boosts, negates or makes an idiom takes its
  lexicon value without the look-back (engine.scored_tokens);
- emoji are translated run by run, as str.translate with the emoji table would;
- the sarcastic-praise scan of text beyond ASCII finds what the lookbehind regex finds.
"""

from __future__ import annotations

import random

from app.core.sentiment import engine, phrase_hits, phrases, text, word_table
from tests.sentiment_support import example_texts
from tests.test_sentiment_engine import _reference

# Words around which VADER's rules do something: boosters, negations, "no", "least",
# idioms and their parts, capitals, clause marks, smileys; and plain opinion words.
_VOCAB = str.split(
    "good bad great awful happy sad love hate nice okay fine kind sort of the shit bomb "
    "bad ass kiss death yeah right to die for cut mustard heart break just enough so this "
    "never without doubt no not isn't wasn't least at very or nor extremely barely totally "
    "really GREAT LOVE BAD HATE but BUT waited late :) :( <3 fine, awful. nice! meh? ok; "
    "I we it was is friendly free like"
)


def _random_posts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        words = [rng.choice(_VOCAB) for _ in range(rng.randint(0, 30))]
        for k in range(len(words)):
            if rng.random() < 0.05:
                words[k] += rng.choice(["\n", "\n\n", "  "])
        posts.append(" ".join(words))
    return posts


def test_one_pass_reads_as_the_clauses_valences_and_rule_text_did():
    lexicon = engine.base_analyzer().lexicon
    posts = [*example_texts(), *_random_posts(3, 2000), "", "   ", "\n\n", "ok.\n\nfine"]
    for post in posts:
        clauses = text.clauses(post)
        expected = engine.valences(engine.base_analyzer(), clauses)
        tokens, joined = word_table.read(lexicon, post)
        assert tokens == expected, post
        assert joined == phrase_hits.rule_text(clauses), post


def test_one_pass_valences_are_vaders_own():
    lexicon = engine.base_analyzer().lexicon
    for post in _random_posts(7, 1500):
        tokens, _ = word_table.read(lexicon, post)
        assert tokens.valences == _reference(text.clauses(post)), post


def test_an_owner_word_list_gets_its_own_table():
    base = engine.base_analyzer().lexicon
    owner = engine.analyzer_for({"waited": -2.0, "ok": 0.0}).lexicon
    plain, _ = word_table.read(base, "waited ages, ok")
    mine, _ = word_table.read(owner, "waited ages, ok")
    assert plain.valences[0] == 0.0
    assert mine.valences[0] == -2.0
    assert word_table.table_for(base) is not word_table.table_for(owner)


def test_emoji_are_translated_as_the_table_says():
    table = engine.emoji_table()
    rng = random.Random(5)
    pieces = [*map(chr, list(table)[:300]), "`", "\u2019", "a", " ", "é", "ß", "\ud83d", "x`y"]
    for _ in range(3000):
        post = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert engine.translate_emoji(post) == post.translate(table), repr(post)


def test_sarcastic_praise_beyond_ascii_is_found_where_the_lookbehind_finds_it():
    def reference(post: str) -> list[tuple[int, str]]:
        return [(m.start(), m.group()) for m in phrases._PRAISE_RE.finditer(post)]

    rng = random.Random(9)
    pieces = [
        "great job", "égreat job", "just great", "thanks for", "well done", "oh great",
        "great, again", "lovely.", "wow just wow", "yeah right", "just wonderful\n", "ñ",
        "café", "—", "…", "💩", "\n", " ", "'", "_", "x",
    ]  # fmt: skip
    posts = [p.lower() for p in example_texts()]
    for _ in range(5000):
        posts.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))))
    beyond_ascii = [p for p in posts if not p.isascii()]
    assert len(beyond_ascii) > 1000
    for post in posts:
        assert phrases.praise_hits(post) == reference(post), post


def test_the_word_table_stays_bounded_however_many_words_a_shop_sees():
    table = word_table.WordTable(engine.base_analyzer().lexicon)
    for start in range(0, word_table._MAX_ROWS * 2, 1000):
        posts = [f"word{n}" for n in range(start, start + 1000)]
        rows = table.rows_of(posts)
        assert [row[1] for row in rows] == posts  # each post still reads right
        assert len(table.rows) <= word_table._MAX_ROWS + 1000
