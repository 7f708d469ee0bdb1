"""Who may do what in a team workspace, enforced by PostgreSQL: roles and row-level security.

Two group roles: ``fieldbook_csm`` edits the accounts they own (``account.owner`` is their
``team_member.name``) or are on the team of (``account_team``), and reads the rest of the
book; ``fieldbook_lead`` edits everything and reassigns accounts. Each person logs in as their
own role, a member of one of them. Every table whose rows belong to an account (found from
the schema's foreign keys: health, goals, milestones, plays ... as well as the account's own
records) follows the account's rule. Private notes are read and written by their author
only, a lead included. The workspace's owner (who ran ``fieldbook team init``) is not subject
to the policies. Everything here is idempotent: ``team init`` may run again, and every schema
upgrade runs it again (:func:`refresh`) so that new tables are covered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from app.models.account_paths import account_paths

CSM_ROLE = "fieldbook_csm"
LEAD_ROLE = "fieldbook_lead"
#: SQLSTATE of the refusals our own checks raise (PostgreSQL's insufficient_privilege).
REFUSED = "42501"

#: Tables whose rows only their author reads or writes, with the column naming the author.
AUTHOR_TABLES = {"private_note": "author"}


def account_tables() -> dict[str, str]:
    """Tables holding one account's records, with an SQL expression for the row's account.

    Derived from the schema (app.models.account_paths), so a table added later that hangs
    off an account (health, goals, milestones, plays ...) is protected like the account.
    """
    return {
        name: path.row_account_sql()
        for name, path in account_paths().items()
        if name not in AUTHOR_TABLES
    }


_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION fieldbook_is_lead(who name) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{LEAD_ROLE}')
       AND pg_has_role(who, '{LEAD_ROLE}', 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION fieldbook_is_csm(who name) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CSM_ROLE}')
       AND pg_has_role(who, '{CSM_ROLE}', 'MEMBER')
$$;

-- SECURITY DEFINER: reads account and account_team as their owner, past their own policies.
CREATE OR REPLACE FUNCTION fieldbook_can_edit(account text, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT fieldbook_is_lead(who)
        OR EXISTS (SELECT 1 FROM account a JOIN team_member m ON m.name = a.owner
                    WHERE a.id = account AND m.login = who)
        OR EXISTS (SELECT 1 FROM account_team t WHERE t.account_id = account AND t.login = who)
$$;

CREATE OR REPLACE FUNCTION fieldbook_name(who name) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT name FROM team_member WHERE login = who
$$;

-- The notes, whoever wrote them, of people who no longer exist (all such, given NULL): what
-- no undo can bring back any more (app.models.note_keeping). As the owner, past the
-- author-only policy; a note of a person who exists is never touched.
CREATE OR REPLACE FUNCTION fieldbook_forget_notes(people text[]) RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    WITH gone AS (
        DELETE FROM private_note n
         WHERE (people IS NULL OR n.stakeholder_id = ANY (people))
           AND NOT EXISTS (SELECT 1 FROM stakeholder s WHERE s.id = n.stakeholder_id)
        RETURNING 1
    )
    SELECT count(*)::integer FROM gone
$$;

CREATE OR REPLACE FUNCTION fieldbook_guard_reassign() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.owner IS DISTINCT FROM OLD.owner AND fieldbook_is_csm(current_user)
       AND NOT fieldbook_is_lead(current_user) THEN
        RAISE EXCEPTION 'Only a team lead reassigns accounts.' USING ERRCODE = '{REFUSED}';
    END IF;
    RETURN NEW;
END $$;
"""


@dataclass(frozen=True)
class TeamSetup:
    """What ``team init`` did."""

    roles_created: list[str]
    tables_protected: int


def _role_exists(connection: Connection, role: str) -> bool:
    return bool(
        connection.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %(r)s)", {"r": role}
        ).scalar()
    )


