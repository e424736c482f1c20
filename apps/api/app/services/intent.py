"""Entity extraction and text normalisation for customer messages; inquiry types come from
the learned model in ``app.assistant.intent`` (re-exported here so callers keep working).

``normalise`` folds a message to lower-case ASCII words, expands contractions and chat
shorthand ("wheres" -> "where is", "pls" -> "please") and corrects misspelt words that are
within a small Damerau-Levenshtein distance of a known keyword ("ordr" -> "order"). The chat
uses it to match short replies ("yes", "talk to a human"). Words in ``_COMMON_WORDS`` are
never "corrected".

Extraction: ``extract_order_number``, ``extract_email`` and ``extract_postcode``.

Classification and its command line moved to ``app.assistant.intent``
(``python -m app.assistant.intent --eval PATH.csv``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from app.assistant.intent import (
    classify_inquiry,
    classify_with_scores,
    evaluate,
    explain,
    load_labelled_csv,
)
from app.core.vocab import INQUIRY_TYPES, InquiryType

__all__ = [
    "INQUIRY_TYPES",
    "InquiryType",
    "classify_inquiry",
    "classify_with_scores",
    "evaluate",
    "explain",
    "extract_email",
    "extract_order_number",
    "extract_postcode",
    "load_labelled_csv",
    "normalise",
]

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

# Contractions (after apostrophes are dropped) and chat shorthand. Values may be several words.
_ALIASES: dict[str, str] = {
    "wheres": "where is",
    "whers": "where is",
    "whr": "where",
    "wer": "where",
    "whats": "what is",
    "wat": "what",
    "whens": "when is",
    "hows": "how is",
    "thats": "that is",
    "theres": "there is",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "hasnt": "has not",
    "havent": "have not",
    "hadnt": "had not",
    "didnt": "did not",
    "doesnt": "does not",
    "dont": "do not",
    "cant": "can not",
    "cannot": "can not",
    "couldnt": "could not",
    "wont": "will not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "aint": "is not",
    "im": "i am",
    "ive": "i have",
    "u": "you",
    "ya": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "ty": "thanks",
    "pkg": "package",
    "pkge": "package",
    "ord": "order",
    "rfnd": "refund",
    "trk": "tracking",
    "tracking#": "tracking number",
    "num": "number",
    "nr": "number",
    "asap": "as soon as possible",
    "addy": "address",
    "b4": "before",
    "2day": "today",
    "2moro": "tomorrow",
    "tmrw": "tomorrow",
}


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Keywords that misspellings are pulled towards (see ``_correct``).
_KEYWORDS: frozenset[str] = _words(
    """
    order orders ordered ordering package packages parcel parcels shipment shipments stuff
    purchase where tracking track tracked tracker number delivered delivery deliveries deliver
    delivering received receive refund refunds refunded return returns returned returning
    cancel cancelled canceled cancellation shipped dispatched dispatch status update updated
    updates updating arrive arrived arriving arrival address addresses exchange money scanned
    scan courier estimated estimate expected expect tomorrow processing processed please
    thanks reimbursement neighbour neighbor reschedule label nothing anything something never
    missing yesterday morning afternoon waiting still sent shipping posted fulfilled
    """
)

# Real words that sit close to a keyword and must never be "corrected" into it.
_COMMON_WORDS: frozenset[str] = _words(
    """
    there here when were what that then them they their these those this with will well
    send sends ship ships shop shops shopping stop stock store story truck trick trace
    older other under early card cart care case code come came liver wear weather whether
    which staff stiff stall place placed pleased think thing things level want went wait
    been seen need done gone going good know knew from form your yours help have give take
    make made hold told cold mail email emails mailbox info into expert except scammed
    scanner statue states retune refine monday monkey sure size sale same some home hour
    hours days week weeks time times date dates late later last lost left lift life like
    line link lint back pack packs packed packet packing ordinary reorder border odder udder
    rather father feather leather wheat whole while white whose mother brother numbers
    member members dispute delete dealer deliverer river driver drivers receipt receipts
    recent recently recipe record tracks stuck struck stays stats agent agents newer
    skill skills writing whereas reserved retained offering passages archival archiving
    effected executed worded worder messing pasted ported skipped skipping spent spill
    thinks wanting wasting shipper skipper
    """
)


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment) with an early exit above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[len(b)]


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@lru_cache(maxsize=4096)
def _correct(token: str) -> str:
    """Map a misspelt token to the nearest lexicon keyword, or return it unchanged.

    Only alphabetic tokens of 4+ letters that are neither keywords nor common words are
    considered; the candidate must start with the same letter. Allowed distance: 1 for
    4-9 letters (for 4 letters only a dropped letter or a swap), 2 for 10+ letters. Ties go
    to a candidate the token is a subsequence of (a dropped letter is the commonest typo); a
    tie that remains leaves the token unchanged.
    """
    if len(token) < 4 or not token.isalpha() or token in _KEYWORDS or token in _COMMON_WORDS:
        return token
    limit = 1 if len(token) <= 9 else 2
    best: list[tuple[int, bool, str]] = []
    for word in _KEYWORDS:
        if word[0] != token[0] or not word.isalpha():
            continue
        dist = _osa_distance(token, word, limit)
        if dist > limit:
            continue
        if len(token) == 4 and not (_is_subsequence(token, word) or sorted(token) == sorted(word)):
            continue
        best.append((dist, not _is_subsequence(token, word), word))
    if not best:
        return token
    best.sort()
    tied = {
        _ALIASES.get(word, word).split()[0]
        for dist, sub, word in best
        if (dist, sub) == best[0][:2]
    }
    if len(tied) > 1:
        return token
    return best[0][2]


def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces, with aliases and typos resolved."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = re.sub(r"['\u2019\u2018`\u00b4]", "", folded)
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    out: list[str] = []
    for word in words:
        word = _ALIASES.get(word, word)
        if " " not in word:
            word = _correct(word)
            word = _ALIASES.get(word, word)
        out.append(word)
    return " ".join(out)


# --------------------------------------------------------------------------------------------
# Entity extraction
# --------------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])([a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?![\w-])",
    re.IGNORECASE,
)

# UK: outward code (A9, A99, A9A, AA9, AA99, AA9A) + inward code (9AA), also "GIR 0AA".
_UK_POSTCODE_RE = re.compile(
    r"\b((?:[A-Z]{1,2}\d[A-Z\d]?|GIR)) ?(\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_POSTCODE_WORD = r"(?:zip|zipcode|zip code|post ?code|postal code|postleitzahl|plz|cp|pin ?code)"
_NUMERIC_POSTCODE = r"\d{4,5}(?:-\d{4})?(?: ?(?-i:[A-Z]{2})\b)?"  # 12345, 12345-6789, 1234 AB
_NUMERIC_POSTCODE_RE = re.compile(
    rf"\b{_POSTCODE_WORD}\b(?:\s+(?:is|was|=))?[\s:#.-]*({_NUMERIC_POSTCODE})", re.IGNORECASE
)
_US_STATE_ZIP_RE = re.compile(r"\b[A-Z]{2},? (\d{5}(?:-\d{4})?)\b")  # "Austin, TX 78701"
_ZIP_PLUS_FOUR_RE = re.compile(r"(?<![\d-])(\d{5}-\d{4})(?![\d-])")


def extract_email(text: str) -> str | None:
    """The first e-mail address in ``text``, lower-cased, or ``None``."""
    match = _EMAIL_RE.search(text)
    return match.group(1).lower() if match else None


def extract_postcode(text: str) -> str | None:
    """The first postcode in ``text``, normalised, or ``None``.

    UK postcodes are recognised anywhere and returned upper-case with one space ("SW1A 1AA").
    Numeric codes (US ZIP / ZIP+4, 4-5 digit European codes, Dutch "1234 AB") are ambiguous
    with order numbers, so they are only taken after a word such as "zip" or "postcode", after
    a US state code ("TX 78701"), or in the unambiguous ZIP+4 form ("12345-6789").
    """
    match = _NUMERIC_POSTCODE_RE.search(text)
    if match:
        return match.group(1).upper()
    match = _UK_POSTCODE_RE.search(text)
    if match:
        return f"{match.group(1)} {match.group(2)}".upper()
    match = _US_STATE_ZIP_RE.search(text) or _ZIP_PLUS_FOUR_RE.search(text)
    if match:
        return match.group(1)
    return None


# Spans that may contain digits but are never order numbers; they are blanked out first.
_NOT_ORDER_SPANS: tuple[re.Pattern[str], ...] = (
    _EMAIL_RE,
    re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE),
    # tracking numbers: UPS 1Z..., UPU S10 (RR123456789GB), 20+ digit runs, explicit labels
    re.compile(r"\b1Z[0-9A-Z]{16}\b", re.IGNORECASE),
    re.compile(r"\b[A-Z]{2}\d{9}[A-Z]{2}\b", re.IGNORECASE),
    re.compile(r"\d(?:[\s-]?\d){19,}"),
    re.compile(
        r"\b(?:tracking|tracker|trk|awb|waybill|consignment)(?:\s*(?:number|no|num|code|id|#))?"
        r"\.?(?:\s+(?:is|was))?[\s:#-]*(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{3,}",
        re.IGNORECASE,
    ),
    # postcodes and addresses
    re.compile(
        rf"\b{_POSTCODE_WORD}\b(?:\s+(?:is|was))?[\s:#.-]*(?:{_NUMERIC_POSTCODE}"
        r"|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{3,6})",
        re.IGNORECASE,
    ),
    _UK_POSTCODE_RE,
    re.compile(
        r"(?<![#\w])\d{1,6}\s+(?-i:[A-Z][a-z]+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln"
        r"|drive|dr|way|boulevard|blvd|close|court|ct|place|pl|terrace|crescent)\b",
        re.IGNORECASE,
    ),
    # phone numbers
    re.compile(
        r"(?:phone|tel|telephone|mobile|cell|call me|text me|whatsapp|reach me)"
        r"(?:\s+(?:number|no|on|at|is))*[\s:.]*\+?\(?\d[\d\s().-]{5,}\d",
        re.IGNORECASE,
    ),
    re.compile(r"\+\d{1,3}[\s.-]?\(?\d[\d\s().-]{6,}\d"),
    re.compile(r"\(\d{3}\)\s?\d{3}[\s.-]?\d{4}"),
    re.compile(r"\b\d{3}[.-]\d{3}[.-]\d{4}\b"),
    re.compile(r"\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b"),  # UK style 07700 900123
    # dates and times (years standing in a date)
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
    re.compile(
        r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep"
        r"|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+"
        r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:in|since|year|from|until|till|of)\s+(?:19|20)\d{2}\b", re.IGNORECASE),
    re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:am|pm)?\b|\b\d{1,2}\s*(?:am|pm)\b", re.IGNORECASE),
    # money and quantities
    re.compile(
        r"[$£€¥]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:%|(?:usd|eur|gbp|dollars?|euros?|pounds?|bucks"
        r"|cents?|percent)\b)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b\d+\s*(?:x|items?|pcs|pieces?|units?|boxes|bags?|pairs?|packs?|bottles?"
        r"|days?|weeks?|hours?|hrs?|minutes?|mins?|months?|years?|times|kg|g|lbs?|oz|ml"
        r"|l|cm|mm|m|km|miles?|inch(?:es)?|sizes?)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:size|qty|quantity|x)\s*\d+\b", re.IGNORECASE),
)

_ORDER_WORD_RE = re.compile(
    r"\border(?:\s*(?:number|no|num|nr|id|ref|reference))?\.?(?:\s+(?:is|was))?"
    r"\s*[:#-]?\s*#?\s*((?=[A-Z-]*\d)[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?)(?![\w-])",
    re.IGNORECASE,
)
_HASH_RE = re.compile(r"(?<![\w#&])#\s?([A-Z]{0,8}-?\d[\dA-Z-]*)\b", re.IGNORECASE)
_BARE_NUMBER_RE = re.compile(r"(?<![\w#.,/:-])(\d{3,10})(?![\w.,/:-]?\d)(?![A-Za-z])")


def _plausible_order_number(value: str) -> bool:
    """At least one digit, 3-19 characters, no letters only, not a long digit run."""
    digits = sum(ch.isdigit() for ch in value)
    if digits == 0 or not 3 <= len(value) <= 19:
        return False
    return not (value.isdigit() and len(value) > 15)


def extract_order_number(text: str) -> str | None:
    """The order number a customer mentions, as the merchant stores it (no '#'), or ``None``.

    Tried in order: after the word "order" ("order 1001", "order no. 1001", "order #AB-1001"),
    a '#'-prefixed name ("#1001", "#SHOP1001"), then a standalone 3-10 digit number. Tracking
    numbers, postcodes, phone numbers, dates, times, prices and quantities are blanked out
    first, so they are never returned. Letters are upper-cased ("#shop1001" -> "SHOP1001").
    """
    cleaned = text
    for pattern in _NOT_ORDER_SPANS:
        cleaned = pattern.sub(lambda m: " " * len(m.group(0)), cleaned)
    for match in _ORDER_WORD_RE.finditer(cleaned):
        value = match.group(1).strip("-").upper()
        if _plausible_order_number(value):
            return value
    for match in _HASH_RE.finditer(cleaned):
        value = match.group(1).strip("-").upper()
        if _plausible_order_number(value):
            return value
    for match in _BARE_NUMBER_RE.finditer(cleaned):
        return match.group(1)
    return None
