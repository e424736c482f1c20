"""The dashboard's pages three ways: the API (rollups), plain SQL over the raw fact tables in
PostgreSQL, and DuckDB over the same facts; every figure must agree exactly.

    cd apps/api && uv run --group bench python ../../bench/duckdb_compare.py --scale 100 --days 365

The store is bench/run.py's (`wismo_bench_<orders per day>_<days>`, loaded once with the demo
generator, reused afterwards; `--reload` rebuilds it), ANALYZEd before timing. Its orders,
shipments and inquiries are copied out of PostgreSQL with COPY to CSV and loaded into an
in-memory DuckDB (DuckDB's postgres scanner is an extension it downloads on first use: not
available here). The fact queries are one SQL text per question run by both databases; only
"whole seconds between two instants" is spelled per dialect.

For each question: the endpoint's p50 over HTTP against one `wismo serve` (with the no-op
`GET /api/v1/stores/current` timed in the same run as the baseline), and the p50 of running
all of the question's fact queries in PostgreSQL and in DuckDB. The figures compared are the
page's counts, means and rates, its series, breakdowns and carrier table. Not compared: the
medians and p90s (the API estimates them from log-spaced histograms by design), the rolling
satisfaction windows, the resolution/rating correlation and the previous-period block of
the fulfillment page.
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import duckdb
import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import prepare  # noqa: E402  (bench/run.py: the bench store, loaded once)

from tests.servers import server_process  # noqa: E402

Figures = dict[str, Any]

# -------------------------------------------------------------------------- the fact queries

SECONDS = {
    "pg": "GREATEST(0, ROUND(EXTRACT(EPOCH FROM ({b} - {a}))))",
    "duck": "GREATEST(0, ROUND((epoch_us({b}) - epoch_us({a})) / 1000000.0))",
}


def ratio(numerator: str, denominator: str) -> str:
    return (
        f"CAST({numerator} AS DOUBLE PRECISION) / "
        f"CAST(NULLIF({denominator}, 0) AS DOUBLE PRECISION)"
    )


def inquiry_counters(dialect: str) -> str:
    """Per-inquiry counter columns (one row per inquiry), as the rollups define them."""
    resolved = "(resolved AND resolution_seconds IS NOT NULL)"
    response = SECONDS[dialect].format(a="created_at", b="first_response_at")
    return f"""
        1 AS total_inquiries,
        CASE WHEN is_repeat THEN 1 ELSE 0 END AS repeat_inquiries,
        CASE WHEN {resolved} THEN 1 ELSE 0 END AS resolved_inquiries,
        CASE WHEN {resolved} THEN resolution_seconds ELSE 0 END AS resolution_seconds_sum,
        CASE WHEN {resolved} AND NOT escalated AND NOT followed_up THEN 1 ELSE 0 END
            AS first_contact_resolved,
        CASE WHEN first_response_at IS NOT NULL THEN 1 ELSE 0 END AS first_response_count,
        CASE WHEN first_response_at IS NOT NULL THEN {response} ELSE 0 END
            AS first_response_seconds_sum,
        CASE WHEN {resolved} AND resolution_business_seconds IS NOT NULL THEN 1 ELSE 0 END
            AS resolution_business_count,
        CASE WHEN {resolved} THEN COALESCE(resolution_business_seconds, 0) ELSE 0 END
            AS resolution_business_seconds_sum,
        CASE WHEN first_response_business_seconds IS NOT NULL THEN 1 ELSE 0 END
            AS first_response_business_count,
        COALESCE(first_response_business_seconds, 0) AS first_response_business_seconds_sum,
        CASE WHEN satisfaction_rating IS NOT NULL THEN 1 ELSE 0 END AS rating_count,
        COALESCE(satisfaction_rating, 0) AS rating_sum,
        CASE WHEN satisfaction_rating >= 4 THEN 1 ELSE 0 END AS satisfied_count,
        CASE WHEN effort_score IS NOT NULL THEN 1 ELSE 0 END AS effort_count,
        COALESCE(effort_score, 0) AS effort_sum"""


def shipped_counters(dialect: str) -> str:
    """Per-shipment counters filed under the shipping day (s joined to its order o)."""
    processing = SECONDS[dialect].format(a="o.created_at", b="s.shipped_at")
    pickup = SECONDS[dialect].format(a="s.shipped_at", b="s.first_scan_at")
    return f"""
        1 AS shipments_shipped,
        CASE WHEN s.had_exception THEN 1 ELSE 0 END AS shipments_with_exception,
        CASE WHEN s.is_first_for_order THEN 1 ELSE 0 END AS time_to_ship_count,
        CASE WHEN s.is_first_for_order THEN {processing} ELSE 0 END AS time_to_ship_seconds_sum,
        CASE WHEN s.first_scan_at IS NOT NULL THEN 1 ELSE 0 END AS pickup_count,
        CASE WHEN s.first_scan_at IS NOT NULL THEN {pickup} ELSE 0 END AS pickup_seconds_sum"""


def delivered_counters(dialect: str) -> str:
    """Per-shipment counters filed under the delivery day."""
    total = SECONDS[dialect].format(a="s.shipped_at", b="s.delivered_at")
    transit = SECONDS[dialect].format(a="s.first_scan_at", b="s.delivered_at")
    estimate = "COALESCE(s.original_estimated_delivery, o.promised_delivery_date)"
    return f"""
        1 AS shipments_delivered,
        {total} AS transit_seconds_sum,
        CASE WHEN {estimate} IS NOT NULL THEN 1 ELSE 0 END AS delivered_with_estimate,
        CASE WHEN {estimate} IS NOT NULL AND s.delivered_local_date <= {estimate}
            THEN 1 ELSE 0 END AS delivered_on_time,
        CASE WHEN s.first_scan_at IS NOT NULL THEN 1 ELSE 0 END AS carrier_transit_count,
        CASE WHEN s.first_scan_at IS NOT NULL THEN {transit} ELSE 0 END
            AS carrier_transit_seconds_sum"""


INQUIRY_COLUMNS = (
    "total_inquiries repeat_inquiries resolved_inquiries resolution_seconds_sum "
    "first_contact_resolved first_response_count first_response_seconds_sum "
    "resolution_business_count resolution_business_seconds_sum first_response_business_count "
    "first_response_business_seconds_sum rating_count "
    "rating_sum satisfied_count effort_count effort_sum"
).split()
SHIPPED_COLUMNS = (
    "shipments_shipped shipments_with_exception time_to_ship_count time_to_ship_seconds_sum "
    "pickup_count pickup_seconds_sum"
).split()
DELIVERED_COLUMNS = (
    "shipments_delivered transit_seconds_sum delivered_with_estimate delivered_on_time "
    "carrier_transit_count carrier_transit_seconds_sum"
).split()
ALL_COLUMNS = ["total_orders", *INQUIRY_COLUMNS, *SHIPPED_COLUMNS, *DELIVERED_COLUMNS]


def facts_union(dialect: str, keys: dict[str, str], start: str = "$2", end: str = "$3") -> str:
    """One row per fact of the range with every counter column; `keys` gives the grouping
    expression per fact kind (days, orders, inquiries, shipped, delivered), or omits a kind."""

    def row(kind: str, columns: list[str], body: str) -> str:
        zeros = ", ".join(f"0 AS {c}" if c not in columns else c for c in ALL_COLUMNS)
        return f"SELECT {keys[kind]} AS k, {zeros} FROM ({body}) AS f"

    parts = []
    if "days" in keys:  # every day of the range with zero counters: empty buckets are figures too
        parts.append(
            row(
                "days",
                [],
                f"SELECT CAST(d AS DATE) AS local_date FROM generate_series("
                f"CAST(CAST({start} AS DATE) AS TIMESTAMP), "
                f"CAST(CAST({end} AS DATE) AS TIMESTAMP), INTERVAL '1 day') AS g(d)",
            )
        )
    if "orders" in keys:
        parts.append(
            row(
                "orders",
                ["total_orders"],
                f"SELECT *, 1 AS total_orders FROM orders "
                f"WHERE store_id = $1 AND local_date BETWEEN {start} AND {end}",
            )
        )
    if "inquiries" in keys:
        parts.append(
            row(
                "inquiries",
                INQUIRY_COLUMNS,
                f"SELECT *, {inquiry_counters(dialect)} FROM order_inquiries "
                f"WHERE store_id = $1 AND local_date BETWEEN {start} AND {end}",
            )
        )
    if "shipped" in keys:
        parts.append(
            row(
                "shipped",
                SHIPPED_COLUMNS,
                f"SELECT s.carrier, s.shipped_local_date AS local_date, "
                f"{shipped_counters(dialect)} FROM shipments s "
                f"JOIN orders o ON o.store_id = s.store_id AND o.id = s.order_id "
                f"WHERE s.store_id = $1 AND s.shipped_local_date BETWEEN {start} AND {end}",
            )
        )
    if "delivered" in keys:
        parts.append(
            row(
                "delivered",
                DELIVERED_COLUMNS,
                f"SELECT s.carrier, s.delivered_local_date AS local_date, "
                f"{delivered_counters(dialect)} FROM shipments s "
                f"JOIN orders o ON o.store_id = s.store_id AND o.id = s.order_id "
                f"WHERE s.store_id = $1 AND s.delivered_at IS NOT NULL "
                f"AND s.delivered_local_date BETWEEN {start} AND {end}",
            )
        )
    return " UNION ALL ".join(parts)


def summed(dialect: str, keys: dict[str, str], metrics: dict[str, str]) -> str:
    """SUM every counter per key, then the metrics (SQL over the summed columns)."""
    sums = ", ".join(f"SUM({c}) AS {c}" for c in ALL_COLUMNS)
    selected = ", ".join(f"{expr} AS {name}" for name, expr in metrics.items())
    return (
        f"SELECT k, {selected} FROM (SELECT k, {sums} FROM ({facts_union(dialect, keys)}) AS u "
        f"GROUP BY k) AS t ORDER BY k"
    )


ALL_KINDS = {"orders": "'all'", "inquiries": "'all'", "shipped": "'all'", "delivered": "'all'"}

OVERVIEW_METRICS = {
    "total_inquiries": "total_inquiries",
    "total_orders": "total_orders",
    "inquiry_rate": ratio("total_inquiries", "total_orders"),
    "repeat_inquiry_rate": ratio("repeat_inquiries", "total_inquiries"),
    "avg_resolution_seconds": ratio("resolution_seconds_sum", "resolved_inquiries"),
    "first_contact_resolution_rate": ratio("first_contact_resolved", "resolved_inquiries"),
    "avg_first_response_seconds": ratio("first_response_seconds_sum", "first_response_count"),
    "avg_resolution_business_seconds": ratio(
        "resolution_business_seconds_sum", "resolution_business_count"
    ),
    "avg_first_response_business_seconds": ratio(
        "first_response_business_seconds_sum", "first_response_business_count"
    ),
    "satisfaction_score": ratio("rating_sum", "rating_count"),
    "csat": ratio("satisfied_count", "rating_count"),
    "customer_effort_score": ratio("effort_sum", "effort_count"),
    "avg_time_to_ship_seconds": ratio("time_to_ship_seconds_sum", "time_to_ship_count"),
    "on_time_delivery_rate": ratio("delivered_on_time", "delivered_with_estimate"),
    "exception_rate": ratio("shipments_with_exception", "shipments_shipped"),
}

WEEK = "GREATEST(CAST(date_trunc('week', local_date) AS DATE), $2)"
CARRIER_METRICS = {
    "shipped": "shipments_shipped",
    "delivered": "shipments_delivered",
    "on_time_rate": ratio("delivered_on_time", "delivered_with_estimate"),
    "avg_transit_seconds": ratio("transit_seconds_sum", "shipments_delivered"),
    "exception_rate": ratio("shipments_with_exception", "shipments_shipped"),
    "inquiries": "total_inquiries",
    "inquiries_per_shipment": ratio("total_inquiries", "shipments_shipped"),
    "processing_count": "time_to_ship_count",
    "processing_mean": ratio("time_to_ship_seconds_sum", "time_to_ship_count"),
    "pickup_count": "pickup_count",
    "pickup_mean": ratio("pickup_seconds_sum", "pickup_count"),
    "transit_count": "carrier_transit_count",
    "transit_mean": ratio("carrier_transit_seconds_sum", "carrier_transit_count"),
}
RATED = {
    "rating_count": "rating_count",
    "satisfaction_score": ratio("rating_sum", "rating_count"),
    "csat": ratio("satisfied_count", "rating_count"),
}


def questions(dialect: str) -> dict[str, dict[str, tuple[str, str, str]]]:
    """question -> {figure group: (sql, start param, end param)}; params are range names."""
    return {
        "overview": {
            "current": (summed(dialect, ALL_KINDS, OVERVIEW_METRICS), "start", "end"),
            "previous": (
                summed(dialect, ALL_KINDS, OVERVIEW_METRICS),
                "previousStart",
                "previousEnd",
            ),
        },
        "inquiries": {
            "series": (
                summed(
                    dialect,
                    {"days": WEEK, "orders": WEEK, "inquiries": WEEK},
                    {
                        "inquiries": "total_inquiries",
                        "orders": "total_orders",
                        "inquiry_rate": ratio("total_inquiries", "total_orders"),
                        "repeat_inquiries": "repeat_inquiries",
                        "resolved": "resolved_inquiries",
                    },
                ),
                "start",
                "end",
            ),
            **{
                name: (
                    summed(
                        dialect,
                        {"inquiries": expr},
                        {"count": "total_inquiries"},
                    ),
                    "start",
                    "end",
                )
                for name, expr in {
                    "by_type": "inquiry_type",
                    "by_channel": "channel",
                    "by_order_status": "COALESCE(order_status, 'unknown')",
                    "peak_hours": "CAST(local_weekday AS VARCHAR) || ':' || "
                    "CAST(local_hour AS VARCHAR)",
                }.items()
            },
            "durations": (
                summed(
                    dialect,
                    {"inquiries": "'all'"},
                    {
                        "resolution_count": "resolved_inquiries",
                        "resolution_mean": ratio("resolution_seconds_sum", "resolved_inquiries"),
                        "first_response_count": "first_response_count",
                        "first_response_mean": ratio(
                            "first_response_seconds_sum", "first_response_count"
                        ),
                    },
                ),
                "start",
                "end",
            ),
        },
        "fulfillment": {
            "total": (
                summed(
                    dialect,
                    {"shipped": "'all'", "delivered": "'all'"},
                    {
                        "avg_time_to_ship_seconds": OVERVIEW_METRICS["avg_time_to_ship_seconds"],
                        "on_time_delivery_rate": OVERVIEW_METRICS["on_time_delivery_rate"],
                        "avg_transit_seconds": ratio("transit_seconds_sum", "shipments_delivered"),
                        "exception_rate": OVERVIEW_METRICS["exception_rate"],
                        "shipped": "shipments_shipped",
                        "delivered": "shipments_delivered",
                    },
                ),
                "start",
                "end",
            ),
            "carrier": (
                summed(
                    dialect,
                    {"shipped": "carrier", "delivered": "carrier", "inquiries": "carrier"},
                    CARRIER_METRICS,
                ).replace("ORDER BY k", "WHERE k IS NOT NULL ORDER BY k"),
                "start",
                "end",
            ),
        },
        "satisfaction": {
            "total": (
                summed(
                    dialect,
                    {"inquiries": "'all'"},
                    {
                        **RATED,
                        "customer_effort_score": OVERVIEW_METRICS["customer_effort_score"],
                    },
                ),
                "start",
                "end",
            ),
            "distribution": (
                summed(
                    dialect,
                    {"inquiries": "CAST(satisfaction_rating AS VARCHAR)"},
                    {"count": "rating_count"},
                ),
                "start",
                "end",
            ),
            **{
                f"driver_{name}": (
                    summed(dialect, {"inquiries": expr}, RATED),
                    "start",
                    "end",
                )
                for name, expr in {
                    "inquiry_type": "inquiry_type",
                    "carrier": "carrier",
                    "order_status": "COALESCE(order_status, 'unknown')",
                }.items()
            },
        },
    }


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def sql_figures(question: str, results: dict[str, list[tuple[Any, ...]]], names: Any) -> Figures:
    """The figures of a question from its queries' rows, keyed like `api_figures`."""
    figures: Figures = {}
    for group, rows in results.items():
        columns = names[group]
        for row in rows:
            key, values = plain(row[0]), [plain(v) for v in row[1:]]
            counters = dict(zip(columns, values, strict=True))
            if question == "inquiries" and group in ("by_type", "by_channel", "by_order_status"):
                figures[f"{group}.{key}"] = counters["count"]
            elif question == "inquiries" and group == "peak_hours":
                figures[f"peak.{key}"] = counters["count"]
            elif question == "satisfaction" and group == "distribution":
                if key is not None:
                    figures[f"distribution.{key}"] = counters["count"]
            elif group.startswith("driver_"):
                if key is not None and counters["rating_count"]:
                    for name, value in counters.items():
                        figures[f"{group}.{key}.{name}"] = value
            elif question == "fulfillment" and group == "carrier":
                if any(counters[c] for c in ("shipped", "delivered", "inquiries")):
                    for name, value in counters.items():
                        figures[f"carrier.{key}.{name}"] = value
            elif key == "all":
                for name, value in counters.items():
                    figures[f"{group}.{name}"] = value
            else:
                for name, value in counters.items():
                    figures[f"{group}.{key}.{name}"] = value
    return figures


