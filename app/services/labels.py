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


def in_sentence(text: str) -> str:
    """``text`` as it reads inside a sentence: its first letter lower-cased, unless its first
    word is an acronym ("ROI review", "SSO rollout", "P1 tickets" keep their capitals)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1].isupper() or first[1].isdigit()):
        return text
    return text[:1].lower() + text[1:]