def install(connection: Connection) -> TeamSetup:
    """Create the roles (if missing), grants, functions and policies, in the caller's
    transaction (all or nothing)."""
    created = []
    for role in (CSM_ROLE, LEAD_ROLE):
        if not _role_exists(connection, role):
            connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
            created.append(role)
    connection.exec_driver_sql(_FUNCTIONS)
    roles = f"{CSM_ROLE}, {LEAD_ROLE}"
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {roles}")
    connection.exec_driver_sql(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {roles}"
    )
    connection.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {roles}")
    connection.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {roles}")
    connection.exec_driver_sql(f"REVOKE UPDATE, DELETE ON audit_entry FROM {roles}")
    # Laptops append to the change log and the batch record; nobody rewrites them.
    connection.exec_driver_sql(f"REVOKE UPDATE, DELETE ON sync_log, sync_batch FROM {roles}")
    connection.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON team_member FROM {CSM_ROLE}")
    tables = account_tables()
    for table, column in tables.items():
        _protect(connection, table, column)
    for table, column in AUTHOR_TABLES.items():
        _protect_authored(connection, table, column)
    connection.exec_driver_sql("DROP TRIGGER IF EXISTS fieldbook_guard_reassign ON account")
    connection.exec_driver_sql(
        "CREATE TRIGGER fieldbook_guard_reassign BEFORE UPDATE OF owner ON account "
        "FOR EACH ROW EXECUTE FUNCTION fieldbook_guard_reassign()"
    )
    return TeamSetup(created, len(tables) + len(AUTHOR_TABLES))


def installed(connection: Connection) -> bool:
    """Whether ``team init`` has set up roles and policies on this database."""
    return bool(
        connection.exec_driver_sql("SELECT to_regproc('fieldbook_can_edit') IS NOT NULL").scalar()
    )


def refresh(connection: Connection) -> None:
    """After a schema upgrade: grants and policies for the tables it added (when ``team init``
    ran before; otherwise it installs them later)."""
    if installed(connection):
        install(connection)


def _policies(connection: Connection, table: str, policies: dict[str, str]) -> None:
    connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for name, body in policies.items():
        connection.exec_driver_sql(f"DROP POLICY IF EXISTS fieldbook_{name} ON {table}")
        connection.exec_driver_sql(f"CREATE POLICY fieldbook_{name} ON {table} {body}")


def _protect_authored(connection: Connection, table: str, column: str) -> None:
    """Only the author reads, writes or removes a row; a lead included."""
    mine = f"{column} = current_user"
    _policies(
        connection,
        table,
        {
            "read": f"FOR SELECT USING ({mine})",
            "create": f"FOR INSERT WITH CHECK ({mine})",
            "edit": f"FOR UPDATE USING ({mine}) WITH CHECK ({mine})",
            "remove": f"FOR DELETE USING ({mine})",
        },
    )


def _protect(connection: Connection, table: str, column: str) -> None:
    """Everyone reads; only those who may edit the account write its rows."""
    may_edit = f"fieldbook_can_edit({column}, current_user)"
    if table == "account":
        # A new account belongs to whoever creates it (a lead may create it for anyone).
        may_create = "fieldbook_is_lead(current_user) OR owner = fieldbook_name(current_user)"
    elif table == "account_team":
        may_create = may_edit = "fieldbook_is_lead(current_user)"
    else:
        may_create = may_edit
    policies = {
        "read": "FOR SELECT USING (true)",
        "create": f"FOR INSERT WITH CHECK ({may_create})",
        "edit": f"FOR UPDATE USING ({may_edit}) WITH CHECK ({may_edit})",
        "remove": f"FOR DELETE USING ({may_edit})",
    }
    _policies(connection, table, policies)


def add_member(
    connection: Connection, login: str, name: str, *, lead: bool, password: str | None
) -> bool:
    """Make ``login`` a team member (creating its login role when missing); True if created."""
    created = not _role_exists(connection, login)
    ident, literal = connection.exec_driver_sql(
        "SELECT quote_ident(%(l)s), quote_literal(%(p)s)", {"l": login, "p": password or ""}
    ).one()
    if created:
        secret = f" PASSWORD {literal}" if password else ""
        connection.exec_driver_sql(f"CREATE ROLE {ident} LOGIN{secret}")
    elif password:
        connection.exec_driver_sql(f"ALTER ROLE {ident} PASSWORD {literal}")
    group, other = (LEAD_ROLE, CSM_ROLE) if lead else (CSM_ROLE, LEAD_ROLE)
    connection.exec_driver_sql(f"GRANT {group} TO {ident}")
    connection.exec_driver_sql(f"REVOKE {other} FROM {ident}")
    connection.exec_driver_sql(
        "INSERT INTO team_member (login, name, is_lead) VALUES (%(l)s, %(n)s, %(lead)s) "
        "ON CONFLICT (login) DO UPDATE SET name = EXCLUDED.name, is_lead = EXCLUDED.is_lead",
        {"l": login, "n": name, "lead": lead},
    )
    return created
