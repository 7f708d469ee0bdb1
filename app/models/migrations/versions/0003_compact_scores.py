"""compact weekly tables: health_score and metric_snapshot keyed by (account, date)

Both tables hold a row per account per week (a million in a 10,000-account book). They lose
their random ``id`` (nothing refers to these rows; imports journal a snapshot as
``account_id:as_of`` instead) and become ``WITHOUT ROWID`` tables whose primary key is
(account_id, as_of), so the natural key is the only index. ``health_score`` also drops
``scorecard_id`` and stores its breakdown as ``[mask, points...]`` (see
``app.services.scoring.encode_breakdown``) instead of ``{"measure_key": points}``.

Revision ID: 0003_compact_scores
Revises: 0002_import
Create Date: 2026-11-22
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_compact_scores"
down_revision = "0002_import"
branch_labels = None
depends_on = None

#: ``app.services.scoring.BREAKDOWN_KEYS`` as of this revision (that tuple only grows).
_KEYS = (
    "adoption",
    "tickets_new",
    "tickets_open",
    "tickets_p1",
    "hours_to_resolve",
    "nps",
    "csat",
    "pulse",
    "days_since_touch",
    "executive_access",
    "overdue_invoices",
    "service_credits",
    "milestones_slipping",
)
_SIGNALS = (
    "active_users",
    "licensed_users",
    "tickets_new",
    "tickets_open",
    "tickets_p1",
    "hours_to_resolve",
    "nps",
    "csat",
    "days_since_touch",
    "executive_access",
    "overdue_invoices_minor",
    "service_credits_minor",
    "milestones_slipping",
    "pulse",
)
_CHUNK = 20_000


def _encode(text: str | None) -> str:
    """``{"key": points}`` (the old form) as ``[mask, points...]``."""
    points: dict[str, Any] = json.loads(text or "{}")
    unknown = set(points) - set(_KEYS)
    if unknown:
        raise ValueError(f"health_score breakdown with unknown measures: {sorted(unknown)}")
    keys = [key for key in _KEYS if key in points]
    mask = sum(1 << _KEYS.index(key) for key in keys)
    values = ["null" if points[k] is None else f"{round(float(points[k]), 1):g}" for k in keys]
    return "[" + ",".join([str(mask), *values]) + "]"


def _decode(text: str | None) -> str:
    """``[mask, points...]`` back as ``{"key": points}``."""
    mask, *values = json.loads(text or "[0]")
    keys = [key for i, key in enumerate(_KEYS) if mask >> i & 1]
    return json.dumps(dict(zip(keys, values, strict=True)), separators=(",", ":"))


def _chunks(connection: sa.Connection, sql: str) -> Iterator[list[Any]]:
    result = connection.exec_driver_sql(sql)
    while rows := result.fetchmany(_CHUNK):
        yield rows


def _snapshot_columns(with_id: bool) -> list[sa.Column[Any]]:
    key = dict(primary_key=not with_id)
    columns: list[sa.Column[Any]] = [
        sa.Column("account_id", sa.String(length=32), nullable=False, **key),
        sa.Column("as_of", sa.Date(), nullable=False, **key),
        sa.Column("active_users", sa.Integer(), nullable=True),
        sa.Column("licensed_users", sa.Integer(), nullable=True),
        sa.Column("tickets_new", sa.Integer(), nullable=True),
        sa.Column("tickets_open", sa.Integer(), nullable=True),
        sa.Column("tickets_p1", sa.Integer(), nullable=True),
        sa.Column("hours_to_resolve", sa.Float(), nullable=True),
        sa.Column("nps", sa.Float(), nullable=True),
        sa.Column("csat", sa.Float(), nullable=True),
        sa.Column("days_since_touch", sa.Integer(), nullable=True),
        sa.Column("executive_access", sa.Boolean(), nullable=True),
        sa.Column("overdue_invoices_minor", sa.Integer(), nullable=True),
        sa.Column("service_credits_minor", sa.Integer(), nullable=True),
        sa.Column("milestones_slipping", sa.Integer(), nullable=True),
        sa.Column("pulse", sa.Integer(), nullable=True),
    ]
    if with_id:
        columns.insert(0, sa.Column("id", sa.String(length=32), nullable=False))
    return columns


def _create_snapshots(name: str, *, with_id: bool) -> None:
    constraints: list[Any] = [
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_metric_snapshot_account_id_account"),
            ondelete="CASCADE",
        )
    ]
    if with_id:
        constraints += [
            sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_snapshot")),
            sa.UniqueConstraint("account_id", "as_of", name=op.f("uq_metric_snapshot_account_id_as_of")),
        ]
        op.create_table(name, *_snapshot_columns(True), *constraints)
    else:
        constraints.append(
            sa.PrimaryKeyConstraint("account_id", "as_of", name=op.f("pk_metric_snapshot"))
        )
        op.create_table(name, *_snapshot_columns(False), *constraints, sqlite_with_rowid=False)


def _create_scores(name: str, *, with_id: bool) -> None:
    columns: list[Any] = [
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "band",
            sa.Enum(
                "red",
                "yellow",
                "green",
                name="health_band",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("breakdown", sa.Text(), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name=op.f("ck_health_score_score_range")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_health_score_account_id_account"),
            ondelete="CASCADE",
        ),
    ]
    if with_id:
        columns += [
            sa.Column("id", sa.String(length=32), nullable=False),
            sa.Column("scorecard_id", sa.String(length=32), nullable=True),
            sa.ForeignKeyConstraint(
                ["scorecard_id"],
                ["scorecard.id"],
                name=op.f("fk_health_score_scorecard_id_scorecard"),
                ondelete="SET NULL",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_health_score")),
            sa.UniqueConstraint("account_id", "as_of", name=op.f("uq_health_score_account_id_as_of")),
        ]
        op.create_table(name, *columns)
    else:
        columns.append(sa.PrimaryKeyConstraint("account_id", "as_of", name=op.f("pk_health_score")))
        op.create_table(name, *columns, sqlite_with_rowid=False)


def _copy(
    connection: sa.Connection,
    source: str,
    target: str,
    columns: list[str],
    convert: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None,
    *,
    extra: list[str] | None = None,
) -> None:
    """Copy ``columns`` of ``source`` into ``target`` in key order (full pages), converted."""
    names = [*(extra or []), *columns]
    marks = ", ".join("?" if connection.dialect.paramstyle == "qmark" else "%s" for _ in names)
    insert = f"INSERT INTO {target} ({', '.join(names)}) VALUES ({marks})"
    select = f"SELECT {', '.join(columns)} FROM {source} ORDER BY account_id, as_of"
    for rows in _chunks(connection, select):
        values = [convert(tuple(row)) if convert else tuple(row) for row in rows]
        connection.exec_driver_sql(insert, values)


def _journal(connection: sa.Connection) -> list[tuple[str, list[str]]]:
    """The import journal's snapshot entries: (entry id, the row keys it lists)."""
    entries = connection.exec_driver_sql(
        "SELECT id, row_ids FROM import_journal WHERE table_name = 'metric_snapshot'"
    ).all()
    return [(entry_id, json.loads(row_ids)) for entry_id, row_ids in entries]


