"""How a stored value reads wherever a person sees it (the window, the demo's titles, the
command line): enum values, column names, a stored field's value, a value quoted in a
sentence."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

#: Values that read as acronyms, not as a capitalised word.
ACRONYMS = {"qbr": "QBR", "ebr": "EBR", "obr": "OBR", "cbr": "CBR", "macd": "MACD", "smb": "SMB"}
#: Values English writes otherwise than their stored words, capitalised, say.
_WORDS = {"mid_market": "Mid-market"}
#: Stored column names that read as acronyms.
_COLUMN_ACRONYMS = {"arr": "ARR", "nps": "NPS", "csat": "CSAT", "id": "ID"}


def label_of(value: Any) -> str:
    """How an enum value reads in the UI: ``value_realisation`` → ``Value realisation``."""
    if value is None:
        return ""
    text = value.value if isinstance(value, StrEnum) else str(value)
    if text in ACRONYMS:
        return ACRONYMS[text]
    return _WORDS.get(text) or text.replace("_", " ").capitalize()


def column_label(name: str) -> str:
    """How a stored column's name reads: ``arr_minor`` → ``ARR``, ``end_date`` → ``End date``
    (money kept in minor units reads as the amount it is)."""
    words = name.removesuffix("_minor").split("_")
    first = _COLUMN_ACRONYMS.get(words[0], words[0].capitalize())
    return " ".join([first, *(_COLUMN_ACRONYMS.get(w, w) for w in words[1:])])


#: Account columns the window names otherwise than their stored name says.
_ACCOUNT_WORDS = {
    "owner": "Owner (CSM)",
    "annual_revenue_minor": "Company revenue (annual)",
}


def account_field_label(name: str) -> str:
    """How an account's column reads on its Overview (and wherever the field is asked for,
    e.g. the import wizard): ``owner`` → ``Owner (CSM)``, ``lifecycle_stage`` → ``Lifecycle
    stage``."""
    return _ACCOUNT_WORDS.get(name) or column_label(name)


#: Stakeholder columns the map's person form names otherwise than their stored name says.
_STAKEHOLDER_WORDS = {
    "role": "Buying role",
    "relationship_strength": "Relationship",
    "reports_to_id": "Reports to",
    "successor_id": "Successor",
    "is_executive_sponsor": "Executive sponsor",
    "last_contact_on": "Last contact",
    "departed_on": "Left on",
    "departed_to": "Went to",
    "departed_is_lead": "Sales lead",
}


#: Date fields of other records as a sentence names them: ``due_on`` is the task's due date
#: ("changed due date of the task"), not its column ("due on").
_DATE_WORDS = {
    "due_on": "Due date",
    "target_on": "Target date",
    "forecast_on": "Forecast date",
    "outcome_on": "Outcome date",
    "expected_close_on": "Expected close date",
    "started_on": "Start date",
    "ended_on": "End date",
    "opened_on": "Date opened",
    "closed_on": "Date closed",
    "raised_on": "Date raised",
    "done_on": "Date done",
    "cleared_on": "Date cleared",
    "responded_on": "Date responded",
    "handed_to_sales_on": "Date handed to sales",
    "occurred_at": "Date and time",
}


def field_label(table: str, name: str) -> str:
    """How a stored field of a record in table ``table`` reads wherever the record is named
    (Account > History, a sync conflict, the map's changes): an account's as its Overview
    names it (``account_field_label``: ``owner`` → ``Owner (CSM)``), a stakeholder's as the
    map's person form does (``role`` → ``Buying role``, ``reports_to_id`` → ``Reports to``),
    another record's date by what it is (``due_on`` → ``Due date``, ``opened_on`` → ``Date
    opened``), its other fields by their column (``column_label``: a task's ``owner`` is who
    does it, ``Owner``; ``end_date`` → ``End date``)."""
    if table == "account":
        return account_field_label(name)
    if table == "stakeholder" and name in _STAKEHOLDER_WORDS:
        return _STAKEHOLDER_WORDS[name]
    if name in _DATE_WORDS:
        return _DATE_WORDS[name]
    if name.endswith("_on"):
        return f"{column_label(name.removesuffix('_on'))} date"
    return column_label(name)


#: What a person calls one record of each stored table (Account > History, a sync conflict, an
#: import's undo): the window's words for it, not the table's name
#: (``metric_snapshot`` is a health snapshot, as the import wizard names them;
#: ``stakeholder_relation`` a map line, as the map's Remove line and Undo name it;
#: ``activity`` a touchpoint, the domain's word, as the calendar and health chart say).
_RECORD_WORDS = {
    "account": "Account",
    "account_team": "Account team member",
    "activity": "Touchpoint",
    "activity_attendee": "Attendee",
    "alert_rule": "Alert rule",
    "audit_entry": "History entry",
    "cadence_rule": "Governance rhythm",
    "contract": "Contract",
    "exchange_rate": "Exchange rate",
    "goal": "Goal",
    "health_alert": "Health alert",
    "health_score": "Health score",
    "import_batch": "Import",
    "import_journal": "Import record",
    "map_card": "Map card",
    "map_version": "Map version",
    "metric_snapshot": "Health snapshot",
    "milestone": "Milestone",
    "opportunity": "Opportunity",
    "play": "Play",
    "play_step": "Play step",
    "playbook": "Playbook",
    "playbook_step": "Playbook step",
    "private_note": "Private note",
    "renewal": "Renewal",
    "risk": "Risk",
    "scorecard": "Scorecard",
    "scorecard_measure": "Scorecard measure",
    "stakeholder": "Stakeholder",
    "stakeholder_relation": "Map line",
    "success_plan": "Success plan",
    "survey_response": "Survey answer",
    "sync_batch": "Sync",
    "sync_conflict": "Sync conflict",
    "sync_log": "Sync log entry",
    "sync_outbox": "Change waiting to sync",
    "sync_replica": "Synced copy",
    "task": "Task",
    "team_member": "Team member",
    "workspace_meta": "Workspace setting",
}


def record_label(table: str) -> str:
    """What one record of stored table ``table`` is called: ``metric_snapshot`` → ``Health
    snapshot``, ``stakeholder_relation`` → ``Map line`` (``in_sentence`` inside a sentence)."""
    return _RECORD_WORDS.get(table) or table.replace("_", " ").capitalize()


def records_label(table: str) -> str:
    """What several records of ``table`` are called, as a tab or a list heads them:
    ``activity`` → ``Touchpoints``, ``opportunity`` → ``Opportunities``."""
    words = record_label(table)
    if words.endswith("y") and words[-2:-1] not in ("a", "e", "o", "u"):
        return words[:-1] + "ies"
    return words + "s"


def a_record(table: str) -> str:
    """One record of ``table`` inside a sentence: ``a health snapshot``, ``an opportunity``."""
    words = in_sentence(record_label(table))
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


#: How a renewal without a forecast call reads (the Renewals tab's choice, the calendar).
NOT_CALLED = "Not called"


def forecast_label(value: Any) -> str:
    """How a renewal's forecast call reads: ``at_risk`` → ``At risk``; none (``None``, or the
    calendar's ``"none"`` key) → ``Not called``, as the Renewals tab offers it."""
    if value is None or value == "none":
        return NOT_CALLED
    return label_of(value)


