"""Every order state in every language, checked against the order's facts.

Store time zone America/New_York; "today" (store-local) is Saturday 17 October 2026. The
date strings below are written by hand for each language.
"""

import re
import string
from datetime import UTC, date, datetime

import pytest

from app.assistant.language import LANGUAGES
from app.assistant.replies import ORDER_STATE_WORDING, OrderView, ParcelView, order_reply, say
from app.assistant.texts import TEXTS
from app.core.vocab import ORDER_STATUSES

TZ = "America/New_York"
TODAY = date(2026, 10, 17)
THU_15 = {
    "en": "Thursday 15 October",
    "es": "jueves 15 de octubre",
    "fr": "jeudi 15 octobre",
    "de": "Donnerstag, 15. Oktober",
    "it": "giovedì 15 ottobre",
    "pt": "quinta-feira, 15 de outubro",
    "nl": "donderdag 15 oktober",
}
TUE_20 = {
    "en": "Tuesday 20 October",
    "es": "martes 20 de octubre",
    "fr": "mardi 20 octobre",
    "de": "Dienstag, 20. Oktober",
    "it": "martedì 20 ottobre",
    "pt": "terça-feira, 20 de outubro",
    "nl": "dinsdag 20 oktober",
}
# 2026-10-15T20:00Z = 4 PM EDT
MOMENT = datetime(2026, 10, 15, 20, 0, tzinfo=UTC)
AT_4PM = {
    "en": "Thu 15 Oct, 4:00 PM EDT",
    "es": "jue 15 de oct, 16:00 EDT",
    "fr": "jeu. 15 oct., 16:00 EDT",
    "de": "Do., 15. Okt., 16:00 EDT",
    "it": "gio 15 ott, 16:00 EDT",
    "pt": "qui., 15 de out., 16:00 EDT",
    "nl": "do 15 okt, 16:00 EDT",
}
# Two days past the estimate of the 15th.
LATE = {
    "en": "running 2 days late",
    "es": "lleva 2 días de retraso",
    "fr": "a 2 jours de retard",
    "de": "ist 2 Tage verspätet",
    "it": "in ritardo di 2 giorni",
    "pt": "com 2 dias de atraso",
    "nl": "is 2 dagen te laat",
}
ON_SCHEDULE = {
    "en": "on schedule",
    "es": "según la estimación original",
    "fr": "conforme à l'estimation initiale",
    "de": "wie ursprünglich angekündigt",
    "it": "in linea con la stima iniziale",
    "pt": "dentro da previsão inicial",
    "nl": "volgens de oorspronkelijke planning",
}
TN = "1Z999AA10123456784"


def parcel(status: str, **kw: object) -> ParcelView:
    values: dict[str, object] = {
        "carrier": "UPS",
        "tracking_number": TN,
        "status": status,
        "url": f"https://www.ups.com/track?tracknum={TN}",
    }
    values.update(kw)
    return ParcelView(**values)  # type: ignore[arg-type]


def view(status: str, parcels: list[ParcelView], **kw: object) -> OrderView:
    values: dict[str, object] = {
        "number": "A1003",
        "status": status,
        "timezone": TZ,
        "today": TODAY,
        "placed_on": date(2026, 10, 15),
        "parcels": parcels,
    }
    values.update(kw)
    return OrderView(**values)  # type: ignore[arg-type]


