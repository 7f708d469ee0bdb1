"""team workspace: members, account teams, audit trail, row versions; on PostgreSQL triggers

Portable tables for a team: ``team_member`` (database login -> the owner name accounts use),
``account_team`` (members who may edit an account besides its owner) and ``audit_entry``.
``account`` and ``stakeholder`` get a ``version`` per row for optimistic concurrency.

On PostgreSQL only, triggers write the audit trail (who = the database role, so no client can
skip it) and announce every commit on the ``fieldbook_changes`` channel (LISTEN/NOTIFY) with
the kinds of record and account ids it touched. Roles and row-level security policies are
installed by ``fieldbook team init`` (they need a role allowed to create roles).

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

#: Records people edit by hand: their changes are audited.
AUDITED = (
    "account",
    "stakeholder",
    "stakeholder_relation",
    "contract",
    "renewal",
    "success_plan",
    "activity",
    "task",
    "risk",
    "opportunity",
)
#: Tables whose commits are announced, with the column holding the account id (None: book-wide).
ANNOUNCED = {
    "account": "id",
    "contract": "account_id",
    "renewal": "via_contract",
    "stakeholder": "account_id",
    "stakeholder_relation": "account_id",
    "map_card": "account_id",
    "map_version": "account_id",
    "success_plan": "account_id",
    "goal": None,
    "milestone": None,
    "activity": "account_id",
    "task": "account_id",
    "risk": "account_id",
    "opportunity": "account_id",
    "metric_snapshot": "account_id",
    "survey_response": "account_id",
    "scorecard": None,
    "scorecard_measure": None,
    "health_score": "account_id",
    "alert_rule": None,
    "health_alert": "account_id",
    "import_batch": None,
    "import_journal": None,
    "account_team": "account_id",
}

AUDIT_FUNCTION = """
CREATE OR REPLACE FUNCTION fieldbook_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    row_data jsonb := coalesce(new_row, old_row);
    diff jsonb;
BEGIN
    IF current_setting('fieldbook.copying', true) = 'on' THEN
        RETURN NULL;  -- fieldbook copy brings the source's own audit trail along
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(n.key, jsonb_build_array(o.value, n.value)) INTO diff
          FROM jsonb_each(new_row) n JOIN jsonb_each(old_row) o USING (key)
         WHERE n.value IS DISTINCT FROM o.value AND n.key NOT IN ('updated_at', 'version');
        IF diff IS NULL THEN
            RETURN NULL;
        END IF;
    ELSE
        diff := row_data - 'created_at' - 'updated_at' - 'version';
    END IF;
    INSERT INTO audit_entry (at, who, table_name, row_id, of_account, action, changes)
    VALUES (now() AT TIME ZONE 'UTC', current_user, TG_TABLE_NAME, row_data ->> 'id',
            CASE WHEN TG_TABLE_NAME = 'account' THEN row_data ->> 'id'
                 ELSE row_data ->> 'account_id' END,
            lower(TG_OP), diff::text);
    RETURN NULL;
END $$
"""

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION fieldbook_announce() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_ARGV[0] = 'via_contract' THEN  -- renewals: the account of their contract
        SELECT array_agg(DISTINCT c.account_id::text) INTO ids
          FROM changed_rows r JOIN contract c ON c.id = r.contract_id;
        IF ids IS NULL THEN
            ids := '{}';  -- the contract is gone too (and announced itself)
        END IF;
    ELSIF TG_ARGV[0] <> '' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I::text) FROM changed_rows', TG_ARGV[0])
           INTO ids;
        IF ids IS NULL THEN
            RETURN NULL;  -- the statement touched no rows
        END IF;
        IF cardinality(ids) > 100 THEN
            ids := NULL;  -- too many to list: book-wide
        END IF;
    END IF;
    PERFORM pg_notify('fieldbook_changes', json_build_object(
        'client', current_setting('fieldbook.client', true),
        'who', current_user,
        'table', TG_TABLE_NAME,
        'accounts', ids)::text);
    RETURN NULL;
END $$
"""


def _postgres_triggers() -> None:
    op.execute(AUDIT_FUNCTION)
    op.execute(NOTIFY_FUNCTION)
    for table in AUDITED:
        op.execute(
            f"CREATE TRIGGER fieldbook_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION fieldbook_audit()"
        )
    for table, column in ANNOUNCED.items():
        for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER fieldbook_announce_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {rows} TABLE AS changed_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION fieldbook_announce('{column or ''}')"
            )


def upgrade() -> None:
    op.create_table(
        "team_member",
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_team_member")),
    )
    op.create_table(
        "account_team",
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_team_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["login"],
            ["team_member.login"],
            name=op.f("fk_account_team_login_team_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "login", name=op.f("pk_account_team")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=63), nullable=False),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("row_id", sa.String(length=32), nullable=False),
        sa.Column("of_account", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=6), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index("ix_audit_entry_row", "audit_entry", ["table_name", "row_id"])
    op.create_index("ix_audit_entry_of_account", "audit_entry", ["of_account"])
    for table in ("account", "stakeholder"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDITED:
            op.execute(f"DROP TRIGGER IF EXISTS fieldbook_audit ON {table}")
        for table in ANNOUNCED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS fieldbook_announce_{event} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS fieldbook_audit()")
        op.execute("DROP FUNCTION IF EXISTS fieldbook_announce()")
    for table in ("stakeholder", "account"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    op.drop_index("ix_audit_entry_of_account", table_name="audit_entry")
    op.drop_index("ix_audit_entry_row", table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_table("account_team")
    op.drop_table("team_member")
