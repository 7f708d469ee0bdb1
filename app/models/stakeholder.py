"""Stakeholders, their relations beyond reporting lines, and the influence map's layout."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Connection,
    Date,
    Float,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import (
    ID_LENGTH,
    AccountRecord,
    Base,
    IdColumn,
    RefColumn,
    Timestamped,
    UTCDateTime,
    utcnow,
)
from app.models.enums import BuyingRole, RelationKind, Sentiment, enum_column_type

#: PostgreSQL's longest role name (an author is a login).
AUTHOR_LENGTH = 63

if TYPE_CHECKING:
    from app.models.account import Account


class Stakeholder(Timestamped, Base):
    """A person at the customer, with their buying role, sentiment and influence."""

    __tablename__ = "stakeholder"
    __table_args__ = (
        CheckConstraint("reports_to_id IS NULL OR reports_to_id <> id", name="not_own_manager"),
        CheckConstraint("sentiment BETWEEN -2 AND 2", name="sentiment_scale"),
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_scale"),
        CheckConstraint(
            "relationship_strength BETWEEN 1 AND 5", name="relationship_strength_scale"
        ),
    )

    id: Mapped[str] = IdColumn()
    #: Bumped by every update; an update of a stale version is refused (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    account_id: Mapped[str] = RefColumn("account", "CASCADE", index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    reports_to_id: Mapped[str | None] = RefColumn("stakeholder", "SET NULL", index=True)
    role: Mapped[BuyingRole | None] = mapped_column(enum_column_type(BuyingRole, "buying_role"))
    #: 5-point scale: -2 strong detractor .. 0 neutral .. 2 strong supporter.
    sentiment: Mapped[int] = mapped_column(Integer, default=0)
    #: 1 (little sway) .. 5 (decides).
    influence: Mapped[int] = mapped_column(Integer, default=3)
    #: How well we know them: 1 (never met) .. 5 (trusted).
    relationship_strength: Mapped[int] = mapped_column(Integer, default=2)
    is_executive_sponsor: Mapped[bool] = mapped_column(Boolean, default=False)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    departed: Mapped[bool] = mapped_column(Boolean, default=False)
    departed_on: Mapped[date | None] = mapped_column(Date)
    departed_to: Mapped[str | None] = mapped_column(String(200))
    departed_is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    successor_id: Mapped[str | None] = RefColumn("stakeholder", "SET NULL")
    our_counterpart: Mapped[str | None] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(100))

    account: Mapped[Account] = relationship(back_populates="stakeholders")
    reports_to: Mapped[Stakeholder | None] = relationship(
        remote_side="Stakeholder.id", foreign_keys=[reports_to_id]
    )

    @property
    def sentiment_label(self) -> Sentiment:
        return Sentiment.from_scale(self.sentiment)

    def __repr__(self) -> str:
        return f"Stakeholder({self.name!r})"


class PrivateNote(Timestamped, Base):
    """What one person of the team notes about a stakeholder for themselves alone.

    A row of its own (not a column of ``stakeholder``) so that a team server's row-level
    security can hide it from everyone but its author (see app.models.policies).

    No foreign keys: deleting the stakeholder (or their account) must not take other people's
    notes along, which the deleter cannot even read and so undo could not put back. A note of
    a person who is gone stays unseen until no undo can bring the person back
    (app.models.note_keeping).
    """

    __tablename__ = "private_note"
    __table_args__ = (
        UniqueConstraint("stakeholder_id", "author"),
        # The account a note belongs to, for notifications (app.models.account_paths).
        {"info": {"account_column": "account_id"}},
    )

    id: Mapped[str] = IdColumn()
    stakeholder_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    account_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    #: Who wrote it: their database login on a team server, the computer's user for a file.
    author: Mapped[str] = mapped_column(String(AUTHOR_LENGTH))
    text: Mapped[str] = mapped_column(Text)


# Without keys, notes still come after the people they are about wherever tables are taken
# in dependency order (copies, captures, the schema's sorted tables).
cast(Table, PrivateNote.__table__).add_is_dependent_on(cast(Table, Stakeholder.__table__))


def file_author() -> str:
    """Who writes the notes of a workspace file: the computer's user (one person's book)."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in the environment (a bare container)
        name = ""
    return (name or "me")[:AUTHOR_LENGTH]


def current_author(connection: Connection) -> str:
    """The author of notes written on ``connection``: the login on a server, else the file's."""
    if connection.dialect.name == "postgresql":
        return str(connection.exec_driver_sql("SELECT current_user").scalar_one())
    return file_author()


class StakeholderRelation(AccountRecord, Base):
    """A line on the influence map other than the formal reporting line."""

    __tablename__ = "stakeholder_relation"
    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint("strength BETWEEN 1 AND 3", name="strength_scale"),
    )

    source_id: Mapped[str] = RefColumn("stakeholder", "CASCADE", index=True)
    target_id: Mapped[str] = RefColumn("stakeholder", "CASCADE", index=True)
    kind: Mapped[RelationKind] = mapped_column(enum_column_type(RelationKind, "relation_kind"))
    #: 1 weak .. 3 strong (drawn as line width).
    strength: Mapped[int] = mapped_column(Integer, default=2)
    note: Mapped[str | None] = mapped_column(Text)


class MapCard(Base):
    """Where a stakeholder's card sits on their account's map; no row means not on the map."""

    __tablename__ = "map_card"

    stakeholder_id: Mapped[str] = RefColumn("stakeholder", "CASCADE", primary_key=True)
    account_id: Mapped[str] = RefColumn("account", "CASCADE", index=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)


class MapVersion(AccountRecord, Base):
    """A saved snapshot of an account's map (people, roles, lines, positions) as JSON."""

    __tablename__ = "map_version"

    name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(20), default="manual")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    snapshot: Mapped[str] = mapped_column(Text)
