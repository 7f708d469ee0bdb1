"""Disk full and read-only: failures are reported as what they are, and lose nothing committed."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import Account
from app.models import backup as backup_module
from app.models.backup import make_backup
from app.models.backup_folder import backups_dir, list_backups
from app.models.errors import BackupError, WorkspaceReadOnlyError
from app.models.opening import open_workspace
from tests.models.workspace_procs import BANK, BANK_TOTAL, setup_bank, start

pytestmark = pytest.mark.sqlite_only("a full disk under the workspace file")

needs_posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")


@needs_posix
def test_file_size_limit_fails_edits_and_backup_clearly_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    setup_bank(store)
    earlier = make_backup(store, "manual")
    store.close()
    result = tmp_path / "result.json"

    # 224 KB: the -wal can take a few edits, then every write past the limit fails, as on a
    # full disk; a backup (a new file bigger than that) fails too.
    child = start("fill", str(path), str(224 * 1024), str(result))
    child.wait(timeout=120)
    assert child.returncode == 0, child.stderr.read().decode() if child.stderr else ""
    outcome = json.loads(result.read_text(encoding="utf-8"))

    assert outcome["edit_error"] in {"OperationalError", "DatabaseError"}
    assert outcome["edit_corruption"] is False
    assert outcome["edit_problem"] is not None
    assert "full" in outcome["backup"] or "input/output" in outcome["backup"]
    assert "Nothing already saved was lost" in outcome["backup"]
    committed = outcome["committed"]
    assert committed, "some edits fitted before the limit"

    # No half-written backup; the earlier one is still there and good.
    assert [b.path for b in list_backups(path)] == [earlier]
    assert [p.name for p in backups_dir(path).iterdir()] == [earlier.name]
    reopened = open_workspace(path)
    with reopened.read() as session:
        tags = {
            t
            for (t,) in session.execute(
                select(Account.external_id).where(Account.parent_id.is_(None))
            )
        }
        bank = session.execute(
            select(func.sum(Account.arr_minor)).where(Account.external_id.in_(BANK))
        ).scalar_one()
    reopened.close()
    assert {f"e{n}" for n in committed if n % 5 != 0} <= tags
    assert bank == BANK_TOTAL


def test_backup_into_an_unwritable_folder_is_reported_as_permission(
    store: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An injected EACCES (works as root too): a clear sentence, no temp file left."""

    def refuse(path: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(backup_module, "create_private_file", refuse)
    with pytest.raises(BackupError, match=r"permission denied\. Nothing already saved was lost"):
        make_backup(store, "manual")  # type: ignore[arg-type]
    assert list(backups_dir(tmp_path / "workspace.db").iterdir()) == []


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make ``folder`` unwritable: 0500, or for root (who ignores modes) the immutable flag."""
    if os.name == "posix" and os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("root without chattr cannot make a folder read-only")
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("this filesystem has no immutable flag")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        return
    folder.chmod(0o500)
    try:
        yield
    finally:
        folder.chmod(0o700)


@needs_posix
def test_read_only_backups_folder(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    folder = backups_dir(path)
    folder.mkdir(mode=0o700)
    try:
        with read_only_folder(folder), pytest.raises(BackupError, match=r"could not be written"):
            make_backup(store, "manual")
    finally:
        store.close()
    assert list(folder.iterdir()) == []


@needs_posix
def test_read_only_workspace_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    path = folder / "book.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add(Account(name="Acme"))
    store.close()
    before = sorted(p.name for p in folder.iterdir())
    with read_only_folder(folder):
        with pytest.raises(WorkspaceReadOnlyError, match="permission denied"):
            open_workspace(path)
        reader = open_workspace(path, read_only=True)
        with reader.read() as session:
            assert [a.name for a in session.query(Account)] == ["Acme"]
        reader.close()
    assert sorted(p.name for p in folder.iterdir()) == before
