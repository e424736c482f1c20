"""The learned inquiry-type model (app.assistant.intent) and its data.

Metrics are computed by this file's own function, not by the module's ``evaluate``. The
held-out sets are ``tests/data/intent_eval.csv`` (English, the project's), the multilingual
``tests/data/intent_eval_multilingual.csv`` and the shared Bitext file; none is read by
training, and the tests below check that no training message is one of theirs.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from pathlib import Path

import pytest

from app.assistant import intent as model_module
from app.assistant import train_intent
from app.assistant.intent import (
    INQUIRY_TYPES,
    MODEL_PATH,
    classify_inquiry,
    classify_with_scores,
    evaluate,
    explain,
    main,
)
from tests.conftest import SHARED

DATA = Path(__file__).resolve().parents[1] / "data"
EVAL_CSV = DATA / "intent_eval.csv"
MULTILINGUAL_CSV = DATA / "intent_eval_multilingual.csv"
SHARED_CSV = SHARED / "data" / "intents" / "wismo_intents.csv"
TRAIN_DIR = train_intent.DATA_DIR
LANGUAGES = ("es", "fr", "de", "it", "pt", "nl")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [row for row in csv.DictReader(handle) if (row.get("text") or "").strip()]


def macro_f1(gold: list[str], predicted: list[str]) -> tuple[float, dict[str, float]]:
    """Mean F1 over the classes that occur in ``gold``, and each of those F1s."""
    f1s: dict[str, float] = {}
    for label in sorted(set(gold)):
        pairs = list(zip(gold, predicted, strict=True))
        tp = sum(1 for g, p in pairs if g == label and p == label)
        n_predicted = sum(1 for p in predicted if p == label)
        n_gold = sum(1 for g in gold if g == label)
        precision = tp / n_predicted if n_predicted else 0.0
        recall = tp / n_gold
        f1s[label] = 2 * precision * recall / (precision + recall) if tp else 0.0
    return sum(f1s.values()) / len(f1s), f1s


def score(path: Path) -> tuple[float, dict[str, float], list[str]]:
    rows = read_rows(path)
    gold = [row["label"].strip().lower() for row in rows]
    predicted: list[str] = [classify_inquiry(row["text"]) for row in rows]
    errors = [
        f"{g} -> {p}: {r['text']}" for r, g, p in zip(rows, gold, predicted, strict=True) if g != p
    ]
    overall, f1s = macro_f1(gold, predicted)
    return overall, f1s, errors


def _words(text: str) -> frozenset[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return frozenset(re.sub(r"\d+", "0", w) for w in re.findall(r"\w+", folded))


def _training_texts() -> list[str]:
    return [text for text, _ in train_intent.training_rows()]


# ---------------------------------------------------------------------------------------------
# the metric function itself, against numbers worked out by hand
# ---------------------------------------------------------------------------------------------


def test_macro_f1_hand_computed() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    predicted = ["a", "a", "b", "b", "c", "d"]
    overall, f1s = macro_f1(gold, predicted)
    # a: tp 2, predicted 2, gold 3 -> p 1, r 2/3, f1 0.8
    # b: tp 1, predicted 2, gold 2 -> p 1/2, r 1/2, f1 0.5
    # c: tp 0 -> f1 0; "d" is predicted but not in the gold labels, so it is not averaged
    assert f1s == pytest.approx({"a": 0.8, "b": 0.5, "c": 0.0})
    assert overall == pytest.approx(1.3 / 3)


def test_module_evaluate_agrees_with_hand_computed_counts(tmp_path: Path) -> None:
    rows = [("where is my order", "status"), ("I want a refund", "refund"), ("hi", "tracking")]
    result = evaluate(rows)
    # "hi" is other, not tracking: tracking recall 0, F1 0; status and refund are right
    index = {label: i for i, label in enumerate(INQUIRY_TYPES)}
    assert result.confusion[index["tracking"]][index["other"]] == 1
    assert result.confusion[index["status"]][index["status"]] == 1
    assert sum(map(sum, result.confusion)) == 3
    # macro over status, refund, tracking (the gold classes): (1 + 1 + 0) / 3
    assert result.macro_f1 == pytest.approx(2 / 3)
    assert result.accuracy == pytest.approx(2 / 3)


# ---------------------------------------------------------------------------------------------
# the three targets (issue 17)
# ---------------------------------------------------------------------------------------------


def test_project_held_out_set() -> None:
    overall, f1s, errors = score(EVAL_CSV)
    assert overall >= 0.95, (overall, f1s, errors)


def test_multilingual_held_out_set() -> None:
    rows = read_rows(MULTILINGUAL_CSV)
    assert len(rows) >= 300
    for lang in LANGUAGES:
        labels = [row["label"] for row in rows if row["lang"] == lang]
        assert len(labels) >= 50, lang
        assert set(labels) == set(INQUIRY_TYPES), lang
    overall, f1s, errors = score(MULTILINGUAL_CSV)
    assert overall >= 0.85, (overall, f1s, errors)


def test_shared_bitext_set() -> None:
    if not SHARED_CSV.exists():
        if os.environ.get("WISMO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"shared intent data set missing: {SHARED_CSV}")
        pytest.skip(f"shared intent data set not present at {SHARED_CSV}")
    overall, f1s, errors = score(SHARED_CSV)
    assert "tracking" not in f1s  # the file has no tracking rows (its SOURCE.md)
    assert overall >= 0.92, (overall, f1s, errors[:50])


# ---------------------------------------------------------------------------------------------
# training data kept apart from the evaluation data
# ---------------------------------------------------------------------------------------------


def test_training_files_are_labelled_and_cover_every_language() -> None:
    names = sorted(path.name for path in train_intent.training_files())
    assert names == [
        f"train_{lang}.csv" for lang in ("de", "en", "en_dev", "es", "fr", "it", "nl", "pt")
    ]
    for path in train_intent.training_files():
        labels = [row["label"] for row in read_rows(path)]
        assert set(labels) == set(INQUIRY_TYPES), path.name
        assert min(labels.count(label) for label in INQUIRY_TYPES) >= 20, path.name


@pytest.mark.parametrize("held_out", [EVAL_CSV, MULTILINGUAL_CSV, SHARED_CSV], ids=lambda p: p.name)
def test_no_training_message_is_a_held_out_message(held_out: Path) -> None:
    if not held_out.exists():
        pytest.skip(f"{held_out} not present")
    training = {_words(text) for text in _training_texts()}
    shared = [row["text"] for row in read_rows(held_out) if _words(row["text"]) in training]
    assert shared == []


def test_multilingual_held_out_is_not_paraphrased_in_training() -> None:
    training = [_words(text) for text in _training_texts()]
    close = []
    for row in read_rows(MULTILINGUAL_CSV):
        words = _words(row["text"])
        best = max(len(words & other) / len(words | other) for other in training)
        if best >= 0.7:
            close.append((round(best, 2), row["text"]))
    assert close == []


def test_project_eval_set_is_large_and_balanced() -> None:
    labels = [row["label"] for row in read_rows(EVAL_CSV)]
    assert len(labels) >= 320
    assert set(labels) == set(INQUIRY_TYPES)
    assert min(labels.count(label) for label in INQUIRY_TYPES) >= 50


def test_held_out_sets_have_no_duplicates() -> None:
    for path in (EVAL_CSV, MULTILINGUAL_CSV):
        # "hallo" is both German and Dutch, so the language is part of the key
        keys = [
            (row.get("lang"), " ".join(row["text"].casefold().split())) for row in read_rows(path)
        ]
        assert len(keys) == len(set(keys)), path.name


# ---------------------------------------------------------------------------------------------
# the artefact: reproducible, safe to load, loaded once
# ---------------------------------------------------------------------------------------------


def test_retraining_reproduces_the_committed_model() -> None:
    fresh = train_intent.build()
    committed = MODEL_PATH.read_bytes()
    assert train_intent.same_model(fresh, committed)


def test_same_model_allows_one_unit_of_the_last_decimal_and_nothing_more() -> None:
    base = b'{"labels":["a","b"],"coef":[[0.184921,-1.0]],"C":10.0}'
    assert train_intent.same_model(base, b'{"labels":["a","b"],"coef":[[0.18492,-1.0]],"C":10.0}')
    assert not train_intent.same_model(
        base, b'{"labels":["a","b"],"coef":[[0.184918,-1.0]],"C":10.0}'
    )
    assert not train_intent.same_model(
        base, b'{"labels":["b","a"],"coef":[[0.184921,-1.0]],"C":10.0}'
    )
    assert not train_intent.same_model(base, b'{"labels":["a","b"],"coef":[[0.184921]],"C":10.0}')


def test_model_is_small_plain_json() -> None:
    data = MODEL_PATH.read_bytes()
    assert len(data) < 3_000_000
    assert data.lstrip().startswith(b"{")
    model = model_module.load_model(MODEL_PATH)
    assert set(model.labels) == set(INQUIRY_TYPES)
    assert model.coef.shape == (len(INQUIRY_TYPES), len(model.terms))


def test_model_is_loaded_once_per_process() -> None:
    classify_inquiry("where is my order")
    before = model_module._model.cache_info()
    classify_inquiry("refund please")
    classify_with_scores("hi")
    after = model_module._model.cache_info()
    assert after.misses == before.misses
    assert model_module._model() is model_module._model()


# ---------------------------------------------------------------------------------------------
# spot checks
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # from the issue
        ("wo ist meine Bestellung A1003?", "status"),
        ("¿dónde está mi pedido?", "status"),
        ("ik wil mijn geld terug", "refund"),
        ("I'd like a rebate on this", "refund"),
        ("I want compensation for this mess", "refund"),
        ("how do I get restitution", "refund"),
        # kept from the keyword classifier's hard examples
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
        ("1001", "other"),
        ("#A1003", "other"),
        ("my discount code is not working", "other"),
        ("hey there, do you have this in size 8?", "other"),
        # other languages and mixed
        ("hola, where is my pedido 1001?", "status"),
        ("où est mon colis ?", "status"),
        ("le lien de suivi ne fonctionne pas", "tracking"),
        ("Sendungsnummer?", "tracking"),
        ("quando arriva il mio ordine?", "delivery"),
        ("quero cancelar a minha encomenda", "refund"),
        ("bedankt!", "other"),
    ],
)
def test_spot_checks(text: str, expected: str) -> None:
    assert classify_inquiry(text) == expected


def test_classify_with_scores_gives_probabilities() -> None:
    label, scores = classify_with_scores("tracking says delivered but nothing here")
    assert label == "delivery"
    assert set(scores) == set(INQUIRY_TYPES)
    assert sum(scores.values()) == pytest.approx(1.0, abs=0.01)
    assert max(scores, key=lambda name: scores[name]) == label
    # nothing the model knows: other, with certainty
    assert classify_with_scores("🙂") == (
        "other",
        {"status": 0.0, "tracking": 0.0, "delivery": 0.0, "refund": 0.0, "other": 1.0},
    )


def test_explain_names_the_deciding_ngrams() -> None:
    lines = explain("I want a refund")
    assert lines[1].startswith("label: refund")
    assert any("refund" in line for line in lines[2:])


def test_command_line_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sample = tmp_path / "sample.csv"
    sample.write_text("Message,Intent\nwhere is my order,status\nrefund me,REFUND\nhi,tracking\n")
    assert main(["--eval", str(sample), "--confusion"]) == 0
    out = capsys.readouterr().out
    for word in ("precision", "recall", "F1", "support", "macro-F1", "confusion", *INQUIRY_TYPES):
        assert word in out
    # status, refund right; tracking (a gold class) wrong: (1 + 1 + 0) / 3
    assert "macro-F1 0.667 over the 3 classes present" in out
