"""How a health score's points per measure are stored: a compact ``mask:points`` text."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import numpy as np
import numpy.typing as npt

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
#: A measure's field when it scored full points (most do): nothing at all.
_FULL = 100.0
_NO_DATA = "-"


def breakdown_layout(keys: Iterable[str]) -> tuple[int, list[str]]:
    """The mask of ``keys`` and the keys in stored order."""
    wanted = set(keys)
    mask = sum(_BREAKDOWN_BIT[key] for key in wanted)
    return mask, [key for key in BREAKDOWN_KEYS if key in wanted]


def _point_text(points: float | None) -> str:
    if points is None or points != points:  # None or NaN: the measure had no data
        return _NO_DATA
    rounded = round(float(points), 1)
    return "" if rounded == _FULL else f"{rounded:g}"


def _joined(mask: int, fields: Iterable[str]) -> str:
    # Full points at the end need no field either: the mask says how many measures there are.
    return f"{mask}:" + ",".join(fields).rstrip(",")


def encode_breakdown(points: dict[str, float | None]) -> str:
    """A score's points per measure as stored: ``mask:points,points,...``.

    Bit ``i`` of ``mask`` says ``BREAKDOWN_KEYS[i]`` is a measure; the points of the
    measures follow in that order, rounded to 0.1: an empty field (or none, at the end) is
    full points (100), ``-`` a measure without data. Most measures score full points, so a
    score's breakdown is about half the ``[mask, points...]`` JSON it replaces (0007).
    """
    mask, keys = breakdown_layout(points)
    return _joined(mask, (_point_text(points[key]) for key in keys))


def encode_breakdowns(mask: int, points: npt.NDArray[np.float64]) -> list[str]:
    """``encode_breakdown`` of many scores at once: ``points`` has a row per score and a
    column per measure of ``mask`` in stored order, NaN where a measure had no data.

    Rounded points take at most a thousand values, so each is written once, not per score.
    """
    if points.size == 0:
        return [_joined(mask, ())] * len(points)
    values, codes = np.unique(np.round(points, 1), return_inverse=True)
    texts = np.array([_point_text(value) for value in values.tolist()], dtype=object)
    fields = texts[codes.reshape(points.shape)].tolist()
    return [_joined(mask, row) for row in fields]


@cache
def _keys_of(mask: int) -> tuple[str, ...]:
    """The measures of ``mask`` in stored order (a book has a few masks, read a million times)."""
    return tuple(key for key in BREAKDOWN_KEYS if mask & _BREAKDOWN_BIT[key])


def decode_breakdown(text: str | None) -> dict[str, float | None]:
    """``{"measure_key": points or None}`` from a stored breakdown (empty when none)."""
    if not text:
        return {}
    mask, _, rest = text.partition(":")
    keys = _keys_of(int(mask))
    fields = rest.split(",") if rest else []
    fields += [""] * (len(keys) - len(fields))
    return {
        key: None if field == _NO_DATA else _FULL if not field else float(field)
        for key, field in zip(keys, fields, strict=True)
    }
