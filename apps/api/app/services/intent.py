"""Inquiry-intent classification and entity extraction for customer messages.

Pure standard library, deterministic and explainable: every decision can be traced back to
the cues listed in ``LEXICON`` below.

Classification (``classify_inquiry`` / ``classify_with_scores``)
    1. ``normalise`` folds the text to lower-case ASCII words (accents, emoji and punctuation
       removed, apostrophes dropped: "where's" -> "wheres"), expands contractions and chat
       shorthand ("wheres" -> "where is", "pls" -> "please"), and corrects misspelt words that
       are within a small Damerau-Levenshtein distance of a lexicon keyword ("ordr" -> "order",
       "tracknig" -> "tracking"). Words in ``_COMMON_WORDS`` are never "corrected".
    2. Every ``Cue`` (a regular expression over the normalised text, a class and a weight) that
       matches adds its weight to that class's score once.
    3. Precedence rules settle the known conflicts: "says delivered but I never got it" is a
       delivery problem even when the message mentions tracking (``DELIVERED_NOT_RECEIVED``
       adds a large bonus to ``delivery``).
    4. ``other`` starts with a prior of ``OTHER_PRIOR``; the class with the highest score wins
       and ties are broken by ``TIE_ORDER`` (most specific first).

Canonical meanings (DESIGN.md section 4)
    status    where is it, has it shipped, order status
    tracking  tracking number or link, scans not updating
    delivery  when will it arrive, delivered but not received, address or delivery-time changes
    refund    refund, return, exchange, cancel (and refund)
    other     anything else: greetings, thanks, product questions, discount codes, ...

Extraction (``extract_order_number``, ``extract_email``, ``extract_postcode``) lives in
``app.assistant.orders`` and is re-exported here.

Command line: ``python -m app.services.intent --eval PATH.csv`` prints per-class precision,
recall, F1 and support plus macro-F1 for a labelled CSV; ``--text "..."`` explains one message.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

# Entity extraction moved to the assistant package; re-exported for existing callers.
from app.assistant.orders import extract_email, extract_order_number, extract_postcode

__all__ = [
    "INQUIRY_TYPES",
    "LEXICON",
    "Cue",
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

InquiryType = Literal["status", "tracking", "delivery", "refund", "other"]
INQUIRY_TYPES: tuple[InquiryType, ...] = get_args(InquiryType)

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


# Keywords of the lexicon that misspellings are pulled towards (see ``_correct``).
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
# Lexicon
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One piece of evidence: ``pattern`` (over normalised text) adds ``weight`` to ``label``."""

    label: InquiryType
    weight: float
    pattern: re.Pattern[str]
    note: str


def _cue(label: InquiryType, weight: float, regex: str, note: str = "") -> Cue:
    return Cue(label, weight, re.compile(rf"\b(?:{regex})\b"), note or regex)


# Reusable fragments (normalised text: lower-case words, single spaces).
_THING = (
    r"(?:order|orders|package|packages|parcel|parcels|stuff|items?|purchase|shipment|box|things)"
)
_OWNER = r"(?:my|the|our|this|that)"
_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today"
    r"|the weekend|this weekend|christmas|xmas|next week|this week|end of the week"
    r"|the \d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th))"
)
_DELIVERED = (
    r"(?:delivered|handed to (?:a )?(?:resident|neighbou?r|reception)|left (?:at|outside|with|by)"
    r"|dropped off|proof of delivery)"
)
_NOT_RECEIVED = (
    r"(?:not (?:here|there|received|receive|arrived|get|got|find|found|at|in|have|with|mine)"
    r"|never (?:got|get|received|came|arrived|saw|showed)|did not (?:get|receive|come|arrive|see"
    r"|find|show)|nothing|no (?:package|parcel|box|order|sign|trace)|can not (?:find|see)"
    r"|empty|missing|was not|is not here|do not have|does not have|no it|wrong (?:house|door"
    r"|address|person|flat|apartment))"
)

