"""The one declarative base, its constraint naming convention and shared column types."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, MetaData, String, TypeDecorator, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 32
#: The currency of a row's amounts when none is given.
DEFAULT_CURRENCY = "USD"


def new_id(rng: random.Random | None = None) -> str:
    """A random UUID4 as 32 hex digits: unique across laptops, so merged books never clash.

    Pass ``rng`` to draw it from a seeded generator (the demo is deterministic per seed).
    """
    if rng is None:
        return uuid.uuid4().hex
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC; refuses naive datetimes so no local time sneaks in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware (UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        return parsed.replace(tzinfo=UTC)


def IdColumn(**options: Any) -> Mapped[str]:
    """Primary-key column holding a UUID as hex."""
    return mapped_column(String(ID_LENGTH), primary_key=True, default=new_id, **options)


def RefColumn(table: str, ondelete: str, **options: Any) -> Mapped[Any]:
    """Column holding the id of a row of ``table``; ``ondelete`` (CASCADE or SET NULL) says
    what deleting that row does. Nullable follows the ``Mapped`` annotation."""
    return mapped_column(String(ID_LENGTH), ForeignKey(f"{table}.id", ondelete=ondelete), **options)


def CurrencyColumn() -> Mapped[str]:
    """The ``currency`` column: the ISO 4217 code (three letters, checked) of a row's amounts
    in minor units, ``DEFAULT_CURRENCY`` unless given."""
    return mapped_column(
        String(3),
        CheckConstraint("length(currency) = 3", name="currency_code"),
        default=DEFAULT_CURRENCY,
    )


class Base(DeclarativeBase):
    """Every Fieldbook table derives from this; Alembic reads ``Base.metadata``."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Mapper, "before_configured")
def _load_every_model() -> None:
    # Whichever model a module imported first, its relationships find the rest (by name).
    from app.models import load_orm

    load_orm()


class Timestamped:
    """``created_at`` / ``updated_at`` in UTC, maintained by the ORM."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AccountRecord:
    """A record of one account: its own ``id`` and the ``account_id`` of the account it
    belongs to, which takes it along when deleted.

    They stay the table's first two columns (``sort_order``; a mixin's columns otherwise
    come last), the order the migrations made and the sync capture triggers list.
    """

    id: Mapped[str] = IdColumn(sort_order=-2)
    account_id: Mapped[str] = RefColumn("account", "CASCADE", index=True, sort_order=-1)
