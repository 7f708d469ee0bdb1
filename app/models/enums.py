"""The domain's closed vocabularies (DOMAIN.md), stored as their string values."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Enum as SAEnum


class Segment(StrEnum):
    STRATEGIC = "strategic"
    ENTERPRISE = "enterprise"
    MID_MARKET = "mid_market"
    SMB = "smb"


class LifecycleStage(StrEnum):
    ONBOARDING = "onboarding"
    ADOPTION = "adoption"
    VALUE_REALISATION = "value_realisation"
    RENEWAL = "renewal"
    EXPANSION = "expansion"


class BuyingRole(StrEnum):
    ECONOMIC_BUYER = "economic_buyer"
    DECISION_MAKER = "decision_maker"
    CHAMPION = "champion"
    COACH = "coach"
    TECHNICAL_BUYER = "technical_buyer"
    USER = "user"
    INFLUENCER = "influencer"
    BLOCKER = "blocker"


class Sentiment(StrEnum):
    """Three-way reading of the 5-point sentiment scale (-2..2) stored on a stakeholder."""

    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    DETRACTOR = "detractor"

    @classmethod
    def from_scale(cls, value: int) -> Sentiment:
        if value > 0:
            return cls.SUPPORTER
        if value < 0:
            return cls.DETRACTOR
        return cls.NEUTRAL


class RelationKind(StrEnum):
    INFLUENCE = "influence"
    DOTTED_LINE = "dotted_line"
    CONFLICT = "conflict"
    ALLIANCE = "alliance"


class ContractStatus(StrEnum):
    ACTIVE = "active"
    RENEWED = "renewed"
    EXPIRED = "expired"
    CHURNED = "churned"


class ForecastCategory(StrEnum):
    COMMIT = "commit"
    LIKELY = "likely"
    AT_RISK = "at_risk"
    LOST = "lost"


class RenewalOutcome(StrEnum):
    RENEWED = "renewed"
    EXPANDED = "expanded"
    DOWNSOLD = "downsold"
    CHURNED = "churned"


class HealthBand(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def rank(self) -> int:
        """Worse bands rank lower, so ``min`` picks the worst."""
        # ``_value_`` is a plain attribute; ``value`` goes through a descriptor, and roll-ups
        # over 10,000 accounts call this once per account.
        return _BAND_RANK[self._value_]


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"
    MISSED = "missed"


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SLIPPING = "slipping"


class ActivityKind(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    ON_SITE = "on_site"
    WORKSHOP = "workshop"
    TRAINING = "training"
    EMAIL = "email"
    QBR = "qbr"
    EBR = "ebr"
    OBR = "obr"
    CBR = "cbr"


class RiskCategory(StrEnum):
    IMPLEMENTATION = "implementation"
    SENTIMENT = "sentiment"
    SUPPORT = "support"
    PRODUCT = "product"
    COMPANY = "company"
    RENEWAL = "renewal"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    ESCALATED = "escalated"
    CLOSED = "closed"


class OpportunityKind(StrEnum):
    UPSELL = "upsell"
    CROSS_SELL = "cross_sell"
    MACD = "macd"


class OpportunityStage(StrEnum):
    IDENTIFIED = "identified"
    QUALIFIED = "qualified"
    HANDED_TO_SALES = "handed_to_sales"
    WON = "won"
    LOST = "lost"


class SurveyKind(StrEnum):
    NPS = "nps"
    CSAT = "csat"


_BAND_RANK = {"red": 0, "yellow": 1, "green": 2}


def enum_column_type(enum: type[StrEnum], name: str) -> SAEnum:
    """A VARCHAR holding the enum's values, guarded by a named CHECK constraint."""
    from sqlalchemy import Enum as SAEnum  # here: the enums alone need no SQLAlchemy

    return SAEnum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        length=max(len(m.value) for m in enum),
    )
