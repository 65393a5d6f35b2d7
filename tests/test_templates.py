"""Canned replies are personalised before they go, and never go out broken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.errors import ShopkeepError
from app.core.models import Author, Network
from app.core.templates import (
    FIELDS,
    KINDS,
    FillContext,
    ScriptedCheck,
    SentText,
    Template,
    TemplateError,
    excerpt,
    fields_in,
    fill,
    load_builtin,
    normalise,
    validate,
)

SHOP = FillContext(
    first_name="Dana",
    name="Dana Whitfield",
    handle="@dana@social.example",
    business="Juniper & Rye Bakery",
    signature="— Sam at Juniper & Rye",
    original_excerpt="The cake says Happy Birthday Mia. Her name is Nia.",
)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


# --- the built-in set ------------------------------------------------------------------


def test_the_shop_starts_with_enough_templates_of_each_kind() -> None:
    templates = load_builtin()
    kinds = [t.kind for t in templates]
    assert kinds.count("thanks") >= 4
    assert kinds.count("apology") >= 4
    assert kinds.count("answer") >= 3
    assert all(t.builtin for t in templates)
    assert len({t.key for t in templates}) == len(templates)


def test_every_builtin_template_fills_cleanly_for_a_real_customer() -> None:
    for template in load_builtin():
        assert validate(template.body) == [], template.key
        assert fields_in(template.body) <= set(FIELDS)
        text = fill(template.body, SHOP)
        assert "{" not in text and "}" not in text
        assert "Dana" in text
        assert template.kind in KINDS


def test_builtin_templates_stay_short_enough_for_bluesky() -> None:
    for template in load_builtin():
        assert len(fill(template.body, SHOP)) < 300, template.key


def test_a_broken_builtin_file_is_caught_when_loaded(tmp_path: Path) -> None:
    bad = tmp_path / "builtin.json"
    bad.write_text(
        '[{"key": "t", "kind": "thanks", "title": "T", "body": "Hi {frist_name}"}]',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError):
        load_builtin(bad)


# --- filling -----------------------------------------------------------------------------


def test_a_thank_you_is_personalised() -> None:
    body = "Hi {first_name}, thanks for visiting {business}!\n\n{signature}"
    assert fill(body, SHOP) == (
        "Hi Dana, thanks for visiting Juniper & Rye Bakery!\n\n— Sam at Juniper & Rye"
    )


def test_every_field_can_be_used() -> None:
    body = " | ".join("{" + f + "}" for f in FIELDS)
    filled = fill(body, SHOP)
    assert "Dana Whitfield" in filled
    assert "@dana@social.example" in filled
    assert "Happy Birthday Mia" in filled


def test_a_typo_in_a_field_is_refused_rather_than_sent() -> None:
    with pytest.raises(TemplateError) as caught:
        fill("Hi {frist_name}, sorry!", SHOP)
    assert isinstance(caught.value, ShopkeepError)
    assert "{first_name}" in caught.value.user_message  # the fix is suggested


def test_an_unclosed_brace_is_refused_rather_than_sent() -> None:
    with pytest.raises(TemplateError):
        fill("Hi {first_name, sorry!", SHOP)


def test_doubled_braces_write_a_literal_brace() -> None:
    assert fill("{{ {first_name} }}", SHOP) == "{ Dana }"


def test_a_missing_first_name_leaves_no_stray_space() -> None:
    nameless = FillContext(business="Juniper & Rye Bakery")
    assert fill("Hi {first_name}, thanks!", nameless) == "Hi, thanks!"
    assert fill("Thank you, {first_name}!", nameless) == "Thank you!"


def test_a_missing_signature_leaves_no_trailing_blank_lines() -> None:
    assert fill("Thanks {first_name}!\n\n{signature}", FillContext(first_name="Ivy")) == (
        "Thanks Ivy!"
    )


def test_the_original_message_is_quoted_as_a_short_excerpt() -> None:
    long = (
        "I've been coming in most Saturdays since you opened, so here is a proper review "
        "of everything"
    )
    filled = fill('You said: "{original_excerpt}"', FillContext(original_excerpt=long))
    quoted = filled.removeprefix('You said: "').removesuffix('"')
    assert quoted.endswith("…")
    assert len(quoted) <= 61
    assert long.startswith(quoted.removesuffix("…"))


def test_an_excerpt_never_cuts_an_emoji_in_half() -> None:
    family = "👨‍👩‍👧‍👦"
    text = "x" * 58 + family * 3
    cut = excerpt(text)
    assert cut == "x" * 58 + family * 2 + "…"


def test_a_short_excerpt_is_left_alone_but_put_on_one_line() -> None:
    assert excerpt("Are you open\non Sundays?") == "Are you open on Sundays?"


def test_a_context_can_be_built_from_the_author() -> None:
    author = Author(Network.BLUESKY, "did:plc:ivy", "ivy.bsky.example", "Ivy Liang")
    context = FillContext.for_author(
        author, business="Juniper & Rye Bakery", original_text="Where is my cake?"
    )
    assert context.first_name == "Ivy"
    assert context.name == "Ivy Liang"
    assert context.handle == "@ivy.bsky.example"
    assert fill("Hi {first_name} ({handle})", context) == "Hi Ivy (@ivy.bsky.example)"


# --- checking while the owner types ----------------------------------------------------


def test_a_typo_is_explained_in_plain_words() -> None:
    assert validate("Hi {frist_name}!") == [
        "{frist_name} is not a field Shopkeep knows. Did you mean {first_name}?"
    ]


def test_a_made_up_field_lists_the_real_ones() -> None:
    (problem,) = validate("Your order {order_number} is ready")
    assert "{order_number} is not a field" in problem
    assert "{first_name}" in problem


def test_unbalanced_braces_point_at_the_spot() -> None:
    assert validate("Hi {first_name, thanks") == ["A brace near “Hi {first_name,” is never closed."]
    assert validate("Hi first_name}") == [
        "A closing brace near “Hi first_name}” has no opening brace."
    ]


def test_empty_braces_are_explained() -> None:
    (problem,) = validate("Hi {}")
    assert problem.startswith("Empty braces {}")


def test_fields_in_lists_every_field_used_once() -> None:
    body = "Hi {first_name}, {first_name}! {business} {oops}"
    assert fields_in(body) == {"first_name", "business", "oops"}


def test_a_template_is_a_plain_record() -> None:
    template = Template("mine-1", "thanks", "My thanks", "Cheers {first_name}")
    assert template.builtin is False


# --- not sounding scripted --------------------------------------------------------------


def _sent(text: str, who: str, name: str, hours_ago: float) -> SentText:
    return SentText(text, NOW - timedelta(hours=hours_ago), who, (name,))


def test_names_and_spacing_do_not_make_two_replies_different() -> None:
    a = normalise("@dana Hi Dana,  thanks so much!", ["@dana@social.example", "Dana"])
    b = normalise("@ivy hi IVY, thanks so much!", ["ivy.bsky.example", "Ivy"])
    assert a == b


def test_the_sixth_identical_reply_in_a_day_is_flagged() -> None:
    body = "Hi {first_name}, thank you so much! It really makes our day."
    people = ["Ana", "Ben", "Cai", "Dee", "Eli"]
    recent = [
        _sent(fill(body, FillContext(first_name=p)), f"@{p.lower()}@x.example", p, i)
        for i, p in enumerate(people)
    ]
    check = ScriptedCheck()
    verdict = check.check(
        fill(body, FillContext(first_name="Fay")),
        "@fay@x.example",
        recent,
        recipient_names=["Fay"],
        now=NOW,
    )
    assert verdict.scripted
    assert verdict.people == 6
    assert "5 other people" in verdict.message

    fifth = check.check(
        fill(body, FillContext(first_name="Eli")),
        "@eli@x.example",
        recent[:4],
        now=NOW,
        recipient_names=["Eli"],
    )
    assert not fifth.scripted


def test_replies_older_than_a_day_do_not_count() -> None:
    text = "Thanks so much, see you soon!"
    recent = [_sent(text, f"@p{i}@x.example", f"P{i}", 25 + i) for i in range(10)]
    verdict = ScriptedCheck().check(text, "@new@x.example", recent, now=NOW)
    assert not verdict.scripted
    assert verdict.people == 1


def test_the_same_person_twice_counts_once() -> None:
    text = "Thanks so much, see you soon!"
    recent = [_sent(text, "@ana@x.example", "Ana", i) for i in range(10)]
    verdict = ScriptedCheck(limit=1).check(text, "@ana@x.example", recent, now=NOW)
    assert not verdict.scripted


def test_personal_words_are_never_flagged() -> None:
    recent = [
        _sent(f"Thanks {p}, enjoy the {cake}!", f"@{p}@x.example", p, 1)
        for p, cake in [("a", "torte"), ("b", "scones"), ("c", "rye"), ("d", "buns")]
    ]
    verdict = ScriptedCheck(limit=2).check(
        "Thanks e, enjoy the tart!", "@e@x.example", recent, now=NOW
    )
    assert not verdict.scripted


def test_a_lower_limit_warns_sooner() -> None:
    text = "Sorry about that, we'll put it right."
    recent = [_sent(text, "@a@x.example", "A", 1), _sent(text, "@b@x.example", "B", 2)]
    assert ScriptedCheck(limit=2).check(text, "@c@x.example", recent, now=NOW).scripted
