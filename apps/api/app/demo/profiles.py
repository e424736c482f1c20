"""The demo's cast: stores, regions, carriers, people and places.

Everything here is fixed data; the generator draws from it with a seeded RNG.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DemoStoreSpec:
    key: str  # stable salt for the store's seed
    name: str
    domain: str
    timezone: str
    currency: str
    volume: float  # share of `orders_per_day` this store receives in `create_demo`
    # Opening hours ("mon".."sun" -> [(open, close)]), in effect from the first demo day.
    business_hours: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _weekdays(
    opens: str, closes: str, saturday: tuple[str, str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    hours = {day: [(opens, closes)] for day in ("mon", "tue", "wed", "thu", "fri")}
    return {**hours, "sat": [saturday] if saturday else [], "sun": []}


DEMO_STORES: tuple[DemoStoreSpec, ...] = (
    DemoStoreSpec(
        "northwind",
        "Northwind Outfitters",
        "northwind-outfitters.myshopify.com",
        "America/New_York",
        "USD",
        1.0,
        _weekdays("09:00", "17:00"),
    ),
    DemoStoreSpec(
        "brightside",
        "Brightside Home",
        "brightside-home.myshopify.com",
        "Europe/London",
        "GBP",
        0.6,
        _weekdays("08:00", "18:00", saturday=("10:00", "14:00")),
    ),
    DemoStoreSpec(
        "koala",
        "Koala Kitchen",
        "koala-kitchen.myshopify.com",
        "Australia/Sydney",
        "AUD",
        0.45,
        _weekdays("08:30", "16:30"),
    ),
)


@dataclass(frozen=True, slots=True)
class CarrierProfile:
    """How a carrier behaves in the demo.

    `on_time` is the target share of deliveries on or before the carrier's original estimate
    outside the incident window (exceptions included); `exception_rate` the share of shipments
    that hit an exception; `pickup_hours` the median hours from label to first scan.
    """

    name: str
    share: float
    pickup_hours: float
    transit_days: tuple[int, int]  # estimate, in business days after the label
    on_time: float
    exception_rate: float
    failed_attempt_rate: float
    stuck_label_rate: float  # label created, then no scan for days
    international: float  # share of its parcels that cross a border (customs)
    tracking_prefix: str
    tracking_digits: int
    hub: str


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    origin: str  # the merchant's warehouse
    cities: tuple[str, ...]
    carriers: tuple[CarrierProfile, ...]
    incident_carrier: str  # the carrier whose network the incident week hits hardest
    postcode_kind: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    order_total_median: float


_US = Region(
    code="US",
    origin="Columbus, OH",
    cities=(
        "Brooklyn, NY",
        "Austin, TX",
        "Denver, CO",
        "Seattle, WA",
        "Chicago, IL",
        "Atlanta, GA",
        "Phoenix, AZ",
        "Portland, OR",
        "Miami, FL",
        "Boston, MA",
        "Minneapolis, MN",
        "San Diego, CA",
        "Nashville, TN",
        "Philadelphia, PA",
        "Salt Lake City, UT",
        "Raleigh, NC",
    ),
    carriers=(
        CarrierProfile(
            "UPS", 0.32, 6, (2, 5), 0.95, 0.04, 0.03, 0.01, 0.02, "1Z", 16, "Louisville, KY"
        ),
        CarrierProfile(
            "USPS", 0.28, 14, (2, 5), 0.90, 0.05, 0.04, 0.03, 0.01, "9400", 18, "Kearny, NJ"
        ),
        CarrierProfile(
            "FedEx", 0.22, 8, (1, 4), 0.93, 0.05, 0.03, 0.02, 0.02, "7", 11, "Memphis, TN"
        ),
        CarrierProfile(
            "DHL", 0.06, 10, (3, 7), 0.90, 0.08, 0.03, 0.02, 0.60, "JD01", 14, "Cincinnati, OH"
        ),
        CarrierProfile(
            "OnTrac", 0.12, 30, (2, 4), 0.74, 0.14, 0.08, 0.08, 0.0, "C", 14, "Reno, NV"
        ),
    ),
    incident_carrier="UPS",
    postcode_kind="us",
    first_names=tuple(
        [
            "Ava",
            "Liam",
            "Olivia",
            "Noah",
            "Emma",
            "Elijah",
            "Sophia",
            "James",
            "Mia",
            "Lucas",
            "Harper",
            "Mason",
            "Amelia",
            "Ethan",
            "Evelyn",
            "Logan",
            "Abigail",
            "Jackson",
            "Ella",
            "Aiden",
            "Grace",
            "Mateo",
            "Chloe",
            "Daniel",
            "Zoe",
            "Carter",
            "Nora",
            "Jayden",
        ]
    ),
    last_names=tuple(
        [
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Garcia",
            "Miller",
            "Davis",
            "Rodriguez",
            "Martinez",
            "Hernandez",
            "Lopez",
            "Wilson",
            "Anderson",
            "Thomas",
            "Taylor",
            "Moore",
            "Jackson",
            "Martin",
            "Lee",
            "Perez",
            "Thompson",
            "White",
            "Harris",
            "Clark",
            "Lewis",
        ]
    ),
    order_total_median=68.0,
)

_UK = Region(
    code="GB",
    origin="Northampton",
    cities=(
        "London",
        "Manchester",
        "Leeds",
        "Bristol",
        "Glasgow",
        "Cardiff",
        "Birmingham",
        "Edinburgh",
        "Belfast",
        "Norwich",
        "Brighton",
        "York",
        "Nottingham",
        "Liverpool",
    ),
    carriers=(
        CarrierProfile(
            "Royal Mail", 0.34, 10, (1, 3), 0.91, 0.05, 0.04, 0.02, 0.01, "RM", 9, "Warrington"
        ),
        CarrierProfile("DPD", 0.25, 6, (1, 2), 0.96, 0.03, 0.02, 0.01, 0.01, "15", 12, "Hinckley"),
        CarrierProfile("Evri", 0.23, 26, (2, 4), 0.77, 0.13, 0.07, 0.07, 0.0, "H", 15, "Rugby"),
        CarrierProfile(
            "DHL", 0.08, 10, (2, 5), 0.92, 0.07, 0.03, 0.02, 0.55, "JD01", 14, "East Midlands"
        ),
        CarrierProfile("UPS", 0.10, 8, (1, 3), 0.94, 0.04, 0.03, 0.01, 0.05, "1Z", 16, "Tamworth"),
    ),
    incident_carrier="Royal Mail",
    postcode_kind="uk",
    first_names=tuple(
        [
            "Oliver",
            "Amelia",
            "George",
            "Isla",
            "Harry",
            "Ava",
            "Jack",
            "Mia",
            "Charlie",
            "Ivy",
            "Freddie",
            "Lily",
            "Alfie",
            "Florence",
            "Arthur",
            "Evie",
            "Theo",
            "Poppy",
            "Oscar",
            "Rosie",
            "Archie",
            "Grace",
            "Henry",
            "Sophie",
            "Leo",
            "Ella",
        ]
    ),
    last_names=tuple(
        [
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Williams",
            "Wilson",
            "Johnson",
            "Davies",
            "Patel",
            "Robinson",
            "Wright",
            "Thompson",
            "Evans",
            "Walker",
            "White",
            "Roberts",
            "Green",
            "Hall",
            "Wood",
            "Jackson",
            "Clarke",
            "Hughes",
            "Khan",
            "Edwards",
        ]
    ),
    order_total_median=52.0,
)

_AU = Region(
    code="AU",
    origin="Wetherill Park NSW",
    cities=(
        "Melbourne VIC",
        "Brisbane QLD",
        "Perth WA",
        "Adelaide SA",
        "Hobart TAS",
        "Canberra ACT",
        "Darwin NT",
        "Newcastle NSW",
        "Gold Coast QLD",
        "Geelong VIC",
        "Sydney NSW",
        "Wollongong NSW",
    ),
    carriers=(
        CarrierProfile(
            "Australia Post",
            0.40,
            12,
            (2, 6),
            0.88,
            0.06,
            0.05,
            0.03,
            0.01,
            "AP",
            12,
            "Chullora NSW",
        ),
        CarrierProfile(
            "StarTrack", 0.22, 8, (2, 5), 0.92, 0.05, 0.03, 0.02, 0.0, "ST", 12, "Minchinbury NSW"
        ),
        CarrierProfile(
            "Aramex", 0.14, 16, (2, 5), 0.84, 0.08, 0.05, 0.04, 0.0, "AX", 12, "Moorebank NSW"
        ),
        CarrierProfile(
            "DHL", 0.08, 10, (3, 7), 0.91, 0.07, 0.03, 0.02, 0.5, "JD01", 14, "Mascot NSW"
        ),
        CarrierProfile(
            "CouriersPlease", 0.16, 28, (2, 5), 0.72, 0.15, 0.08, 0.08, 0.0, "CP", 13, "Yennora NSW"
        ),
    ),
    incident_carrier="Australia Post",
    postcode_kind="au",
    first_names=tuple(
        [
            "Charlotte",
            "Oliver",
            "Amelia",
            "Noah",
            "Isla",
            "Jack",
            "Mia",
            "William",
            "Olivia",
            "Leo",
            "Ava",
            "Henry",
            "Grace",
            "Thomas",
            "Chloe",
            "Lucas",
            "Matilda",
            "Harrison",
            "Ruby",
            "Hudson",
            "Zoe",
            "Archie",
            "Willow",
            "Cooper",
        ]
    ),
    last_names=tuple(
        [
            "Smith",
            "Jones",
            "Williams",
            "Brown",
            "Wilson",
            "Taylor",
            "Nguyen",
            "Johnson",
            "Martin",
            "White",
            "Anderson",
            "Walker",
            "Thompson",
            "Thomas",
            "Lee",
            "Ryan",
            "Kelly",
            "King",
            "Harris",
            "Chen",
            "Robinson",
            "Campbell",
        ]
    ),
    order_total_median=74.0,
)

REGIONS: dict[str, Region] = {r.code: r for r in (_US, _UK, _AU)}


def region_for_timezone(timezone: str) -> Region:
    """Carriers and places for a store, from its time zone (the US set by default)."""
    if timezone.startswith(("Australia/", "Pacific/Auckland")):
        return _AU
    if timezone.startswith("Europe/"):
        return _UK
    return _US


def carriers_for_timezone(timezone: str) -> tuple[CarrierProfile, ...]:
    return region_for_timezone(timezone).carriers


# Exception reasons (tracking subtags) and their behaviour:
# (weight, delay days (min, max), probability returned to sender, inquiry probability)
EXCEPTION_REASONS: dict[str, tuple[float, tuple[int, int], float, float]] = {
    "address_issue": (0.26, (1, 3), 0.25, 0.45),
    "weather_delay": (0.18, (1, 4), 0.0, 0.40),
    "carrier_delay": (0.26, (1, 3), 0.0, 0.30),
    "damaged": (0.12, (0, 2), 0.45, 0.55),
    "customs": (0.0, (2, 6), 0.10, 0.45),  # only international parcels, chosen separately
    "lost": (0.06, (0, 0), 0.0, 0.65),
}

EXCEPTION_DESCRIPTIONS: dict[str, str] = {
    "address_issue": "Address information needed - the address is incomplete or incorrect",
    "weather_delay": "Severe weather conditions have delayed delivery",
    "carrier_delay": "Delay: the package missed its scheduled departure",
    "damaged": "Package damaged in transit - carrier is assessing the contents",
    "customs": "Held by customs - clearance documentation required",
    "lost": "Package could not be located - carrier investigation opened",
}

FAILED_ATTEMPT_REASONS: tuple[tuple[str, str], ...] = (
    ("recipient_unavailable", "Delivery attempted - nobody available to receive the package"),
    ("access_issue", "Delivery attempted - no access to the delivery location"),
    ("address_issue", "Delivery attempted - address could not be found"),
)

FEEDBACK: dict[int, tuple[str, ...]] = {
    1: (
        "Nobody could tell me where my parcel was.",
        "Took days to get an answer and it still has not arrived.",
        "I had to ask three times. Very frustrating.",
    ),
    2: (
        "Slow replies, and the tracking link never updated.",
        "Answer was vague, I am still waiting.",
    ),
    3: (
        "Got there in the end, but it took a while.",
        "OK, though I had to chase for an update.",
    ),
    4: (
        "Helpful answer, thanks.",
        "Quick reply with the tracking details I needed.",
    ),
    5: (
        "Super fast and friendly, thank you!",
        "Sorted in minutes - great service.",
        "Clear answer straight away, very happy.",
    ),
}
