"""Accounts: the customer hierarchy and the revenue a CSM is measured on."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CurrencyColumn, IdColumn, RefColumn, Timestamped
from app.models.enums import LifecycleStage, Segment, enum_column_type

if TYPE_CHECKING:
    from app.models.contract import Contract
    from app.models.stakeholder import Stakeholder

#: Revenue lines held per account, all integer minor units in the account's currency.
REVENUE_LINES = (
    "arr_minor",
    "baseline_revenue_minor",
    "forecast_revenue_minor",
    "usage_target_minor",
    "usage_actual_minor",
    "price_erosion_minor",
    "terminations_minor",
    "service_credits_minor",
    "overdue_debt_minor",
)


class Account(Timestamped, Base):
    """A customer, or one unit of a customer's hierarchy (any depth, never a cycle)."""

    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[str] = IdColumn()
    #: Bumped by every update; an update of a stale version is refused (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    parent_id: Mapped[str | None] = RefColumn("account", "CASCADE", index=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(100))
    #: None when not set (an imported account whose file said nothing about it).
    segment: Mapped[Segment | None] = mapped_column(
        enum_column_type(Segment, "segment"), default=Segment.MID_MARKET
    )
    tier: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(100))
    owner: Mapped[str | None] = mapped_column(String(100))
    #: None when not set, like ``segment``.
    lifecycle_stage: Mapped[LifecycleStage | None] = mapped_column(
        enum_column_type(LifecycleStage, "lifecycle_stage"), default=LifecycleStage.ONBOARDING
    )
    currency: Mapped[str] = CurrencyColumn()
    arr_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    baseline_revenue_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    forecast_revenue_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    usage_target_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    usage_actual_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    price_erosion_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    terminations_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    service_credits_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    overdue_debt_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    licences: Mapped[int | None] = mapped_column(Integer)
    #: The customer company's own revenue (a company fact from the CRM), not our ARR.
    annual_revenue_minor: Mapped[int | None] = mapped_column(BigInteger)
    employees: Mapped[int | None] = mapped_column(Integer)
    #: The CRM's account type ("Customer - Direct", "Partner" ...), kept as written.
    account_type: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(100), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # What the account tree shows, kept by app.services.account_summary in the same
    # transaction as the scores and contracts they come from (never edited directly).
    health_score: Mapped[float | None] = mapped_column(Float)
    #: A ``HealthBand`` value (a copy of the latest score's band, so no CHECK of its own).
    health_band: Mapped[str | None] = mapped_column(String(6))
    #: The 90-day change of the latest score (app.services.health_trend).
    health_trend: Mapped[float | None] = mapped_column(Float)
    #: The earliest end date of an active contract.
    next_renewal: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[Account | None] = relationship(
        back_populates="children", remote_side="Account.id"
    )
    children: Mapped[list[Account]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", passive_deletes=True
    )
    stakeholders: Mapped[list[Stakeholder]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )
    contracts: Mapped[list[Contract]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"Account({self.name!r})"
