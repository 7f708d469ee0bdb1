"""Undo commands for health edits: each calls a service in one unit of work and announces it."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.models.base import utcnow
from app.services import alerts as alert_service
from app.services import surveys
from app.services.rescoring import rescore
from app.views.context import AppContext
from app.views.health.survey_dialog import SurveyAnswer
from app.views.undo import EditCommand


class AcknowledgeAlertCommand(EditCommand):
    """Acknowledge an alert; undo re-opens it."""

    def __init__(self, ctx: AppContext, alert_id: str) -> None:
        super().__init__(ctx, "Acknowledge alert")
        self._alert_id = alert_id
        self._before: datetime | None = None
        self._at = utcnow()

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            self._before = alert_service.set_acknowledged(session, self._alert_id, self._at)

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            alert_service.set_acknowledged(session, self._alert_id, self._before)


class CreateAlertTaskCommand(EditCommand):
    """Create a follow-up task for an alert, due in a week; undo deletes it."""

    def __init__(self, ctx: AppContext, alert_id: str) -> None:
        super().__init__(ctx, "Create task from alert")
        self._alert_id = alert_id
        self.task_id: str | None = None

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            self.task_id = alert_service.create_task_for_alert(
                session, self._alert_id, self.ctx.today + timedelta(days=7)
            )

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            alert_service.remove_task_for_alert(session, self._alert_id)


class RecordSurveyCommand(EditCommand):
    """Record an NPS/CSAT answer; undo removes it."""

    def __init__(self, ctx: AppContext, account_id: str, answer: SurveyAnswer) -> None:
        super().__init__(ctx, f"Record {answer.kind.value.upper()} answer")
        self._account_id = account_id
        self._answer = answer
        self.response_id: str | None = None

    def apply(self) -> None:
        a = self._answer
        with self.ctx.store.session() as session:
            self.response_id = surveys.record_response(
                session,
                self._account_id,
                a.kind,
                a.score,
                a.responded_on,
                stakeholder_id=a.stakeholder_id,
                comment=a.comment,
            )
            # Survey answers drive the NPS signal: a back-dated answer changes past scores.
            rescore(session, [self._account_id])

    def revert(self) -> None:
        if self.response_id is None:
            return
        with self.ctx.store.session() as session:
            surveys.delete_response(session, self.response_id)
            rescore(session, [self._account_id])
