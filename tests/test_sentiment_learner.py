"""The shop owner teaches the scorer: corrections move the colour of posts like them.

Each test is a small story with the real scorer and a real learner; the texts are
made up for the test.
"""

from __future__ import annotations

import json
import pickle

from app.core.rescore import OwnerScorer
from app.core.sentiment import score
from app.core.sentiment.learner import LEANS_POSITIVE, Learner, features, reply_label
from app.core.sentiment.owner_model import STEPS, OwnerModel
from bench import sentiment as bench
from tests.sentiment_support import NEG, NEU, POS

QUEUE_POSTS = (
    "the queue at the till this morning",
    "queue at the till again at lunch",
    "long queue at the till on saturday",
)
NEW_QUEUE_POST = "there's a queue at the till again"


def _teach(learner: Learner, texts, owner_label) -> None:
    for text in texts:
        learner.corrected(text, score(text), owner_label)


def test_with_no_corrections_the_rules_decide_alone():
    learner = Learner()
    for text in (*QUEUE_POSTS, "lovely coffee this morning"):
        learner.saw(text, score(text))
    rules = score(NEW_QUEUE_POST)
    assert learner.adjust(NEW_QUEUE_POST, rules) == rules


def test_three_corrections_about_the_queue_colour_a_fourth_post_and_say_why():
    assert all(score(t).label is NEU for t in (*QUEUE_POSTS, NEW_QUEUE_POST))
    learner = Learner()
    _teach(learner, QUEUE_POSTS, NEG)
    learned = learner.adjust(NEW_QUEUE_POST, score(NEW_QUEUE_POST))
    assert learned.label is NEG
    assert learned.compound < 0
    assert learned.reasons[0].startswith("learned: you marked posts with '")
    assert learned.reasons[0].endswith("' as a complaint 3 times")
    assert learned.reasons[1:] == score(NEW_QUEUE_POST).reasons  # the rules' reasons stay


def test_two_corrections_are_not_yet_evidence():
    learner = Learner()
    _teach(learner, QUEUE_POSTS[:2], NEG)
    assert learner.move(NEW_QUEUE_POST, score(NEW_QUEUE_POST)) is None


def test_a_word_the_rules_usually_read_right_is_not_flipped():
    """Three corrections mention the till, but ten posts about the till were fine."""
    learner = Learner()
    _teach(learner, QUEUE_POSTS, NEG)
    for k in range(10):
        text = f"picked up order {k} at the till"
        learner.saw(text, score(text))
    assert learner.move("paid at the till", score("paid at the till")) is None


def test_only_posts_the_rules_coloured_the_same_way_teach():
    """Complaints about the queue when the rules said neutral say nothing about praise."""
    learner = Learner()
    _teach(learner, QUEUE_POSTS, NEG)
    text = "the queue at the till went fast, lovely"
    assert score(text).label is POS
    assert learner.move(text, score(text)) is None


def test_a_reset_forgets_everything_learned():
    learner = Learner()
    _teach(learner, QUEUE_POSTS, NEG)
    learner.reset()
    rules = score(NEW_QUEUE_POST)
    assert learner.adjust(NEW_QUEUE_POST, rules) == rules


def test_replies_are_weaker_evidence_than_corrections():
    assert reply_label("So sorry about that, we'll sort it") is NEG
    assert reply_label("Thank you so much, see you soon!") is POS
    assert reply_label("Sorry for the wait, and thanks for your patience") is None
    learner = Learner()
    for text in QUEUE_POSTS:  # three apologies: one and a half corrections' worth
        learner.replied(text, score(text), "Sorry about the wait!")
    new = score(NEW_QUEUE_POST)
    assert learner.move(NEW_QUEUE_POST, new) is None
    for text in QUEUE_POSTS:
        learner.replied(text + " today", score(text), "So sorry, we're adding a second till")
    assert learner.move(NEW_QUEUE_POST, new).label is NEG


def test_features_are_words_and_word_pairs_without_stopwords():
    assert {"queue", "till", "the till", "queue at"} <= features("The queue at the till")
    assert "the" not in features("The queue at the till")
    assert LEANS_POSITIVE in features("one weak word", 0.03)  # the rules' lean counts too


def test_an_owner_who_colours_what_the_rules_leave_neutral_is_followed():
    """This owner gives every post the rules leave neutral a colour, complaints mostly:
    a new grey post with nothing learned about its words takes the colour they give
    most, and the hover says so."""
    learner = Learner()
    _teach(learner, [f"the queue at the till on day {k}" for k in range(8)], NEG)
    _teach(learner, ["the sourdough this week", "sourdough on friday"], POS)
    text = "see you at noon"
    assert score(text).label is NEU
    learned = learner.adjust(text, score(text))
    assert learned.label is NEG
    assert learned.reasons[0] == (
        "learned: you marked 8 of the 10 posts you read that the rules called neutral "
        "as a complaint"
    )


