"""Undo commands of the calendar and the renewal workflow; each calls a service in one session."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from PySide6.QtWidgets import QWidget

from app.models.enums import ForecastCategory
from app.services import calendar_moves, dates_text, renewals
from app.services.labels import in_sentence, label_of, quoted
from app.services.renewal_calendar import CalendarEvent, EventKind
from app.views.calendar import dialogs
from app.views.context import AppContext
from app.views.undo import EditCommand


class ServiceCommand(EditCommand):
    """A calendar or renewal edit; a refusal (``RenewalError``, a moved item gone) is shown as an
    error message."""

    def tell_refusal(self, parent: QWidget | None, message: str) -> None:
        dialogs.show_error(parent, message)


class RescheduleCommand(ServiceCommand):
    """Move a touchpoint or a task to another day (drag and drop in the calendar)."""

    def __init__(self, ctx: AppContext, event: CalendarEvent, day: date, tz: tzinfo = UTC) -> None:
        super().__init__(ctx, f"Move {quoted(event.title)} to {dates_text.day(day)}")
        if not event.movable:
            raise ValueError("Only touchpoints and tasks can be moved.")
        self._ctx = ctx
        self._event = event
        self._day = day
        self._tz = tz
        self._before_time: datetime | None = None
        self._before_day: date | None = None

    def apply(self) -> None:
        with self._ctx.store.session() as session:
            if self._event.kind is EventKind.TOUCHPOINT:
                self._before_time = calendar_moves.reschedule_touchpoint(
                    session, self._event.ref_id, self._day, self._tz
                )
            else:
                self._before_day = calendar_moves.set_task_due(
                    session, self._event.ref_id, self._day
                )

    def revert(self) -> None:
        with self._ctx.store.session() as session:
            if self._event.kind is EventKind.TOUCHPOINT:
                assert self._before_time is not None
                calendar_moves.set_touchpoint_time(session, self._event.ref_id, self._before_time)
            else:
                calendar_moves.set_task_due(session, self._event.ref_id, self._before_day)


class SetForecastCommand(ServiceCommand):
    """Record a forecast call (category, likelihood, next step) on a contract's renewal."""

    def __init__(
        self,
        ctx: AppContext,
        contract_id: str,
        forecast: ForecastCategory | None,
        likelihood: int | None,
        next_step: str | None,
    ) -> None:
        super().__init__(ctx, "Forecast call")
        self._ctx = ctx
        self._contract_id = contract_id
        self._after = (forecast, likelihood, next_step)
        self._before: renewals.RenewalState | None = None
        self.account_id: str | None = None

    def apply(self) -> None:
        forecast, likelihood, next_step = self._after
        with self._ctx.store.session() as session:
            self._before = renewals.renewal_state(session, self._contract_id)
            self.account_id = self._before.account_id
            renewals.set_forecast(
                session,
                self._contract_id,
                forecast,
                likelihood=likelihood,
                next_step=next_step,
                on=self._ctx.today,
            )

    def revert(self) -> None:
        before = self._before
        assert before is not None
        with self._ctx.store.session() as session:
            renewals.set_forecast(
                session,
                self._contract_id,
                before.forecast,
                likelihood=before.likelihood,
                next_step=before.next_step,
                on=before.forecast_on or self._ctx.today,
            )


class RecordOutcomeCommand(ServiceCommand):
    """Record a renewal's outcome with its new terms; undo removes the follow-on contract."""

    def __init__(self, ctx: AppContext, contract_id: str, request: renewals.OutcomeRequest) -> None:
        super().__init__(ctx, f"Record {in_sentence(label_of(request.outcome))} renewal")
        self._ctx = ctx
        self._contract_id = contract_id
        self._request = request
        self.result: renewals.OutcomeResult | None = None
        self.account_id: str | None = None

    def apply(self) -> None:
        with self._ctx.store.session() as session:
            self.account_id = renewals.renewal_state(session, self._contract_id).account_id
            self.result = renewals.record_outcome(
                session, self._contract_id, self._request, on=self._ctx.today
            )

    def revert(self) -> None:
        with self._ctx.store.session() as session:
            renewals.revert_outcome(session, self._contract_id)
