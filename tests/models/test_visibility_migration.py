"""0004_qbr: existing work gets the visibility new work gets (internal work stays internal)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.models.opening import open_workspace

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces" / "0003_compact_scores.db"
EMEA = "1e2feb89414c443c9027c4d1c386bbc4"
RISK = "c381e88f38c048fd8712b8bc076f3787"  # the fixture's implementation risk


def _old_book(tmp_path: Path) -> Path:
    path = tmp_path / "book.db"
    shutil.copyfile(FIXTURE, path)
    conn = sqlite3.connect(path)
    stamp = "2026-03-01 09:30:00"
    tasks = {
        "a" * 32: ("Mitigate: champion may leave", RISK),
        "b" * 32: ("Follow up: three P1 tickets", None),
        "c" * 32: ("Identify Ada Lovelace's successor and re-introduce our team", None),
        "d" * 32: ("Tell sales: Ada Lovelace moved to Contoso Bank (lead)", None),
        "e" * 32: ("Send the roadmap", None),
    }
    with conn:
        for task_id, (title, risk_id) in tasks.items():
            conn.execute(
                "INSERT INTO task (id, account_id, risk_id, title, done, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, 0, ?, ?)",
                (task_id, EMEA, risk_id, title, stamp, stamp),
            )
        conn.execute(
            "INSERT INTO health_alert (id, account_id, rule_key, raised_on, message, task_id) "
            "VALUES (?, ?, 'tickets_p1', '2026-03-01', 'Three P1 tickets', ?)",
            ("f" * 32, EMEA, "b" * 32),
        )
        conn.execute(
            "INSERT INTO risk (id, account_id, category, title, severity, status, "
            "is_escalation, opened_on, created_at, updated_at) VALUES "
            "(?, ?, 'renewal', 'Budget cut', 'high', 'open', 0, '2026-03-01', ?, ?)",
            ("9" * 32, EMEA, stamp, stamp),
        )
    conn.close()
    return path


def test_upgrade_marks_internal_work_internal_and_the_rest_shared(tmp_path: Path) -> None:
    store = open_workspace(_old_book(tmp_path))
    try:
        with store.engine.connect() as conn:
            tasks = dict(conn.exec_driver_sql("SELECT title, shared FROM task").fetchall())
            risks = dict(conn.exec_driver_sql("SELECT category, shared FROM risk").fetchall())
            goals = conn.exec_driver_sql("SELECT shared FROM goal").fetchall()
            milestones = conn.exec_driver_sql("SELECT shared FROM milestone").fetchall()
            activities = conn.exec_driver_sql("SELECT shared FROM activity").fetchall()
    finally:
        store.close()
    assert tasks == {
        "Send minutes": 1,  # the fixture's meeting follow-up
        "Send the roadmap": 1,
        "Mitigate: champion may leave": 0,
        "Follow up: three P1 tickets": 0,
        "Identify Ada Lovelace's successor and re-introduce our team": 0,
        "Tell sales: Ada Lovelace moved to Contoso Bank (lead)": 0,
    }
    assert risks == {"implementation": 1, "renewal": 0}
    assert goals == milestones == activities == [(1,)]