def api_figures(question: str, body: dict[str, Any]) -> Figures:
    f: Figures = {}
    if question == "overview":
        for camel, value in body.items():
            if camel != "range":
                slug = "".join("_" + ch.lower() if ch.isupper() else ch for ch in camel)
                f[f"current.{slug}"] = value["value"]
                f[f"previous.{slug}"] = value["previous"]
    elif question == "inquiries":
        for point in body["series"]:
            for name in ("inquiries", "orders", "inquiryRate", "repeatInquiries", "resolved"):
                slug = {"inquiryRate": "inquiry_rate", "repeatInquiries": "repeat_inquiries"}
                f[f"series.{point['date']}.{slug.get(name, name)}"] = point[name]
        for group, field in (
            ("by_type", "byType"),
            ("by_channel", "byChannel"),
            ("by_order_status", "byOrderStatus"),
        ):
            for item in body[field]:
                if item["count"]:
                    f[f"{group}.{item['key']}"] = item["count"]
        for cell in body["peakHours"]:
            if cell["count"]:
                f[f"peak.{cell['weekday']}:{cell['hour']}"] = cell["count"]
        for name, field in (
            ("resolution", "resolutionTime"),
            ("first_response", "firstResponseTime"),
        ):
            f[f"durations.{name}_count"] = body[field]["count"]
            f[f"durations.{name}_mean"] = body[field]["mean"]
    elif question == "fulfillment":
        for name, field in (
            ("avg_time_to_ship_seconds", "avgTimeToShipSeconds"),
            ("on_time_delivery_rate", "onTimeDeliveryRate"),
            ("avg_transit_seconds", "avgTransitSeconds"),
            ("exception_rate", "exceptionRate"),
            ("shipped", "shipped"),
            ("delivered", "delivered"),
        ):
            f[f"total.{name}"] = body[field]
        for row in body["carriers"]:
            c = row["carrier"]
            for name, field in (
                ("shipped", "shipped"),
                ("delivered", "delivered"),
                ("on_time_rate", "onTimeRate"),
                ("avg_transit_seconds", "avgTransitSeconds"),
                ("exception_rate", "exceptionRate"),
                ("inquiries", "inquiries"),
                ("inquiries_per_shipment", "inquiriesPerShipment"),
            ):
                f[f"carrier.{c}.{name}"] = row[field]
            for stage in ("processing", "pickup", "transit"):
                f[f"carrier.{c}.{stage}_count"] = row["stages"][stage]["count"]
                f[f"carrier.{c}.{stage}_mean"] = row["stages"][stage]["mean"]
    elif question == "satisfaction":
        f["total.rating_count"] = body["ratingCount"]
        f["total.satisfaction_score"] = body["satisfactionScore"]
        f["total.csat"] = body["csat"]
        f["total.customer_effort_score"] = body["customerEffortScore"]
        for item in body["distribution"]:
            if item["count"]:
                f[f"distribution.{item['rating']}"] = item["count"]
        for dimension in ("inquiry_type", "carrier", "order_status"):
            camel = {"inquiry_type": "inquiryType", "order_status": "orderStatus"}
            for row in body["drivers"][camel.get(dimension, dimension)]:
                for name, field in (
                    ("rating_count", "ratingCount"),
                    ("satisfaction_score", "satisfactionScore"),
                    ("csat", "csat"),
                ):
                    f[f"driver_{dimension}.{row['key']}.{name}"] = row[field]
    return f