def quoted(text: str) -> str:
    """``text`` quoted in a sentence a person reads: ``“Morgan”``, with typographic quotes,
    not as Python writes a string (``'Morgan'``, or ``"O'Brien"``)."""
    return f"“{text}”"


def in_sentence(text: str) -> str:
    """``text`` as it reads inside a sentence: its first letter lower-cased, unless its first
    word is an acronym ("ROI review", "SSO rollout", "P1 tickets" keep their capitals)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1].isupper() or first[1].isdigit()):
        return text
    return text[:1].lower() + text[1:]


def stored_in_words(value: Any, column: Any = None, currency: str | None = None) -> str:
    """A stored field's value as the window shows it elsewhere: money in its currency, a day
    or a moment in words, a choice by its label, a count with its thousands (not
    ``12000000``, ``2026-05-04``, ``mid_market``). ``column`` is the field's SQLAlchemy
    column, when known (it tells a choice or a day kept as text); text is given as it is.
    """
    # Imported here: the tree's first paint imports this module, and loads no SQLAlchemy.
    from datetime import date, datetime

    from sqlalchemy import Date, DateTime, Enum

    from app.services import dates_text, money

    if value is None:
        return "(none)"
    if isinstance(value, dict):
        return "(the whole record)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    kind = None if column is None else column.type
    if isinstance(value, StrEnum) or (isinstance(kind, Enum) and isinstance(value, str)):
        return label_of(value)
    if column is not None and column.name.endswith("_minor") and isinstance(value, int):
        return money.format_money(value, currency or "USD", exact=True)
    if isinstance(value, str) and isinstance(kind, DateTime | Date):
        try:
            value = (
                datetime.fromisoformat(value)
                if isinstance(kind, DateTime)
                else (date.fromisoformat(value))
            )
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return dates_text.moment(value)
    if isinstance(value, date):
        return dates_text.day(value)
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)
