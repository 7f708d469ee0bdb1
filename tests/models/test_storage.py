"""Risky places for a workspace: network filesystems and cloud-sync folders get a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.models.storage import cloud_sync_folder, filesystem_type, storage_warnings

pytestmark = pytest.mark.sqlite_only("the workspace file's storage")

MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
server:/export/home /home/ana/shared nfs4 rw,relatime 0 0
//nas/team /mnt/team\\040drive cifs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def test_filesystem_type_is_the_deepest_mount() -> None:
    assert filesystem_type(Path("/home/ana/shared/book.db"), MOUNTS) == "nfs4"
    assert filesystem_type(Path("/home/ana/sharedother/book.db"), MOUNTS) == "ext4"
    assert filesystem_type(Path("/mnt/team drive/book.db"), MOUNTS) == "cifs"
    assert filesystem_type(Path("/tmp/book.db"), MOUNTS) == "tmpfs"


def test_network_filesystems_are_warned_about() -> None:
    (warning,) = storage_warnings(Path("/home/ana/shared/book.db"), MOUNTS)
    assert "network filesystem (nfs4)" in warning
    assert storage_warnings(Path("/home/ana/book.db"), MOUNTS) == []


def test_cloud_sync_folders_are_warned_about(tmp_path: Path) -> None:
    assert cloud_sync_folder(Path("/home/ana/Dropbox/clients/book.db")) == "Dropbox"
    assert cloud_sync_folder(Path("/Users/ana/OneDrive - Contoso/book.db")) == "OneDrive - Contoso"
    assert (
        cloud_sync_folder(Path("/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/b.db"))
        == "Mobile Documents"
    )
    assert cloud_sync_folder(Path("/home/ana/work/book.db")) is None
    synced = tmp_path / "Shared" / "books"
    synced.mkdir(parents=True)
    (tmp_path / "Shared" / ".dropbox").write_text("{}")
    assert cloud_sync_folder(synced / "book.db") == "Shared"
    (warning,) = storage_warnings(synced / "book.db", MOUNTS)
    assert "cloud-sync folder (Shared)" in warning


def test_opening_a_workspace_in_a_sync_folder_reports_the_warning(tmp_path: Path) -> None:
    from app.models.opening import open_workspace

    folder = tmp_path / "Dropbox"
    folder.mkdir()
    store = open_workspace(folder / "book.db", create=True)
    assert any("cloud-sync folder (Dropbox)" in w for w in store.report.warnings)
    assert any("cloud-sync" in line for line in store.report.lines())
    store.close()


def test_failure_sentence_tells_io_trouble_from_damage() -> None:
    import sqlite3

    from app.models.storage import failure_sentence

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    malformed = sqlite3.DatabaseError("database disk image is malformed")
    malformed.sqlite_errorcode = 11  # type: ignore[attr-defined]
    assert failure_sentence(full) == (
        "The change was not saved: the disk is full (or a file size limit was reached). "
        "Nothing already saved was lost."
    )
    assert "damaged" in failure_sentence(malformed, "The import")
    assert failure_sentence(malformed, "The import").startswith("The import was not saved")