def test_an_owner_who_leaves_grey_posts_grey_is_followed_too():
    """The same corrections, but this owner read thirty other grey posts and left them
    grey: a new grey post stays grey."""
    learner = Learner()
    for k in range(30):
        text = f"parcel {k} arrived on tuesday"
        learner.saw(text, score(text))
    _teach(learner, [f"the queue at the till on day {k}" for k in range(8)], NEG)
    _teach(learner, ["the sourdough this week", "sourdough on friday"], POS)
    assert learner.move("see you at noon", score("see you at noon")) is None


FAINT_PRAISE = [
    f"{who} had {what} {when} and it was {word}"
    for who, what, when, word in zip(
        ("my daughter", "my husband", "my mum", "the kids"),
        ("the flapjack", "the soup", "the toastie", "the pancakes"),
        ("after school", "on monday", "before the match", "at lunch"),
        ("fine", "okay", "ok", "alright"),
        strict=True,
    )
]
FLAT = [
    f"about the {thing} on {day}"
    for thing, day in zip(
        ("order", "van", "parcel", "cake", "table", "bread", "delivery", "booking", "loaf", "tart"),
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "lunchtime", "teatime", "evening"),
        strict=True,
    )
]
# What a two-colour owner did with fourteen posts the rules left grey, in order: faint
# praise is praise; a flat post is a complaint, but twice it was praise.
TWO_COLOURS = [
    (FAINT_PRAISE[0], POS),
    (FLAT[1], NEG),
    (FAINT_PRAISE[2], POS),
    (FLAT[3], NEG),
    (FLAT[4], POS),
    (FLAT[5], NEG),
    (FLAT[6], NEG),
    (FLAT[7], NEG),
    (FLAT[8], POS),
    (FLAT[9], NEG),
    (FAINT_PRAISE[0], POS),
    (FLAT[1], NEG),
    (FLAT[2], NEG),
    (FAINT_PRAISE[3], POS),
]


def test_an_owner_who_never_keeps_a_post_grey_gets_every_grey_post_coloured():
    """This owner gives every post the rules leave grey a colour. Complaints win only 8
    to 6, and twice a flat post was praise, so no single kind of move has earned its
    place; but colouring grey posts by what was learned would have been right on the
    owner's posts, so a new flat post is coloured, and the hover says why."""
    assert all(score(t).label is NEU for t, _ in TWO_COLOURS)
    learner = Learner()
    for text, label in TWO_COLOURS:
        learner.corrected(text, score(text), label)
    new = "the porridge this morning"
    learned = learner.adjust(new, score(new))
    assert learned.label is NEG
    assert learned.reasons[0].startswith(
        "learned: you coloured all 14 posts you read that the rules called neutral"
    )


def test_an_owner_who_kept_one_grey_post_grey_is_not_a_two_colour_owner():
    """The same fourteen posts, then one the owner read and left grey: grey is a colour
    in this shop after all, so the new flat post stays grey."""
    learner = Learner()
    for text, label in TWO_COLOURS:
        learner.corrected(text, score(text), label)
    learner.saw(FLAT[0], score(FLAT[0]))
    new = "the porridge this morning"
    assert learner.move(new, score(new)) is None


def test_only_kinds_of_move_that_proved_right_on_the_owners_posts_happen():
    """The owner model guesses each post before it learns it. Its guesses that grey posts
    about the queue were complaints proved right, so such moves happen; it never had to
    guess that praise was a complaint, so a post the rules call praise keeps its colour,
    however much its words sound like the queue's."""
    model = OwnerModel()
    for k in range(10):
        model.learn({"lovely", "scones", f"day {k}"}, POS, 0.6, POS, 1.0)
    for k in range(10):
        model.learn({"queue", "till", "wait", "slow", f"day {k}"}, NEU, 0.0, NEG, 1.0)
    grey = model.guess({"queue", "till"}, NEU, 0.0)
    assert grey is not None and grey.label is NEG and grey.word in {"queue", "till"}
    praised = frozenset({"queue", "till", "wait", "slow"})
    assert model.likely(praised, POS, 0.4) is not None  # the words alone would say so
    assert model.guess(praised, POS, 0.4) is None  # but it has not earned that move


def test_the_owner_model_stops_a_kind_of_move_that_proved_wrong():
    """Grey posts with 'till' were complaints at first; then the owner read ten more and
    left them grey, while the model kept guessing complaint: its record now says no."""
    model = OwnerModel()
    for k in range(8):
        model.learn({"till", f"day {k}"}, NEU, 0.0, NEG, 1.0)
    assert model.guess({"till"}, NEU, 0.0) is not None
    for k in range(8, 20):
        model.learn({"till", f"day {k}"}, NEU, 0.0, NEU, 1.0)
    assert model.threshold(NEU, NEG) is None


