"""The workspace's data model (SQLAlchemy 2 ORM) and the store that opens workspaces.

The mapped classes load on first use (``from app.models import Account``, or any mapper
being configured), not with the package: the window paints its first rows from a plain
``sqlite3`` read before SQLAlchemy is imported (``app.models.store``, ``app.views.app``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Where each public name lives (the module is imported when the name is first asked for).
_HOMES: dict[str, str] = {
    "REVENUE_LINES": "account",
    "Account": "account",
    "AccountTeam": "team",
    "Activity": "work",
    "AlertRule": "alert",
    "AuditEntry": "team",
    "Base": "base",
    "CadenceRule": "playbook",
    "Contract": "contract",
    "CrossAccountError": "guards",
    "ExchangeRate": "exchange",
    "Goal": "work",
    "HealthAlert": "alert",
    "HealthScore": "health",
    "HierarchyCycleError": "guards",
    "ImportBatch": "import_batch",
    "ImportJournal": "import_batch",
    "MapCard": "stakeholder",
    "MapVersion": "stakeholder",
    "MetricSnapshot": "health",
    "Milestone": "work",
    "Opportunity": "work",
    "Play": "playbook",
    "PlayStep": "playbook",
    "Playbook": "playbook",
    "PlaybookStep": "playbook",
    "PrivateNote": "stakeholder",
    "Renewal": "contract",
    "Risk": "work",
    "Scorecard": "health",
    "ScorecardMeasure": "health",
    "Stakeholder": "stakeholder",
    "StakeholderRelation": "stakeholder",
    "SuccessPlan": "work",
    "SurveyResponse": "health",
    "SyncBatch": "sync_tables",
    "SyncConflict": "sync_tables",
    "SyncLog": "sync_tables",
    "SyncOutbox": "sync_tables",
    "SyncReplica": "sync_tables",
    "Task": "work",
    "TeamMember": "team",
    "WorkspaceMeta": "meta",
    "activity_attendee": "work",
    "new_id": "base",
    "utcnow": "base",
}

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

_loaded = False
_when_loaded: list[Callable[[], None]] = []


def _import_models() -> None:
    for module in sorted({*_HOMES.values(), "guards"}):
        importlib.import_module(f"app.models.{module}")


def load_orm() -> None:
    """Import every mapped class and the ORM's guards, then run ``when_orm_loaded`` callbacks.

    Relationships name their classes by string, and ``Base.metadata`` must hold every table,
    so the mapped classes load together. Called before any mapper is configured
    (``app.models.base``) and before a store hands out its first session: places outside
    any import, where the callbacks may import what they like.
    """
    global _loaded
    if _loaded:
        return
    _import_models()
    _loaded = True
    while _when_loaded:
        _when_loaded.pop(0)()


def when_orm_loaded(callback: Callable[[], None]) -> None:
    """Call ``callback`` once the ORM is loaded (at once if it already is): how a layer above
    keeps its session listeners without importing SQLAlchemy for a process that never uses it."""
    if _loaded:
        callback()
    else:
        _when_loaded.append(callback)


def __getattr__(name: str) -> Any:
    home = "guards" if name == "guards" else _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'app.models' has no attribute {name!r}")
    _import_models()
    module = importlib.import_module(f"app.models.{home}")
    value = module if name == "guards" else getattr(module, name)
    globals()[name] = value
    return value
