"""Industry benchmark figures for WISMO insights: the one documented table, with sources.

Copied from `shared/data/benchmarks.md` (each figure with the source it was read from).
These are published figures, mostly from vendors or secondary citations: marketing-grade.
The rules, enforced here and tested:

- a figure is shown only with its source (`shown()` drops any entry without one);
- every figure is phrased "reported by SOURCE", never as a fact (`Benchmark.citation`);
- a figure is compared with a store's metric only when it measures the same thing in the
  same unit (`value` is set, in the API's units: fractions, seconds, 1-5 scores), and the
  comparison says how the definitions differ when they do (`caveat`).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Benchmark:
    key: str
    label: str  # the figure as published, in words
    source: str  # where it was read, as read
    reported_by: str  # whose figure it is (shown as "reported by ...")
    metric: str | None = None  # the store metric it can be compared with, if any
    value: float | None = None  # the comparable figure in API units
    low: float | None = None  # ranges (costs)
    high: float | None = None
    currency: str | None = None
    caveat: str | None = None

    @property
    def citation(self) -> str:
        return f"reported by {self.reported_by}"

    @property
    def has_source(self) -> bool:
        return bool(self.source.strip()) and bool(self.reported_by.strip())


_GORGIAS_VIA = (
    'Gorgias data via "WISMO ticket volume benchmark" (get-squire) and '
    '"Post-Purchase Support Ticket Benchmarks 2025" (shipmentguard)'
)
_GORGIAS_BENCH_VIA = (
    "Gorgias benchmarks via the same secondary citations (get-squire, shipmentguard)"
)
_SHIPMATRIX_CAVEAT = (
    "ShipMatrix measures carriers against their own service commitments; this store's on-time "
    "rate compares delivery with the original estimate shown to the customer"
)

BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "wismo_share_of_requests",
        "about 18% of support requests (16% of volume) are WISMO",
        _GORGIAS_VIA,
        "Gorgias (secondary citation)",
    ),
    Benchmark(
        "wismo_tickets_per_order",
        "6.7 WISMO tickets per 100 orders",
        _GORGIAS_VIA,
        "Gorgias (secondary citation)",
        metric="inquiry_rate",
        value=0.067,
        caveat="the benchmark counts WISMO tickets; this store counts every order inquiry",
    ),
    Benchmark(
        "wismo_share_of_contacts_radial",
        "25-35% of contacts are WISMO, up to 50% at peak",
        "Radial",
        "Radial",
    ),
    Benchmark(
        "wismo_share_of_contacts_project44",
        "up to 50% of contacts are WISMO, about $5 per call",
        "project44; Convey",
        "project44 and Convey",
    ),
    Benchmark(
        "wismo_rate_per_order",
        'a "standard" WISMO rate of 5% of orders',
        "WISMOlabs",
        "WISMOlabs",
        metric="inquiry_rate",
        value=0.05,
    ),
    Benchmark(
        "cost_per_contact_parcel_perform",
        "$5-12 per WISMO ticket",
        "Parcel Perform",
        "Parcel Perform",
        metric="cost_per_contact",
        low=5.0,
        high=12.0,
        currency="USD",
    ),
    Benchmark(
        "cost_per_contact_wismolabs",
        "$1-8 per WISMO contact",
        "WISMOlabs",
        "WISMOlabs",
        metric="cost_per_contact",
        low=1.0,
        high=8.0,
        currency="USD",
    ),
    Benchmark(
        "cost_per_contact_sorted",
        "£4-6 per WISMO contact",
        "Sorted",
        "Sorted",
        metric="cost_per_contact",
        low=4.0,
        high=6.0,
        currency="GBP",
    ),
    Benchmark(
        "cost_per_issue_route",
        "$7 per post-purchase issue",
        "Route",
        "Route",
        metric="cost_per_contact",
        low=7.0,
        high=7.0,
        currency="USD",
    ),
    Benchmark(
        "exception_rate_convey",
        "11% of shipments hit an exception",
        "Convey",
        "Convey",
        metric="exception_rate",
        value=0.11,
    ),
    Benchmark(
        "median_first_response",
        "median first response time 2 h (top teams 0.54 h)",
        _GORGIAS_BENCH_VIA,
        "Gorgias (secondary citation)",
        metric="median_first_response_seconds",
        value=2 * 3600.0,
        low=0.54 * 3600.0,
    ),
    Benchmark(
        "median_resolution",
        "median resolution time 8.3 h",
        _GORGIAS_BENCH_VIA,
        "Gorgias (secondary citation)",
        metric="median_resolution_seconds",
        value=8.3 * 3600.0,
    ),
    Benchmark(
        "csat_median_influx",
        "median CSAT of 4.40 / 5 across 20+ brands",
        "Influx study of 20+ brands",
        "Influx",
        metric="satisfaction_score",
        value=4.40,
    ),
    Benchmark(
        "csat_definition_gorgias",
        "CSAT in helpdesks is the share of 4-5 ratings on a 1-5 scale",
        'Gorgias "Measure ticket quality: Satisfaction"',
        "Gorgias",
    ),
    Benchmark(
        "carrier_on_time_ups_2025_12",
        "UPS 97.2% on time, December 2025",
        "ShipMatrix via FreightWaves",
        "ShipMatrix (via FreightWaves)",
        metric="carrier_on_time:UPS",
        value=0.972,
        caveat=_SHIPMATRIX_CAVEAT,
    ),
    Benchmark(
        "carrier_on_time_fedex_2025_12",
        "FedEx Express 95.3% on time, December 2025",
        "ShipMatrix via FreightWaves",
        "ShipMatrix (via FreightWaves)",
        metric="carrier_on_time:FedEx",
        value=0.953,
        caveat=_SHIPMATRIX_CAVEAT,
    ),
    Benchmark(
        "carrier_on_time_usps_2025_12",
        "USPS 94.1% on time, December 2025",
        "ShipMatrix via FreightWaves",
        "ShipMatrix (via FreightWaves)",
        metric="carrier_on_time:USPS",
        value=0.941,
        caveat=_SHIPMATRIX_CAVEAT,
    ),
    Benchmark(
        "carrier_on_time_2024_12",
        "UPS 96.5%, FedEx 91.8%, USPS 90.4% on time, December 2024",
        "ShipMatrix via FreightWaves",
        "ShipMatrix (via FreightWaves)",
    ),
    Benchmark(
        "carrier_on_time_cyber_week_2025",
        "UPS 98.9%, FedEx 98.3%, USPS 97.2% on time, Cyber Week 2025",
        "ShipMatrix",
        "ShipMatrix",
    ),
    Benchmark(
        "tracking_checks_per_order",
        "4.6 tracking checks per order",
        "Malomo",
        "Malomo",
    ),
)


def shown(table: tuple[Benchmark, ...] = BENCHMARKS) -> tuple[Benchmark, ...]:
    """The figures that may be shown: those with a source."""
    return tuple(b for b in table if b.has_source)


def for_metric(metric: str, table: tuple[Benchmark, ...] = BENCHMARKS) -> list[Benchmark]:
    return [b for b in shown(table) if b.metric == metric]


def cost_per_contact(currency: str, table: tuple[Benchmark, ...] = BENCHMARKS) -> Benchmark | None:
    """A contact-cost range in the store's currency if one is published, else the USD one
    (Parcel Perform's, the first listed)."""
    costs = for_metric("cost_per_contact", table)
    same = [b for b in costs if b.currency == currency.upper()]
    if same:
        return same[0]
    usd = [b for b in costs if b.currency == "USD"]
    return usd[0] if usd else None
