"""Native PowerPoint chart data whose embedded workbook never turns text into formulas."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter

from app.exports.safety import APPLICATION, DocumentInfo, clean_text


class _SafeCategoryWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's writer, with XlsxWriter told to keep every string a string."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Any, Any]]:
        from xlsxwriter import Workbook  # type: ignore[import-untyped]

        info: DocumentInfo = self._chart_data.document_info
        workbook = Workbook(
            xlsx_file,
            {
                "in_memory": True,
                # XlsxWriter's write() makes "=..." a formula and "http..." a hyperlink.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        workbook.set_properties(
            {
                "title": clean_text(info.title),
                "author": clean_text(info.author),
                "company": clean_text(info.company),
                "comments": f"Chart data written by {APPLICATION}",
                "created": info.naive_utc(),
            }
        )
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class SafeCategoryChartData(CategoryChartData):
    """Category chart data for a native chart; labels from the workspace stay plain text."""

    def __init__(self, document_info: DocumentInfo, number_format: str = "General") -> None:
        super().__init__(number_format)  # type: ignore[no-untyped-call]
        self.document_info = document_info

    @property
    def _workbook_writer(self) -> _SafeCategoryWorkbookWriter:
        return _SafeCategoryWorkbookWriter(self)  # type: ignore[no-untyped-call]
