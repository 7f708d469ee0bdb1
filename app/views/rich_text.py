"""Rich text for labels: words a line must not break between."""

from __future__ import annotations

import html


def unbroken(text: str) -> str:
    """``text`` escaped for rich text, its words joined by non-breaking spaces: a wrapped
    legend breaks between its items, never inside one ("Business / review")."""
    return "&nbsp;".join(html.escape(word) for word in text.split())
