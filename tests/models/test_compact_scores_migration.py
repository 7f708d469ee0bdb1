"""0003_compact_scores: weekly rows lose their ids, breakdowns get compact, nothing is lost."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from app.imports.undo import undo_import
from app.models.opening import open_workspace
from app.services.health_scores import score_history
from app.services.scoring import decode_breakdown

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces" / "0002_import.db"
EMEA = "1e2feb89414c443c9027c4d1c386bbc4"
BREAKDOWNS = {
    "2026-03-07": {"adoption": 50.0, "pulse": 75.0, "nps": None},
    "2026-03-14": {"milestones_slipping": 100.0, "csat": 12.3, "tickets_p1": 0.0},
    "2026-03-21": {},
}


def old_book(tmp_path: Path) -> Path:
    """The 0002_import fixture plus scores with breakdowns, snapshots and a journalled import."""
    path = tmp_path / "book.db"
    shutil.copyfile(FIXTURE, path)
    conn = sqlite3.connect(path)
    with conn:
        for i, (day, points) in enumerate(BREAKDOWNS.items()):
            conn.execute(
                "INSERT INTO health_score (id, account_id, as_of, score, band, breakdown) "
                "VALUES (?, ?, ?, ?, 'yellow', ?)",
                (f"{i:032x}", EMEA, day, 60.0 + i, json.dumps(points)),
            )
        for ident, day, csat in (("a" * 32, "2026-03-07", 4.5), ("b" * 32, "2026-03-14", 3.0)):
            conn.execute(
                "INSERT INTO metric_snapshot (id, account_id, as_of, csat, active_users) "
                "VALUES (?, ?, ?, ?, 7)",
                (ident, EMEA, day, csat),
            )
        conn.execute(
            "INSERT INTO import_batch (id, created_at, kind, file_name, created_count, "
            "updated_count) VALUES (?, '2026-03-15 10:00:00', 'health', 'weeks.csv', 1, 1)",
            ("c" * 32,),
        )
        journal = [
            ("create", ["b" * 32], None),
            ("update", ["a" * 32], json.dumps({"csat": 2.5})),
            ("update", ["f" * 32], json.dumps({"csat": 1.0})),  # a row deleted since
        ]
        for seq, (action, ids, before) in enumerate(journal):
            conn.execute(
                "INSERT INTO import_journal (id, batch_id, seq, table_name, action, row_ids, "
                "before) VALUES (?, ?, ?, 'metric_snapshot', ?, ?, ?)",
                (f"{seq + 1:032x}", "c" * 32, seq, action, json.dumps(ids), before),
            )
    conn.close()
    return path


def test_upgrade_keeps_scores_snapshots_and_the_import_journal(tmp_path: Path) -> None:
    path = old_book(tmp_path)
    store = open_workspace(path)
    try:
        assert store.report.upgraded_from == "0002_import"
        with store.read() as session:
            history = {p.as_of.isoformat(): p for p in score_history(session, EMEA)}
        for i, (day, points) in enumerate(BREAKDOWNS.items()):
            assert history[day].breakdown == points
            assert history[day].score == 60.0 + i
        assert history["2026-02-28"].breakdown == {}  # the fixture's own, stored as "{}"
        with store.engine.connect() as conn:
            stored = dict(
                conn.exec_driver_sql("SELECT as_of, breakdown FROM health_score").fetchall()
            )
            # Compacted to "[161,50,null,75]" by 0003, shorter still since 0007.
            assert stored["2026-03-07"] == "161:50,-,75"
            columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(health_score)")]
            assert columns == ["account_id", "as_of", "score", "band", "breakdown"]
            snapshots = conn.exec_driver_sql(
                "SELECT account_id, as_of, csat, active_users FROM metric_snapshot ORDER BY as_of"
            ).fetchall()
            assert snapshots == [
                (EMEA, "2026-02-28", None, None),
                (EMEA, "2026-03-07", 4.5, 7),
                (EMEA, "2026-03-14", 3.0, 7),
            ]
            journal = conn.exec_driver_sql(
                "SELECT action, row_ids FROM import_journal ORDER BY seq"
            ).fetchall()
            assert journal == [
                ("create", json.dumps([f"{EMEA}:2026-03-14"])),
                ("update", json.dumps([f"{EMEA}:2026-03-07"])),
            ]
            for table in ("health_score", "metric_snapshot"):
                sql = conn.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = ?", (table,)
                ).scalar_one()
                assert "WITHOUT ROWID" in sql
        # The import made before the upgrade can still be undone.
        undo_import(store, "c" * 32)
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql(
                "SELECT as_of, csat FROM metric_snapshot ORDER BY as_of"
            ).fetchall() == [("2026-02-28", None), ("2026-03-07", 2.5)]
    finally:
        store.close()


def test_breakdown_decoding_reads_the_stored_form() -> None:
    assert decode_breakdown("161:50,-,75") == {"adoption": 50.0, "nps": None, "pulse": 75.0}
