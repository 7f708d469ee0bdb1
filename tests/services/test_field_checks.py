"""The field checks the edit services share."""

from __future__ import annotations

import pytest

from app.services.field_checks import editable_changes, strip_required


class _Refused(ValueError):
    pass


def test_editable_changes_copies_and_names_the_first_unknown_field() -> None:
    changes = {"name": "Acme"}
    copy = editable_changes(changes, {"name", "owner"}, "Account")
    assert copy == changes and copy is not changes
    with pytest.raises(_Refused, match=r"^Account has no editable field id\.$"):
        editable_changes({"name": "x", "parent": 1, "id": 2}, {"name"}, "Account", _Refused)


def test_strip_required_strips_and_refuses_blank_or_missing_text() -> None:
    values: dict[str, object] = {"name": "  Acme  ", "owner": " Ann "}
    strip_required(values, "name", "needs a name")
    assert values == {"name": "Acme", "owner": " Ann "}
    strip_required(values, "title", "needs a title")  # not in the edit: nothing to check
    assert "title" not in values
    for blank in ("   ", None):
        with pytest.raises(_Refused, match="needs a name"):
            strip_required({"name": blank}, "name", "needs a name", _Refused)
