"""How a stored enum value reads wherever a person sees it: the window, the demo's titles."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

#: Values that read as acronyms, not as a capitalised word.
ACRONYMS = {"qbr": "QBR", "ebr": "EBR", "obr": "OBR", "cbr": "CBR", "macd": "MACD", "smb": "SMB"}


def label_of(value: Any) -> str:
    """How an enum value reads in the UI: ``value_realisation`` → ``Value realisation``."""
    if value is None:
        return ""
    text = value.value if isinstance(value, StrEnum) else str(value)
    if text in ACRONYMS:
        return ACRONYMS[text]
    return text.replace("_", " ").capitalize()
