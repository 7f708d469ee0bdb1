"""Tables of laptop sync: the server's change log and pushed batches, a replica's own state.

On a team workspace (PostgreSQL) triggers write ``sync_log``: one row per changed field (a new
record is one ``insert`` row holding all its fields, a removed one a ``delete`` row), stamped
with a hybrid logical clock and a sequence number that grows in commit order, so a laptop
pulls "everything after position N". ``sync_batch`` remembers every batch a laptop pushed
(and what came of it), so a batch sent twice is applied once.

On a laptop replica (SQLite) triggers fill ``sync_outbox`` with every local change, per field;
``sync_replica`` holds the server address, the last pulled position and the clock;
``sync_conflict`` lists the values a merge did not keep, for the user to review.
The tables exist in every workspace (one schema everywhere); each side uses its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ID_LENGTH, Base, UTCDateTime, utcnow

#: A 64-bit serial key on PostgreSQL; SQLite's INTEGER PRIMARY KEY is 64 bits already.
SERIAL = BigInteger().with_variant(Integer(), "sqlite")
#: Node ids: a replica's random id, ``login@server`` for edits made on the server.
NODE_LENGTH = 100
KEY_LENGTH = 200


class _Change:
    """The columns of one change to one record, shared by the server's log and a laptop's
    outbox: which record, what happened, which field, the new value and its clock."""

    tbl: Mapped[str] = mapped_column(String(50))
    row_key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    #: ``insert`` (value: the whole record as JSON), ``set`` (one field) or ``delete``.
    op: Mapped[str] = mapped_column(String(6))
    field: Mapped[str | None] = mapped_column(String(60))
    #: The new value as JSON.
    value: Mapped[str | None] = mapped_column(Text)
    hlc: Mapped[int] = mapped_column(BigInteger)


class SyncLog(_Change, Base):
    """One change on the team workspace (server side)."""

    __tablename__ = "sync_log"
    __table_args__ = (Index("ix_sync_log_row", "tbl", "row_key", "seq"),)

    seq: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    node: Mapped[str] = mapped_column(String(NODE_LENGTH))


class SyncBatch(Base):
    """A batch a laptop pushed, applied once; ``result`` is what the laptop is told."""

    __tablename__ = "sync_batch"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    node: Mapped[str] = mapped_column(String(NODE_LENGTH))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    result: Mapped[str] = mapped_column(Text)


class SyncReplica(Base):
    """The one row saying this workspace is a replica of a team workspace (laptop side)."""

    __tablename__ = "sync_replica"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The team workspace's address, without its password.
    server: Mapped[str] = mapped_column(String(500))
    node: Mapped[str] = mapped_column(String(NODE_LENGTH))
    #: ``book`` (the whole team book) or ``mine`` (the user's accounts and what they need).
    scope: Mapped[str] = mapped_column(String(10))
    hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The last server position pulled (``sync_log.seq``).
    pulled: Mapped[int] = mapped_column(BigInteger, default=0)
    #: 1 while a sync writes pulled changes (the capture triggers stay quiet).
    applying: Mapped[int] = mapped_column(Integer, default=0)
    #: The batch sent and not yet confirmed (sent again, as it is, by the next sync).
    pending_batch: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    tried_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    problem: Mapped[str | None] = mapped_column(Text)


class SyncOutbox(_Change, Base):
    """A local change waiting to be pushed (laptop side)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (Index("ix_sync_outbox_row", "tbl", "row_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch: Mapped[str | None] = mapped_column(String(ID_LENGTH))


class SyncConflict(Base):
    """A value a merge did not keep (or a refused change), for the user to review."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tbl: Mapped[str] = mapped_column(String(50))
    row_key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    field: Mapped[str | None] = mapped_column(String(60))
    #: lost, overwritten, deleted, edited, refused, cycle or invalid (app.models.replica_push,
    #: app.models.replica_pull).
    kind: Mapped[str] = mapped_column(String(12))
    mine: Mapped[str | None] = mapped_column(Text)
    theirs: Mapped[str | None] = mapped_column(Text)
    their_node: Mapped[str | None] = mapped_column(String(NODE_LENGTH))
    their_hlc: Mapped[int | None] = mapped_column(BigInteger)
    my_hlc: Mapped[int | None] = mapped_column(BigInteger)
    #: The whole record (JSON) when it is gone on one side, so it can be brought back.
    record: Mapped[str | None] = mapped_column(Text)
    #: Why the server refused, in its words (refused / invalid).
    reason: Mapped[str | None] = mapped_column(Text)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: None while open; ``mine`` or ``theirs`` once resolved.
    resolved: Mapped[str | None] = mapped_column(String(10))
