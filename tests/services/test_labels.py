"""How values read to a person: enum values as English writes them (one home, label_of);
a value quoted in a sentence with typographic quotes, not Python's."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from app.models import enums
from app.models.enums import Segment
from app.services.cadence import CadenceError, CadenceSpec, validate_cadence
from app.services.labels import in_sentence, label_of, quoted


def test_a_value_is_quoted_as_a_sentence_quotes_it() -> None:
    assert quoted("Morgan") == "“Morgan”"
    assert quoted("O'Brien") == "“O'Brien”"  # not "\"O'Brien\"", as repr would
    assert quoted("") == "“”"


APP = Path(__file__).resolve().parents[2] / "app"


def _quotes_inline(node: ast.JoinedStr) -> bool:
    """True when an f-string writes typographic quotes around a value it formats itself:
    ``f"“{x}”"`` (an opening mark before a value, or a closing one after it)."""
    for before, after in itertools.pairwise(node.values):
        opens = isinstance(before, ast.Constant) and str(before.value).endswith("“")
        closes = isinstance(after, ast.Constant) and str(after.value).startswith("”")
        if (opens and isinstance(after, ast.FormattedValue)) or (
            closes and isinstance(before, ast.FormattedValue)
        ):
            return True
    return False


def test_values_are_quoted_by_the_one_helper_only() -> None:
    # One home for how a quoted value reads (labels.quoted): a message that writes its own
    # marks is a copy that drifts from the rest of the app, as repr's 'value' did.
    found = []
    for path in sorted(APP.rglob("*.py")):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and _quotes_inline(node):
                found.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert found == []


def _spells_a_choice(node: ast.AST) -> bool:
    """True for ``x.value.replace(...)``: a stored choice turned into words by hand."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "replace"
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "value"
    )


def test_a_choice_reads_by_the_one_helper_in_services_and_imports() -> None:
    # One home for how a stored choice reads (labels.label_of; in_sentence inside a
    # sentence): a detractor alert, Today's quiet contacts, the survey's people, a departure's
    # risk and the calendar's details each spelled role.value.replace("_", " ") themselves.
    found = []
    for layer in ("services", "imports"):
        for path in sorted((APP / layer).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if _spells_a_choice(node):
                    found.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert found == []


#: The files allowed to turn a stored name into words by hand: the one home only. (Code that
#: is not spelling for a person, e.g. app/commands/team.py's login check ``replace("_", "")``,
#: does not match.)
HAND_SPELLING_ALLOWED = {"app/services/labels.py"}


def _spells_a_stored_name(node: ast.AST) -> bool:
    """True for ``x.replace("_", " ")`` (a table, column or choice's underscores made spaces),
    ``x.value.capitalize()`` / ``x.value.title()`` (a stored choice capitalised by hand), and
    a sentence that writes a choice's stored value (``f"health is {band.value} at"``; an
    f-string without spaces, e.g. ``f"kind:{kind.value}"``, is a key, not words)."""
    if isinstance(node, ast.JoinedStr):
        words = any(isinstance(v, ast.Constant) and " " in str(v.value) for v in node.values)
        return words and any(
            isinstance(v, ast.FormattedValue)
            and isinstance(v.value, ast.Attribute)
            and v.value.attr == "value"
            for v in node.values
        )
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    method = node.func.attr
    if method == "replace":
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        return args == ["_", " "]
    return (
        method in {"capitalize", "title"}
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "value"
    )


def test_stored_names_read_by_the_one_home_everywhere_a_person_reads() -> None:
    # Account > History said "added a metric snapshot", an import's undo "stakeholder relation
    # records", the report's summary "Not set" where the window says "Not called": each
    # spelled a stored name with .replace("_", " ") instead of asking labels. Sentences wrote
    # a band, a severity, a play's status or an outcome's stored value the same way.
    found = []
    for layer in ("services", "imports", "exports", "views", "commands"):
        for path in sorted((APP / layer).rglob("*.py")):
            name = path.relative_to(APP.parent).as_posix()
            if name in HAND_SPELLING_ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if _spells_a_stored_name(node):
                    found.append(f"{name}:{node.lineno}")
    assert found == []


def test_the_guard_sees_a_hand_spelling() -> None:
    spelled = ast.parse('t.replace("_", " ")\nk.value.title()\nlogin.replace("_", "")')
    calls = [n for n in ast.walk(spelled) if isinstance(n, ast.Call)]
    assert [_spells_a_stored_name(c) for c in calls] == [True, True, False]
    sentence = ast.parse('f"is {b.value} at"', mode="eval").body
    key = ast.parse('f"kind:{k.value}"', mode="eval").body
    assert _spells_a_stored_name(sentence) and not _spells_a_stored_name(key)


def test_segments_read_as_english_writes_them() -> None:
    assert [label_of(s) for s in Segment] == ["Strategic", "Enterprise", "Mid-market", "SMB"]
    assert in_sentence(label_of(Segment.MID_MARKET)) == "mid-market"


def test_a_repeated_review_names_its_segment_as_the_window_does() -> None:
    rows = [CadenceSpec(Segment.SMB, enums.ActivityKind.QBR, "QBR", 91)] * 2
    with pytest.raises(CadenceError, match="repeats the QBR for SMB accounts"):  # not "smb"
        validate_cadence(rows)


def test_an_activity_record_is_a_touchpoint_everywhere() -> None:
    # DOMAIN.md's word; the tab, its buttons and History said "activity".
    from app.services.labels import a_record, record_label, records_label

    assert record_label("activity") == "Touchpoint"
    assert records_label("activity") == "Touchpoints"
    assert a_record("activity") == "a touchpoint"
    assert records_label("opportunity") == "Opportunities"
    assert records_label("play") == "Plays"


def test_a_records_date_reads_as_what_it_is() -> None:
    # History said "changed due on of the task".
    from app.services.labels import field_label

    assert field_label("task", "due_on") == "Due date"
    assert field_label("milestone", "target_on") == "Target date"
    assert field_label("risk", "opened_on") == "Date opened"
    assert field_label("activity", "occurred_at") == "Date and time"
    assert field_label("contract", "end_date") == "End date"
    assert field_label("stakeholder", "last_contact_on") == "Last contact"
    assert field_label("stakeholder", "departed_on") == "Left on"  # as the departure dialog
