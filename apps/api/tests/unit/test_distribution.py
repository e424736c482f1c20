"""Every table can be sharded by store_id on a Citus-like PostgreSQL, or is listed as a
reference table (no store) or a known exception (with its reason) in app/db/distribution.py."""

from sqlalchemy import Column, ForeignKeyConstraint, Index, MetaData, Table, Uuid

import app.models  # noqa: F401  (fills the metadata, as alembic/env.py does)
from app.db.base import Base
from app.db.distribution import (
    KNOWN_EXCEPTIONS,
    REFERENCE_TABLES,
    citus_statements,
    violations,
)


def test_every_table_is_distributable_by_store_or_listed() -> None:
    problems = violations(Base.metadata)
    assert not problems, "tables that Citus could not distribute by store_id:\n" + "\n".join(
        str(p) for p in problems
    )


def test_the_lists_are_visible_and_small() -> None:
    # The reference tables have no store; the exceptions are the ones to fix in the models.
    assert set(REFERENCE_TABLES) == {"stores", "users", "user_sessions", "installation"}
    assert set(KNOWN_EXCEPTIONS) == {"api_keys", "outbox_emails"}
    for name in REFERENCE_TABLES:
        assert "store_id" not in Base.metadata.tables[name].c


def _tables() -> MetaData:
    metadata = MetaData()
    Table("stores", metadata, Column("id", Uuid, primary_key=True))
    Table(
        "orders",
        metadata,
        Column("store_id", Uuid, primary_key=True),
        Column("id", Uuid, primary_key=True),
    )
    return metadata


def test_a_table_without_store_in_its_primary_key_is_named() -> None:
    metadata = _tables()
    Table("notes", metadata, Column("id", Uuid, primary_key=True), Column("store_id", Uuid))
    found = [str(v) for v in violations(metadata, {"stores": "tenants"}, {})]
    assert found == ["notes: store_id is not part of the primary key"]


def test_a_unique_index_without_store_is_named() -> None:
    metadata = _tables()
    Table(
        "coupons",
        metadata,
        Column("store_id", Uuid, primary_key=True),
        Column("id", Uuid, primary_key=True),
        Column("code", Uuid),
        Index("ix_coupons_code", "code", unique=True),
    )
    found = [str(v) for v in violations(metadata, {"stores": "tenants"}, {})]
    assert found == ["coupons: store_id is not part of unique index ix_coupons_code ['code']"]


def test_a_foreign_key_between_distributed_tables_must_pair_store() -> None:
    metadata = _tables()
    Table(
        "shipments",
        metadata,
        Column("store_id", Uuid, primary_key=True),
        Column("id", Uuid, primary_key=True),
        Column("order_id", Uuid),
        ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_shipments_order"),
    )
    found = [str(v) for v in violations(metadata, {"stores": "tenants"}, {})]
    assert found == [
        "shipments: foreign key fk_shipments_order to distributed table orders does not pair "
        "store_id with store_id: [('order_id', 'id')]"
    ]


def test_a_storeless_table_and_a_reference_to_a_distributed_table_are_named() -> None:
    metadata = _tables()
    Table(
        "settings",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("last_store", Uuid),
        Column("last_order", Uuid),
        ForeignKeyConstraint(
            ["last_store", "last_order"], ["orders.store_id", "orders.id"], name="fk_settings_o"
        ),
    )
    found = {str(v) for v in violations(metadata, {"stores": "tenants"}, {})}
    assert found == {"settings: has no store_id column and is not a reference table"}
    found = {str(v) for v in violations(metadata, {"stores": "t", "settings": "global"}, {})}
    assert found == {
        "settings: reference table has foreign key fk_settings_o to distributed table orders"
    }


def test_an_exception_that_was_fixed_must_leave_the_list() -> None:
    found = [str(v) for v in violations(_tables(), {"stores": "tenants"}, {"orders": "was"})]
    assert found == ["orders: is a known exception but now follows every rule"]


def test_citus_statements_for_our_tables() -> None:
    statements = citus_statements(Base.metadata)
    assert len(statements) == len(Base.metadata.tables)
    reference = [s for s in statements if "create_reference_table" in s]
    assert len(reference) == 6  # 4 reference tables + 2 known exceptions
    # Reference tables come first: distributed tables' foreign keys point at them.
    assert statements[:6] == reference
    assert "SELECT create_reference_table('stores');" in reference
    distributed = [s.split("'")[1] for s in statements[6:]]
    anchor = distributed[0]
    assert statements[6] == f"SELECT create_distributed_table('{anchor}', 'store_id');"
    assert (
        f"SELECT create_distributed_table('orders', 'store_id', colocate_with => '{anchor}');"
        in statements
    )
    # A referenced table is distributed before the tables that reference it.
    assert distributed.index("customers") < distributed.index("orders")
    assert distributed.index("orders") < distributed.index("shipments")
    assert distributed.index("shipments") < distributed.index("tracking_events")
