"""Exchange rates the user keeps for converting totals into the reporting currency."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ExchangeRate(Base):
    """``1 currency = rate quote``, as the user read it on ``as_of``; never fetched.

    ``quote`` is the reporting currency the rate was entered against: changing the reporting
    currency leaves old rates in place but unused until the user enters new ones.
    The rate is kept as decimal text so it is exact on SQLite and PostgreSQL alike.
    """

    __tablename__ = "exchange_rate"
    __table_args__ = (CheckConstraint("currency <> quote", name="not_itself"),)

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    quote: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[str] = mapped_column(String(40))
    as_of: Mapped[date] = mapped_column(Date)
