"""health_score.breakdown from ``[mask, points...]`` JSON to ``mask:points``

A score's breakdown held every measure's points as JSON, ``[8191,100,100,75,null,...]``:
about 55 bytes of each of a million weekly scores in a 10,000-account book, most of it
``100``. It is now ``8191:,,75,-`` (``app.services.score_breakdown``): full points are an
empty field, or no field at the end, and ``-`` a measure without data. The same points,
half the bytes; the column stays text. Rows are rewritten in key order, a chunk at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

_CHUNK = 20_000


def _short(text: str) -> str:
    """``[mask, points...]`` as ``mask:points`` (full points and no data as the app writes them)."""
    mask, *values = json.loads(text or "[0]")
    fields = ["-" if v is None else "" if float(v) == 100.0 else f"{float(v):g}" for v in values]
    return f"{mask}:" + ",".join(fields).rstrip(",")


def _long(text: str) -> str:
    """``mask:points`` back as ``[mask, points...]``."""
    mask, _, rest = (text or "0:").partition(":")
    fields = rest.split(",") if rest else []
    fields += [""] * (int(mask).bit_count() - len(fields))
    values = ["null" if f == "-" else "100" if not f else f"{float(f):g}" for f in fields]
    return "[" + ",".join([mask, *values]) + "]"


def _pages(connection: sa.Connection) -> Iterator[list[Any]]:
    """Every score's key and breakdown, in key order, a chunk at a time (keyset paging)."""
    first = sa.text(
        "SELECT account_id, as_of, breakdown FROM health_score ORDER BY account_id, as_of LIMIT :n"
    )
    after = sa.text(
        "SELECT account_id, as_of, breakdown FROM health_score "
        "WHERE (account_id, as_of) > (:a, :d) "
        "ORDER BY account_id, as_of LIMIT :n"
    )
    rows = connection.execute(first, {"n": _CHUNK}).all()
    while rows:
        yield rows
        last = rows[-1]
        rows = connection.execute(after, {"a": last[0], "d": last[1], "n": _CHUNK}).all()


def _rewrite(convert: Callable[[str], str]) -> None:
    connection = op.get_bind()
    update = sa.text("UPDATE health_score SET breakdown = :b WHERE account_id = :a AND as_of = :d")
    for rows in _pages(connection):
        connection.execute(
            update, [{"b": convert(text), "a": account, "d": day} for account, day, text in rows]
        )


def upgrade() -> None:
    _rewrite(_short)


def downgrade() -> None:
    _rewrite(_long)
