"""Untrusted workbooks: real extent, sheets, typed cells; zip and XML bombs refused."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.imports import xlsx
from app.imports.sources import ImportRefused, open_table

ROOT = Path(__file__).resolve().parents[2]


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Accounts"
    sheet.append(["Portfolio as typed by hand"])
    sheet.append([])
    sheet.append(["Account Name", "ARR", "Renewal", "Licences"])
    sheet.append(["Acme", 120000.5, datetime(2025, 3, 31), 40])
    sheet.append(["Beta", "$1.2M", "31/03/2025", None])
    other = book.create_sheet("Contacts")
    other.append(["First Name", "Last Name", "Email"])
    other.append(["Ana", "Ruiz", "ana@acme.example"])
    hidden = book.create_sheet("Hidden", 0)
    hidden.sheet_state = "hidden"
    hidden.append(["secret"])
    book.save(path)
    return path


def _rewrite(
    path: Path, member: str, content: bytes, *, extra: dict[str, bytes] | None = None
) -> None:
    """Replace one member of a zip (and add others), keeping the rest as it was."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info.filename, content if info.filename == member else data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)


def _sheet_member(path: Path, title: str) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    index = book.sheetnames.index(title)
    book.close()
    return f"xl/worksheets/sheet{index + 1}.xml"


def test_first_visible_sheet_with_header_below_a_title(tmp_path: Path) -> None:
    table = open_table(_workbook(tmp_path / "book.xlsx"))
    assert table.sheet == "Accounts"
    assert table.sheets == ["Hidden", "Accounts", "Contacts"]
    assert table.headers == ["Account Name", "ARR", "Renewal", "Licences"]
    assert table.header_row == 3
    rows = list(table.rows())
    assert [r.number for r in rows] == [4, 5]
    assert table.position() == 1.0  # progress: every row the sheet claims was read
    assert rows[0].cells == ("Acme", 120000.5, datetime(2025, 3, 31), 40)
    assert rows[1].cells[:3] == ("Beta", "$1.2M", "31/03/2025")


def test_choosing_a_sheet_and_an_unknown_one(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx")
    table = open_table(path, sheet="Contacts")
    assert table.headers == ["First Name", "Last Name", "Email"]
    with pytest.raises(ImportRefused, match="no sheet “Nope”; its sheets are Hidden, Accounts"):
        open_table(path, sheet="Nope")
    assert xlsx.sheet_names(path) == ["Hidden", "Accounts", "Contacts"]


def test_phantom_dimension_reads_only_the_real_rows(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx")
    member = _sheet_member(path, "Accounts")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(member)
    assert b"<dimension" in xml
    start = xml.index(b"<dimension")
    end = xml.index(b"/>", start) + 2
    _rewrite(path, member, xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[end:])
    table = open_table(path)
    assert len(list(table.rows())) == 2
    assert table.position() == 0.0  # the phantom extent is no basis for progress


def test_a_zip_that_expands_too_far_names_the_ratio_cap(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "bomb.xlsx")
    _rewrite(path, "", b"", extra={"xl/media/padding.bin": b"\0" * (40 * 1024 * 1024)})
    with pytest.raises(ImportRefused, match="compression-ratio limit of 200 to 1"):
        open_table(path)


def test_a_zip_over_the_total_size_names_the_size_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED", 2 * 1024 * 1024)
    path = _workbook(tmp_path / "big.xlsx")
    padding = bytes(range(256)) * (12 * 1024)  # 3 MB that compresses only a little
    _rewrite(path, "", b"", extra={"xl/media/big.bin": padding})
    with pytest.raises(ImportRefused, match="over the uncompressed-size limit of 2 MB"):
        open_table(path)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(ImportRefused, match="zip archive but not an Excel workbook"):
        open_table(path)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def _bomb_workbook(path: Path, *, hide_dtd: bool) -> Path:
    _workbook(path)
    member = _sheet_member(path, "Accounts")
    payload = BILLION_LAUGHS
    if hide_dtd:
        # A long comment pushes the DTD past our own 4 KB scan: defusedxml must catch it.
        payload = payload.replace(b"\n<!DOCTYPE", b"\n<!--" + b"x" * 8000 + b"-->\n<!DOCTYPE", 1)
    _rewrite(path, member, payload)
    return path


def test_xml_entities_are_refused_before_opening(tmp_path: Path) -> None:
    path = _bomb_workbook(tmp_path / "lol.xlsx", hide_dtd=False)
    with pytest.raises(ImportRefused, match="declares XML entities"):
        open_table(path)


def test_xml_entities_past_the_scan_are_refused_by_defusedxml(tmp_path: Path) -> None:
    path = _bomb_workbook(tmp_path / "lol.xlsx", hide_dtd=True)
    with pytest.raises(ImportRefused, match="forbidden XML"):
        list(open_table(path).rows())


def _run_limited(script: str, limit_mb: int = 1024) -> subprocess.CompletedProcess[str]:
    prelude = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({limit_mb} << 20, {limit_mb} << 20))
        """
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("kind", ["zip", "xml", "xml-hidden"])
def test_bombs_are_refused_under_a_memory_limit(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    if kind == "zip":
        _workbook(path)
        member = _sheet_member(path, "Accounts")
        # One sheet of 100 MB of repeated rows: a few hundred KB compressed.
        row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
        body = b"<worksheet><sheetData>" + row * 100_000 + b"</sheetData></worksheet>"
        _rewrite(path, member, body)
    else:
        _bomb_workbook(path, hide_dtd=kind == "xml-hidden")
    result = _run_limited(
        f"""
        from app.imports.sources import ImportRefused, open_table
        try:
            rows = sum(1 for _ in open_table({str(path)!r}).rows())
        except ImportRefused as exc:
            print("REFUSED", exc)
        else:
            print("READ", rows)
        """
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED"), result.stdout
    assert "MemoryError" not in result.stderr


def test_dates_in_workbook_cells_come_through_as_dates(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx")
    cell = next(iter(open_table(path).rows())).cells[2]
    assert isinstance(cell, datetime)
    assert cell.date() == date(2025, 3, 31)
