"""User text in menus and action labels: Qt reads "&" as a mnemonic marker there.

"Rename to R&D" in an action's text would show as "Rename to RD" (with D underlined), so any
text built from user data is passed through ``literal`` before it becomes an action's text.
"""

from __future__ import annotations


def literal(text: str) -> str:
    """``text`` shown as written in a menu or action label (each "&" doubled)."""
    return text.replace("&", "&&")
