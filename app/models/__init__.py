"""The workspace's data model (SQLAlchemy 2 ORM) and the store that opens workspaces."""

from app.models import guards
from app.models.account import REVENUE_LINES, Account
from app.models.alert import AlertRule, HealthAlert
from app.models.base import Base, new_id, utcnow
from app.models.contract import Contract, Renewal
from app.models.exchange import ExchangeRate
from app.models.guards import CrossAccountError, HierarchyCycleError
from app.models.health import (
    HealthScore,
    MetricSnapshot,
    Scorecard,
    ScorecardMeasure,
    SurveyResponse,
)
from app.models.import_batch import ImportBatch, ImportJournal
from app.models.meta import WorkspaceMeta
from app.models.playbook import CadenceRule, Play, Playbook, PlaybookStep, PlayStep
from app.models.stakeholder import (
    MapCard,
    MapVersion,
    PrivateNote,
    Stakeholder,
    StakeholderRelation,
)
from app.models.sync_tables import SyncBatch, SyncConflict, SyncLog, SyncOutbox, SyncReplica
from app.models.team import AccountTeam, AuditEntry, TeamMember
from app.models.work import (
    Activity,
    Goal,
    Milestone,
    Opportunity,
    Risk,
    SuccessPlan,
    Task,
    activity_attendee,
)

__all__ = [
    "REVENUE_LINES",
    "Account",
    "AccountTeam",
    "Activity",
    "AlertRule",
    "AuditEntry",
    "Base",
    "CadenceRule",
    "Contract",
    "CrossAccountError",
    "ExchangeRate",
    "Goal",
    "HealthAlert",
    "HealthScore",
    "HierarchyCycleError",
    "ImportBatch",
    "ImportJournal",
    "MapCard",
    "MapVersion",
    "MetricSnapshot",
    "Milestone",
    "Opportunity",
    "Play",
    "PlayStep",
    "Playbook",
    "PlaybookStep",
    "PrivateNote",
    "Renewal",
    "Risk",
    "Scorecard",
    "ScorecardMeasure",
    "Stakeholder",
    "StakeholderRelation",
    "SuccessPlan",
    "SurveyResponse",
    "SyncBatch",
    "SyncConflict",
    "SyncLog",
    "SyncOutbox",
    "SyncReplica",
    "Task",
    "TeamMember",
    "WorkspaceMeta",
    "activity_attendee",
    "guards",
    "new_id",
    "utcnow",
]
