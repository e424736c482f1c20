"""How well does the at-risk ranking predict the inquiries that demo data later produces?

    cd apps/api && uv run python ../../bench/at_risk_eval.py
    cd apps/api && uv run python ../../bench/at_risk_eval.py --orders-per-day 80 --seed 11

Loads one demo store (deterministic for --seed and --now) into a scratch SQLite database (or
--database-url), then splits time: the model is fitted only on snapshots whose labels end
before the cutoff (`--test-days` before the end of the data), and is scored on daily snapshots
after it. At each test snapshot every open shipment / unfulfilled order is ranked by the
learned model and by the rule-based fallback; a positive is an inquiry about that order
within the horizon (3 days) after the snapshot.

Reported per method: ROC AUC (pooled), precision of the top 10% of each snapshot's ranking
against the base rate (and the lift), recall of that top 10%, both for all open orders and
for those whose customer has not asked in the last 7 days ("before the customer asks").
"""

import argparse
import asyncio
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.migrations import upgrade
from app.db.session import build_engine
from app.demo import DemoConfig, load_store_data
from app.insights import at_risk
from app.insights.at_risk import HORIZON_DAYS, AtRiskService, Model, matrix
from app.stores.service import create_store

console = Console(width=150)


@dataclass
class Scored:
    snapshot: int
    score_learned: float
    score_rules: float
    label: int
    asked: bool


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """ROC AUC by the rank-sum formula (ties get mid-ranks)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def top_share(rows: list[Scored], key: str, share: float = 0.10) -> tuple[float, float]:
    """(precision, recall) of the top `share` of each snapshot's ranking, pooled."""
    hits = picked = 0
    positives = sum(r.label for r in rows)
    by_snapshot: dict[int, list[Scored]] = {}
    for r in rows:
        by_snapshot.setdefault(r.snapshot, []).append(r)
    for group in by_snapshot.values():
        k = max(1, round(len(group) * share))
        best = sorted(group, key=lambda r: -getattr(r, key))[:k]
        hits += sum(r.label for r in best)
        picked += k
    return hits / max(picked, 1), hits / max(positives, 1)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--orders-per-day", type=float, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timezone", default="America/New_York")
    parser.add_argument("--now", default="2026-11-24T18:00:00+00:00", help="end of the demo data")
    parser.add_argument("--test-days", type=int, default=21)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    now = datetime.fromisoformat(args.now).astimezone(UTC)
    scratch = None
    url = args.database_url
    if url is None:
        scratch = tempfile.TemporaryDirectory()
        url = f"sqlite+aiosqlite:///{Path(scratch.name) / 'eval.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            trans = await conn.begin()
            session = AsyncSession(
                bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
            store = await create_store(session, "At-risk evaluation", args.timezone)
            with console.status("loading demo data"):
                summary = await load_store_data(
                    session,
                    store,
                    DemoConfig(
                        days=args.days, orders_per_day=args.orders_per_day, seed=args.seed, now=now
                    ),
                )
            console.print(
                f"demo store: {summary.orders} orders, {summary.shipments} shipments, "
                f"{summary.inquiries} inquiries, {summary.start_date}..{summary.end_date} "
                f"({args.timezone})"
            )
            service = AtRiskService(session)
            cutoff = now - timedelta(days=args.test_days)
            with console.status("fitting on the training period"):
                learned = await service.train(
                    store, cutoff, until=cutoff - timedelta(days=HORIZON_DAYS)
                )
            rules = Model(
                "rules",
                learned.coef,
                learned.mean,
                learned.scale,
                0,
                0,
                None,
                cutoff,
                learned.p90_seconds,
            )
            console.print(
                f"model: {learned.method}, {learned.examples} training examples, "
                f"{learned.positives} positives (base rate {learned.base_rate or 0:.3f}), "
                f"snapshots up to {(cutoff - timedelta(days=HORIZON_DAYS)).date()}"
            )
            if learned.method == "learned":
                Z = ", ".join(
                    f"{name} {c:+.2f}"
                    for name, c in zip(at_risk.FEATURES, learned.coef[1:], strict=True)
                )
                console.print(f"coefficients (standardised): intercept {learned.coef[0]:+.2f}, {Z}")
            times = [cutoff + timedelta(days=k) for k in range(args.test_days - HORIZON_DAYS + 1)]
            with console.status("scoring the test snapshots"):
                candidates, labels = await service.examples(store, times, learned.p90_seconds)
            X = matrix(candidates)
            s_learned = learned.score(X)
            s_rules = rules.score(X)
            snap = {t: i for i, t in enumerate(times)}
            rows = [
                Scored(snap[c.at], float(a), float(b), y, bool(c.measures["asked_recently"]))
                for c, a, b, y in zip(candidates, s_learned, s_rules, labels, strict=True)
            ]
            await trans.rollback()
    finally:
        await engine.dispose()
        if scratch is not None:
            scratch.cleanup()

    table = Table(
        title=(
            f"at-risk ranking, test snapshots {times[0].date()}..{times[-1].date()} "
            f"(horizon {HORIZON_DAYS} days)"
        )
    )
    for col in (
        "population",
        "method",
        "examples",
        "base rate",
        "AUC",
        "precision top 10%",
        "lift",
        "recall top 10%",
    ):
        table.add_column(col)
    for population, subset in (
        ("all open orders", rows),
        ("not asked in the last 7 days", [r for r in rows if not r.asked]),
    ):
        labels_arr = np.array([r.label for r in subset])
        base = float(labels_arr.mean()) if len(subset) else float("nan")
        for method, key in (("learned", "score_learned"), ("rules", "score_rules")):
            scores = np.array([getattr(r, key) for r in subset])
            precision, recall = top_share(subset, key)
            table.add_row(
                population,
                method
                if learned.method == "learned" or method == "rules"
                else "learned (fell back to rules)",
                str(len(subset)),
                f"{base:.3f}",
                f"{auc(scores, labels_arr):.3f}",
                f"{precision:.3f}",
                f"{precision / base:.1f}x" if base else "n/a",
                f"{recall:.3f}",
            )
    console.print(table)


if __name__ == "__main__":
    asyncio.run(main())
