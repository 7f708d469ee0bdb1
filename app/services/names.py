"""A person's name where there is little room: their initials (map avatars, the tree's owner)."""

from __future__ import annotations


def initials(name: str) -> str:
    """Up to two initials: first and last name ("Ethan Caldwell" -> "EC"); "?" for none."""
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[-1][0]).upper()
