"""Which tables a sharded PostgreSQL (Citus) could distribute by `store_id`, and the rules that
make it possible. `python -m app.db.distribution` prints the Citus statements for our tables.

The rules Citus imposes on a table distributed by a column:
- the column is part of the primary key and of every unique constraint and unique index
  (uniqueness is only enforced within a shard);
- a foreign key between two distributed tables includes the column on both sides, paired
  (both rows then live on the same shard);
- a reference table (copied to every node) may not reference a distributed table.
A distributed table may reference a reference table.
"""

from dataclasses import dataclass

from sqlalchemy import ForeignKeyConstraint, MetaData, Table, UniqueConstraint

DISTRIBUTION_COLUMN = "store_id"

# Tables that belong to no store: small, read on every request, copied to every node.
REFERENCE_TABLES: dict[str, str] = {
    "stores": "the tenants themselves; every store-scoped table references them",
    "users": "a person may be a member of several stores",
    "user_sessions": "a login of a user, not of a store (the store is chosen per request)",
    "installation": "one row for the whole deployment (the first sign-up)",
}

# Tables that carry a store_id but break a rule today; on Citus they would be reference
# tables until the model changes.
KNOWN_EXCEPTIONS: dict[str, str] = {
    "api_keys": "primary key `id` and unique `key_hash` without store_id: a key is found by its "
    "hash before the store is known",
    "outbox_emails": "primary key `id` without store_id, and store_id is nullable: store-less mail "
    "(password resets) has no store",
}


@dataclass(frozen=True)
class Violation:
    table: str
    rule: str

    def __str__(self) -> str:
        return f"{self.table}: {self.rule}"


def _unique_column_sets(table: Table) -> list[tuple[str, list[str]]]:
    sets: list[tuple[str, list[str]]] = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            sets.append(
                (f"unique constraint {constraint.name}", [c.name for c in constraint.columns])
            )
    for index in table.indexes:
        if index.unique:
            sets.append((f"unique index {index.name}", [c.name for c in index.columns]))
    return sets


def _distributed_table_violations(table: Table, distributed: set[str]) -> list[Violation]:
    column = DISTRIBUTION_COLUMN
    if column not in table.c:
        return [Violation(table.name, f"has no {column} column and is not a reference table")]
    found: list[Violation] = []
    if column not in {c.name for c in table.primary_key.columns}:
        found.append(Violation(table.name, f"{column} is not part of the primary key"))
    for label, columns in _unique_column_sets(table):
        if column not in columns:
            found.append(Violation(table.name, f"{column} is not part of {label} {columns}"))
    for fk in table.constraints:
        if not isinstance(fk, ForeignKeyConstraint) or fk.referred_table.name not in distributed:
            continue
        pairs = {(e.parent.name, e.column.name) for e in fk.elements}
        if (column, column) not in pairs:
            found.append(
                Violation(
                    table.name,
                    f"foreign key {fk.name} to distributed table {fk.referred_table.name} "
                    f"does not pair {column} with {column}: {sorted(pairs)}",
                )
            )
    return found


def violations(
    metadata: MetaData,
    reference: dict[str, str] = REFERENCE_TABLES,
    exceptions: dict[str, str] = KNOWN_EXCEPTIONS,
) -> list[Violation]:
    """Every broken rule; reference tables and known exceptions are not distributed."""
    not_distributed = set(reference) | set(exceptions)
    distributed = {name for name in metadata.tables if name not in not_distributed}
    found: list[Violation] = []
    for name in sorted(set(reference) | set(exceptions)):
        if name not in metadata.tables:
            found.append(Violation(name, "is listed as reference or exception but does not exist"))
    for name, table in sorted(metadata.tables.items()):
        if name in distributed:
            found.extend(_distributed_table_violations(table, distributed))
            continue
        if name in exceptions and not _distributed_table_violations(table, distributed):
            found.append(Violation(name, "is a known exception but now follows every rule"))
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name in distributed:
                found.append(
                    Violation(
                        name,
                        f"reference table has foreign key {fk.name} to distributed table "
                        f"{fk.referred_table.name}",
                    )
                )
    return found


def citus_statements(metadata: MetaData) -> list[str]:
    """Reference tables first (distributed tables reference them), then the distributed tables
    in foreign-key order, each co-located with the first."""
    not_distributed = set(REFERENCE_TABLES) | set(KNOWN_EXCEPTIONS)
    ordered = [t.name for t in metadata.sorted_tables]
    statements = [
        f"SELECT create_reference_table('{name}');" for name in ordered if name in not_distributed
    ]
    distributed = [name for name in ordered if name not in not_distributed]
    for i, name in enumerate(distributed):
        colocate = "" if i == 0 else f", colocate_with => '{distributed[0]}'"
        statements.append(
            f"SELECT create_distributed_table('{name}', '{DISTRIBUTION_COLUMN}'{colocate});"
        )
    return statements


if __name__ == "__main__":
    import app.models  # noqa: F401  (fills the metadata)
    from app.db.base import Base

    problems = violations(Base.metadata)
    for problem in problems:
        print(f"-- cannot distribute: {problem}")
    print("\n".join(citus_statements(Base.metadata)))
