"""Health: weekly metric snapshots, survey responses, scorecards as data, computed scores."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AccountRecord, Base, IdColumn, RefColumn
from app.models.enums import HealthBand, Segment, SurveyKind, enum_column_type


class MetricSnapshot(Base):
    """One week's measured signals for an account; a missing value is NULL, never zero.

    Keyed by (account, week) in a ``WITHOUT ROWID`` table, like ``HealthScore``: a book holds
    a million of these and nothing refers to one by id (imports journal the key instead).
    """

    __tablename__ = "metric_snapshot"
    __table_args__ = ({"sqlite_with_rowid": False},)

    account_id: Mapped[str] = RefColumn("account", "CASCADE", primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    active_users: Mapped[int | None] = mapped_column(Integer)
    licensed_users: Mapped[int | None] = mapped_column(Integer)
    tickets_new: Mapped[int | None] = mapped_column(Integer)
    tickets_open: Mapped[int | None] = mapped_column(Integer)
    tickets_p1: Mapped[int | None] = mapped_column(Integer)
    hours_to_resolve: Mapped[float | None] = mapped_column(Float)
    nps: Mapped[float | None] = mapped_column(Float)
    csat: Mapped[float | None] = mapped_column(Float)
    days_since_touch: Mapped[int | None] = mapped_column(Integer)
    executive_access: Mapped[bool | None] = mapped_column(Boolean)
    overdue_invoices_minor: Mapped[int | None] = mapped_column(BigInteger)
    service_credits_minor: Mapped[int | None] = mapped_column(BigInteger)
    milestones_slipping: Mapped[int | None] = mapped_column(Integer)
    #: The CSM's own judgement, 1 (worried) .. 5 (confident).
    pulse: Mapped[int | None] = mapped_column(Integer)


class SurveyResponse(AccountRecord, Base):
    """An NPS (0-10) or CSAT (1-5) answer, from a stakeholder where known."""

    __tablename__ = "survey_response"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 10", name="score_range"),)

    stakeholder_id: Mapped[str | None] = RefColumn("stakeholder", "SET NULL")
    kind: Mapped[SurveyKind] = mapped_column(enum_column_type(SurveyKind, "survey_kind"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    responded_on: Mapped[date] = mapped_column(Date)


class Scorecard(Base):
    """How raw signals become a 0-100 health score: measures, weights, bands. Data, not code."""

    __tablename__ = "scorecard"

    id: Mapped[str] = IdColumn()
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: The segment it scores; NULL is the default scorecard for every other account.
    segment: Mapped[Segment | None] = mapped_column(
        enum_column_type(Segment, "scorecard_segment"), unique=True
    )
    #: Scores below this are red; at or above ``green_from`` green; yellow between.
    red_below: Mapped[float] = mapped_column(Float, default=50.0)
    green_from: Mapped[float] = mapped_column(Float, default=75.0)
    #: Any red measure caps the overall band at yellow.
    red_caps_at_yellow: Mapped[bool] = mapped_column(Boolean, default=False)

    measures: Mapped[list[ScorecardMeasure]] = relationship(
        back_populates="scorecard",
        cascade="all, delete-orphan",
        order_by="ScorecardMeasure.position",
    )


class ScorecardMeasure(Base):
    """One measure: which signal, how it maps to 0-100 points, its group and weight."""

    __tablename__ = "scorecard_measure"
    __table_args__ = (
        UniqueConstraint("scorecard_id", "key"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
    )

    id: Mapped[str] = IdColumn()
    scorecard_id: Mapped[str] = RefColumn("scorecard", "CASCADE")
    key: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(100))
    group: Mapped[str] = mapped_column(String(50))
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: ``linear`` (``low``/``high`` map to 0/100) or ``thresholds`` (JSON list of [limit, points]).
    method: Mapped[str] = mapped_column(String(20), default="linear")
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    thresholds: Mapped[str | None] = mapped_column(Text)

    scorecard: Mapped[Scorecard] = relationship(back_populates="measures")


class HealthScore(Base):
    """The computed score of an account on a date, with its per-measure points.

    Keyed by (account, date) in a ``WITHOUT ROWID`` table: a book holds a million of these,
    nothing refers to one, and a separate id would cost a third of the file.
    """

    __tablename__ = "health_score"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
        {"sqlite_with_rowid": False},
    )

    account_id: Mapped[str] = RefColumn("account", "CASCADE", primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[HealthBand] = mapped_column(enum_column_type(HealthBand, "health_band"))
    #: Points per measure in the compact form ``app.services.scoring.encode_breakdown``
    #: writes and ``decode_breakdown`` reads back (``{"measure_key": points or None}``).
    breakdown: Mapped[str] = mapped_column(Text, default="0:")
