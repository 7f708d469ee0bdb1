"""The one shape of edit: applied once through a service, refusals change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Task
from app.models.store import Store
from app.services import work_items
from app.views import dialogs
from app.views.account_edits import CreateItemCommand, UpdateItemCommand
from app.views.context import AppContext
from app.views.undo import EditCommand, push_edit

from .conftest import TODAY, Book


@pytest.fixture
def ctx(store: Store, book: Book) -> AppContext:
    return AppContext(store=store, today=TODAY)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(dialogs, "refuse", lambda _parent, text: messages.append(text))
    return messages


def _tasks(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Task)) or 0)


def test_an_edit_is_applied_once_and_undone_through_its_service(
    ctx: AppContext, store: Store, book: Book, told: list[str]
) -> None:
    before = _tasks(store)
    command = CreateItemCommand(ctx, "task", {"account_id": book.acme, "title": "Call"}, "add Call")
    assert push_edit(ctx, command)
    assert _tasks(store) == before + 1  # not twice: the stack's first redo is the push
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    assert _tasks(store) == before
    ctx.undo_stack.redo()
    assert _tasks(store) == before + 1
    assert told == []


def test_a_refused_edit_leaves_the_stack_unchanged_with_one_message(
    ctx: AppContext, store: Store, book: Book, told: list[str]
) -> None:
    command = UpdateItemCommand(ctx, "task", book.task_today, {"title": " "}, "rename")
    assert not push_edit(ctx, command)
    assert told == ["A title is required."]
    assert ctx.undo_stack.count() == 0
    with store.read() as session:
        assert session.get(Task, book.task_today).title == "Send the QBR deck"


def test_an_undo_the_workspace_no_longer_allows_drops_the_command(
    ctx: AppContext, store: Store, book: Book, told: list[str]
) -> None:
    command = UpdateItemCommand(ctx, "task", book.task_today, {"title": "Send the deck"}, "rename")
    assert push_edit(ctx, command)
    with store.session() as session:  # someone deletes the task meanwhile
        work_items.delete_item(session, "task", book.task_today)
    ctx.undo_stack.undo()
    assert told == [f"No task with id {book.task_today}."]
    assert ctx.undo_stack.count() == 0


def test_every_undo_command_has_the_one_shape() -> None:
    """Every QUndoCommand of the views derives from EditCommand (apply/revert, push_edit)."""
    import importlib
    import inspect
    import pkgutil

    from PySide6.QtGui import QUndoCommand

    import app.views

    odd = []
    for info in pkgutil.walk_packages(app.views.__path__, "app.views."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and issubclass(value, QUndoCommand)
                and not issubclass(value, EditCommand)
            ):
                odd.append(f"{module.__name__}.{name}")
    assert odd == []
