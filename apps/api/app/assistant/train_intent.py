"""Train the inquiry-type model and write ``app/assistant/intent_model.json``.

    python -m app.assistant.train_intent          # retrain and overwrite the artefact
    python -m app.assistant.train_intent --check  # exit 1 if retraining gives other bytes

Reads only ``apps/api/data/intents/train_*.csv`` (columns text,label; see the README there).
The held-out sets (``tests/data/intent_eval*.csv``) and the shared Bitext file are never read.

Reproducible to the stored precision: the files are read in name order, the solver is
deterministic, and every stored number is rounded to 6 decimal places. The last bits of
floating-point arithmetic differ between CPUs, so a number lying on a rounding boundary may
come out one unit of the sixth decimal apart on another machine: `same_model` allows exactly
that and nothing else (every term, label and setting must match).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from app.assistant.intent import (
    BLOCKS,
    MODEL_FORMAT,
    MODEL_PATH,
    load_labelled_csv,
    make_vectorizers,
)
from app.core.vocab import INQUIRY_TYPES

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "intents"

# Chosen by 5-fold cross-validation on the training files only (see docs/classifier.md).
C = 10.0
MIN_DF = 1
DECIMALS = 6


def training_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(data_dir.glob("train_*.csv"))


def training_rows(data_dir: Path = DATA_DIR) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for path in training_files(data_dir):
        rows.extend(load_labelled_csv(path))
    unknown = sorted({label for _, label in rows} - set(INQUIRY_TYPES))
    if unknown:
        raise ValueError(f"labels outside {INQUIRY_TYPES}: {unknown}")
    return rows


def fit(rows: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Fit the vectorisers and the classifier; return the artefact as a JSON-ready dict."""
    texts = [text for text, _ in rows]
    labels = [label for _, label in rows]
    vectorizers = make_vectorizers(min_df=MIN_DF)
    blocks = [vectorizers[name].fit_transform(texts) for name in BLOCKS]
    features = sp.hstack(blocks, format="csr")
    classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    classifier.fit(features, labels)
    coef = np.round(classifier.coef_, DECIMALS)
    out: dict[str, list[list[Any]]] = {}
    start = 0
    for name in BLOCKS:
        vectorizer = vectorizers[name]
        terms = vectorizer.get_feature_names_out().tolist()
        idf = np.round(vectorizer.idf_, DECIMALS).tolist()
        block_coef = coef[:, start : start + len(terms)].T.tolist()
        out[name] = [[t, w, *c] for t, w, c in zip(terms, idf, block_coef, strict=True)]
        start += len(terms)
    return {
        "format": MODEL_FORMAT,
        "labels": classifier.classes_.tolist(),
        "intercept": np.round(classifier.intercept_, DECIMALS).tolist(),
        "training": {"messages": len(rows), "C": C, "min_df": MIN_DF},
        "features": out,
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def serialise(artifact: dict[str, Any]) -> bytes:
    """JSON with one feature per line, so that a retrained model diffs readably."""
    head = {key: value for key, value in artifact.items() if key != "features"}
    lines = ["{" + _dumps(head)[1:-1] + ',"features":{']
    for i, (name, rows) in enumerate(artifact["features"].items()):
        lines.append(f"{_dumps(name)}:[")
        lines.append(",\n".join(_dumps(row) for row in rows))
        lines.append("]" + ("," if i < len(artifact["features"]) - 1 else ""))
    lines.append("}}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def build(data_dir: Path = DATA_DIR) -> bytes:
    return serialise(fit(training_rows(data_dir)))


ROUNDING_UNIT = 10.0**-DECIMALS


def same_model(a: bytes, b: bytes) -> bool:
    """Equal artefacts, numbers allowed one unit of the last stored decimal apart."""

    def close(x: Any, y: Any) -> bool:
        if isinstance(x, float) or isinstance(y, float):
            return (
                isinstance(x, int | float)
                and isinstance(y, int | float)
                and (abs(x - y) <= ROUNDING_UNIT * 1.5)
            )
        if isinstance(x, dict) and isinstance(y, dict):
            return x.keys() == y.keys() and all(close(x[k], y[k]) for k in x)
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(close(u, v) for u, v in zip(x, y, strict=True))
        return bool(x == y) and type(x) is type(y)

    return close(json.loads(a), json.loads(b))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.assistant.train_intent")
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    data = build()
    digest = hashlib.sha256(data).hexdigest()
    if args.check:
        current = args.output.read_bytes() if args.output.exists() else b""
        same = bool(current) and same_model(current, data)
        print(f"{args.output}: {'up to date' if same else 'DIFFERS from a fresh training'}")
        return 0 if same else 1
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data)} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
