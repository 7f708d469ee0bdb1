"""Workspace-level key/value facts (when it was made, by which version, ...)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class WorkspaceMeta(Base):
    """One fact about the workspace itself."""

    __tablename__ = "workspace_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