#: Delivered-but-not-received: beats every other cue (precedence rule 1).
DELIVERED_NOT_RECEIVED: re.Pattern[str] = re.compile(
    rf"\b(?:{_DELIVERED}(?: \w+){{0,8}} {_NOT_RECEIVED}|{_NOT_RECEIVED}(?: \w+){{0,8}} "
    rf"(?:says|said|shows|showing|marked|as|it|was|is|been) {_DELIVERED})\b"
)
DELIVERED_NOT_RECEIVED_BONUS = 6.0

#: Score ``other`` starts with: an intent class must beat it to win.
OTHER_PRIOR = 1.0

#: Tie-break order, most specific first.
TIE_ORDER: tuple[InquiryType, ...] = ("refund", "delivery", "tracking", "status", "other")

LEXICON: tuple[Cue, ...] = (
    # ---- status: where is it / has it shipped / order status --------------------------------
    _cue(
        "status", 3.0, rf"where (?:is |are )?(?:{_OWNER} )?(?:\w+ )?{_THING}", "where is my order"
    ),
    _cue("status", 2.0, r"where (?:is|are) (?:it|they|them)|where is it at", "where is it"),
    _cue(
        "status",
        3.0,
        rf"(?:order|package|parcel|shipment|purchase) status(?! page)|status (?:of|on|for)"
        rf"(?: {_OWNER})?(?: \w+)? {_THING}",
        "order status",
    ),
    _cue("status", 2.0, r"status(?! page)", "status"),
    _cue(
        "status",
        2.5,
        rf"(?:update|updates|news|word|progress|info|movement) (?:on|about|for|with|regarding)"
        rf"(?: {_OWNER})?(?: \w+)? (?:{_THING}|\w*\d\w*)|{_THING} update",
        "update on my order",
    ),
    _cue(
        "status",
        2.5,
        rf"(?:check(?:ing)?|look(?:ing)? (?:up|into)|lookup|chas(?:e|ing))(?: up| on| in on)?"
        rf"(?: {_OWNER})?(?: \w+)? (?:order|purchase)",
        "check my order",
    ),
    _cue(
        "status",
        2.0,
        r"(?:has|have|been|was|were|did|is|are|get|got) (?:\w+ ){0,4}(?:shipped"
        r"|dispatched|sent|posted|mailed|fulfilled|processed|packed|left|ship|dispatch|send"
        r"|go out|gone out|went out|leave)",
        "has it shipped",
    ),
    _cue(
        "status",
        2.0,
        r"when (?:will|are|is|do|does|would|can) (?:\w+ ){0,4}(?:ship|shipped"
        r"|dispatch|dispatched|send|sent|post|posted)",
        "when will you ship",
    ),
    _cue(
        "status", 1.0, r"shipped|dispatched|fulfilled|processing|processed|unfulfilled", "shipped"
    ),
    _cue(
        "status",
        2.0,
        rf"{_THING}(?: \w+)? (?:has |have )?(?:left|shipped|gone out|been sent"
        r"|been shipped|been dispatched|been posted)|being (?:processed|packed|prepared|shipped)",
        "my parcel left",
    ),
    _cue(
        "status",
        2.0,
        r"^(?:my |the |an |any )?(?:order|package|parcel)(?: \w*\d\w*)?$",
        "just 'order' (+ number)",
    ),
    _cue("status", 2.0, r"nowhere|no sign|no idea where", "nowhere to be seen"),
    _cue(
        "status",
        2.0,
        rf"{_THING}(?: is| has been| was)? (?:stuck|delayed|late|lost|held up)",
        "my order is late / stuck",
    ),
    _cue(
        "status",
        2.0,
        rf"still (?:no|not|nothing|waiting)|waiting (?:\w+ ){{0,3}}(?:for|on)"
        rf"(?: {_OWNER})? {_THING}|waited|waiting ages",
        "still waiting",
    ),
    _cue(
        "status",
        1.5,
        r"(?:has|have|had) not (?:arrived|received|got|come|turned up|shown up)"
        rf"|not (?:received|got|have|had) (?:{_OWNER} )?(?:\w+ )?{_THING}",
        "not arrived yet",
    ),
    _cue(
        "status",
        1.5,
        r"what is (?:going on|happening)|what happened|taking (?:so )?"
        r"(?:long|forever|ages)|on (?:its|the|their) way",
        "what is going on",
    ),
    _cue("status", 0.5, rf"(?:my|our|the) (?:\w+ )?{_THING}", "mentions an order"),
    # ---- tracking: tracking number / link / scans -----------------------------------------
    _cue("tracking", 3.0, r"tracking|tracked|tracker|trace", "tracking"),
    _cue(
        "tracking",
        3.0,
        rf"track(?:$| (?:it|them|this|that|online|where)| (?:{_OWNER} |your )?(?:\w+ )?{_THING}"
        r"| (?:order|delivery|shipment))",
        "track my parcel ('track my fitness' is not tracking)",
    ),
    _cue("tracking", 4.0, r"see where|(?:status|tracking) page", "see where it is / status page"),
    _cue(
        "tracking",
        1.0,
        r"ups|usps|fedex|dhl|royal mail|evri|hermes|dpd|parcelforce|canada post|australia post"
        r"|gls|yodel|ontrac|purolator|(?:website|site|app) (?:says|shows|gives|returns)"
        r"|(?:returns|gives|shows) (?:an |a )?(?:error|404)",
        "carrier named / carrier site error",
    ),
    _cue(
        "tracking",
        2.5,
        r"label (?:created|printed|generated)|pre transit|information received"
        r"|scans?|scanned",
        "label created / no scans",
    ),
    _cue(
        "tracking",
        1.0,
        r"(?:not|no|never) (?:\w+ )?(?:updat\w*|moved|moving|movement|changed)"
        r"|stuck|frozen",
        "not updating",
    ),
    _cue("tracking", 1.0, r"link|carrier (?:site|website|page)|invalid", "link"),
    _cue(
        "tracking",
        2.5,
        rf"follow(?: {_OWNER})? (?:shipment|parcel|package|order|delivery)",
        "follow the shipment",
    ),
    _cue("tracking", 1.5, r"1z[0-9a-z]{16}|\d{20,}|[a-z]{2}\d{9}[a-z]{2}", "tracking-number-like"),
    # ---- delivery: when will it arrive / delivery problems / address and time ----------------
    _cue(
        "delivery",
        3.0,
        r"when (?:will|does|is|can|should|would|do|are|might) (?:\w+ ){0,4}"
        r"(?:arrive|arriving|get here|be here|come|coming|be delivered|delivered|delivery"
        r"|expect|reach|land|turn up|show up|get it|receive)",
        "when will it arrive",
    ),
    _cue(
        "delivery",
        3.0,
        r"(?:will|would|is|can|could) (?:it|they|my \w+|the \w+|this)"
        r"(?: \w+)? (?:arrive|arriving|come|coming|be here|get here|be delivered|make it"
        r"|reach)",
        "will it arrive",
    ),
    _cue(
        "delivery",
        3.0,
        r"eta|estimated (?:delivery|arrival)|expected (?:delivery|arrival)"
        r"|delivery (?:date|time|day|estimate|window|slot)|arrival (?:date|time)",
        "ETA",
    ),
    _cue("delivery", 1.5, r"arrive|arrives|arrived|arriving|arrival", "arrive"),
    _cue("delivery", 1.5, r"deliver|delivers|delivered|delivery|deliveries|delivering", "delivery"),
    _cue("delivery", 2.5, r"how (?:long|soon|many days)|how much longer", "how long"),
    _cue("delivery", 3.0, r"address|postcode|zip code|apartment number|flat number", "address"),
    _cue("delivery", 2.0, rf"(?:by|before|for|until|on) {_DAY}|in time", "by Friday"),
    _cue(
        "delivery",
        2.0,
        r"reschedul\w*|redeliver\w*|pick ?up (?:point|location)|pickup"
        r"|collection point|locker|safe place|neighbou?rs?|wrong (?:house|door)|not be home"
        r"|not be in|be away|missed (?:the )?delivery|courier|driver|postman|mailman"
        r"|doorstep|porch|concierge|reception",
        "courier / pickup / reschedule",
    ),
    _cue("delivery", 1.0, r"expect|expected", "expect"),
    _cue("delivery", 2.0, r"^(?:and |so |but )?when(?: then)?$", "just 'when?'"),
    # ---- refund: refund / return / exchange / cancel ---------------------------------------
    _cue(
        "refund", 3.5, r"refund\w*|money back|reimburs\w*|charge ?back|reverse the charge", "refund"
    ),
    _cue(
        "refund",
        3.0,
        r"(?:return|returns|returned|returning)(?! (?:an |a )?(?:error|404|nothing|no results))"
        r"|exchange\w*|swap|swapped|replace (?:it|them|this)|replacement|send (?:it|them|this)"
        r" back|sent (?:it|them|this) back|store credit",
        "return / exchange",
    ),
    _cue("refund", 3.0, r"cancel|cancelled|canceled|cancelling|canceling|cancellation", "cancel"),
    _cue(
        "refund",
        2.5,
        r"overcharg\w*|charged (?:me )?twice|double charged|charged (?:me )?"
        r"(?:again|too much)",
        "charged twice",
    ),
    _cue("refund", 3.0, rf"stop {_OWNER} (?:\w+ )?order", "stop my order"),
    _cue(
        "refund",
        1.5,
        r"do not want (?:it|them|this|the \w+)|no longer (?:want|need)"
        r"|changed my mind",
        "do not want it",
    ),
    _cue(
        "refund",
        1.5,
        r"damaged|broken|defective|faulty|wrong (?:item|size|colou?r|product)"
        r"|does not fit|do not fit|too (?:small|big)",
        "faulty / wrong item",
    ),
    # ---- other: greetings, thanks, shop and product questions -------------------------------
    _cue(
        "other",
        0.5,
        r"hi|hello|hey|hiya|thanks|thank you|cheers|ok|okay|bye|good (?:morning"
        r"|afternoon|evening)",
        "greeting / thanks",
    ),
    _cue(
        "other",
        2.0,
        r"discount|promo|promotion|coupon|voucher|gift ?cards?|in stock|stock"
        r"|size guide|sizes?|sizing|colou?rs?|password|log ?in|sign ?in|account|warranty"
        r"|guarantee|newsletter|subscribe|unsubscribe|payment|pay with|apple pay|paypal"
        r"|invoice|sale|price|prices|how much(?! longer)|bulk|wholesale|bot|human|manager"
        r"|real person|speak to|talk to|review|material|made of|made from|waterproof"
        r"|compatible|recommend",
        "shop / product question",
    ),
    _cue(
        "other",
        1.5,
        r"(?:your|you) (?:email|phone|number|address|hours|located|store|shop)"
        r"|opening hours|where are you",
        "contact details",
    ),
)


