"""Entity extraction and text normalisation for customer messages; inquiry types come from
the learned model in ``app.assistant.intent`` (re-exported here so callers keep working).

``normalise`` folds a message to lower-case ASCII words, expands contractions and chat
shorthand ("wheres" -> "where is", "pls" -> "please") and corrects misspelt words that are
within a small Damerau-Levenshtein distance of a known keyword ("ordr" -> "order"). The chat
uses it to match short replies ("yes", "talk to a human"). Words in ``_COMMON_WORDS`` are
never "corrected".

Extraction (``extract_order_number``, ``extract_email``, ``extract_postcode``) lives in
``app.assistant.orders`` and is re-exported here.

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

# Entity extraction moved to the assistant package; re-exported for existing callers.
from app.assistant.orders import extract_email, extract_order_number, extract_postcode
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
