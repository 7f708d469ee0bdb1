"""Old name of ``app.views.account_edits``, kept while the tree and account views move over.

Import from ``app.views.account_edits``; this alias goes once nothing imports it.
"""

from app.views.account_edits import (
    CreateAccountCommand,
    CreateItemCommand,
    DeleteAccountCommand,
    DeleteItemCommand,
    ReparentCommand,
    UpdateAccountCommand,
    UpdateItemCommand,
)

__all__ = [
    "CreateAccountCommand",
    "CreateItemCommand",
    "DeleteAccountCommand",
    "DeleteItemCommand",
    "ReparentCommand",
    "UpdateAccountCommand",
    "UpdateItemCommand",
]
