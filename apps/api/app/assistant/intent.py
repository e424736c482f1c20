"""Inquiry-type model: which of the five inquiry types (DESIGN.md section 4) a message asks about.

A multinomial logistic regression over TF-IDF features, trained by ``app.assistant.train_intent``
on the labelled messages in ``apps/api/data/intents/`` (English, Spanish, French, German,
Italian, Portuguese, Dutch) and stored in ``intent_model.json`` beside this module as plain
JSON: each feature's n-gram, idf weight and per-class coefficients. Nothing is unpickled: the
scikit-learn vectorisers are rebuilt from the stored vocabularies and idf weights once per
process, and the class scores are computed with numpy.

Features, both over ``fold(text)`` (accents and case folded, digits dropped):
    - words and word pairs;
    - character 2-5-grams inside word boundaries, which carry typos ("trackng"), inflections
      and compounds ("Sendungsverfolgung") and the stems the Romance languages share.
Each block is L2-normalised on its own, so short messages weigh as much as long ones.

A message with no known feature at all (empty, emoji only, an unknown script) is ``other``.

Command line: ``python -m app.assistant.intent --eval PATH.csv [--confusion] [--errors]``
prints per-class precision, recall, F1 and support, the macro-F1 over the classes present in
the file, and optionally the confusion matrix; ``--text "..."`` shows one message's scores and
the n-grams that pushed it towards its label.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

from app.core.vocab import INQUIRY_TYPES, InquiryType

__all__ = [
    "MODEL_PATH",
    "ClassReport",
    "Evaluation",
    "IntentModel",
    "classify_inquiry",
    "classify_with_scores",
    "evaluate",
    "explain",
    "fold",
    "load_labelled_csv",
    "load_model",
    "main",
    "make_vectorizers",
]

MODEL_PATH = Path(__file__).with_name("intent_model.json")
MODEL_FORMAT = "wismo-intent-model/1"

_DIGITS = re.compile(r"\d+")


def fold(text: str) -> str:
    """Lower-case, accent-free text without digits.

    Order numbers, dates and amounts say nothing about the inquiry type: without them a
    reply that is only an order number ("1001") has no feature and is ``other``, so the chat
    carries the conversation's type forward.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DIGITS.sub(" ", stripped.casefold())


