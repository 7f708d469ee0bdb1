"""Playbooks (repeatable plays as data), the plays running on accounts, and the cadence."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AccountRecord, Base, IdColumn, RefColumn, Timestamped
from app.models.enums import ActivityKind, Segment, enum_column_type


class StepKind(StrEnum):
    TASK = "task"
    MILESTONE = "milestone"
    TOUCHPOINT = "touchpoint"
    CHECKLIST = "checklist"


class StepAnchor(StrEnum):
    """What a step's offset counts from."""

    START = "start"
    RENEWAL = "renewal"  # the next active contract's end date
    NOTICE = "notice"  # that contract's notice deadline


class OwnerRole(StrEnum):
    ACCOUNT_OWNER = "account_owner"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    SUPPORT = "support"
    SALES = "sales"


class PlayStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class StepStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CLOSED = "closed"  # closed without being done (the play was cancelled)


class Playbook(Timestamped, Base):
    """A named, editable list of steps; ``trigger`` says what starts it besides a person."""

    __tablename__ = "playbook"

    id: Mapped[str] = IdColumn()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    #: ``manual``, ``lifecycle:onboarding``, ``renewal:120``, ``alert:<rule key>``,
    #: ``departed:key_contact`` or ``escalation`` (see ``app.services.playbooks``).
    trigger: Mapped[str] = mapped_column(String(50), default="manual")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    steps: Mapped[list[PlaybookStep]] = relationship(
        back_populates="playbook",
        cascade="all, delete-orphan",
        order_by="PlaybookStep.position",
    )


class StepBasics:
    """What a step is, in a playbook and in a play started from it (which copies it): its
    place in the list, title, kind and phase heading.

    The columns keep the order the tables have always had (``sort_order``; a mixin's columns
    otherwise come last): ``id``, then the playbook's or play's id, which each step table
    declares with ``sort_order=-1``, then these.
    """

    id: Mapped[str] = IdColumn(sort_order=-2)
    position: Mapped[int] = mapped_column(Integer, default=0, sort_order=-1)
    title: Mapped[str] = mapped_column(String(300), sort_order=-1)
    kind: Mapped[StepKind] = mapped_column(enum_column_type(StepKind, "step_kind"), sort_order=-1)
    #: A group heading such as "Kick-off" (the onboarding phases); None for none.
    phase: Mapped[str | None] = mapped_column(String(100), sort_order=-1)


class PlaybookStep(StepBasics, Base):
    """One step of a playbook: what, when (offset from an anchor), who, and for whom."""

    __tablename__ = "playbook_step"

    playbook_id: Mapped[str] = RefColumn("playbook", "CASCADE", index=True, sort_order=-1)
    anchor: Mapped[StepAnchor] = mapped_column(
        enum_column_type(StepAnchor, "step_anchor"), default=StepAnchor.START
    )
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    offset_months: Mapped[int] = mapped_column(Integer, default=0)
    owner_role: Mapped[OwnerRole] = mapped_column(
        enum_column_type(OwnerRole, "owner_role"), default=OwnerRole.ACCOUNT_OWNER
    )
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Optional condition, e.g. ``segment:strategic`` (see ``app.services.playbooks``).
    condition: Mapped[str | None] = mapped_column(String(100))

    playbook: Mapped[Playbook] = relationship(back_populates="steps")


class Play(AccountRecord, Timestamped, Base):
    """A playbook running on one account; ``episode`` keeps a trigger from starting it twice."""

    __tablename__ = "play"
    __table_args__ = (UniqueConstraint("account_id", "playbook_id", "episode"),)

    playbook_id: Mapped[str | None] = RefColumn("playbook", "SET NULL")
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[PlayStatus] = mapped_column(
        enum_column_type(PlayStatus, "play_status"), default=PlayStatus.RUNNING
    )
    started_on: Mapped[date] = mapped_column(Date)
    #: Why it started, for people: "by hand", "lifecycle set to onboarding", ...
    reason: Mapped[str] = mapped_column(String(300), default="by hand")
    #: The trigger's episode (None when started by hand).
    episode: Mapped[str | None] = mapped_column(String(200))
    ended_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    steps: Mapped[list[PlayStep]] = relationship(
        back_populates="play", cascade="all, delete-orphan", order_by="PlayStep.position"
    )


class PlayStep(StepBasics, Base):
    """A dated step of a running play, owned by a person (or a team)."""

    __tablename__ = "play_step"

    play_id: Mapped[str] = RefColumn("play", "CASCADE", index=True, sort_order=-1)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    owner_role: Mapped[OwnerRole] = mapped_column(enum_column_type(OwnerRole, "owner_role"))
    owner: Mapped[str | None] = mapped_column(String(100))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[StepStatus] = mapped_column(
        enum_column_type(StepStatus, "step_status"), default=StepStatus.OPEN
    )
    done_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(Text)

    play: Mapped[Play] = relationship(back_populates="steps")


class CadenceRule(Base):
    """Governance cadence: accounts of ``segment`` meet for ``kind`` every ``every_days``."""

    __tablename__ = "cadence_rule"
    __table_args__ = (UniqueConstraint("segment", "kind"),)

    id: Mapped[str] = IdColumn()
    segment: Mapped[Segment] = mapped_column(enum_column_type(Segment, "segment"))
    kind: Mapped[ActivityKind] = mapped_column(enum_column_type(ActivityKind, "activity_kind"))
    label: Mapped[str] = mapped_column(String(100))
    every_days: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
