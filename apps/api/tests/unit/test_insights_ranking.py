"""Ranking never contradicts itself; the benchmark table only shows sourced figures."""

from app.insights import benchmarks
from app.insights.base import Finding, rank


def finding(
    title: str, type_: str, impact: str, subject: str, direction: str, strength: float = 1.0
) -> Finding:
    return Finding(
        kind="test",
        type=type_,  # type: ignore[arg-type]
        title=title,
        description=f"{title}.",
        recommendation="Do something.",
        impact=impact,  # type: ignore[arg-type]
        data_points={"n": 1},
        subject=subject,
        direction=direction,  # type: ignore[arg-type]
        strength=strength,
    )


def test_ranked_by_impact_then_type_then_strength() -> None:
    out = rank(
        [
            finding("low success", "success", "low", "a", "good"),
            finding("high opportunity", "opportunity", "high", "b", "neutral"),
            finding("high warning weak", "warning", "high", "c", "bad", 1),
            finding("high warning strong", "warning", "high", "d", "bad", 5),
            finding("medium warning", "warning", "medium", "e", "bad"),
        ]
    )
    assert [f.title for f in out] == [
        "high warning strong",
        "high warning weak",
        "high opportunity",
        "medium warning",
        "low success",
    ]


def test_no_improved_and_worsened_for_one_metric() -> None:
    out = rank(
        [
            finding("Repeat rate improved", "success", "medium", "repeat_inquiry_rate", "good"),
            finding("Repeat rate above benchmark", "warning", "high", "repeat_inquiry_rate", "bad"),
        ]
    )
    assert [f.title for f in out] == ["Repeat rate above benchmark"]


def test_agreeing_findings_are_folded_into_one() -> None:
    out = rank(
        [
            finding("Exceptions above benchmark", "warning", "medium", "exception_rate", "bad"),
            finding("Exception rate worsened", "warning", "medium", "exception_rate", "bad", 0.5),
        ]
    )
    assert len(out) == 1
    assert out[0].description.endswith("Also: Exception rate worsened.")
    assert out[0].data_points["related"][0]["title"] == "Exception rate worsened"


def test_neutral_findings_never_clash() -> None:
    out = rank(
        [
            finding("Most inquiries are tracking", "opportunity", "medium", "mix", "neutral"),
            finding("Mix note", "opportunity", "low", "mix", "neutral"),
        ]
    )
    assert len(out) == 2


def test_every_benchmark_has_a_source_and_is_cited_as_reported() -> None:
    assert benchmarks.shown() == benchmarks.BENCHMARKS  # nothing unsourced in the table
    for b in benchmarks.BENCHMARKS:
        assert b.source.strip() and b.reported_by.strip()
        assert b.citation.startswith("reported by ")


def test_a_figure_without_a_source_is_never_shown() -> None:
    table = (
        *benchmarks.BENCHMARKS,
        benchmarks.Benchmark("mystery", "3% of orders", "", "", metric="inquiry_rate", value=0.03),
    )
    assert all(b.key != "mystery" for b in benchmarks.shown(table))
    assert all(b.key != "mystery" for b in benchmarks.for_metric("inquiry_rate", table))


def test_the_table_matches_the_documented_figures() -> None:
    by_key = {b.key: b for b in benchmarks.BENCHMARKS}
    assert by_key["wismo_tickets_per_order"].value == 0.067
    assert by_key["exception_rate_convey"].value == 0.11
    assert by_key["csat_median_influx"].value == 4.40
    assert by_key["median_resolution"].value == 8.3 * 3600
    assert by_key["carrier_on_time_ups_2025_12"].value == 0.972
    assert benchmarks.cost_per_contact("GBP") == by_key["cost_per_contact_sorted"]
    assert benchmarks.cost_per_contact("AUD") == by_key["cost_per_contact_parcel_perform"]
