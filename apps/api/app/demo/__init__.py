"""Demo data: a deterministic generator of realistic stores, and a fast bulk loader.

Used by `wismo demo`, by tests and by the benchmarks:

    config = DemoConfig(days=120, orders_per_day=40, now=clock.now())  # or end_date=...
    summary = await load_store_data(session, store, config)
    result = await create_demo(session, config)  # demo stores + demo user + API keys

The generator never reads a clock: the caller says when the data ends (`wismo demo` passes
the clock's now, `app.core.clock`), and the same config always gives the same rows.
"""

from app.demo.generator import (
    DemoBatch,
    DemoConfig,
    DemoCustomer,
    DemoEvent,
    DemoInquiry,
    DemoOrder,
    DemoPlan,
    DemoShipment,
    StoreDataGenerator,
    batches,
    generate,
    generate_all,
    make_plan,
)
from app.demo.loader import (
    DEMO_USER_EMAIL,
    DEMO_USER_PASSWORD,
    DemoDataExistsError,
    DemoResult,
    DemoStoreResult,
    DemoSummary,
    ProgressFn,
    batch_contribution,
    create_demo,
    load_demo_into_store,
    load_store_data,
    store_config,
)
from app.demo.profiles import (
    DEMO_STORES,
    CarrierProfile,
    DemoStoreSpec,
    Region,
    carriers_for_timezone,
    region_for_timezone,
)

__all__ = [
    "DEMO_STORES",
    "DEMO_USER_EMAIL",
    "DEMO_USER_PASSWORD",
    "CarrierProfile",
    "DemoBatch",
    "DemoConfig",
    "DemoCustomer",
    "DemoDataExistsError",
    "DemoEvent",
    "DemoInquiry",
    "DemoOrder",
    "DemoPlan",
    "DemoResult",
    "DemoShipment",
    "DemoStoreResult",
    "DemoStoreSpec",
    "DemoSummary",
    "ProgressFn",
    "Region",
    "StoreDataGenerator",
    "batch_contribution",
    "batches",
    "carriers_for_timezone",
    "create_demo",
    "generate",
    "generate_all",
    "load_demo_into_store",
    "load_store_data",
    "make_plan",
    "region_for_timezone",
    "store_config",
]