# state -> (the order, what the reply must say (per language), late?, on schedule?)
CASES = {
    "unfulfilled": (view("unfulfilled", [], promised=date(2026, 10, 20)), [THU_15, TUE_20]),
    "partially_fulfilled": (
        view(
            "partially_fulfilled",
            [
                parcel(
                    "in_transit",
                    estimate=date(2026, 10, 20),
                    original_estimate=date(2026, 10, 20),
                )
            ],
        ),
        [TUE_20, ON_SCHEDULE],
    ),
    "fulfilled": (view("fulfilled", [parcel("pending", estimate=date(2026, 10, 20))]), [TUE_20]),
    "in_transit": (
        view(
            "in_transit",
            [
                parcel(
                    "in_transit",
                    estimate=date(2026, 10, 15),
                    original_estimate=date(2026, 10, 15),
                    last_scan_at=MOMENT,
                    last_scan_status="in_transit",
                    last_scan_text="Departed facility",
                    last_scan_where="Memphis, TN",
                )
            ],
        ),
        [THU_15, LATE, AT_4PM],
    ),
    "out_for_delivery": (
        view("out_for_delivery", [parcel("out_for_delivery", estimate=TODAY)]),
        [],
    ),
    "delivered": (
        view(
            "delivered",
            [
                parcel(
                    "delivered",
                    delivered_at=MOMENT,
                    delivered_where="New York, NY",
                    estimate=date(2026, 10, 14),
                )
            ],
        ),
        [AT_4PM],
    ),
    "exception": (
        view(
            "exception",
            [
                parcel(
                    "failed_attempt",
                    exception_reason="recipient_unavailable",
                    estimate=date(2026, 10, 15),
                )
            ],
        ),
        [THU_15, LATE],
    ),
    "cancelled": (view("cancelled", [], cancelled_at=MOMENT), [AT_4PM]),
    "refunded": (view("refunded", []), []),
}


def test_every_order_state_has_a_wording_and_a_case() -> None:
    assert set(ORDER_STATE_WORDING) == set(ORDER_STATUSES) == set(CASES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("state", ORDER_STATUSES)
def test_reply_matches_the_facts(state: str, lang: str) -> None:
    order, must_say = CASES[state]
    text = order_reply(lang, order, "status", first=True)  # type: ignore[arg-type]
    assert text.startswith(say(lang, "found"))  # type: ignore[arg-type]
    assert "#A1003" in text
    assert "{" not in text and "}" not in text
    for phrases in must_say:
        assert phrases[lang] in text, (state, lang, phrases[lang], text)
    # Lateness is said exactly when the parcel is past its estimate, and never together
    # with "on schedule".
    assert (LATE[lang] in text) is (LATE in must_say)
    assert (ON_SCHEDULE[lang] in text) is (ON_SCHEDULE in must_say)
    if order.parcels and state not in ("cancelled", "refunded"):
        assert TN in text and order.parcels[0].url in text
    else:
        assert TN not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_moved_and_late_estimate_says_both_dates_and_lateness(lang: str) -> None:
    order = view(
        "in_transit",
        [
            parcel(
                "in_transit",
                estimate=date(2026, 10, 15),
                original_estimate=date(2026, 10, 13),
            )
        ],
    )
    text = order_reply(lang, order, "delivery", first=False)  # type: ignore[arg-type]
    assert THU_15[lang] in text and LATE[lang] in text
    assert ON_SCHEDULE[lang] not in text
    # Tuesday 13 October, the original estimate, is named too.
    assert re.search(r"13", text)


def test_english_estimates_before_the_due_date() -> None:
    later = view(
        "in_transit",
        [parcel("in_transit", estimate=date(2026, 10, 20), original_estimate=date(2026, 10, 19))],
    )
    assert (
        "Estimated delivery: Tuesday 20 October, 1 day later than the original estimate of "
        "Monday 19 October."
    ) in order_reply("en", later, "status", first=False)
    earlier = view(
        "in_transit",
        [parcel("in_transit", estimate=date(2026, 10, 19), original_estimate=date(2026, 10, 22))],
    )
    assert (
        "Estimated delivery: Monday 19 October, 3 days earlier than the original estimate of "
        "Thursday 22 October."
    ) in order_reply("en", earlier, "status", first=False)


def test_every_language_has_the_same_sentences_and_placeholders() -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    english = TEXTS["en"]
    for lang in LANGUAGES:
        assert set(TEXTS[lang]) == set(english), lang
        for key, template in TEXTS[lang].items():
            assert fields(template) == fields(english[key]), (lang, key)