# -------------------------------------------------------------------------- the run

ENDPOINTS: dict[str, tuple[str, dict[str, str]]] = {
    "no-op": ("/api/v1/stores/current", {}),
    "overview": ("/api/v1/analytics/wismo/overview", {"date_range": "30d"}),
    "inquiries": (
        "/api/v1/analytics/wismo/inquiries",
        {"date_range": "custom", "start": "{y0}", "end": "{today}", "group_by": "week"},
    ),
    "fulfillment 90d": ("/api/v1/analytics/wismo/fulfillment", {"date_range": "90d"}),
    "fulfillment 365d": (
        "/api/v1/analytics/wismo/fulfillment",
        {"date_range": "custom", "start": "{y0}", "end": "{today}"},
    ),
    "satisfaction": ("/api/v1/analytics/wismo/satisfaction", {"date_range": "90d"}),
}

FACT_COLUMNS = {
    "orders": {
        "store_id": "VARCHAR",
        "id": "VARCHAR",
        "created_at": "TIMESTAMP",
        "local_date": "DATE",
        "promised_delivery_date": "DATE",
    },
    "shipments": {
        "store_id": "VARCHAR",
        "id": "VARCHAR",
        "order_id": "VARCHAR",
        "carrier": "VARCHAR",
        "shipped_at": "TIMESTAMP",
        "shipped_local_date": "DATE",
        "original_estimated_delivery": "DATE",
        "delivered_at": "TIMESTAMP",
        "delivered_local_date": "DATE",
        "first_scan_at": "TIMESTAMP",
        "had_exception": "BOOLEAN",
        "is_first_for_order": "BOOLEAN",
    },
    "order_inquiries": {
        "store_id": "VARCHAR",
        "inquiry_type": "VARCHAR",
        "order_status": "VARCHAR",
        "channel": "VARCHAR",
        "carrier": "VARCHAR",
        "created_at": "TIMESTAMP",
        "local_date": "DATE",
        "local_hour": "SMALLINT",
        "local_weekday": "SMALLINT",
        "is_repeat": "BOOLEAN",
        "followed_up": "BOOLEAN",
        "first_response_at": "TIMESTAMP",
        "resolved": "BOOLEAN",
        "resolution_seconds": "BIGINT",
        "first_response_business_seconds": "BIGINT",
        "resolution_business_seconds": "BIGINT",
        "escalated": "BOOLEAN",
        "satisfaction_rating": "SMALLINT",
        "effort_score": "SMALLINT",
    },
}


