"""Small function-word lists for cheap language detection (see language.py).

Words that are also common English words ("die", "war", "son", "come", "in") are
left out. Kept apart from the scorer's word lists so each can be reviewed alone.
"""

from __future__ import annotations

from app.core.sentiment.lexicons import word_set

STOPWORDS: dict[str, frozenset[str]] = {
    "en": word_set(
        "the and is are was were not this that with for you your my our have has had it "
        "it's i'm of to be been just what when where why how they them their there will "
        "would can could should do does did don't at from but or if so very "
    ),
    "de": word_set(
        "und der das ist nicht ein eine ich mit auf für sehr auch noch wir kein keine dem "
        "den des zu nur wie bei oder mein meine wurde schon habe bin uns euch ihr wird "
        "sind vom zum zur heute immer leider danke bitte aber nach wieder mir mich dich "
        "sich ich's gibt gar "
    ),
    "fr": word_set(
        "le les des est et une je pas pour avec dans du au qui que ce cette mais sur mon "
        "ma mes nous vous très été était suis merci ne il elle sont tout c'est j'ai n'est "
        "rien toujours aussi encore chez "
    ),
    "es": word_set(
        "el los las es y que un una por para con muy pero mi mis su está esta fue yo lo "
        "del al gracias hay nada todo pedido también siempre nunca estoy "
    ),
    "it": word_set(
        "il gli è di che non per con sono molto ma mio mia della del nel questo grazie ho "
        "ha anche sempre ancora una "
    ),
    "pt": word_set(
        "os é não um uma para com muito mas meu minha da dos das na obrigado obrigada "
        "está foi eu você também sempre ainda "
    ),
    "nl": word_set(
        "het een niet van ik dat met voor op zijn maar mijn heel wel nog geen bedankt "
        "dank ook altijd "
    ),
}