# --------------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------------


def _score(normalised: str) -> dict[InquiryType, float]:
    scores: dict[InquiryType, float] = {label: 0.0 for label in INQUIRY_TYPES}
    scores["other"] = OTHER_PRIOR
    for cue in LEXICON:
        if cue.pattern.search(normalised):
            scores[cue.label] += cue.weight
    if DELIVERED_NOT_RECEIVED.search(normalised):
        scores["delivery"] += DELIVERED_NOT_RECEIVED_BONUS
    return scores


def classify_with_scores(text: str) -> tuple[InquiryType, dict[str, float]]:
    """Classify ``text`` and return the label with every class's score.

    ``other`` starts at ``OTHER_PRIOR``; the highest score wins, ties by ``TIE_ORDER``.
    """
    scores = _score(normalise(text))
    label = max(TIE_ORDER, key=lambda name: (scores[name], -TIE_ORDER.index(name)))
    return label, {name: round(scores[name], 3) for name in INQUIRY_TYPES}


def classify_inquiry(text: str) -> InquiryType:
    """The inquiry type (DESIGN.md section 4) of one customer message."""
    return classify_with_scores(text)[0]


def explain(text: str) -> list[str]:
    """Human-readable list of the cues that fired for ``text`` (for debugging and the CLI)."""
    normalised = normalise(text)
    lines = [f"normalised: {normalised!r}"]
    lines += [
        f"  +{cue.weight:g} {cue.label:<8} {cue.note}"
        for cue in LEXICON
        if cue.pattern.search(normalised)
    ]
    if DELIVERED_NOT_RECEIVED.search(normalised):
        lines.append(f"  +{DELIVERED_NOT_RECEIVED_BONUS:g} delivery delivered-but-not-received")
    return lines


