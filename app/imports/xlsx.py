"""Reading an untrusted .xlsx: zip caps checked first, entities refused, real extent only."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.imports.sources import MAX_CELL_CHARS, ImportRefused, Table, read_table
from app.imports.values import Cell
from app.services.labels import quoted

#: Total uncompressed size of every member of a workbook accepted, in bytes.
MAX_UNCOMPRESSED = 512 * 1024 * 1024
#: Compression ratio beyond which a member looks like a zip bomb (real sheets stay far below).
MAX_RATIO = 200
#: Members smaller than this may compress any amount (tiny XML parts compress well).
RATIO_FLOOR = 1024 * 1024
#: The row count a sheet with a bogus dimension claims (Excel's last row).
PHANTOM_ROWS = 1_048_576
#: Most members one workbook may hold.
MAX_MEMBERS = 10_000


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def check_zip(path: Path) -> None:
    """Refuse a workbook whose zip would expand too far, naming the cap it hits.

    The sizes come from the zip's central directory; ``zipfile`` never inflates a member
    past its declared size, so a lying directory cannot get round these caps.
    """
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except zipfile.BadZipFile:
        raise ImportRefused(
            f"{name} is not an Excel workbook, though its name ends in .xlsx."
        ) from None
    except OSError as exc:
        raise ImportRefused(f"{name} cannot be read: {exc.strerror}.") from exc
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(
            f"{name} holds {len(members):,} parts, over the limit of {MAX_MEMBERS:,} "
            "for a workbook."
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused(f"{name} is a zip archive but not an Excel workbook.")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise ImportRefused(
            f"{name} expands to {_megabytes(total)}, over the uncompressed-size limit of "
            f"{_megabytes(MAX_UNCOMPRESSED)}."
        )
    for member in members:
        if member.file_size > RATIO_FLOOR:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > MAX_RATIO:
                raise ImportRefused(
                    f"{name} is compressed {ratio:,.0f} to 1 in {member.filename}, over the "
                    f"compression-ratio limit of {MAX_RATIO} to 1 (a zip bomb?)."
                )


def check_no_entities(path: Path) -> None:
    """Refuse XML parts that declare a DTD or entities: no workbook needs one (XML bombs do)."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if not member.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(member) as part:
                start = part.read(4096)
            if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                raise ImportRefused(
                    f"{path.name} declares XML entities in {member.filename} "
                    "(an XML bomb?); it was not opened."
                )


def _load_checked(path: Path) -> Any:
    """The workbook, loaded only once the caps and the entity check have passed."""
    check_zip(path)
    check_no_entities(path)
    return _load(path)


def _load(path: Path) -> Any:
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise ImportRefused("Workbooks cannot be read safely here: defusedxml is missing.")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _refusal(path, exc) from exc


def _refusal(path: Path, exc: Exception) -> ImportRefused:
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return ImportRefused(f"{path.name} contains forbidden XML (an XML bomb?); not opened.")
        if isinstance(cause, ImportRefused):
            return cause
        cause = cause.__cause__ or cause.__context__
    detail = (
        str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__
    )
    return ImportRefused(f"{path.name} is a damaged or unsupported workbook ({detail[:120]}).")


def sheet_names(path: str | Path) -> list[str]:
    """The workbook's sheet names, checked against the caps first."""
    path = Path(path)
    book = _load_checked(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _cell(value: Any, number: int, name: str) -> Cell:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise ImportRefused(
            f"Row {number} of {name} has a cell longer than {MAX_CELL_CHARS:,} characters."
        )
    if value is None or isinstance(value, str | int | float | bool):
        return value
    # datetime, date, time pass through; anything else (errors, rich text) as text.
    from datetime import date, time

    if isinstance(value, date | time):
        return value
    return str(value)


def open_workbook_table(path: Path, head: bytes, *, sheet: str | None = None) -> Table:
    """One sheet of a workbook as a Table (the first visible sheet unless ``sheet`` names one)."""
    name = path.name
    if not head.startswith(b"PK\x03\x04"):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportRefused(
                f"{name} is an old-style .xls or password-protected workbook; "
                "save it unprotected as .xlsx."
            )
        raise ImportRefused(f"{name} is not an Excel workbook, though its name ends in .xlsx.")
    book = _load_checked(path)
    try:
        sheets = list(book.sheetnames)
        if sheet is None:
            visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
            if not visible:
                raise ImportRefused(f"{name} has no visible sheet.")
            sheet = visible[0]
        elif sheet not in sheets:
            raise ImportRefused(
                f"{name} has no sheet {quoted(sheet)}; its sheets are {', '.join(sheets)}."
            )
        if not hasattr(book[sheet], "iter_rows"):
            raise ImportRefused(f"{quoted(sheet)} in {name} is a chart sheet, not a table.")
    finally:
        book.close()
    chosen = sheet

    # For progress only: the extent the sheet claims (unless it is the phantom maximum).
    claimed = [0]
    done = [0]

    def raw() -> Iterator[tuple[int, tuple[Cell, ...]]]:
        workbook = _load(path)
        try:
            worksheet = workbook[chosen]
            stated = worksheet.max_row or 0
            claimed[0] = stated if 0 < stated < PHANTOM_ROWS else 0
            # The stored dimension may claim A1:XFD1048576; read the rows that really exist.
            worksheet.reset_dimensions()
            try:
                for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                    done[0] = number
                    yield number, tuple(_cell(v, number, name) for v in values)
            except ImportRefused:
                raise
            except Exception as exc:
                raise _refusal(path, exc) from exc
        finally:
            workbook.close()

    return read_table(
        path,
        raw,
        described_as=f"Excel workbook, sheet {quoted(chosen)}",
        position=lambda: min(1.0, done[0] / claimed[0]) if claimed[0] else 0.0,
        empty=f"The sheet {quoted(chosen)} of {name} is empty.",
        sheets=sheets,
        sheet=chosen,
    )
