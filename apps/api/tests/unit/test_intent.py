"""Entity extraction (app.assistant.normalise); the inquiry-type model is tested in
test_intent_model.py."""

from __future__ import annotations

import pytest

from app.assistant import intent as model
from app.assistant import normalise as intent
from app.assistant.normalise import extract_email, extract_order_number, extract_postcode, normalise


def test_services_module_delegates_classification_to_the_model() -> None:
    assert intent.classify_inquiry is model.classify_inquiry
    assert intent.classify_with_scores is model.classify_with_scores
    assert intent.classify_inquiry("where is my refund") == "refund"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Where's my ORDR??", "where is my order"),
        ("pls cancel, thx", "please cancel thanks"),
        ("Café déjà-vu", "cafe deja vu"),
        ("there", "there"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


# ---------------------------------------------------------------------------------------------
# entity extraction
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#1001", "1001"),
        ("1001", "1001"),
        ("order 1001", "1001"),
        ("Order 1001", "1001"),
        ("order no. 1001", "1001"),
        ("Order No 1001 please", "1001"),
        ("order number: 1001", "1001"),
        ("order #1001", "1001"),
        ("order#1001", "1001"),
        ("order # 1001", "1001"),
        ("Order ID: 4471", "4471"),
        ("ordernumber 2231", "2231"),
        ("my order is 7781", "7781"),
        ("order #AB-1001", "AB-1001"),
        ("order no. AB-1001", "AB-1001"),
        ("Checking in on order AB-3391", "AB-3391"),
        ("order #ab-1001", "AB-1001"),
        ("Where is #SHOP1001?", "SHOP1001"),
        ("where is #shop1001", "SHOP1001"),
        ("my order #1001 hasn't arrived", "1001"),
        ("hi, it's order 55012, thanks", "55012"),
        ("wheres 1024??", "1024"),
        ("order 1001.", "1001"),
        ("I ordered 2 items, order 1055", "1055"),
        ("order 1001 placed on 12/03/2024", "1001"),
        ("ordered on 2024-03-12, order #1003", "1003"),
        ("Order #1001 and my phone is 555-123-4567", "1001"),
        ("1Z999AA10123456784 is my tracking, order is #1002", "1002"),
        ("zip 90210, order 1001", "1001"),
        ("order 1001 to Baker Street please", "1001"),
        ("tracking number for order 1001", "1001"),
        ("email me at jane@example.com about #1009", "1009"),
        ("order 1001 for $45.99", "1001"),
        ("I ordered 3 days ago, #1010", "1010"),
    ],
)
def test_extract_order_number_finds(text: str, expected: str) -> None:
    assert extract_order_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "where is my order",
        "order",
        "1Z999AA10123456784",
        "my tracking is 1Z999AA10123456784",
        "9400111899223197428490",
        "tracking 9400 1118 9922 3197 4284 90",
        "RR123456789GB",
        "Tracking number: 12345678",
        "my zip is 90210",
        "zip code 90210-1234",
        "postcode 10115",
        "post code: 3012 AB",
        "my postcode is SW1A 1AA",
        "call me on 07700 900123",
        "my phone number is 555-123-4567",
        "(555) 123-4567",
        "+44 20 7946 0958",
        "I ordered on March 3, 2024",
        "I ordered on 3 March 2024",
        "ordered on 2024-03-12",
        "placed 12/03/2024",
        "bought it in 2023",
        "I bought 2 items",
        "order 2 items",
        "I want 100 items",
        "I ordered 3 days ago",
        "I paid $120",
        "it cost 150 dollars",
        "it said delivered at 2:14pm",
        "I live at 1600 Pennsylvania Avenue",
        "size 10",
        "100% cotton?",
        "email me at john1001@example.com",
        "see https://shop.example.com/orders/1001",
    ],
)
def test_extract_order_number_ignores(text: str) -> None:
    assert extract_order_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my email is Jane.Doe@Example.com", "jane.doe@example.com"),
        ("jane+orders@mail.example.co.uk.", "jane+orders@mail.example.co.uk"),
        ("order 1001, bob_smith99@gmail.com thanks", "bob_smith99@gmail.com"),
        ("no email here", None),
        ("me at example dot com", None),
        ("@handle on twitter", None),
    ],
)
def test_extract_email(text: str, expected: str | None) -> None:
    assert extract_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my postcode is sw1a 1aa", "SW1A 1AA"),
        ("SW1A1AA", "SW1A 1AA"),
        ("it's M1 1AE", "M1 1AE"),
        ("postcode: EC1A 1BB, order 1001", "EC1A 1BB"),
        ("B33 8TH", "B33 8TH"),
        ("zip 90210", "90210"),
        ("my zip code is 90210-1234", "90210-1234"),
        ("Austin, TX 78701", "78701"),
        ("30301-1234", "30301-1234"),
        ("PLZ 10115", "10115"),
        ("postcode 3012 AB", "3012 AB"),
        ("order 1001", None),
        ("90210", None),
        ("where is my order", None),
        ("#SHOP1001", None),
    ],
)
def test_extract_postcode(text: str, expected: str | None) -> None:
    assert extract_postcode(text) == expected
