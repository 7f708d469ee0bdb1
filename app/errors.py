"""The workspace error every layer raises and the command line catches.

It lives outside ``app.models`` so that catching it costs no import: ``app.models`` loads
SQLAlchemy and the whole ORM, which ``fieldbook --help`` (and every command that fails
before opening a workspace) should not pay for. ``app.models.errors`` re-exports it with its
subclasses.
"""

from __future__ import annotations


class WorkspaceError(Exception):
    """A workspace cannot be opened or created; the message is one sentence for the user."""