# The two feature blocks, in the order their columns are stacked.
BLOCKS: dict[str, dict[str, Any]] = {
    "word": {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b"},
    "char": {"analyzer": "char_wb", "ngram_range": (2, 5)},
}


def make_vectorizers(
    vocabularies: dict[str, dict[str, int]] | None = None, min_df: int = 1
) -> dict[str, TfidfVectorizer]:
    """One TF-IDF vectoriser per block; with ``vocabularies`` they need no fitting."""
    # Imported here: scikit-learn takes seconds to import, and only the model needs it
    # (every process that never classifies a message starts without it).
    from sklearn.feature_extraction.text import TfidfVectorizer

    return {
        name: TfidfVectorizer(
            preprocessor=fold,
            lowercase=False,
            sublinear_tf=True,
            dtype=np.float64,
            vocabulary=vocabularies[name] if vocabularies else None,
            min_df=min_df,
            **params,
        )
        for name, params in BLOCKS.items()
    }


@dataclass(frozen=True)
class IntentModel:
    """The fitted model: vectorisers, coefficients (classes x features) and intercepts."""

    labels: tuple[InquiryType, ...]
    vectorizers: dict[str, TfidfVectorizer]
    coef: np.ndarray
    intercept: np.ndarray
    terms: tuple[str, ...]  # feature names in column order, "word:..." / "char:..."

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        blocks = [self.vectorizers[name].transform(texts) for name in BLOCKS]
        return sp.csr_matrix(sp.hstack(blocks, format="csr"))

    def scores(self, features: sp.csr_matrix) -> np.ndarray:
        """Class probabilities (softmax of the linear scores), one row per message."""
        logits = np.asarray(features @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return cast(np.ndarray, exp / exp.sum(axis=1, keepdims=True))

    def predict(self, texts: Sequence[str]) -> list[InquiryType]:
        features = self.features(texts)
        best = self.scores(features).argmax(axis=1)
        known = np.diff(features.indptr) > 0
        return [self.labels[i] if has else "other" for i, has in zip(best, known, strict=True)]


def model_from_artifact(artifact: dict[str, Any]) -> IntentModel:
    """Rebuild the model from the parsed JSON artefact written by ``train_intent``."""
    if artifact.get("format") != MODEL_FORMAT:
        raise ValueError(f"not a {MODEL_FORMAT} artefact: {artifact.get('format')!r}")
    labels = tuple(artifact["labels"])
    unknown = set(labels) - set(INQUIRY_TYPES)
    if unknown:
        raise ValueError(f"unknown labels in the model: {sorted(unknown)}")
    vocabularies: dict[str, dict[str, int]] = {}
    idf: dict[str, list[float]] = {}
    coef_rows: list[list[float]] = []
    terms: list[str] = []
    for name in BLOCKS:
        rows = artifact["features"][name]
        vocabularies[name] = {row[0]: i for i, row in enumerate(rows)}
        idf[name] = [row[1] for row in rows]
        coef_rows.extend(row[2:] for row in rows)
        terms.extend(f"{name}:{row[0]}" for row in rows)
    vectorizers = make_vectorizers(vocabularies)
    for name, vectorizer in vectorizers.items():
        vectorizer.idf_ = np.asarray(idf[name], dtype=np.float64)
    return IntentModel(
        labels=cast(tuple[InquiryType, ...], labels),
        vectorizers=vectorizers,
        coef=np.asarray(coef_rows, dtype=np.float64).T.copy(),
        intercept=np.asarray(artifact["intercept"], dtype=np.float64),
        terms=tuple(terms),
    )


def load_model(path: Path = MODEL_PATH) -> IntentModel:
    return model_from_artifact(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _model() -> IntentModel:
    """The committed model, loaded once per process."""
    return load_model(MODEL_PATH)


def classify_with_scores(text: str) -> tuple[InquiryType, dict[str, float]]:
    """The label and every class's probability (rounded to 3 places).

    A message without any known feature is ``other`` with probability 1.
    """
    model = _model()
    features = model.features([text])
    if features.nnz == 0:
        return "other", {name: 1.0 if name == "other" else 0.0 for name in INQUIRY_TYPES}
    probabilities = model.scores(features)[0]
    label = model.labels[int(probabilities.argmax())]
    by_label = dict(zip(model.labels, probabilities.tolist(), strict=True))
    return label, {name: round(by_label.get(name, 0.0), 3) for name in INQUIRY_TYPES}


def classify_inquiry(text: str) -> InquiryType:
    """The inquiry type (DESIGN.md section 4) of one customer message."""
    return _model().predict([text])[0]


def explain(text: str, top: int = 8) -> list[str]:
    """The n-grams that pushed ``text`` most towards its label (for debugging and the CLI)."""
    model = _model()
    label, scores = classify_with_scores(text)
    features = model.features([text])
    lines = [f"folded: {fold(text)!r}", f"label: {label}  {scores}"]
    if features.nnz == 0:
        return [*lines, "  no known n-gram"]
    row = model.labels.index(label)
    weights = features.data * model.coef[row, features.indices]
    for k in np.argsort(-weights, kind="stable")[:top]:
        lines.append(f"  {weights[k]:+.3f} {model.terms[features.indices[k]]!r}")
    return lines


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------

_TEXT_COLUMNS = ("text", "message", "utterance")
_LABEL_COLUMNS = ("label", "intent", "inquiry_type")


def load_labelled_csv(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows of a CSV whose columns are text/message/utterance and
    label/intent/inquiry_type (case-insensitive); other columns are ignored."""
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


@dataclass(frozen=True)
class Evaluation:
    """Scores of one labelled set. ``macro_f1`` averages F1 over the classes in the gold
    labels; ``confusion[i][j]`` counts gold ``INQUIRY_TYPES[i]`` predicted as ``[j]``."""

    reports: list[ClassReport]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]
    errors: list[tuple[str, str, str]]  # (text, gold, predicted)


def evaluate(rows: Iterable[tuple[str, str]]) -> Evaluation:
    pairs = list(rows)
    unknown = sorted({gold for _, gold in pairs} - set(INQUIRY_TYPES))
    if unknown:
        raise ValueError(f"labels outside {INQUIRY_TYPES}: {unknown}")
    predicted: list[str] = list(_model().predict([text for text, _ in pairs])) if pairs else []
    gold = [label for _, label in pairs]
    index = {label: i for i, label in enumerate(INQUIRY_TYPES)}
    confusion = [[0] * len(INQUIRY_TYPES) for _ in INQUIRY_TYPES]
    for g, p in zip(gold, predicted, strict=True):
        confusion[index[g]][index[p]] += 1
    reports: list[ClassReport] = []
    for i, label in enumerate(INQUIRY_TYPES):
        tp = confusion[i][i]
        predicted_count = sum(row[i] for row in confusion)
        support = sum(confusion[i])
        precision = tp / predicted_count if predicted_count else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        reports.append(ClassReport(label, precision, recall, f1, support))
    present = [r for r in reports if r.support]
    macro_f1 = sum(r.f1 for r in present) / len(present) if present else 0.0
    correct = sum(confusion[i][i] for i in range(len(INQUIRY_TYPES)))
    accuracy = correct / len(pairs) if pairs else 0.0
    errors = [(t, g, p) for (t, g), p in zip(pairs, predicted, strict=True) if g != p]
    return Evaluation(reports, macro_f1, accuracy, confusion, errors)


def format_report(result: Evaluation) -> str:
    lines = [
        f"| {'class':<9} | precision | recall |   F1  | support |",
        f"|{'-' * 11}|-----------|--------|-------|---------|",
    ]
    lines += [
        f"| {r.label:<9} |   {r.precision:.3f}   | {r.recall:.3f}  | {r.f1:.3f} | {r.support:>7} |"
        for r in result.reports
    ]
    total = sum(r.support for r in result.reports)
    present = sum(1 for r in result.reports if r.support)
    lines.append(f"| {'macro-F1':<9} |           |        | {result.macro_f1:.3f} | {total:>7} |")
    lines.append(
        f"\nmacro-F1 {result.macro_f1:.3f} over the {present} classes present; "
        f"accuracy {result.accuracy:.3f} on {total} messages"
    )
    return "\n".join(lines)


def format_confusion(result: Evaluation) -> str:
    width = max(len(label) for label in INQUIRY_TYPES) + 1
    corner = "gold \\ predicted"
    header = f"| {corner:<16} |" + "|".join(f" {label:>{width}} " for label in INQUIRY_TYPES)
    lines = [header + "|", "|" + "|".join(["-" * 18] + ["-" * (width + 2)] * 5) + "|"]
    for label, row in zip(INQUIRY_TYPES, result.confusion, strict=True):
        cells = "|".join(f" {count:>{width}} " for count in row)
        lines.append(f"| {label:<16} |{cells}|")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.assistant.intent", description="WISMO inquiry-type model."
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--eval", type=Path, metavar="PATH.csv", help="labelled CSV to score")
    group.add_argument("--text", help="classify one message and show why")
    parser.add_argument("--confusion", action="store_true", help="print the confusion matrix")
    parser.add_argument("--errors", action="store_true", help="list misclassified messages")
    args = parser.parse_args(argv)
    if args.text is not None:
        print("\n".join(explain(args.text)))
        return 0
    result = evaluate(load_labelled_csv(args.eval))
    print(f"Evaluation of {args.eval}\n")
    print(format_report(result))
    if args.confusion:
        print("\nconfusion matrix (rows: gold, columns: predicted)\n")
        print(format_confusion(result))
    if args.errors:
        print("\nmisclassified (gold -> predicted):")
        for text, gold, predicted in result.errors:
            print(f"  {gold:>8} -> {predicted:<8} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
