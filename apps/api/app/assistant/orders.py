"""Order numbers, email addresses and postcodes in customer messages, in the seven
languages of the assistant (DESIGN 11).

Order numbers are recognised in their common forms: after an order word in any of the
languages ("order 1001", "pedido 1001", "commande n° 1001", "Bestellung 1001", "ordine
1001", "encomenda 1001", "bestelling 1001"), '#'-prefixed ("#1001", "#SHOP1001"), or
standing alone as digits or a short letter prefix and digits ("1001", "has A1003 shipped
yet?"). Tracking numbers, postcodes, phone numbers, dates, times, prices and quantities are
blanked out first, so they are never taken for an order number.
"""

from __future__ import annotations

import re

__all__ = [
    "extract_email",
    "extract_order_number",
    "extract_postcode",
    "mask_email",
    "mask_emails",
    "strip_entities",
]


_EMAIL_RE = re.compile(
    r"(?<![\w.+-])([a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?![\w-])",
    re.IGNORECASE,
)

# UK: outward code (A9, A99, A9A, AA9, AA99, AA9A) + inward code (9AA), also "GIR 0AA".
_UK_POSTCODE_RE = re.compile(
    r"\b((?:[A-Z]{1,2}\d[A-Z\d]?|GIR)) ?(\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
# "my order is 1001", "mi pedido es 1001", "ma commande est 1001", "meine Bestellung ist 1001".
_COPULA = r"(?:is|was|es|est|ist|era|fue|war|è|é)"
_POSTCODE_WORD = (
    r"(?:zip|zipcode|zip code|post ?code|postal code|postleitzahl|plz|cp|pin ?code"
    r"|c[oó]digo postal|code postal|cap|cep)"
)
_NUMERIC_POSTCODE = r"\d{4,5}(?:-\d{4})?(?: ?(?-i:[A-Z]{2})\b)?"  # 12345, 12345-6789, 1234 AB
_NUMERIC_POSTCODE_RE = re.compile(
    rf"\b{_POSTCODE_WORD}\b(?:\s+(?:{_COPULA}|=))?[\s:#.-]*({_NUMERIC_POSTCODE})", re.IGNORECASE
)
_US_STATE_ZIP_RE = re.compile(r"\b[A-Z]{2},? (\d{5}(?:-\d{4})?)\b")  # "Austin, TX 78701"
_ZIP_PLUS_FOUR_RE = re.compile(r"(?<![\d-])(\d{5}-\d{4})(?![\d-])")


def extract_email(text: str) -> str | None:
    """The first e-mail address in ``text``, lower-cased, or ``None``."""
    match = _EMAIL_RE.search(text)
    return match.group(1).lower() if match else None


def mask_email(address: str) -> str:
    """`bea@mail.example.com` -> `b***@mail.example.com`: enough to tell customers apart,
    not enough to write to them."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_emails(text: str) -> str:
    """`text` with every e-mail address that `extract_email` would find masked."""
    return _EMAIL_RE.sub(lambda m: mask_email(m.group(1)), text)


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
        r"\b(?:tracking|tracker|trk|awb|waybill|consignment|seguimiento|suivi|sendungsnummer"
        r"|tracciamento|rastreio|rastreamento|volgnummer)(?:\s*(?:number|no|num|code|id|#))?"
        rf"\.?(?:\s+{_COPULA})?[\s:#-]*(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{{3,}}",
        re.IGNORECASE,
    ),
    # postcodes and addresses
    re.compile(
        rf"\b{_POSTCODE_WORD}\b(?:\s+{_COPULA})?[\s:#.-]*(?:{_NUMERIC_POSTCODE}"
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

# "order" in the seven languages (and the one-word "order number" forms).
_ORDER_WORDS = (
    r"(?:order|pedido|orden|commande|bestellung|bestellnummer|auftrag|auftragsnummer|ordine"
    r"|encomenda|bestelling|bestelnummer|ordernummer)"
)
# "number" after it: "order no. 1001", "commande n° 1001", "Bestellung Nr. 1001".
_NUMBER_WORDS = (
    r"(?:number|no|num|nr|nro|id|ref|reference|numero|número|numéro|nummer|núm"
    r"|n\.?\s?[°º]|n\.)"
)
_ORDER_WORD_RE = re.compile(
    rf"\b{_ORDER_WORDS}(?:\s*{_NUMBER_WORDS})?\.?(?:\s+{_COPULA})?"
    r"\s*[:#-]?\s*#?\s*((?=[A-Z-]*\d)[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?)(?![\w-])",
    re.IGNORECASE,
)
_HASH_RE = re.compile(r"(?<![\w#&])#\s?([A-Z]{0,8}-?\d[\dA-Z-]*)\b", re.IGNORECASE)
# A standalone number, or a short letter prefix and digits ("1001", "A1003", "SO-2044").
_BARE_NUMBER_RE = re.compile(
    r"(?<![\w#.,/:-])((?:[A-Z]{1,4}-?)?\d{3,10})(?![\w.,/:-]?\d)(?![A-Za-z])", re.IGNORECASE
)


def _plausible_order_number(value: str) -> bool:
    """At least one digit, 3-19 characters, no letters only, not a long digit run."""
    digits = sum(ch.isdigit() for ch in value)
    if digits == 0 or not 3 <= len(value) <= 19:
        return False
    return not (value.isdigit() and len(value) > 15)


def extract_order_number(text: str) -> str | None:
    """The order number a customer mentions, as the merchant stores it (no '#'), or ``None``.

    Tried in order: after an order word ("order 1001", "order no. 1001", "pedido 1001",
    "commande n° 1001", "order #AB-1001"), a '#'-prefixed name ("#1001", "#SHOP1001"), then
    a standalone 3-10 digit number, possibly after a short letter prefix ("A1003"). Tracking
    numbers, postcodes, phone numbers, dates, times, prices and quantities are blanked out
    first, so they are never returned. Letters are upper-cased ("#shop1001" -> "SHOP1001").
    """
    cleaned = _blank_non_order_spans(text)
    for match in _ORDER_WORD_RE.finditer(cleaned):
        value = match.group(1).strip("-").upper()
        if _plausible_order_number(value):
            return value
    for match in _HASH_RE.finditer(cleaned):
        value = match.group(1).strip("-").upper()
        if _plausible_order_number(value):
            return value
    for match in _BARE_NUMBER_RE.finditer(cleaned):
        return match.group(1).upper()
    return None


def _blank_non_order_spans(text: str) -> str:
    for pattern in _NOT_ORDER_SPANS:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


_WITH_DIGIT = re.compile(r"\S*\d\S*")


def strip_entities(text: str) -> str:
    """The words of a message without its numbers, codes, emails, links, postcodes and
    the like: what is left to tell its language by."""
    return _WITH_DIGIT.sub(" ", _blank_non_order_spans(text))
