"""Formula-safe cells and property-clean saving for openpyxl workbooks (write-only included)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from app.exports.safety import DocumentInfo, app_properties_xml, clean_text, is_formula_like

_APP_XML = "docProps/app.xml"


def text_cell(sheet: Any, text: str, style: Any = None) -> Any:
    """A write-only cell that holds ``text`` as a string even when it looks like a formula.

    openpyxl turns any string starting with ``=`` into a formula; we force the string type
    and set Excel's quote prefix, so editing the cell later keeps it text too.
    """
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    cell.value = "x"  # bind as a string first; the real value goes in unparsed below
    cell._value = clean_text(text)
    cell.data_type = "s"
    if style is not None:
        cell.style = style
    cell.quotePrefix = True
    return cell


def safe_value(sheet: Any, value: Any) -> Any:
    """``value`` ready for ``append``: risky text wrapped as a text cell, the rest unchanged."""
    if isinstance(value, str):
        if is_formula_like(value):
            return text_cell(sheet, value)
        cleaned = clean_text(value)
        if cleaned is not value and cleaned != value:
            return cleaned
    return value


class _PropertiesZip(zipfile.ZipFile):
    """A zip archive that swaps openpyxl's fixed ``docProps/app.xml`` for ours."""

    app_xml: bytes = b""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        if name == _APP_XML:
            data = self.app_xml
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)


def save_workbook(workbook: Any, target: Path, info: DocumentInfo) -> None:
    """Save an openpyxl workbook (normal or write-only) with our document properties."""
    from openpyxl.writer.excel import ExcelWriter

    props = workbook.properties
    props.title = clean_text(info.title)
    props.creator = clean_text(info.author)
    props.lastModifiedBy = clean_text(info.last_modified_by)
    props.subject = clean_text(info.subject)
    props.description = None
    props.created = info.naive_utc()
    props.modified = info.naive_utc()
    archive = _PropertiesZip(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.app_xml = app_properties_xml(info)
    try:
        ExcelWriter(workbook, archive).save()
    finally:
        archive.close()
