"""Undo commands for health edits: each calls a service in one unit of work (the store
announces it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.models.base import utcnow
from app.services import alerts as alert_service
from app.services import surveys
from app.services.rescoring import rescore
from app.views.context import AppContext
from app.views.undo import EditCommand, ServiceEdit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class AcknowledgeAlertCommand(ServiceEdit[datetime | None]):
    """Acknowledge an alert; undo re-opens it."""

    def __init__(self, ctx: AppContext, alert_id: str) -> None:
        super().__init__(ctx, "Acknowledge alert")
        self._alert_id = alert_id
        self._at = utcnow()

    def change(self, session: Session) -> datetime | None:
        return alert_service.set_acknowledged(session, self._alert_id, self._at)

    def change_back(self, session: Session, kept: datetime | None) -> None:
        alert_service.set_acknowledged(session, self._alert_id, kept)


class CreateAlertTaskCommand(ServiceEdit[str]):
    """Create a follow-up task for an alert, due in a week; undo deletes it."""

    def __init__(self, ctx: AppContext, alert_id: str) -> None:
        super().__init__(ctx, "Create task from alert")
        self._alert_id = alert_id

    def change(self, session: Session) -> str:
        due = self.ctx.today + timedelta(days=7)
        return alert_service.create_task_for_alert(session, self._alert_id, due)

    def change_back(self, session: Session, kept: str) -> None:
        alert_service.remove_task_for_alert(session, self._alert_id)


class RecordSurveyCommand(EditCommand):
    """Record an NPS/CSAT answer; undo removes it."""

    def __init__(self, ctx: AppContext, account_id: str, answer: surveys.SurveyAnswer) -> None:
        super().__init__(ctx, f"Record {answer.kind.value.upper()} answer")
        self._account_id = account_id
        self._answer = answer
        self.response_id: str | None = None

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            self.response_id = surveys.record_response(session, self._account_id, self._answer)
            # Survey answers drive the NPS signal: a back-dated answer changes past scores.
            rescore(session, [self._account_id])

    def revert(self) -> None:
        if self.response_id is None:
            return
        with self.ctx.store.session() as session:
            surveys.delete_response(session, self.response_id)
            rescore(session, [self._account_id])
