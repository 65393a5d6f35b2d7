"""Which kind of template the composer offers first for a message.

The owner has ten minutes at lunch; opening the composer on the right kind of
reply saves a click per thread. The rules, in order:

1. A complaint gets an apology. A negative label counts as a complaint unless
   the message is a question with no complaint words in it ("Is there anything
   gluten-free? I'm so sick of missing out" wants an answer, not an apology).
   Clear complaint words ("never arrived", "refund", "rude") count even when the
   scorer heard the message as neutral or could not score it.
2. A question gets an answer: a question mark, or a sentence that opens like a
   question ("do you deliver to...", "is there parking"), in any case.
   A question beats praise too: an unanswered question is worse than an
   unthanked compliment, and answers can say thank you.
3. Praise gets a thank-you.
4. Anything else (a neutral shout-out, a post Shopkeep could not score) gets the
   general "answer" kind, whose friendly hello fits almost any message.
"""

from __future__ import annotations

import re

from app.core.models import SentimentLabel

APOLOGY = "apology"
THANKS = "thanks"
ANSWER = "answer"

# Words that name a failure. Kept specific: "are you open late?", "cold brew" and
# "sick of missing out" are not complaints.
_COMPLAINT_RE = re.compile(
    r"\b("
    r"(?:was|were|is|arrived|came|running|so|very|too|hours?|minutes?|mins?) late|late again|"
    r"still waiting|never (?:arrived|came|showed|turned up)|no sign of|"
    r"didn'?t (?:arrive|come|turn up)|hasn'?t (?:arrived|come|turned up)|not arrived|"
    r"where(?:'s| is) my|wrong|mix-?up|mixed up|(?:is|was|were|are) missing|you forgot|"
    r"rude|ignored|rolled (?:his|her|their) eyes|"
    r"refund|charged (?:me )?twice|overcharged|money back|"
    r"stale|burnt|mou?ldy|hard as a rock|(?:was|were|arrived|came) (?:stone )?cold|"
    r"disappoint(?:ed|ing)|terrible|awful|unacceptable|not ok(?:ay)?|really poor|rip-?off|"
    r"frustrat(?:ed|ing)|upset(?:ting)?|annoyed|waited \d+ (?:minutes|mins|hours)|"
    r"nobody answers|no one answers|never again"
    r")\b",
    re.IGNORECASE,
)

# A sentence opening like a question. "How" alone is too loose ("how lovely!"),
# so it needs a verb or a measure after it.
_QUESTION_OPENING_RE = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|morning|quick question)\b[\s,!.-]*(?:there\b[\s,!.-]*)?)?"
    r"(?:"
    r"(?:where|when|what time|which)\b|"
    r"what (?:is|are|do|does|kind|sort|about|are)\b|what's\b|"
    r"how (?:do|does|did|can|could|long|much|many|late|early|far|often|is|are|about)\b|"
    r"(?:do|does|did|can|could|would|will|should|is|are|have|has) "
    r"(?:you|u|i|we|they|it|there|the|your|anyone|someone)\b|"
    r"any chance\b|anyone know\b"
    r")",
    re.IGNORECASE,
)
_WONDERING_RE = re.compile(r"\b(?:i was|i'm|just) wondering\b", re.IGNORECASE)
_LEADING_MENTIONS_RE = re.compile(r"^(?:\s*@[\w.@-]+)+[\s,:]*")
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")


def is_question(text: str) -> bool:
    """True when the message asks something, with or without a question mark."""
    if "?" in text or "？" in text or "¿" in text:
        return True
    if _WONDERING_RE.search(text):
        return True
    body = _LEADING_MENTIONS_RE.sub("", text)
    for sentence in _SENTENCE_RE.findall(body):
        sentence = _LEADING_MENTIONS_RE.sub("", sentence.strip())
        if sentence.endswith("!"):
            continue  # "What a lovely morning!" is not a question
        if _QUESTION_OPENING_RE.match(sentence):
            return True
    return False


def has_complaint_words(text: str) -> bool:
    """True when the message names something that went wrong."""
    return _COMPLAINT_RE.search(text) is not None


def suggest_kind(text: str, label: SentimentLabel) -> str:
    """Return "apology", "thanks" or "answer": the template kind to offer first."""
    question = is_question(text)
    complaint_words = has_complaint_words(text)
    if label == SentimentLabel.NEGATIVE and (complaint_words or not question):
        return APOLOGY
    if complaint_words and label in (SentimentLabel.NEUTRAL, SentimentLabel.UNSCORED):
        return APOLOGY
    if question:
        return ANSWER
    if label == SentimentLabel.POSITIVE:
        return THANKS
    return ANSWER
