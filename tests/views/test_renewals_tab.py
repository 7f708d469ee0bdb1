"""The Renewals tab (forecast call, outcome with new terms) and the pipeline panel."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import Contract
from app.models.enums import ContractStatus, ForecastCategory, RenewalOutcome
from app.models.store import Store
from app.services import renewals
from app.services.exchange import set_rate, set_reporting_currency
from app.services.renewals import OutcomeRequest
from app.views.calendar import RenewalPipelinePanel, RenewalsTab, renewals_tab
from app.views.calendar import dialogs as calendar_dialogs
from app.views.calendar.contract_lines import ContractLine
from app.views.calendar.outcome_dialog import OutcomeDialog
from app.views.context import AppContext
from tests import renewal_book as book

TODAY = date(2027, 1, 11)


@pytest.fixture
def ctx(qtbot: QtBot, store: Store) -> AppContext:
    return AppContext(store=store, today=TODAY)


@pytest.fixture
def account(store: Store) -> tuple[str, str]:
    with store.session() as session:
        acc = book.account(session, "Acme", owner="Ana", arr_minor=10_000_000)
        item = book.contract(session, acc, date(2026, 4, 1), date(2027, 3, 31), 10_000_000)
        return acc.id, item.id


def _tab(qtbot: QtBot, ctx: AppContext, account_id: str) -> RenewalsTab:
    tab = RenewalsTab(ctx)
    qtbot.addWidget(tab)
    assert tab.title == "Renewals"
    tab.set_account(account_id)
    return tab


def test_tab_lists_contracts_with_dates_and_flags(
    qtbot: QtBot, ctx: AppContext, account: tuple[str, str], qtmodeltester: object
) -> None:
    tab = _tab(qtbot, ctx, account[0])
    qtmodeltester.check(tab.model)  # type: ignore[attr-defined]
    assert tab.model.rowCount() == 1
    texts = [tab.model.index(0, c).data() for c in range(tab.model.columnCount())]
    assert texts[0] == "Acme" and tab.table.isColumnHidden(0)  # no sub-account listed
    assert texts[3] == "$100,000"
    assert texts[4] == "Mar 31, 2027" and texts[5] == "Dec 31, 2026"
    assert texts[7] == "Open · needs a call"
    assert texts[8] == "Missing"
    assert "Past a checkpoint without a forecast call" in tab.detail.text()
    tab.set_account(None)
    assert tab.model.rowCount() == 0 and not tab.form_box.isEnabled()


def test_forecast_call_is_saved_and_undone(
    qtbot: QtBot, ctx: AppContext, store: Store, account: tuple[str, str]
) -> None:
    tab = _tab(qtbot, ctx, account[0])
    tab.forecast.setCurrentIndex(tab.forecast.findData(ForecastCategory.AT_RISK))
    tab.likelihood.setValue(35)
    tab.next_step.setText("Exec sponsor call")
    with qtbot.waitSignal(ctx.events.changed):
        tab.save_button.click()
    with store.read() as session:
        state = renewals.renewal_state(session, account[1])
    assert (state.forecast, state.likelihood, state.next_step, state.forecast_on) == (
        ForecastCategory.AT_RISK,
        35,
        "Exec sponsor call",
        TODAY,
    )
    assert tab.model.index(0, 6).data() == "At risk (35%)"
    ctx.undo_stack.undo()
    with store.read() as session:
        state = renewals.renewal_state(session, account[1])
    assert (state.forecast, state.likelihood, state.forecast_on) == (None, None, None)
    assert tab.model.index(0, 6).data() == "Not called"


def test_record_outcome_creates_follow_on_and_undo_removes_it(
    qtbot: QtBot,
    ctx: AppContext,
    store: Store,
    account: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = _tab(qtbot, ctx, account[0])
    asked: list[str] = []

    def answer(_parent: object, line: ContractLine) -> OutcomeRequest:
        asked.append(line.contract.contract_id)
        return OutcomeRequest(RenewalOutcome.EXPANDED, value_minor=13_000_000)

    monkeypatch.setattr(renewals_tab, "ask_outcome", answer)
    tab.outcome_button.click()
    assert asked == [account[1]]
    with store.read() as session:
        follow_on = session.scalars(select(Contract).where(Contract.id != account[1])).one()
        assert (follow_on.start_date, follow_on.end_date, follow_on.value_minor) == (
            date(2027, 4, 1),
            date(2028, 3, 31),
            13_000_000,
        )
        old = session.get(Contract, account[1])
        assert old is not None and old.status is ContractStatus.RENEWED
        follow_on_id = follow_on.id
    # The tab now shows the new term (open) above the renewed one (history).
    assert tab.model.rowCount() == 2
    assert tab.selected() is not None and tab.selected().contract.contract_id == follow_on_id  # type: ignore[union-attr]
    assert tab.model.index(1, 7).data() == "Expanded"
    ctx.undo_stack.undo()
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 1
    assert tab.model.rowCount() == 1


def test_refused_outcome_shows_one_sentence_and_changes_nothing(
    qtbot: QtBot,
    ctx: AppContext,
    store: Store,
    account: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = _tab(qtbot, ctx, account[0])
    errors: list[str] = []
    monkeypatch.setattr(
        renewals_tab, "ask_outcome", lambda *_: OutcomeRequest(RenewalOutcome.CHURNED)
    )
    monkeypatch.setattr(calendar_dialogs, "show_error", lambda _p, text: errors.append(text))
    tab.outcome_button.click()
    assert errors == ["A churned renewal needs a reason."]
    assert ctx.undo_stack.count() == 0
    with store.read() as session:
        assert renewals.renewal_state(session, account[1]).outcome is None


def test_outcome_dialog_builds_the_request(
    qtbot: QtBot, ctx: AppContext, account: tuple[str, str]
) -> None:
    tab = _tab(qtbot, ctx, account[0])
    line = tab.selected()
    assert line is not None
    dialog = OutcomeDialog(line)
    qtbot.addWidget(dialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(RenewalOutcome.DOWNSOLD))
    dialog.value.setValue(80_000)
    dialog.reason_code.setCurrentIndex(dialog.reason_code.findData("budget"))
    request = dialog.request()
    assert request.outcome is RenewalOutcome.DOWNSOLD
    assert (request.value_minor, request.reason_code) == (8_000_000, "budget")
    assert request.terms is not None
    assert (request.terms.start_date, request.terms.end_date) == (
        date(2027, 4, 1),
        date(2028, 3, 31),
    )
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(RenewalOutcome.CHURNED))
    assert not dialog.value.isEnabled() and dialog.reason_code.isEnabled()


def test_pipeline_panel(
    qtbot: QtBot, ctx: AppContext, store: Store, account: tuple[str, str], qtmodeltester: object
) -> None:
    with store.session() as session:
        beta = book.account(session, "Beta", owner="Ben")
        risky = book.contract(session, beta, date(2026, 6, 1), date(2027, 5, 31), 4_000_000)
        renewals.set_forecast(session, risky.id, ForecastCategory.AT_RISK, on=TODAY)
        book.touchpoint(session, beta, datetime(2027, 1, 5, 10, tzinfo=UTC))
    panel = RenewalPipelinePanel(ctx)
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.quarters)  # type: ignore[attr-defined]
    qtmodeltester.check(panel.action_rows)
    labels = [panel.quarters.index(r, 0).data() for r in range(panel.quarters.rowCount())]
    assert labels == ["2027 Q1 · USD", "2027 Q2 · USD"]
    assert panel.quarters.index(0, 5).data() == "$100K"  # not called
    assert panel.quarters.index(1, 3).data() == "$40K"  # at risk
    assert "$40K" in panel.headline.text()
    assert panel.headline.text().startswith("ARR at risk: ")
    assert "forecast is called at risk" in panel.headline.toolTip()
    accounts = [panel.action_rows.index(r, 0).data() for r in range(panel.action_rows.rowCount())]
    assert accounts == ["Acme", "Beta"]
    with qtbot.waitSignal(ctx.events.open_account) as blocker:
        panel.action_table.activated.emit(panel.action_rows.index(1, 0))
    assert blocker.args == [risky.account_id, "Renewals"]
    panel.owner_box.setCurrentIndex(panel.owner_box.findData("Ben"))
    assert [panel.action_rows.index(r, 0).data() for r in range(panel.action_rows.rowCount())] == [
        "Beta"
    ]


def test_export_calendar_from_the_gui(
    qtbot: QtBot,
    ctx: AppContext,
    account: tuple[str, str],
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import icalendar

    from app.views.calendar import export_action, export_calendar_interactively

    target = tmp_path / "mine"  # type: ignore[operator]
    monkeypatch.setattr(export_action, "ask_feed_path", lambda _parent: target)
    result = export_calendar_interactively(ctx, days=120)
    assert result is not None and result.path.name == "mine.ics"
    cal = icalendar.Calendar.from_ical(result.path.read_bytes())
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert f"renewal-{account[1]}@fieldbook" in uids
    monkeypatch.setattr(export_action, "ask_feed_path", lambda _parent: None)
    assert export_calendar_interactively(ctx) is None


def test_tab_selects_the_soonest_open_renewal(qtbot: QtBot, ctx: AppContext, store: Store) -> None:
    with store.session() as session:
        acc = book.account(session, "Multi")
        later = book.contract(session, acc, date(2026, 9, 1), date(2027, 8, 31), 5_000_000)
        sooner = book.contract(session, acc, date(2026, 2, 1), date(2027, 1, 31), 1_000_000)
        old = book.contract(session, acc, date(2025, 3, 1), date(2026, 2, 28), 900_000)
        renewals.record_outcome(
            session, old.id, OutcomeRequest(RenewalOutcome.RENEWED), on=date(2026, 2, 1)
        )
        ids = (later.id, sooner.id)
    tab = _tab(qtbot, ctx, acc.id)
    assert tab.model.rowCount() == 4  # later, follow-on of old, sooner, old (newest first)
    selected = tab.selected()
    assert selected is not None and selected.contract.contract_id == ids[1]


def test_pipeline_converts_with_rates_and_names_what_it_leaves_out(
    qtbot: QtBot, ctx: AppContext, store: Store, account: tuple[str, str]
) -> None:
    with store.session() as session:
        euro = book.account(session, "Euro GmbH", currency="EUR")
        book.contract(session, euro, date(2026, 4, 1), date(2027, 3, 31), 5_000_000, currency="EUR")
        set_reporting_currency(session, "USD")  # one account each: the user chooses
    panel = RenewalPipelinePanel(ctx)
    qtbot.addWidget(panel)
    labels = [panel.quarters.index(r, 0).data() for r in range(panel.quarters.rowCount())]
    assert labels == ["2027 Q1 · USD", "2027 Q1 · EUR (no rate)"]
    assert panel.rates_note.text() == "Leaves out €50K (EUR): no rate to USD."
    with store.session() as session:
        set_rate(session, "EUR", "1.2", date(2027, 1, 4), today=TODAY)
    panel.reload()
    labels = [panel.quarters.index(r, 0).data() for r in range(panel.quarters.rowCount())]
    assert labels == ["2027 Q1 · USD"]
    assert panel.quarters.index(0, 6).data() == "$160K"  # $100K + €50K at 1.2
    assert panel.quarters.index(0, 7).data() == "2"
    assert panel.rates_note.text() == "Converted at rates of Jan 4, 2027."


def test_contracts_are_added_edited_and_deleted_with_the_contract_form_and_undo(
    qtbot: QtBot,
    ctx: AppContext,
    store: Store,
    account: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.views.account import forms

    asked: list[tuple[str, dict[str, object], bool]] = []
    answers: list[dict[str, object]] = [
        {"name": "Support plus", "start_date": TODAY, "end_date": date(2028, 1, 10),
         "currency": "USD", "status": "active", "notice_days": 60, "value_minor": 50_000},
        {"name": "Support premium"},
    ]  # fmt: skip

    def answer(_parent, title, _specs, values=None, _choices=None, new=False):  # type: ignore[no-untyped-def]
        asked.append((title, dict(values or {}), new))
        return answers.pop(0)

    monkeypatch.setattr(forms, "edit_form", answer)
    tab = _tab(qtbot, ctx, account[0])

    def names() -> list[str]:
        with store.read() as session:
            return sorted(session.scalars(select(Contract.name)))

    before = names()
    tab.add_contract()
    assert asked[0][0] == "New contract" and asked[0][2]
    assert asked[0][1]["currency"] == "USD" and asked[0][1]["start_date"] == TODAY
    assert names() == sorted([*before, "Support plus"])
    selected = tab.selected()
    assert selected is not None and selected.contract.contract_name == "Support plus"
    tab.edit_contract()
    assert asked[1][0] == "Edit contract" and asked[1][1]["notice_days"] == 60
    assert names() == sorted([*before, "Support premium"])
    assert ctx.undo_stack.undoText() == "edit Support plus"
    tab.select_contract(selected.contract.contract_id)
    tab.delete_contract()
    assert ctx.undo_stack.undoText() == "delete Support premium" and names() == before
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert names() == sorted([*before, "Support plus"])


def test_renewal_detail_breaks_between_checkpoints_and_shows_names_as_written(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    """The line under the table wrapped inside a checkpoint at 1366x768 ("✓ 120d Sep 14 · ✓ /
    90d Oct 14"), and read a contract's name as markup."""
    with store.session() as session:
        acc = book.account(session, "Acme", owner="Ana", arr_minor=10_000_000)
        book.contract(
            session, acc, date(2026, 4, 1), date(2027, 3, 31), 10_000_000, name="R&D <Core>"
        )
        account_id = acc.id
    tab = _tab(qtbot, ctx, account_id)
    source = tab.detail.text()
    assert "120\u2011day&nbsp;touch:&nbsp;missing." in source, source
    for mark in (
        "✓&nbsp;120d&nbsp;Dec&nbsp;1",
        "✓&nbsp;90d&nbsp;Dec&nbsp;31",
        "○&nbsp;60d&nbsp;Jan&nbsp;30",
    ):
        assert mark in source, source
    shown = QTextDocument()
    shown.setHtml(source)
    assert shown.toPlainText().startswith("R&D <Core> renews on Mar 31, 2027")
