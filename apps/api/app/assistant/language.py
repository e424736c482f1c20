"""The language of a conversation (DESIGN 11): English, Spanish, French, German, Italian,
Portuguese or Dutch.

Detection uses lingua restricted to these seven languages (faster and more accurate than
choosing among all of them). A message with too few words of its own ("A1003", "ok",
an email address) says nothing about the language: the conversation keeps the one it has.
A language the widget asked for (`lang`) is kept for the whole conversation.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, get_args

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from app.assistant.orders import strip_entities

Lang = Literal["en", "es", "fr", "de", "it", "pt", "nl"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANGUAGE: Lang = "en"

_LINGUA: dict[Language, Lang] = {
    Language.ENGLISH: "en",
    Language.SPANISH: "es",
    Language.FRENCH: "fr",
    Language.GERMAN: "de",
    Language.ITALIAN: "it",
    Language.PORTUGUESE: "pt",
    Language.DUTCH: "nl",
}
#: Below this many letters (after removing order numbers, emails, postcodes) a message
#: keeps the conversation's language.
MIN_LETTERS = 5
#: The detected language must be this confident, and this far ahead of the runner-up.
MIN_CONFIDENCE = 0.4
MIN_MARGIN = 0.15

_WORD = re.compile(r"[^\W\d_]+")


@cache
def _detector() -> LanguageDetector:
    """Built once per process (the language models load on first use)."""
    return LanguageDetectorBuilder.from_languages(*_LINGUA).build()


def normalise_lang(value: str | None) -> Lang | None:
    """ "es", "es-MX", "pt_BR", "DE" -> one of the seven languages; anything else -> None."""
    if not value:
        return None
    base = value.strip().lower().replace("_", "-").split("-")[0]
    return next((lang for lang in LANGUAGES if lang == base), None)


def detect_language(text: str) -> Lang | None:
    """The message's language, or None when it has too little text to tell."""
    words = _WORD.findall(strip_entities(text))
    if sum(len(w) for w in words) < MIN_LETTERS:
        return None
    values = _detector().compute_language_confidence_values(" ".join(words))
    if not values:
        return None
    best = values[0]
    runner_up = values[1].value if len(values) > 1 else 0.0
    if best.value < MIN_CONFIDENCE or best.value - runner_up < MIN_MARGIN:
        return None
    return _LINGUA[best.language]


def next_language(current: Lang, text: str, *, pinned: bool) -> Lang:
    """The conversation's language after a customer message."""
    if pinned:
        return current
    return detect_language(text) or current
