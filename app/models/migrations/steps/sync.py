"""laptop sync: the server's change log, pushed batches, a replica's state, outbox, conflicts

New tables only (``sync_log``, ``sync_batch``, ``sync_replica``, ``sync_outbox``,
``sync_conflict``; see app.models.sync_tables). On PostgreSQL a trigger on every synced table
writes one ``sync_log`` row per changed field, stamped with a hybrid logical clock (the pushing
laptop's, passed in ``fieldbook.sync_hlc``/``fieldbook.sync_node``; else the server's own
clock) under a transaction-wide advisory lock, so log positions grow in commit order and a
laptop that pulled up to N never misses a change committed later with a smaller number.
A laptop's capture triggers are made by ``fieldbook replica`` (app.models.replica), not here.

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

#: The synced tables and their primary keys (a composite key is a JSON array in ``row_key``).
SYNCED = {
    "account": ("id",),
    "alert_rule": ("id",),
    "cadence_rule": ("id",),
    "exchange_rate": ("currency", "quote"),
    "import_batch": ("id",),
    "playbook": ("id",),
    "scorecard": ("id",),
    "team_member": ("login",),
    "account_team": ("account_id", "login"),
    "activity": ("id",),
    "contract": ("id",),
    "health_score": ("account_id", "as_of"),
    "import_journal": ("id",),
    "map_version": ("id",),
    "metric_snapshot": ("account_id", "as_of"),
    "opportunity": ("id",),
    "play": ("id",),
    "playbook_step": ("id",),
    "risk": ("id",),
    "scorecard_measure": ("id",),
    "stakeholder": ("id",),
    "success_plan": ("id",),
    "activity_attendee": ("activity_id", "stakeholder_id"),
    "goal": ("id",),
    "map_card": ("stakeholder_id",),
    "play_step": ("id",),
    "renewal": ("id",),
    "stakeholder_relation": ("id",),
    "survey_response": ("id",),
    "task": ("id",),
    "health_alert": ("id",),
    "milestone": ("id",),
}
#: The advisory lock every writer of the log holds until it commits.
LOG_LOCK = 7_261_001

LOG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION fieldbook_sync_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - 'version' END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - 'version' END;
    row_data jsonb := coalesce(new_row, old_row);
    clock bigint := coalesce(
        nullif(current_setting('fieldbook.sync_hlc', true), '')::bigint,
        (extract(epoch FROM clock_timestamp()) * 1000)::bigint * 65536);
    who text := coalesce(nullif(current_setting('fieldbook.sync_node', true), ''),
                         current_user || '@server');
    row_key text;
BEGIN
    IF current_setting('fieldbook.copying', true) = 'on' THEN
        RETURN NULL;  -- fieldbook copy: rows that were never changed here
    END IF;
    IF TG_NARGS = 1 THEN
        row_key := row_data ->> TG_ARGV[0];
    ELSE
        SELECT array_to_json(array_agg(row_data ->> k ORDER BY n))::text INTO row_key
          FROM unnest(TG_ARGV) WITH ORDINALITY AS keys(k, n);
    END IF;
    PERFORM pg_advisory_xact_lock({LOG_LOCK});
    IF TG_OP = 'INSERT' THEN
        INSERT INTO sync_log (tbl, row_key, op, field, value, hlc, node)
        VALUES (TG_TABLE_NAME, row_key, 'insert', NULL, new_row::text, clock, who);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sync_log (tbl, row_key, op, field, value, hlc, node)
        VALUES (TG_TABLE_NAME, row_key, 'delete', NULL, NULL, clock, who);
    ELSE
        INSERT INTO sync_log (tbl, row_key, op, field, value, hlc, node)
        SELECT TG_TABLE_NAME, row_key, 'set', n.key, n.value::text, clock, who
          FROM jsonb_each(new_row) n JOIN jsonb_each(old_row) o USING (key)
         WHERE n.value IS DISTINCT FROM o.value;
    END IF;
    RETURN NULL;
END $$
"""

_ROLES = ("fieldbook_csm", "fieldbook_lead")


def _postgres() -> None:
    op.execute(LOG_FUNCTION)
    for table, keys in SYNCED.items():
        args = ", ".join(f"'{k}'" for k in keys)
        op.execute(
            f"CREATE TRIGGER fieldbook_sync_log AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION fieldbook_sync_log({args})"
        )
    bind = op.get_bind()
    for role in _ROLES:  # a team set up before this step: its members push and pull too
        if bind.exec_driver_sql(
            "SELECT 1 FROM pg_roles WHERE rolname = %(r)s", {"r": role}
        ).first():
            op.execute(f"GRANT SELECT, INSERT ON sync_log, sync_batch TO {role}")
            op.execute(f"GRANT USAGE ON SEQUENCE sync_log_seq_seq TO {role}")


def upgrade() -> None:
    serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "sync_log",
        sa.Column("seq", serial, autoincrement=True, nullable=False),
        sa.Column("tbl", sa.String(length=50), nullable=False),
        sa.Column("row_key", sa.String(length=200), nullable=False),
        sa.Column("op", sa.String(length=6), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("node", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_log")),
    )
    op.create_index("ix_sync_log_row", "sync_log", ["tbl", "row_key", "seq"])
    op.create_table(
        "sync_batch",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("node", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_batch")),
    )
    op.create_table(
        "sync_replica",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server", sa.String(length=500), nullable=False),
        sa.Column("node", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("pulled", sa.BigInteger(), nullable=False),
        sa.Column("applying", sa.Integer(), nullable=False),
        sa.Column("pending_batch", sa.String(length=32), nullable=True),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.Column("tried_at", sa.DateTime(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_replica")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tbl", sa.String(length=50), nullable=False),
        sa.Column("row_key", sa.String(length=200), nullable=False),
        sa.Column("op", sa.String(length=6), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_outbox")),
    )
    op.create_index("ix_sync_outbox_row", "sync_outbox", ["tbl", "row_key"])
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tbl", sa.String(length=50), nullable=False),
        sa.Column("row_key", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("mine", sa.Text(), nullable=True),
        sa.Column("theirs", sa.Text(), nullable=True),
        sa.Column("their_node", sa.String(length=100), nullable=True),
        sa.Column("their_hlc", sa.BigInteger(), nullable=True),
        sa.Column("my_hlc", sa.BigInteger(), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgres()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SYNCED:
            op.execute(f"DROP TRIGGER IF EXISTS fieldbook_sync_log ON {table}")
        op.execute("DROP FUNCTION IF EXISTS fieldbook_sync_log()")
    op.drop_table("sync_conflict")
    op.drop_index("ix_sync_outbox_row", table_name="sync_outbox")
    op.drop_table("sync_outbox")
    op.drop_table("sync_replica")
    op.drop_table("sync_batch")
    op.drop_index("ix_sync_log_row", table_name="sync_log")
    op.drop_table("sync_log")
