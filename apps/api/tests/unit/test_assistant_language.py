"""Language detection (seven languages) and order numbers in their common forms."""

import pytest

from app.assistant.language import detect_language, next_language, normalise_lang
from app.assistant.orders import extract_order_number


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("where is my order A1003? it hasn't arrived yet", "en"),
        ("has A1003 shipped yet?", "en"),
        ("¿dónde está mi pedido A1003?", "es"),
        ("où est ma commande n° 1001 ?", "fr"),
        ("wo ist meine Bestellung A1003?", "de"),
        ("dov'è il mio ordine 1001? non è ancora arrivato", "it"),
        ("onde está a minha encomenda 1001?", "pt"),
        ("waar is mijn bestelling 1001?", "nl"),
        ("muchas gracias, eso es todo", "es"),
        ("vielen Dank für die Hilfe", "de"),
    ],
)
def test_detects_the_seven_languages(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text", ["A1003", "ok", "#1001", "jane@example.com", "SW1A 1AA", "1001 10001", "?"]
)
def test_short_messages_say_nothing_about_the_language(text: str) -> None:
    assert detect_language(text) is None
    assert next_language("de", text, pinned=False) == "de"


def test_a_pinned_language_is_kept_and_others_switch() -> None:
    assert next_language("es", "where is my order please", pinned=True) == "es"
    assert next_language("en", "wo ist meine Bestellung?", pinned=False) == "de"


@pytest.mark.parametrize(
    ("value", "lang"),
    [("es", "es"), ("es-MX", "es"), ("pt_BR", "pt"), ("DE", "de"), ("zh", None), ("", None)],
)
def test_normalise_lang(value: str, lang: str | None) -> None:
    assert normalise_lang(value) == lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#1001", "1001"),
        ("1001", "1001"),
        ("A1003", "A1003"),
        ("a1003", "A1003"),
        ("order 1001", "1001"),
        ("pedido 1001", "1001"),
        ("mi número de pedido es 1001", "1001"),
        ("commande n° 1001", "1001"),
        ("commande nº 1001", "1001"),
        ("numéro de commande : 1001", "1001"),
        ("Bestellung 1001", "1001"),
        ("Bestellung Nr. 1001", "1001"),
        ("Bestellnummer: A1003", "A1003"),
        ("ordine 1001", "1001"),
        ("ordine n. 1001", "1001"),
        ("bestelling 1001", "1001"),
        ("encomenda 1001", "1001"),
        ("has A1003 shipped yet?", "A1003"),
        ("wo ist meine Bestellung A1003?", "A1003"),
        ("¿dónde está mi pedido A1003?", "A1003"),
        ("my zip is 10001, order SO-2044", "SO-2044"),
    ],
)
def test_order_numbers_in_their_common_forms(text: str, expected: str) -> None:
    assert extract_order_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "code postal 75001",
        "mi código postal es 28013",
        "CAP 20121",
        "PLZ 10115",
        "seguimiento 12345678",
        "Sendungsnummer 00340434161234567890",
        "size 10",
        "it cost €45.99",
        "call me on +34 612 345 678",
        "pedí el 12/03/2026",
    ],
)
def test_no_order_number_in_postcodes_prices_phones_dates(text: str) -> None:
    assert extract_order_number(text) is None