async def export_facts(
    conn: asyncpg.Connection, store_id: str, directory: Path
) -> duckdb.DuckDBPyConnection:
    duck = duckdb.connect(":memory:")
    for table, columns in FACT_COLUMNS.items():
        selected = ", ".join(
            f"({c} AT TIME ZONE 'UTC') AS {c}" if kind == "TIMESTAMP" else c
            for c, kind in columns.items()
        )
        path = directory / f"{table}.csv"
        await conn.copy_from_query(
            f"SELECT {selected} FROM {table} WHERE store_id = $1",
            store_id,
            output=str(path),
            format="csv",
            header=True,
        )
        spec = ", ".join(f"'{c}': '{kind}'" for c, kind in columns.items())
        duck.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, "
            f"columns = {{{spec}}})"
        )
    return duck


def p50(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100, help="orders per day")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--db-prefix", default="wismo_bench", help="as bench/run.py's")
    args = parser.parse_args()
    url, key, counts = await prepare(args.scale, args.days, args.reload, args.db_prefix)
    pg_url = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(pg_url)
    await conn.execute("SET jit = off")  # as the app's connections do (app/db/session.py)
    await conn.execute("ANALYZE")
    store_id = str(await conn.fetchval("SELECT id FROM stores WHERE name = 'Bench Store'"))
    directory = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    duck = await export_facts(conn, store_id, directory)
    print(f"{counts}; facts copied to DuckDB in {time.perf_counter() - started:.1f} s")

    headers = {"Authorization": f"Bearer {key}"}
    rows: list[tuple[str, float, float, float, int]] = []
    with (
        server_process(url) as (base, _),
        httpx.Client(base_url=base, headers=headers, timeout=60) as client,
    ):
        today = client.get("/api/v1/analytics/wismo/overview", params={"date_range": "7d"}).json()[
            "range"
        ]["end"]
        y0 = date.fromisoformat(today).replace(year=int(today[:4]) - 1).isoformat()
        api_p50: dict[str, float] = {}
        bodies: dict[str, Any] = {}
        for label, (path, params) in ENDPOINTS.items():
            filled = {k: v.format(today=today, y0=y0) for k, v in params.items()}

            def get(path: str = path, filled: dict[str, str] = filled) -> Any:
                response = client.get(path, params=filled)
                response.raise_for_status()
                return response.json()

            bodies[label] = get()
            api_p50[label] = p50(get, args.runs)
        noop = api_p50["no-op"]
        print(f"no-op p50 {noop:.1f} ms")

        failures = 0
        for label in ENDPOINTS:
            if label == "no-op":
                continue
            question = label.split()[0]
            body = bodies[label]
            rng = body["range"]
            params = {name: date.fromisoformat(rng[name]) for name in rng if name != "timezone"}
            pg_queries = questions("pg")[question]
            duck_queries = questions("duck")[question]
            names = {
                group: [c.strip().rsplit(" AS ", 1)[1] for c in _metric_names(sql)]
                for group, (sql, _, _) in pg_queries.items()
            }

            async def run_pg(queries: Any = pg_queries, params: Any = params) -> Any:
                return {
                    group: [tuple(r) for r in await conn.fetch(sql, store_id, params[a], params[b])]
                    for group, (sql, a, b) in queries.items()
                }

            def run_duck(queries: Any = duck_queries, params: Any = params) -> Any:
                return {
                    group: duck.execute(sql, [store_id, params[a], params[b]]).fetchall()
                    for group, (sql, a, b) in queries.items()
                }

            from_api = api_figures(question, body)
            from_pg = sql_figures(question, await run_pg(), names)
            from_duck = sql_figures(question, run_duck(), names)
            problems = compare(label, from_api, from_pg, from_duck)
            failures += problems
            loop_times = []
            for _ in range(args.runs + 1):
                t0 = time.perf_counter()
                await run_pg()
                loop_times.append((time.perf_counter() - t0) * 1000)
            pg_p50 = statistics.median(loop_times[1:])
            duck_p50 = p50(run_duck, args.runs)
            print(
                f"{label}: {len(from_api)} figures, "
                + ("all equal" if not problems else f"{problems} DIFFER")
            )
            rows.append((label, api_p50[label], pg_p50, duck_p50, len(from_api)))
    await conn.close()
    print(
        f"\n{counts['orders']} orders, {counts['inquiries']} inquiries, "
        f"{counts['tracking_events']} tracking events; p50 of {args.runs} runs, ms\n"
    )
    print(
        "| question | figures | API | x no-op | PostgreSQL facts | x no-op "
        "| DuckDB facts | x no-op |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| no-op (auth + store lookup) | | {noop:.1f} | 1.00 | | | | |")
    for label, api, pg, dk, n in rows:
        print(
            f"| {label} | {n} | {api:.1f} | {api / noop:.2f} | {pg:.1f} | {pg / noop:.2f} "
            f"| {dk:.1f} | {dk / noop:.2f} |"
        )
    if failures:
        raise SystemExit(
            f"FAILED: {failures} figures differ between the API, PostgreSQL and DuckDB"
        )
    print("\nevery figure equal in the API, PostgreSQL and DuckDB")


def _metric_names(sql: str) -> list[str]:
    """The metric columns of a `summed` query, in order (between 'SELECT k, ' and the first
    ' FROM (SELECT k, ')."""
    head = sql[len("SELECT k, ") : sql.index(" FROM (SELECT k, ")]
    names, depth, current = [], 0, ""
    for ch in head:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    return names


def compare(label: str, api: Figures, pg: Figures, duck: Figures) -> int:
    problems = 0
    for name in sorted(set(api) | set(pg) | set(duck)):
        values = (api.get(name, "missing"), pg.get(name, "missing"), duck.get(name, "missing"))
        if not (values[0] == values[1] == values[2]) or "missing" in values:
            problems += 1
            if problems <= 20:
                print(
                    f"  MISMATCH {label} {name}: "
                    f"api {values[0]!r} pg {values[1]!r} duckdb {values[2]!r}"
                )
    return problems


if __name__ == "__main__":
    asyncio.run(main())