def _keys_of(
    connection: sa.Connection, table: str, entries: list[tuple[str, list[str]]], *, by_id: bool
) -> dict[str, str]:
    """Journalled snapshot keys -> the other form (id -> "account:as_of", or back)."""
    wanted = sorted({key for _, keys in entries for key in keys})
    found = "id" if by_id else "account_id || ':' || as_of"
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = connection.execute(
            sa.text(f"SELECT id, account_id, as_of FROM {table} WHERE {found} IN :keys").bindparams(
                sa.bindparam("keys", expanding=True)
            ),
            {"keys": chunk},
        )
        for row_id, account_id, as_of in rows:
            key = f"{account_id}:{as_of}"
            out[row_id] = key if by_id else row_id
            if not by_id:
                out[key] = row_id
    return out


def _rekey_journal(
    connection: sa.Connection, entries: list[tuple[str, list[str]]], mapping: dict[str, str]
) -> None:
    """Point the journal's snapshot entries at the rows' keys in the new form (``mapping``).

    An entry for a row that no longer exists has nothing left to undo and is dropped.
    """
    for entry_id, row_ids in entries:
        keys = [mapping[old] for old in row_ids if old in mapping]
        if keys:
            connection.execute(
                sa.text("UPDATE import_journal SET row_ids = :ids WHERE id = :id"),
                {"ids": json.dumps(keys), "id": entry_id},
            )
        else:
            connection.execute(
                sa.text("DELETE FROM import_journal WHERE id = :id"), {"id": entry_id}
            )


def _set_aside(table: str) -> str:
    """Rename ``table`` out of the way so its successor is made under its own name.

    On PostgreSQL a primary key or unique constraint is also an index, and index names are
    unique per schema: they move aside with the table, or the successor's ``pk_<table>``
    would clash with the old one's.
    """
    op.rename_table(table, f"_old_{table}")
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        names = connection.exec_driver_sql(
            "SELECT conname FROM pg_constraint WHERE conrelid = %(t)s::regclass"
            " AND contype IN ('p', 'u')",
            {"t": f"_old_{table}"},
        ).scalars()
        for name in list(names):
            op.execute(f'ALTER TABLE "_old_{table}" RENAME CONSTRAINT "{name}" TO "_old_{name}"')
    return f"_old_{table}"


def upgrade() -> None:
    connection = op.get_bind()
    entries = _journal(connection)
    mapping = _keys_of(connection, "metric_snapshot", entries, by_id=True)
    old = _set_aside("metric_snapshot")
    _create_snapshots("metric_snapshot", with_id=False)
    _copy(connection, old, "metric_snapshot", ["account_id", "as_of", *_SIGNALS])
    op.drop_table(old)
    _rekey_journal(connection, entries, mapping)

    old = _set_aside("health_score")
    _create_scores("health_score", with_id=False)
    _copy(
        connection,
        old,
        "health_score",
        ["account_id", "as_of", "score", "band", "breakdown"],
        lambda row: (*row[:4], _encode(row[4])),
    )
    op.drop_table(old)


def downgrade() -> None:
    connection = op.get_bind()

    def fresh(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return (uuid.uuid4().hex, *row)

    old = _set_aside("metric_snapshot")
    _create_snapshots("metric_snapshot", with_id=True)
    _copy(
        connection,
        old,
        "metric_snapshot",
        ["account_id", "as_of", *_SIGNALS],
        fresh,
        extra=["id"],
    )
    entries = _journal(connection)
    mapping = _keys_of(connection, "metric_snapshot", entries, by_id=False)
    op.drop_table(old)
    _rekey_journal(connection, entries, mapping)

    old = _set_aside("health_score")
    _create_scores("health_score", with_id=True)
    _copy(
        connection,
        old,
        "health_score",
        ["account_id", "as_of", "score", "band", "breakdown"],
        lambda row: (uuid.uuid4().hex, *row[:4], _decode(row[4])),
        extra=["id"],
    )
    op.drop_table(old)
