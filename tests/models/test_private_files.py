"""Owner-only files on POSIX: the workspace, its -wal/-shm, the lock and every backup."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app import paths
from app.models import Account
from app.models.backup import make_backup
from app.models.backup_folder import backups_dir
from app.models.lock import lock_path
from app.models.opening import open_workspace

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="POSIX permissions"),
    pytest.mark.sqlite_only("file permissions of the workspace"),
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_workspace_companions_lock_and_backups_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "book.db"
        store = open_workspace(path, create=True)
        with store.session() as session:
            session.add(Account(name="Acme"))
        assert mode(path) == 0o600
        assert mode(Path(f"{path}-wal")) == 0o600
        assert mode(Path(f"{path}-shm")) == 0o600
        assert mode(lock_path(path)) == 0o600
        backup = make_backup(store, "manual")
        assert mode(backups_dir(path)) == 0o700
        assert mode(backup) == 0o600
        store.close()
    finally:
        os.umask(old)


def test_an_existing_world_readable_workspace_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    open_workspace(path, create=True).close()
    path.chmod(0o644)
    store = open_workspace(path)
    assert mode(path) == 0o600
    store.close()


def test_the_default_data_folder_is_owner_only() -> None:
    store = open_workspace(None, create=True)
    folder = paths.user_data_dir()
    assert store.path is not None and store.path.parent == folder.absolute()
    assert mode(folder) == 0o700
    assert mode(store.path) == 0o600
    store.close()


def test_an_existing_default_data_folder_is_made_owner_only() -> None:
    folder = paths.user_data_dir()
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    open_workspace(None, create=True).close()
    folder.chmod(0o755)
    store = open_workspace(None)
    assert mode(folder) == 0o700
    store.close()
