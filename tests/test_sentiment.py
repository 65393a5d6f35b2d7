"""Each scoring rule pinned by its own made-up customer messages (none from the data sets)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment import label_for, score

NEG, NEU, POS, UNSCORED = (
    SentimentLabel.NEGATIVE,
    SentimentLabel.NEUTRAL,
    SentimentLabel.POSITIVE,
    SentimentLabel.UNSCORED,
)


def _reasons(result: Sentiment) -> str:
    return " | ".join(result.reasons)


def test_single_argument_call_still_works():
    result = score("The croissants were lovely")
    assert isinstance(result, Sentiment)
    assert result.label is POS
    assert result.language == "en"


@pytest.mark.parametrize(
    ("compound", "label"),
    [(0.05, POS), (0.0499, NEU), (-0.0499, NEU), (-0.05, NEG), (0.9, POS), (-0.9, NEG)],
)
def test_label_thresholds(compound, label):
    assert label_for(compound) is label


# --- masking: handles, links and the shop's own name are not opinions -------------------


def test_where_is_my_order_with_handle_is_a_complaint():
    result = score("@GreatCoffee where is my order? ordered 3 weeks ago")
    assert result.label is NEG
    assert "complaint" in _reasons(result)


def test_business_name_that_is_a_lexicon_word_is_not_praise():
    plain = score("Just walked past Happy Bakes on Main Street")
    masked = score("Just walked past Happy Bakes on Main Street", business_names=["Happy Bakes"])
    assert plain.label is POS  # raw lexicon reads "Happy" as praise
    assert masked.label is NEU
    assert "name not counted" in _reasons(masked)


def test_business_name_as_hashtag_and_handle_is_masked():
    result = score(
        "#HappyBakes @happybakes@bakery.social when do you open?", business_names=["Happy Bakes"]
    )
    assert result.label is NEU


def test_urls_are_ignored():
    assert score("menu at https://example.com/best-love-great").label is NEU


# --- politeness is manners, not praise ------------------------------------------------


def test_please_help_with_missing_item_is_negative():
    result = score("Please help, my parcel never arrived")
    assert result.label is NEG
    assert "never arrived" in _reasons(result)


def test_thanks_next_to_a_question_is_not_praise():
    result = score("Thanks. Could you check on my booking for Friday?")
    assert result.label is NEU
    assert "politeness not counted" in _reasons(result)


def test_heartfelt_thanks_stay_positive():
    assert score("thank you so much, you saved my day").label is POS
    assert score("Thanks!").label is POS
    assert score("Thanks for the quick reply").label is POS


# --- sarcasm: praise next to a complaint ----------------------------------------------


def test_thanks_for_nothing_is_negative():
    result = score("thanks for nothing")
    assert result.label is NEG
    assert "sarcastic" in _reasons(result)


def test_great_job_with_a_complaint_is_negative():
    assert score("Great job losing my parcel").label is NEG
    assert score("Still waiting for my refund. Well done.").label is NEG


def test_real_praise_with_a_complaint_elsewhere_is_not_sarcasm():
    result = score("The cake was delicious and beautiful. Great job!")
    assert result.label is POS


# --- negation stays in its clause -----------------------------------------------------


def test_negation_does_not_leak_across_sentences():
    assert score("I did not expect that. Lovely surprise").label is POS
    assert score("Not again. Happy with the fix though").label is POS


def test_negation_within_clause_still_works():
    assert score("The soup was not good").label is NEG


# --- complaint lexicon: failures without sentiment words ---------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "Been waiting 45 minutes for a table",
        "My order is still not here after 2 weeks",
        "The blender I bought doesn't work",
        "Item missing from my box",
        "You cancelled my booking without telling me",
        "I want a refund",
        "Never again.",
        "Where is my parcel",
        "Emailed twice, no response",
        "The app keeps crashing at checkout",
        "Pastries were stale and the coffee came cold",
    ],
)
def test_service_failures_are_negative(message):
    result = score(message)
    assert result.label is NEG, result
    assert "complaint" in _reasons(result)


def test_negated_complaint_is_not_a_complaint():
    result = score("Delivery was not late at all")
    assert "complaint" not in _reasons(result)
    assert result.label is not NEG


def test_service_praise_without_sentiment_words():
    assert score("Parcel arrived quickly").label is POS
    assert score("We will definitely come back").label is POS


# --- hashtags and emoji ---------------------------------------------------------------


def test_camel_case_hashtag_is_split():
    result = score("Ordered a birthday cake #NeverAgain")
    assert result.label is NEG
    assert "never again" in _reasons(result)


def test_lowercase_hashtag_is_split_into_known_words():
    assert score("#worstservice").label is NEG


@pytest.mark.parametrize(("emoji", "label"), [("👎", NEG), ("🙄", NEG), ("🤬", NEG), ("👍", POS)])
def test_emoji_vader_lacks(emoji, label):
    assert score(f"my order {emoji}").label is label


# --- word-sense fixes -----------------------------------------------------------------


def test_like_as_comparison_is_not_praise():
    assert score("The bread tasted like cardboard").label is not POS
    assert score("I like your scones").label is POS


def test_faint_praise_at_best():
    assert score("The coffee is average at best").label is NEG


# --- non-English posts are marked, not guessed ------------------------------------------


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Das Essen war kalt und der Service langsam", "de"),
        ("La commande est arrivée en retard et le pain était sec", "fr"),
        ("El pedido no llegó y nadie responde a mis correos", "es"),
        ("注文した商品がまだ届きません", "ja"),
        ("Где мой заказ?", "other"),
    ],
)
def test_non_english_is_unscored(message, lang):
    result = score(message)
    assert result.label is UNSCORED
    assert result.language == lang
    assert result.compound == 0.0
    assert lang in _reasons(result)


def test_english_with_a_foreign_word_is_still_scored():
    assert score("Merci! The croissants were amazing").label is POS


# --- the owner's word list ------------------------------------------------------------


def test_extra_words_override_the_lexicon():
    assert score("The espresso is so bitter today").label is NEG
    owner = score("The espresso is so bitter today", extra_words={"bitter": 1.5})
    assert owner.label is POS
    assert "your words: 'bitter'" in _reasons(owner)


def test_extra_words_can_mark_a_trade_complaint():
    assert score("The sourdough was flat").label is NEU
    assert score("The sourdough was flat", extra_words={"flat": -2.0}).label is NEG


def test_extra_words_override_the_complaint_lexicon():
    text = "Our waiting list opens Monday"
    assert score(text, extra_words={"waiting": 0.0}).label is NEU


def test_extra_phrases_with_spaces():
    result = score("Tried the cold brew", extra_words={"cold brew": 2.0})
    assert result.label is POS


def test_extra_words_do_not_leak_between_calls():
    score("so bitter", extra_words={"bitter": 3.0})
    assert score("so bitter").label is NEG


# --- explanations ---------------------------------------------------------------------


def test_reasons_name_the_words():
    result = score("Rude staff and my order never arrived")
    text = _reasons(result)
    assert "never arrived" in text
    assert "rude" in text


def test_neutral_says_so():
    assert score("Open on Sunday?").reasons == ("no opinion words",)


def test_empty_text():
    result = score("")
    assert result.label is NEU
    assert result.compound == 0.0


# --- hygiene --------------------------------------------------------------------------


def test_core_sentiment_imports_no_qt():
    pkg = Path(__file__).resolve().parent.parent / "app" / "core" / "sentiment"
    for path in pkg.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not any(name.startswith(("PySide", "PyQt", "shiboken")) for name in names), path
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path
