"""0007_short_breakdowns: every breakdown rewritten shorter, the same points, no row lost."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from app.models.opening import open_workspace
from app.models.schema import alembic_config
from app.services.scoring import BREAKDOWN_KEYS, decode_breakdown

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces"
PREVIOUS = "0006_notes_outlive_delete"
#: More scores than the migration rewrites at a time (20,000), so it pages through them.
SCORES = 45_000


def _old_breakdown(rng: random.Random) -> str:
    """A breakdown as 0003 to 0006 wrote it: ``[mask, points...]``, mostly full points."""
    keys = [i for i in range(len(BREAKDOWN_KEYS)) if rng.random() < 0.8]
    points = []
    for _ in keys:
        draw = rng.random()
        value = None if draw < 0.05 else 100 if draw < 0.8 else round(rng.uniform(0, 100), 1)
        points.append("null" if value is None else f"{value:g}")
    return "[" + ",".join([str(sum(1 << i for i in keys)), *points]) + "]"


def old_book(tmp_path: Path) -> tuple[Path, list[tuple[str, str, float, str, str]]]:
    """The previous revision's fixture with many more scores; returns it and every score row."""
    path = tmp_path / "book.db"
    shutil.copyfile(FIXTURE / f"{PREVIOUS}.db", path)
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    with conn:
        accounts = [row[0] for row in conn.execute("SELECT id FROM account ORDER BY id")]
        start = date(1950, 1, 1)
        conn.executemany(
            "INSERT INTO health_score (account_id, as_of, score, band, breakdown) "
            "VALUES (?, ?, ?, 'yellow', ?)",
            (
                (accounts[i % len(accounts)], (start + timedelta(days=i)).isoformat(), 50.0,
                 _old_breakdown(rng))
                for i in range(SCORES)
            ),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO health_score (account_id, as_of, score, band, breakdown) "
            "VALUES (?, '1949-12-31', 1.0, 'red', '[0]')",
            (accounts[0],),
        )
        rows = conn.execute("SELECT * FROM health_score ORDER BY account_id, as_of").fetchall()
    conn.close()
    return path, rows


def _points(old: str) -> dict[str, float | None]:
    mask, *values = json.loads(old)
    keys = [key for i, key in enumerate(BREAKDOWN_KEYS) if mask >> i & 1]
    return {k: None if v is None else float(v) for k, v in zip(keys, values, strict=True)}


def _scores(path: Path) -> list[tuple[str, str, float, str, str]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT * FROM health_score ORDER BY account_id, as_of").fetchall()
    finally:
        conn.close()


def test_upgrade_keeps_every_score_and_its_points_in_half_the_bytes(tmp_path: Path) -> None:
    path, before = old_book(tmp_path)
    store = open_workspace(path)
    try:
        assert store.report.upgraded_from == PREVIOUS
    finally:
        store.close()
    after = _scores(path)
    assert len(after) == len(before) == SCORES + 2
    for old, new in zip(before, after, strict=True):
        assert new[:4] == old[:4]
        assert decode_breakdown(new[4]) == _points(old[4]), old
    stored = {row[4] for row in after}
    assert "0:" in stored  # an empty breakdown
    assert "129:50,-" in stored  # the fixture's own: adoption 50 points, pulse no data
    assert sum(len(row[4]) for row in after) < 0.6 * sum(len(row[4]) for row in before)


def test_downgrade_gives_back_the_same_text(tmp_path: Path) -> None:
    path, before = old_book(tmp_path)
    open_workspace(path).close()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection, connection.begin():
            command.downgrade(alembic_config(connection), PREVIOUS)
    finally:
        engine.dispose()
    assert _scores(path) == before
