"""Shared fixtures: every test runs headless, away from the real user data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the user data and config folders at a temp dir so no test touches the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FIELDBOOK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("FIELDBOOK_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.delenv("FIELDBOOK_DB", raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[object]:
    """A fresh, empty workspace created by running the migrations."""
    from app.models.store import open_workspace

    workspace = open_workspace(tmp_path / "workspace.db", create=True)
    yield workspace
    workspace.close()
