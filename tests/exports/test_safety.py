"""The safety layer every export shares: formula-safe text, properties, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.exports.safety import (
    ExportError,
    atomic_output,
    check_output_path,
    clean_text,
    is_formula_like,
)

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", [*PAYLOADS, "\r=1", "\n=1", "#N/A"])
def test_payloads_are_formula_like(text: str) -> None:
    assert is_formula_like(text)


@pytest.mark.parametrize("text", ["Acme", "1+1", "Rotterdam = hub", "", "a-b"])
def test_plain_text_is_not(text: str) -> None:
    assert not is_formula_like(text)


def test_clean_text_drops_control_characters_but_keeps_tabs_and_newlines() -> None:
    assert clean_text("a\x00b\x07c\td\ne\rf") == "abc\td\ne\rf"


def test_atomic_output_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as temp:
        temp.write_bytes(b"half a fi")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx"]
    with atomic_output(target) as temp:
        temp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx"]


def test_atomic_output_keeps_the_old_files_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_output(target) as temp:
        temp.write_bytes(b"new")
    assert target.stat().st_mode & 0o777 == 0o640


def test_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"^The folder .*missing does not exist\.$"):
        check_output_path(tmp_path / "missing" / "deck.pptx", (".pptx",))


def test_wrong_extension_and_folder_target(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"must end in \.pptx or \.docx"):
        check_output_path(tmp_path / "deck.txt", (".pptx", ".docx"))
    (tmp_path / "x.xlsx").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        check_output_path(tmp_path / "x.xlsx", (".xlsx",))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            check_output_path(folder / "deck.pptx", (".pptx",))
    finally:
        folder.chmod(0o700)


def test_permission_error_on_rename_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old")

    def refuse(self: Path, other: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    with (
        pytest.raises(ExportError, match="cannot be written: permission denied"),
        atomic_output(target) as temp,
    ):
        temp.write_bytes(b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]
