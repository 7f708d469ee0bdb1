"""Ask for, edit and delete one item of a section's kind (undoable), wherever it is listed.

The account's section tables use these, and so does the Renewals tab for the contracts of a
whole family: one form and one set of undo texts for each kind of item.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from app.services.touchpoint_time import touchpoint_local
from app.views.account import forms
from app.views.account_edits import DeleteItemCommand, UpdateItemCommand
from app.views.context import AppContext
from app.views.locale_text import local_zone
from app.views.undo import push_edit

if TYPE_CHECKING:
    from app.views.account.item_table import SectionSpec

Choices = dict[str, list[tuple[Any, str]]]


def item_label(spec: SectionSpec, row: dict[str, Any]) -> str:
    """How undo texts name ``row``: its label field, else the kind's noun."""
    return str(row.get(spec.label_key) or spec.noun)


def strip_extra(values: dict[str, Any]) -> dict[str, Any]:
    """Drop form-only fields (names starting with ``_``) before they reach a service."""
    return {k: v for k, v in values.items() if not k.startswith("_")}


def initial_values(ctx: AppContext, spec: SectionSpec, account_id: str) -> dict[str, Any]:
    """What a new item's form starts with (today's date, the account's currency)."""
    initial: dict[str, Any] = {}
    names = {f.name for f in spec.fields}
    if "currency" in names:
        from app.views.account.sections import _account_currency

        initial["currency"] = _account_currency(ctx, account_id)
    for name in ("opened_on", "occurred_at", "start_date"):
        if name in names:
            initial[name] = ctx.today
    if spec.kind == "task" and "owner" in names:
        from app.views.playbooks.my_book import current_me

        initial["owner"] = current_me() or None  # "my book": new tasks are mine
    return initial


def ask_new_item(
    parent: QWidget,
    ctx: AppContext,
    spec: SectionSpec,
    account_id: str,
    choices: Choices | None = None,
) -> dict[str, Any] | None:
    """The new item's values from the kind's form (None when cancelled)."""
    initial = initial_values(ctx, spec, account_id)
    return forms.edit_form(parent, f"New {spec.noun}", spec.fields, initial, choices, new=True)


def edit_item(
    parent: QWidget,
    ctx: AppContext,
    spec: SectionSpec,
    row: dict[str, Any],
    choices: Choices | None = None,
) -> None:
    """Edit ``row`` in the kind's form; the change is undoable."""
    specs = [f for f in spec.fields if not f.extra.get("create_only")]
    values = dict(row)
    for field_spec in specs:
        value = values.get(field_spec.name)
        if field_spec.kind == "date" and isinstance(value, datetime):
            values[field_spec.name] = value.date()
        if field_spec.kind == "datetime" and isinstance(value, datetime):
            values[field_spec.name] = touchpoint_local(
                value, bool(values.get("all_day")), local_zone()
            )
    changes = forms.edit_form(parent, f"Edit {spec.noun}", specs, values, choices)
    if not changes:
        return
    transform = spec.extra.get("transform")
    if transform is not None:
        changes = transform(changes)
    update_item(parent, ctx, spec, row, changes)


def update_item(
    parent: QWidget,
    ctx: AppContext,
    spec: SectionSpec,
    row: dict[str, Any],
    changes: dict[str, Any],
    verb: str = "edit",
) -> None:
    """Push the undoable edit of ``row``, named ``verb`` and the row's label."""
    label = f"{verb} {item_label(spec, row)}"
    command = UpdateItemCommand(ctx, spec.kind, row["id"], strip_extra(changes), label)
    push_edit(ctx, command, parent)


def delete_item(parent: QWidget, ctx: AppContext, spec: SectionSpec, row: dict[str, Any]) -> None:
    """Push the undoable delete of ``row``."""
    label = f"delete {item_label(spec, row)}"
    push_edit(ctx, DeleteItemCommand(ctx, spec.kind, row["id"], label), parent)
