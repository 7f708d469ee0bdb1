"""The calendar says a forecast call, an outcome or a band from the one home
(``labels.forecast_label``), as the Renewals tab's choice reads, not spelled by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.services.renewal_calendar import CalendarEvent, EventKind
from app.views.calendar import style
from app.views.calendar.day_lists import agenda_columns
from app.views.calendar.timeline import ROWS


def _renewal(**kw: Any) -> CalendarEvent:
    return CalendarEvent(
        EventKind.RENEWAL, date(2027, 3, 31), "Platform", "a1", "Acme", "Renewals", "c1", **kw
    )


def test_the_agendas_call_column_reads_as_the_renewals_tab() -> None:
    call = next(c for c in agenda_columns() if c.header == "Call / health")
    assert call.text(_renewal(forecast="at_risk")) == "At risk"
    assert call.text(_renewal(outcome="downsold")) == "Downsold"
    assert call.text(_renewal(needs_call=True)) == "Not called · needs call"


def test_every_tone_has_its_words_from_the_one_home() -> None:
    # TONE_LABELS listed calls and bands by hand; outcomes fell back to a .replace spelling.
    assert {t: style.TONE_LABELS[t] for t in ("at_risk", "none", "renewed", "green")} == {
        "at_risk": "At risk",
        "none": "Not called",
        "renewed": "Renewed",
        "green": "Green",
    }
    assert [words for _, words in ROWS] == [
        "Commit",
        "Likely",
        "At risk",
        "Lost",
        "Not called",
        "Notice deadlines",
    ]