def test_a_kind_of_move_needs_the_half_of_its_record_that_did_not_choose_it():
    """Every other guess chooses the strength at which a kind of move opens; the guesses
    in between must agree. Ten right in one half and three right, four wrong in the
    other is a lucky streak, not evidence."""
    model = OwnerModel()

    def at_any_strength(count: float) -> list[float]:
        return [count] + [0.0] * (STEPS - 1)

    lucky = (at_any_strength(10), at_any_strength(0), at_any_strength(3), at_any_strength(4))
    model.record[(NEU, NEG)] = lucky
    assert model.threshold(NEU, NEG) is None
    agreed = (at_any_strength(10), at_any_strength(0), at_any_strength(6), at_any_strength(1))
    model.record[(NEU, NEG)] = agreed
    assert model.threshold(NEU, NEG) == 0.0


def test_the_bench_prints_the_simulated_owners_curve(tmp_path, capsys):
    """The rules' own figures at N = 0, then the curve, from made-up files in the real
    formats."""
    rows = [{"text": f"the queue at the till {k}", "class": 0} for k in range(30)]
    rows += [{"text": f"lovely scones {k}", "class": 1} for k in range(30)]
    (tmp_path / "uci_yelp.json").write_text(json.dumps(rows), encoding="utf-8")
    assert bench.main(["--data", str(tmp_path), "--owner"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("| uci yelp |")]
    assert [line.split(" | ")[1] for line in lines] == ["0", "25", "50", "100", "200"]
    zero = lines[0].split(" | ")
    assert zero[4] == zero[5]  # nothing learned: exactly the rules
    after = lines[1].split(" | ")
    assert float(after[5]) > float(after[4])  # the queue was learned


def test_the_bench_lets_the_owner_read_on(tmp_path, capsys):
    """`--keep-learning`: every post is coloured before it is read and learned after,
    as in the app; the queue, learned early, colours the later posts about it."""
    rows = [{"text": f"the queue at the till {k}", "class": 0} for k in range(40)]
    rows += [{"text": f"lovely scones {k}", "class": 1} for k in range(40)]
    (tmp_path / "uci_yelp.json").write_text(json.dumps(rows), encoding="utf-8")
    assert bench.main(["--data", str(tmp_path), "--owner", "--keep-learning"]) == 0
    row = next(r for r in capsys.readouterr().out.splitlines() if r.startswith("| uci yelp |"))
    rules_f1, learner_f1 = row.split(" | ")[3:5]
    assert float(learner_f1) > float(rules_f1)


def test_the_bench_reads_the_files_shuffled_when_asked(tmp_path, capsys):
    """A file sorted by label is no shop's inbox: `--shuffle SEED` reads it in another
    order, the same one for the same seed."""
    rows = [{"text": f"the queue at the till {k}", "class": 0} for k in range(30)]
    rows += [{"text": f"lovely scones {k}", "class": 1} for k in range(30)]
    (tmp_path / "uci_yelp.json").write_text(json.dumps(rows), encoding="utf-8")
    outputs = []
    for _ in range(2):
        assert bench.main(["--data", str(tmp_path), "--owner", "--shuffle", "7"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "| uci yelp (shuffled, seed 7) | 0 |" in outputs[0]
    data = bench.load(tmp_path, None)[0]
    again = bench.shuffled(data, 7)
    assert sorted(again.texts) == sorted(data.texts) and again.texts != data.texts


def test_the_owners_scorer_carries_what_was_learned_to_the_scoring_workers():
    """Big syncs are scored in worker processes: the scorer, learner and all, is pickled."""
    learner = Learner()
    _teach(learner, QUEUE_POSTS, NEG)
    owner = OwnerScorer(learner=learner)
    copy = pickle.loads(pickle.dumps(owner))
    assert copy(NEW_QUEUE_POST) == owner(NEW_QUEUE_POST)
    assert copy(NEW_QUEUE_POST).label is NEG
    assert OwnerScorer()(NEW_QUEUE_POST) == score(NEW_QUEUE_POST)  # no learner: the rules


def test_a_compacted_learner_answers_the_same():
    """The app compacts the learner before sending it to every scoring worker."""
    learner = Learner()
    _teach(learner, QUEUE_POSTS, NEG)
    _teach(learner, [f"the queue at the till on day {k}" for k in range(8)], NEG)
    _teach(learner, ["the sourdough this week", "sourdough on friday"], POS)
    for k in range(20):
        text = f"lovely loaf number {k}, thank you"
        learner.saw(text, score(text))
    posts = [NEW_QUEUE_POST, "sourdough again", "loaf number 3", "lovely coffee"]
    before = [learner.adjust(t, score(t)) for t in posts]
    assert learner.compact() is learner
    assert [learner.adjust(t, score(t)) for t in posts] == before
    assert before[0].label is NEG
