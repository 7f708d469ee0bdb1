"""What each import created and changed, so a whole import can be undone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IdColumn, RefColumn, UTCDateTime, utcnow


class ImportBatch(Base):
    """One committed import: its file, kind, counts, and when (if ever) it was undone."""

    __tablename__ = "import_batch"

    id: Mapped[str] = IdColumn()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(260))
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ImportJournal(Base):
    """Rows of one table an import created (``row_ids``: JSON list, ``before`` empty), or
    one row it updated (``row_ids``: a one-id list, ``before``: its old values as JSON)."""

    __tablename__ = "import_journal"

    id: Mapped[str] = IdColumn()
    batch_id: Mapped[str] = RefColumn("import_batch", "CASCADE", index=True)
    seq: Mapped[int] = mapped_column(Integer)
    table_name: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(10))
    row_ids: Mapped[str] = mapped_column(Text)
    before: Mapped[str | None] = mapped_column(Text)
