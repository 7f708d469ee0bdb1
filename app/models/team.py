"""Team workspace records: the team's members, who is on which account, the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ID_LENGTH, Base, RefColumn, UTCDateTime, utcnow

#: PostgreSQL's longest role name.
LOGIN_LENGTH = 63


class TeamMember(Base):
    """A person of the CS team: their database login and the name accounts are owned under."""

    __tablename__ = "team_member"

    login: Mapped[str] = mapped_column(String(LOGIN_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)


class AccountTeam(Base):
    """A member on an account's team (besides its owner): they may edit it too."""

    __tablename__ = "account_team"

    account_id: Mapped[str] = RefColumn("account", "CASCADE", primary_key=True)
    login: Mapped[str] = mapped_column(
        String(LOGIN_LENGTH), ForeignKey("team_member.login", ondelete="CASCADE"), primary_key=True
    )


class AuditEntry(Base):
    """Who changed what and when (written by the server's triggers on a team workspace)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_row", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    who: Mapped[str] = mapped_column(String(LOGIN_LENGTH))
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    #: The account the row belongs to (not named account_id: no account record, not
    #: deleted or captured with the account, so the trail outlives what it describes).
    of_account: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    #: insert, update or delete.
    action: Mapped[str] = mapped_column(String(6))
    #: JSON: {"column": [old, new]} for an update, the row's values otherwise.
    changes: Mapped[str] = mapped_column(Text)
