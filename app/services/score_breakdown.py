"""How a health score's points per measure are stored: a compact ``[mask, points...]`` text."""

from __future__ import annotations

import json
from collections.abc import Iterable

#: The order of measures in a stored breakdown: append new signals, never reorder or reuse.
BREAKDOWN_KEYS: tuple[str, ...] = (
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
_BREAKDOWN_BIT = {key: 1 << i for i, key in enumerate(BREAKDOWN_KEYS)}


def breakdown_layout(keys: Iterable[str]) -> tuple[int, list[str]]:
    """The mask of ``keys`` and the keys in stored order."""
    wanted = set(keys)
    mask = sum(_BREAKDOWN_BIT[key] for key in wanted)
    return mask, [key for key in BREAKDOWN_KEYS if key in wanted]


def _point_text(points: float | None) -> str:
    return "null" if points is None else f"{round(float(points), 1):g}"


def encode_breakdown(points: dict[str, float | None]) -> str:
    """A score's points per measure as stored: ``[mask, points...]`` in compact JSON.

    Bit ``i`` of ``mask`` says ``BREAKDOWN_KEYS[i]`` is a measure; the points of the
    measures follow in that order, rounded to 0.1, ``null`` where the measure had no data.
    About a quarter of the size of the ``{"key": points}`` object it replaces.
    """
    mask, keys = breakdown_layout(points)
    values = [_point_text(points[key]) for key in keys]
    return "[" + ",".join([str(mask), *values]) + "]"


def decode_breakdown(text: str | None) -> dict[str, float | None]:
    """``{"measure_key": points or None}`` from a stored breakdown (empty when none)."""
    if not text:
        return {}
    mask, *values = json.loads(text)
    keys = [key for key in BREAKDOWN_KEYS if mask & _BREAKDOWN_BIT[key]]
    return {
        key: None if value is None else float(value)
        for key, value in zip(keys, values, strict=True)
    }
