"""Rich text for labels: words a line must not break between."""

from __future__ import annotations

import html


def unbroken(text: str) -> str:
    """``text`` escaped for rich text, its words joined by non-breaking spaces: a wrapped
    legend breaks between its items, never inside one ("Business / review"), nor at a hyphen
    ("120- / day touch": a non-breaking hyphen, U+2011)."""
    return "&nbsp;".join(html.escape(word).replace("-", "\u2011") for word in text.split())
