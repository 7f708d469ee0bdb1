"""The checks every edit service makes of the fields it is asked to change."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any


def editable_changes(
    changes: Mapping[str, Any],
    editable: Collection[str],
    what: str,
    error: type[ValueError] = ValueError,
) -> dict[str, Any]:
    """A copy of ``changes``; ``error`` (one sentence) names a field outside ``editable``."""
    unknown = sorted(set(changes) - set(editable))
    if unknown:
        raise error(f"{what} has no editable field {unknown[0]}.")
    return dict(changes)


def strip_required(
    values: dict[str, Any], key: str, message: str, error: type[ValueError] = ValueError
) -> None:
    """Strip ``values[key]`` when the edit sets it; an empty one is refused with ``message``."""
    if key in values:
        text = str(values[key] or "").strip()
        if not text:
            raise error(message)
        values[key] = text
