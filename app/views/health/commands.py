"""Undo commands for health edits: each calls a service in one unit of work and announces it."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtGui import QUndoCommand

from app.models.base import utcnow
from app.services import alerts as alert_service
from app.services import surveys
from app.services.book_health import apply_scorecard
from app.services.scorecards import ScorecardSpec
from app.services.scoring import rescore
from app.views.context import AppContext
from app.views.health.survey_dialog import SurveyAnswer


class AcknowledgeAlertCommand(QUndoCommand):
    """Acknowledge an alert; undo re-opens it."""

    def __init__(self, ctx: AppContext, alert_id: str, account_id: str) -> None:
        super().__init__("Acknowledge alert")
        self._ctx = ctx
        self._alert_id = alert_id
        self._account_id = account_id
        self._before: datetime | None = None
        self._at = utcnow()

    def redo(self) -> None:
        with self._ctx.store.session() as session:
            self._before = alert_service.set_acknowledged(session, self._alert_id, self._at)

    def undo(self) -> None:
        with self._ctx.store.session() as session:
            alert_service.set_acknowledged(session, self._alert_id, self._before)


class CreateAlertTaskCommand(QUndoCommand):
    """Create a follow-up task for an alert, due in a week; undo deletes it."""

    def __init__(self, ctx: AppContext, alert_id: str, account_id: str) -> None:
        super().__init__("Create task from alert")
        self._ctx = ctx
        self._alert_id = alert_id
        self._account_id = account_id
        self.task_id: str | None = None

    def redo(self) -> None:
        with self._ctx.store.session() as session:
            self.task_id = alert_service.create_task_for_alert(
                session, self._alert_id, self._ctx.today + timedelta(days=7)
            )

    def undo(self) -> None:
        with self._ctx.store.session() as session:
            alert_service.remove_task_for_alert(session, self._alert_id)


class ApplyScorecardCommand(QUndoCommand):
    """Save an edited scorecard and rescore its accounts; undo restores the previous one."""

    def __init__(self, ctx: AppContext, spec: ScorecardSpec) -> None:
        super().__init__(f"Edit scorecard {spec.name}")
        self._ctx = ctx
        self._spec = spec
        self._before: ScorecardSpec | None = None

    def redo(self) -> None:
        with self._ctx.store.session() as session:
            self._before = apply_scorecard(session, self._spec)

    def undo(self) -> None:
        if self._before is None:
            return
        with self._ctx.store.session() as session:
            apply_scorecard(session, self._before)


class RecordSurveyCommand(QUndoCommand):
    """Record an NPS/CSAT answer; undo removes it."""

    def __init__(self, ctx: AppContext, account_id: str, answer: SurveyAnswer) -> None:
        super().__init__(f"Record {answer.kind.value.upper()} answer")
        self._ctx = ctx
        self._account_id = account_id
        self._answer = answer
        self.response_id: str | None = None

    def redo(self) -> None:
        a = self._answer
        with self._ctx.store.session() as session:
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

    def undo(self) -> None:
        if self.response_id is None:
            return
        with self._ctx.store.session() as session:
            surveys.delete_response(session, self.response_id)
            rescore(session, [self._account_id])
