"""The QBR exports render a presentation model: no queries in them, and no mutation of it."""

from __future__ import annotations

import re
from pathlib import Path

import app

QUERY = re.compile(r"\bselect\(|session\.execute|\.query\(|sqlalchemy")


def test_qbr_exports_run_no_queries() -> None:
    folder = Path(app.__file__).parent / "exports"
    offenders = [
        path.name
        for path in sorted(folder.glob("qbr*.py"))
        if QUERY.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
