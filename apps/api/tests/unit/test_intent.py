"""Inquiry classifier and order-number extraction (app.services.intent).

The metrics here are computed by this file's own small function, not by the module's
``evaluate``. ``tests/data/intent_eval.csv`` is the held-out set: it was written before the
lexicon and is never used to tune it; ``tests/data/intent_dev.csv`` is the tuning set.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.services.intent import (
    INQUIRY_TYPES,
    classify_inquiry,
    classify_with_scores,
    extract_email,
    extract_order_number,
    extract_postcode,
    main,
)

DATA = Path(__file__).resolve().parents[1] / "data"
DEV_CSV = DATA / "intent_dev.csv"
EVAL_CSV = DATA / "intent_eval.csv"
# This file is <repo>/apps/api/tests/unit/test_intent.py, so parents[4] is the repo root
# (/work/main); the shared folder sits beside the repo (/work/shared).
REPO_ROOT = Path(__file__).resolve().parents[4]
SHARED_INTENTS_CSV = REPO_ROOT.parent / "shared" / "data" / "intents" / "wismo_intents.csv"

TEXT_COLUMNS = ("text", "message", "utterance")
LABEL_COLUMNS = ("label", "intent", "inquiry_type")


def read_labelled(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = {name.strip().lower(): name for name in reader.fieldnames or []}
        text_col = next((columns[c] for c in TEXT_COLUMNS if c in columns), None)
        label_col = next((columns[c] for c in LABEL_COLUMNS if c in columns), None)
        assert text_col and label_col, f"{path}: no text/label columns in {list(columns)}"
        return [
            (row[text_col], row[label_col].strip().lower())
            for row in reader
            if (row[text_col] or "").strip()
        ]


def per_class_metrics(
    gold: list[str], predicted: list[str], labels: tuple[str, ...]
) -> tuple[dict[str, tuple[float, float, float]], float]:
    """{label: (precision, recall, f1)} and the macro-F1 (mean F1 over ``labels``)."""
    metrics: dict[str, tuple[float, float, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        predicted_count = sum(1 for p in predicted if p == label)
        gold_count = sum(1 for g in gold if g == label)
        precision = tp / predicted_count if predicted_count else 0.0
        recall = tp / gold_count if gold_count else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        metrics[label] = (precision, recall, f1)
    macro_f1 = sum(f1 for _, _, f1 in metrics.values()) / len(labels)
    return metrics, macro_f1


def score_file(path: Path) -> tuple[dict[str, tuple[float, float, float]], float, list[str]]:
    rows = read_labelled(path)
    unknown = sorted({label for _, label in rows} - set(INQUIRY_TYPES))
    assert not unknown, f"{path}: labels outside {INQUIRY_TYPES}: {unknown}"
    gold = [label for _, label in rows]
    predicted: list[str] = [classify_inquiry(text) for text, _ in rows]
    errors = [f"{g} -> {p}: {text}" for (text, g), p in zip(rows, predicted, strict=True) if g != p]
    # macro average over the classes that occur (in the gold labels or the predictions)
    present = tuple(label for label in INQUIRY_TYPES if label in gold or label in predicted)
    metrics, macro_f1 = per_class_metrics(gold, predicted, present)
    return metrics, macro_f1, errors


# ---------------------------------------------------------------------------------------------
# the metric function itself, against numbers worked out by hand
# ---------------------------------------------------------------------------------------------


def test_per_class_metrics_hand_computed() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    predicted = ["a", "a", "b", "b", "c", "c"]
    metrics, macro_f1 = per_class_metrics(gold, predicted, ("a", "b", "c"))
    # a: tp 2, predicted 2, gold 3 -> p 1, r 2/3, f1 0.8
    # b: tp 1, predicted 2, gold 2 -> p 1/2, r 1/2, f1 0.5
    # c: tp 1, predicted 2, gold 1 -> p 1/2, r 1, f1 2/3
    assert metrics["a"] == pytest.approx((1.0, 2 / 3, 0.8))
    assert metrics["b"] == pytest.approx((0.5, 0.5, 0.5))
    assert metrics["c"] == pytest.approx((0.5, 1.0, 2 / 3))
    assert macro_f1 == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)


# ---------------------------------------------------------------------------------------------
# data sets
# ---------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def test_macro_f1_averages_only_classes_that_occur(tmp_path: Path) -> None:
    sample = tmp_path / "alt.csv"
    sample.write_text('Message,Intent\n"where is my order",status\n"refund me",REFUND\nhi,other\n')
    metrics, macro_f1, errors = score_file(sample)
    assert set(metrics) == {"status", "refund", "other"}
    assert macro_f1 == 1.0
    assert errors == []


def test_eval_set_is_large_and_balanced() -> None:
    rows = read_labelled(EVAL_CSV)
    assert len(rows) >= 320
    for label in INQUIRY_TYPES:
        assert sum(1 for _, g in rows if g == label) >= 50, label
    assert {g for _, g in rows} == set(INQUIRY_TYPES)


def test_dev_and_eval_sets_share_no_message() -> None:
    dev = {_key(text) for text, _ in read_labelled(DEV_CSV)}
    held_out = [_key(text) for text, _ in read_labelled(EVAL_CSV)]
    assert len(held_out) == len(set(held_out)), "duplicate messages inside the eval set"
    assert dev.isdisjoint(held_out), sorted(dev.intersection(held_out))


def test_held_out_eval_set() -> None:
    metrics, macro_f1, errors = score_file(EVAL_CSV)
    assert macro_f1 >= 0.90, (macro_f1, errors)
    for label, (_, recall, _) in metrics.items():
        assert recall >= 0.8, (label, recall, errors)


def test_dev_set() -> None:
    metrics, macro_f1, errors = score_file(DEV_CSV)
    assert macro_f1 >= 0.95, (macro_f1, errors)
    for label, (_, recall, _) in metrics.items():
        assert recall >= 0.9, (label, recall, errors)


def test_shared_intents_file() -> None:
    if not SHARED_INTENTS_CSV.exists():
        pytest.skip(f"shared intent data set not present at {SHARED_INTENTS_CSV}")
    _, macro_f1, errors = score_file(SHARED_INTENTS_CSV)
    assert macro_f1 >= 0.80, (macro_f1, errors[:50])


def test_shared_intents_path_points_beside_the_repo() -> None:
    assert (REPO_ROOT / "apps" / "api" / "tests" / "unit" / "test_intent.py").exists()
    assert SHARED_INTENTS_CSV.parents[3] == REPO_ROOT.parent


# ---------------------------------------------------------------------------------------------
# hard examples
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wheres my stuff??", "status"),
        ("wher is my ordr", "status"),
        ("WHERE IS MY ORDER", "status"),
        ("where is my order 😡😡", "status"),
        ("has it shipped", "status"),
        ("trackin number?", "tracking"),
        ("tracking link not working", "tracking"),
        ("trakcing number", "tracking"),
        ("tracking says delivered but nothing here", "delivery"),
        ("It says DELIVERED but I never got it!!", "delivery"),
        ("my tracking shows delivered yesterday, there is no parcel", "delivery"),
        ("when will it arrive", "delivery"),
        ("can I change my delivery address", "delivery"),
        ("cancel and refund pls", "refund"),
        ("where is my refund", "refund"),
        ("rfund", "refund"),
        ("canel my order", "refund"),
        ("my order never came, I want my money back", "refund"),
        ("hi", "other"),
        ("thanks!", "other"),
        ("🙂", "other"),
        ("", "other"),
        ("my discount code is not working", "other"),
        ("hey there, do you have this in size 8?", "other"),
    ],
)
def test_hard_examples(text: str, expected: str) -> None:
    assert classify_inquiry(text) == expected


def test_classify_with_scores_explains_the_label() -> None:
    label, scores = classify_with_scores("tracking says delivered but nothing here")
    assert label == "delivery"
    assert set(scores) == set(INQUIRY_TYPES)
    assert scores["delivery"] > scores["tracking"] > 0
    assert max(scores, key=lambda name: scores[name]) == label
    label, scores = classify_with_scores("hello")
    assert label == "other"
    assert scores["status"] == scores["tracking"] == scores["delivery"] == scores["refund"] == 0


def test_command_line_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--eval", str(DEV_CSV)]) == 0
    out = capsys.readouterr().out
    for word in ("precision", "recall", "F1", "support", "macro-F1", *INQUIRY_TYPES):
        assert word in out


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
