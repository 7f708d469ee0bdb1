"""Which account each table's rows belong to, derived from the schema's foreign keys.

One derivation serves the team server's row-level security (app.models.policies) and its
change announcements (app.models.notify), so a table added later is covered by both without a
list to update. A row belongs to an account through its ``account_id`` column (a foreign key,
or the column its table's ``info`` names: private notes), or through the parent row it is
deleted with (a ``CASCADE`` foreign key: a milestone through its goal, whose plan names the
account). Tables reached neither way are book-wide (playbooks, scorecards).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table

from app.models import Base  # every table: the package loads the whole ORM

#: Tables of the workspace's own bookkeeping: written as a side effect of every other change
#: (the change count, the audit trail), so never announced or protected as records.
#: Tables of no record of the book: the workspace's own facts, the server's trail, and sync's
#: own log, batches, outbox and conflicts (app.models.sync_tables).
BOOKKEEPING = frozenset(
    {
        "workspace_meta",
        "audit_entry",
        "sync_log",
        "sync_batch",
        "sync_replica",
        "sync_outbox",
        "sync_conflict",
    }
)


@dataclass(frozen=True)
class Step:
    """From a row of ``table`` to its parent row in ``parent`` through ``column``."""

    table: str
    column: str
    parent: str


@dataclass(frozen=True)
class AccountPath:
    """How a row of ``table`` names its account: ``steps`` to a row holding ``account_column``."""

    table: str
    steps: tuple[Step, ...]
    #: The column of the last table reached that holds the account id.
    account_column: str

    @property
    def owner_table(self) -> str:
        """The table whose ``account_column`` names the account."""
        return self.steps[-1].parent if self.steps else self.table

    def row_account_sql(self) -> str:
        """An SQL expression for the account of the current row of ``table`` (a policy's)."""
        if not self.steps:
            return f"{self.table}.{self.account_column}"
        first = self.steps[0]
        return (
            f"(SELECT {self._last()}.{self.account_column} FROM {first.parent} p1"
            f"{self._joins()} WHERE p1.id = {self.table}.{first.column})"
        )

    def changed_accounts_sql(self, rows: str) -> str:
        """An SQL query for the distinct account ids of the rows in the relation ``rows``."""
        if not self.steps:
            return f"SELECT array_agg(DISTINCT r.{self.account_column}::text) FROM {rows} r"
        first = self.steps[0]
        return (
            f"SELECT array_agg(DISTINCT {self._last()}.{self.account_column}::text) "
            f"FROM {rows} r JOIN {first.parent} p1 ON p1.id = r.{first.column}{self._joins()}"
        )

    def _last(self) -> str:
        return f"p{len(self.steps)}"

    def _joins(self) -> str:
        """JOINs from ``p1`` (the first parent) up to the table naming the account."""
        return "".join(
            f" JOIN {step.parent} p{n} ON p{n}.id = p{n - 1}.{step.column}"
            for n, step in enumerate(self.steps[1:], 2)
        )


def _direct(table: Table) -> str | None:
    if table.name == "account":
        return "id"
    if "account_column" in table.info:  # names its account without a key (private notes)
        return str(table.info["account_column"])
    for fk in table.foreign_keys:
        if fk.parent.name == "account_id" and fk.column.table.name == "account":
            return "account_id"
    return None


def account_path(table: Table) -> AccountPath | None:
    """How rows of ``table`` name their account (None: a book-wide table)."""
    column = _direct(table)
    if column is not None:
        return AccountPath(table.name, (), column)
    # Through the parent the row is deleted with; the first such key by column name.
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        parent = fk.column.table
        if fk.ondelete != "CASCADE" or parent is table or fk.column.name != "id":
            continue
        above = account_path(parent)
        if above is not None:
            return AccountPath(
                table.name, (Step(table.name, fk.parent.name, parent.name), *above.steps),
                above.account_column,
            )  # fmt: skip
    return None


def record_tables() -> list[Table]:
    """Every table of the schema holding records (all but the bookkeeping), parents first."""
    return [t for t in Base.metadata.sorted_tables if t.name not in BOOKKEEPING]


def account_paths() -> dict[str, AccountPath]:
    """The path to its account of every table whose rows belong to one account."""
    out = {}
    for table in record_tables():
        path = account_path(table)
        if path is not None:
            out[table.name] = path
    return out