# --------------------------------------------------------------------------------------------
# Evaluation (used by the command line; the tests compute their own metrics)
# --------------------------------------------------------------------------------------------

_TEXT_COLUMNS = ("text", "message", "utterance")
_LABEL_COLUMNS = ("label", "intent", "inquiry_type")


def load_labelled_csv(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows of a CSV whose columns are text/message/utterance and
    label/intent/inquiry_type (case-insensitive)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = {name.strip().lower(): name for name in reader.fieldnames or []}
        text_col = next((fields[c] for c in _TEXT_COLUMNS if c in fields), None)
        label_col = next((fields[c] for c in _LABEL_COLUMNS if c in fields), None)
        if text_col is None or label_col is None:
            raise ValueError(f"{path}: need a text and a label column, found {list(fields)}")
        return [
            (row[text_col], row[label_col].strip().lower())
            for row in reader
            if row.get(text_col) and row.get(label_col)
        ]


@dataclass(frozen=True)
class ClassReport:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


def evaluate(
    rows: Iterable[tuple[str, str]],
) -> tuple[list[ClassReport], float, float, list[tuple[str, str, str]]]:
    """Per-class report, macro-F1, accuracy and the misclassified (text, gold, predicted)."""
    pairs: list[tuple[str, str, str]] = [(t, g, classify_inquiry(t)) for t, g in rows]
    reports: list[ClassReport] = []
    for label in INQUIRY_TYPES:
        tp = sum(1 for _, g, p in pairs if g == label and p == label)
        fp = sum(1 for _, g, p in pairs if g != label and p == label)
        fn = sum(1 for _, g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        reports.append(ClassReport(label, precision, recall, f1, tp + fn))
    macro_f1 = sum(r.f1 for r in reports) / len(reports)
    accuracy = sum(1 for _, g, p in pairs if g == p) / len(pairs) if pairs else 0.0
    errors = [(t, g, p) for t, g, p in pairs if g != p]
    return reports, macro_f1, accuracy, errors


def _format_report(reports: Sequence[ClassReport], macro_f1: float, accuracy: float) -> str:
    lines = [
        f"| {'class':<9} | precision | recall |   F1  | support |",
        f"|{'-' * 11}|-----------|--------|-------|---------|",
    ]
    lines += [
        f"| {r.label:<9} |   {r.precision:.3f}   | {r.recall:.3f}  | {r.f1:.3f} | {r.support:>7} |"
        for r in reports
    ]
    total = sum(r.support for r in reports)
    lines.append(f"| {'macro-F1':<9} |           |        | {macro_f1:.3f} | {total:>7} |")
    lines.append(f"\naccuracy {accuracy:.3f} on {total} messages")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.services.intent", description="WISMO inquiry-intent classifier."
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--eval", type=Path, metavar="PATH.csv", help="labelled CSV to score")
    group.add_argument("--text", help="classify one message and show the cues that fired")
    parser.add_argument("--errors", action="store_true", help="list misclassified messages")
    args = parser.parse_args(argv)
    if args.text is not None:
        label, scores = classify_with_scores(args.text)
        print(f"{label}  {scores}")
        print("\n".join(explain(args.text)))
        print(f"order number: {extract_order_number(args.text)}")
        return 0
    reports, macro_f1, accuracy, errors = evaluate(load_labelled_csv(args.eval))
    print(f"Evaluation of {args.eval}\n")
    print(_format_report(reports, macro_f1, accuracy))
    if args.errors:
        print("\nmisclassified (gold -> predicted):")
        for text, gold, predicted in errors:
            print(f"  {gold:>8} -> {predicted:<8} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
