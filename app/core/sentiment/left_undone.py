"""What staff forgot or left undone: the medicine not given, the dog not dried, the tax
return filed late.

"the nursery forgot to give her the medicine again", "bringing her back muddy and
not drying her off", "filed my return late and I got the fine". No word VADER
scores; each is a job the customer paid for that was not done.
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.lexicons import after

UNDONE_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "left undone": (
        (
            # someone else forgot ("I forgot my card" is the customer's own doing)
            after("they|you|he|she|u|staff|someone|somebody|nursery|kitchen|driver|waiter|"
                  "waitress|chef|salon|shop|pharmacy|school|team|receptionist|engineer|mechanic|"
                  "builder|cleaner|also|again|then|completely|totally")
            + r"forg(?:ot|otten) (?:to|my|our|about|the|his|her|their)",
            # a finishing step skipped: "not drying her off", "without cleaning up"
            r"(?:not|never|without) (?:even )?(?:drying|cleaning|wiping|washing|tidying|clearing|"
            r"checking|hoovering|sweeping) (?:her|him|them|it|up|the|my|our)",
            # done after the date that mattered: "filed my return late"
            r"(?:filed|submitted|sent|paid|posted|returned|handed in|lodged) (?:\w+ ){0,3}?"
            r"late(?![\w'])",
        ),
        -1.8,
    ),
}

UNDONE_TITLES = {"left undone": "left undone"}
