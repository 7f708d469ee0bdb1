"""Contracts and the renewal call made on each one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AccountRecord, Base, CurrencyColumn, IdColumn, RefColumn, Timestamped
from app.models.enums import ContractStatus, ForecastCategory, RenewalOutcome, enum_column_type

if TYPE_CHECKING:
    from app.models.account import Account


class Contract(AccountRecord, Timestamped, Base):
    """A contract for products or services; its end date is the renewal date."""

    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
        CheckConstraint("value_minor >= 0", name="value_not_negative"),
        CheckConstraint("notice_days >= 0", name="notice_not_negative"),
    )

    name: Mapped[str] = mapped_column(String(200))
    products: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date, index=True)
    #: Annual contract value, integer minor units.
    value_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = CurrencyColumn()
    notice_days: Mapped[int] = mapped_column(Integer, default=90)
    auto_renew: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ContractStatus] = mapped_column(
        enum_column_type(ContractStatus, "contract_status"), default=ContractStatus.ACTIVE
    )
    external_id: Mapped[str | None] = mapped_column(String(100))

    account: Mapped[Account] = relationship(back_populates="contracts")
    renewal: Mapped[Renewal | None] = relationship(
        back_populates="contract",
        foreign_keys="Renewal.contract_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        uselist=False,
    )


class Renewal(Timestamped, Base):
    """The forecast and, once known, the outcome of renewing one contract."""

    __tablename__ = "renewal"
    __table_args__ = (
        CheckConstraint("likelihood IS NULL OR likelihood BETWEEN 0 AND 100", name="likelihood"),
    )

    id: Mapped[str] = IdColumn()
    contract_id: Mapped[str] = RefColumn("contract", "CASCADE", unique=True)
    forecast: Mapped[ForecastCategory | None] = mapped_column(
        enum_column_type(ForecastCategory, "forecast_category")
    )
    likelihood: Mapped[int | None] = mapped_column(Integer)
    forecast_on: Mapped[date | None] = mapped_column(Date)
    next_step: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[RenewalOutcome | None] = mapped_column(
        enum_column_type(RenewalOutcome, "renewal_outcome")
    )
    outcome_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    #: Why a renewal churned or was downsold, from ``services.renewals.LOSS_REASONS``.
    reason_code: Mapped[str | None] = mapped_column(String(30))
    new_contract_id: Mapped[str | None] = RefColumn("contract", "SET NULL")

    contract: Mapped[Contract] = relationship(back_populates="renewal", foreign_keys=[contract_id])
    new_contract: Mapped[Contract | None] = relationship(foreign_keys=[new_contract_id])
