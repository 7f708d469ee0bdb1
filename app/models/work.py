"""The CSM's work on an account: success plans, touchpoints, tasks, risks, opportunities."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import (
    ID_LENGTH,
    AccountRecord,
    Base,
    CurrencyColumn,
    IdColumn,
    RefColumn,
    Timestamped,
    UTCDateTime,
)
from app.models.enums import (
    ActivityKind,
    GoalStatus,
    MilestoneStatus,
    OpportunityKind,
    OpportunityStage,
    RiskCategory,
    RiskStatus,
    Severity,
    enum_column_type,
)
from app.models.stakeholder import Stakeholder


def SharedColumn(default: bool) -> Mapped[bool]:
    """Whether the item is shared with the customer (True) or internal (False).

    Customer-facing exports (the QBR deck and brief for the customer) show only shared
    items; an internal item never leaves our side.
    """
    return mapped_column(
        Boolean, default=default, server_default=sa_true() if default else sa_false()
    )


class SuccessPlan(AccountRecord, Timestamped, Base):
    """The customer's business outcomes and how we get there."""

    __tablename__ = "success_plan"

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)

    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Goal.position"
    )


class Goal(Base):
    """A business outcome the customer wants, measured by its milestones."""

    __tablename__ = "goal"

    id: Mapped[str] = IdColumn()
    plan_id: Mapped[str] = RefColumn("success_plan", "CASCADE", index=True)
    title: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(Text)
    status: Mapped[GoalStatus] = mapped_column(
        enum_column_type(GoalStatus, "goal_status"), default=GoalStatus.NOT_STARTED
    )
    target_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    shared: Mapped[bool] = SharedColumn(True)

    plan: Mapped[SuccessPlan] = relationship(back_populates="goals")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="Milestone.due_on"
    )


class Milestone(Base):
    """A dated step towards a goal, with an owner."""

    __tablename__ = "milestone"

    id: Mapped[str] = IdColumn()
    goal_id: Mapped[str] = RefColumn("goal", "CASCADE", index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_column_type(MilestoneStatus, "milestone_status"), default=MilestoneStatus.PLANNED
    )
    done_on: Mapped[date | None] = mapped_column(Date)
    shared: Mapped[bool] = SharedColumn(True)

    goal: Mapped[Goal] = relationship(back_populates="milestones")


activity_attendee = Table(
    "activity_attendee",
    Base.metadata,
    Column(
        "activity_id",
        String(ID_LENGTH),
        ForeignKey("activity.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "stakeholder_id",
        String(ID_LENGTH),
        ForeignKey("stakeholder.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Activity(Timestamped, Base):
    """A touchpoint: call, meeting, visit, workshop, review; with attendees and minutes."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_account_id_occurred_at", "account_id", "occurred_at"),
        # The calendar reads a date range across the whole book.
    )

    id: Mapped[str] = IdColumn()
    account_id: Mapped[str] = RefColumn("account", "CASCADE")
    kind: Mapped[ActivityKind] = mapped_column(enum_column_type(ActivityKind, "activity_kind"))
    title: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: A touchpoint on a day with no time of day (``occurred_at`` then only carries the UTC
    #: date; ``app.services.touchpoint_time`` reads and writes both forms).
    all_day: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[str | None] = mapped_column(Text)
    #: Meaningful touches count for engagement; an automated email does not.
    meaningful: Mapped[bool] = mapped_column(Boolean, default=True)
    shared: Mapped[bool] = SharedColumn(True)

    attendees: Mapped[list[Stakeholder]] = relationship(secondary=activity_attendee)
    tasks: Mapped[list[Task]] = relationship(back_populates="activity")


class Task(AccountRecord, Timestamped, Base):
    """A follow-up with an owner and a due date."""

    __tablename__ = "task"

    activity_id: Mapped[str | None] = RefColumn("activity", "SET NULL")
    risk_id: Mapped[str | None] = RefColumn("risk", "SET NULL")
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shared: Mapped[bool] = SharedColumn(True)

    activity: Mapped[Activity | None] = relationship(back_populates="tasks")


class Risk(AccountRecord, Timestamped, Base):
    """A risk or escalation with its severity, owner, mitigation and dates."""

    __tablename__ = "risk"
    __table_args__ = (
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_open"),
    )

    category: Mapped[RiskCategory] = mapped_column(enum_column_type(RiskCategory, "risk_category"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[Severity] = mapped_column(
        enum_column_type(Severity, "severity"), default=Severity.MEDIUM
    )
    status: Mapped[RiskStatus] = mapped_column(
        enum_column_type(RiskStatus, "risk_status"), default=RiskStatus.OPEN
    )
    is_escalation: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    mitigation: Mapped[str | None] = mapped_column(Text)
    root_cause: Mapped[str | None] = mapped_column(Text)
    #: Internal only: never shown to the customer.
    internal_notes: Mapped[str | None] = mapped_column(Text)
    opened_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    shared: Mapped[bool] = SharedColumn(False)


class Opportunity(AccountRecord, Timestamped, Base):
    """Up-sell, cross-sell or a MACD change found by the CSM, possibly handed to sales."""

    __tablename__ = "opportunity"
    kind: Mapped[OpportunityKind] = mapped_column(
        enum_column_type(OpportunityKind, "opportunity_kind")
    )
    title: Mapped[str] = mapped_column(String(200))
    value_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = CurrencyColumn()
    stage: Mapped[OpportunityStage] = mapped_column(
        enum_column_type(OpportunityStage, "opportunity_stage"),
        default=OpportunityStage.IDENTIFIED,
    )
    handed_to_sales_on: Mapped[date | None] = mapped_column(Date)
    expected_close_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    #: What the CRM calls it: its record id, stage name and type, kept as written.
    external_id: Mapped[str | None] = mapped_column(String(100), index=True)
    crm_stage: Mapped[str | None] = mapped_column(String(100))
    crm_type: Mapped[str | None] = mapped_column(String(100))
    probability: Mapped[int | None] = mapped_column(Integer)
    next_step: Mapped[str | None] = mapped_column(String(255))
    owner: Mapped[str | None] = mapped_column(String(100))
