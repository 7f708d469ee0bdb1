"""A stored record and a forecast call read as the window names them, from one home
(``labels.record_label``, ``labels.forecast_label``), not as their table or value is spelled:
Account > History said "added a metric snapshot", the report's summary "Not set"."""

from __future__ import annotations

import json

from app.models import Base
from app.models.enums import ForecastCategory
from app.models.team import AuditEntry
from app.services import labels, sync
from app.services.labels import a_record, forecast_label, record_label
from app.services.team import describe


def _entry(action: str, table: str, fields: list[str] | None = None) -> AuditEntry:
    changes = None if fields is None else json.dumps(fields)
    return AuditEntry(action=action, table_name=table, changes=changes)


def test_history_names_each_record_as_the_window_does() -> None:
    # It spelled the table: "added a metric snapshot", "changed strength of the stakeholder
    # relation", "removed a survey response".
    assert describe(_entry("insert", "metric_snapshot")) == "added a health snapshot"
    assert describe(_entry("update", "stakeholder_relation", ["strength"])) == (
        "changed strength of the map line"
    )
    assert describe(_entry("delete", "survey_response")) == "removed a survey answer"
    assert describe(_entry("insert", "account_team")) == "added an account team member"
    assert describe(_entry("insert", "success_plan")) == "added a success plan"


def test_history_names_a_stakeholders_field_as_the_person_form_does() -> None:
    # It said "changed relationship strength, role of the stakeholder"; the form on the map
    # says "Buying role" and "Relationship (1-5)".
    changed = ["relationship_strength", "role", "last_contact_on"]
    assert describe(_entry("update", "stakeholder", changed)) == (
        "changed last contact, relationship, buying role of the stakeholder"
    )


def test_every_table_has_the_words_a_person_knows_it_by() -> None:
    # A new table without words would read as its stored name again (the fallback).
    missing = sorted(set(Base.metadata.tables) - set(labels._RECORD_WORDS))
    assert missing == []
    assert record_label("metric_snapshot") == "Health snapshot"
    assert a_record("opportunity") == "an opportunity"


def test_a_sync_conflict_names_its_record_as_the_window_does() -> None:
    # The conflicts list said "Stakeholder relation 0123abcd", "Metric snapshot 0123abcd".
    assert sync._label("stakeholder_relation", "0123abcdef", None) == "Map line 0123abcd"
    assert sync._label("metric_snapshot", "0123abcdef", None) == "Health snapshot 0123abcd"


def test_a_forecast_call_reads_as_the_renewals_tab_offers_it() -> None:
    assert [forecast_label(c) for c in ForecastCategory] == ["Commit", "Likely", "At risk", "Lost"]
    assert forecast_label(None) == "Not called"  # the report said "Not set"
    assert forecast_label("none") == "Not called"  # the calendar's key for no call
    assert forecast_label("renewed") == "Renewed"  # an outcome, in the calendar's Call column
