"""Health alerts: rules as data (thresholds, windows) and the alerts they raise."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ID_LENGTH, AccountRecord, Base, IdColumn, RefColumn, UTCDateTime


class AlertRule(Base):
    """One alert rule; ``key`` names the condition, the numbers tune it."""

    __tablename__ = "alert_rule"

    id: Mapped[str] = IdColumn()
    key: Mapped[str] = mapped_column(String(50), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    threshold: Mapped[float | None] = mapped_column(Float)
    window_days: Mapped[int | None] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class HealthAlert(AccountRecord, Base):
    """A raised alert: one per episode of a condition (or per triggering survey answer)."""

    __tablename__ = "health_alert"

    rule_key: Mapped[str] = mapped_column(String(50), index=True)
    #: The record that triggered it when the rule reacts to records (e.g. a survey answer).
    subject_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    raised_on: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text)
    #: When the condition stopped holding; a new episode raises a new alert.
    cleared_on: Mapped[date | None] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    task_id: Mapped[str | None] = RefColumn("task", "SET NULL")
