"""PowerPoint plumbing for the QBR deck: layouts, text boxes, tiles, tables, native charts.

``SlideBuilder`` knows how to put things on a slide; ``app.exports.qbr_deck`` decides what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.exports.qbr_charts import ChartSpec
from app.exports.qbr_tables import Table
from app.exports.qbr_text import fill_tokens
from app.exports.safety import BuiltDocument, DocumentInfo, clean_text

INK = "1F2937"
MUTED = "6B7280"
GRID = "E5E7EB"
EMU_PER_INCH = 914400


@dataclass(frozen=True)
class Box:
    """A rectangle on a slide, in EMU."""

    left: int
    top: int
    width: int
    height: int


class SlideBuilder:
    """Slides from the template's layouts, with the building blocks every QBR slide uses."""

    def __init__(self, prs: Any, info: DocumentInfo, outcome: BuiltDocument) -> None:
        self.prs = prs
        self.info = info
        self.outcome = outcome
        self.title_layout, self.body_layout = _pick_layouts(prs)
        self.area = _content_area(prs, self.body_layout)

    def slide(self, title: str) -> Any:
        slide = self.prs.slides.add_slide(self.body_layout)
        placed = False
        for ph in list(slide.placeholders):
            if ph_kind(ph) == "title" and not placed:
                ph.text_frame.text = title
                placed = True
            else:
                remove_shape(ph)
        if not placed:
            box = Box(
                self.area.left, int(0.3 * EMU_PER_INCH), self.area.width, int(0.8 * EMU_PER_INCH)
            )
            self.textbox(slide, box, [title], size=28, bold=True)
        self.outcome.sections.append(title)
        return slide

    def split(self, share: float) -> tuple[Box, Box]:
        area = self.area
        gap = int(0.3 * EMU_PER_INCH)
        first = int((area.width - gap) * share)
        return (
            Box(area.left, area.top, first, area.height),
            Box(area.left + first + gap, area.top, area.width - first - gap, area.height),
        )

    def chart(self, slide: Any, box: Box, spec: ChartSpec) -> Any:
        """A native chart of ``spec`` (editable in PowerPoint; data in a safe workbook)."""
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Pt

        from app.exports.pptx_charts import SafeCategoryChartData

        data = SafeCategoryChartData(self.info)
        data.categories = list(spec.categories)
        for series in spec.series:
            data.add_series(series.name, list(series.values))  # type: ignore[no-untyped-call]
        column = spec.kind == "column"
        chart_type = XL_CHART_TYPE.COLUMN_CLUSTERED if column else XL_CHART_TYPE.LINE
        frame = slide.shapes.add_chart(chart_type, box.left, box.top, box.width, box.height, data)
        frame.name = spec.y_label
        _describe(frame, spec.description)
        chart = frame.chart
        chart.font.size = Pt(11)
        chart.font.color.rgb = rgb(INK)
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = rgb(GRID)
        chart.value_axis.format.line.fill.background()
        chart.category_axis.tick_labels.font.size = Pt(10)
        if spec.y_max is not None:
            chart.value_axis.maximum_scale = spec.y_max
        if spec.y_max is not None or spec.y_step:
            chart.value_axis.minimum_scale = 0
        if spec.y_step:
            chart.value_axis.major_unit = spec.y_step
        plot = chart.plots[0]
        for series, given in zip(plot.series, spec.series, strict=True):
            if column:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = rgb(given.colour)
            else:
                series.format.line.color.rgb = rgb(given.colour)
                series.format.line.width = int(2.5 * 12700)
                series.smooth = False
        if column:
            plot.gap_width = 40 if len(spec.series) == 1 else 60
        if spec.point_colours:
            _colour_points(plot.series[0], spec.point_colours)
        chart.has_title = False
        chart.has_legend = spec.legend
        if spec.legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        return chart

    def notes(self, slide: Any, lines: Iterable[str]) -> Any:
        frame = slide.notes_slide.notes_text_frame
        frame.text = clean_text("\n".join(lines))
        return frame

    def textbox(
        self,
        slide: Any,
        box: Box,
        lines: Sequence[str],
        size: int,
        bold: bool = False,
        bullets: bool = False,
    ) -> None:
        from pptx.util import Pt

        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = shape.text_frame
        frame.word_wrap = True
        for index, text in enumerate(lines):
            para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = clean_text(("•  " if bullets else "") + text)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = rgb(INK)
            para.space_after = Pt(10 if bullets else 4)

    def styled_lines(
        self, slide: Any, box: Box, lines: Sequence[tuple[str, int, bool, str]]
    ) -> None:
        from pptx.util import Pt

        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = shape.text_frame
        frame.word_wrap = True
        for index, (text, size, bold, colour) in enumerate(lines):
            para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = clean_text(text)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = rgb(colour)
            para.space_after = Pt(6)

    def tile(self, slide: Any, box: Box, value: str, caption: str, colour: str) -> None:
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.util import Pt

        shape = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, box.left, box.top, box.width, box.height
        )
        shape.adjustments[0] = 0.08
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb("F3F6F9")
        shape.line.color.rgb = rgb(colour)
        shape.line.width = Pt(1.5)
        shape.shadow.inherit = False
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for index, (text, size, bold, tint) in enumerate(
            ((value, 26, True, colour), (caption, 12, False, MUTED))
        ):
            para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            para.alignment = PP_ALIGN.CENTER
            run = para.add_run()
            run.text = clean_text(text)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = rgb(tint)

    def table(self, slide: Any, box: Box, table: Table, size: int = 14) -> int:
        """``table`` across ``box``; returns the height it takes."""
        row_height = int((size + 14) * 12700)
        rows = table.rows
        height = min(box.height, row_height * (len(rows) + 1))
        frame = slide.shapes.add_table(
            len(rows) + 1, len(table.header), box.left, box.top, box.width, height
        )
        grid = frame.table
        for index, share in enumerate(table.shares):
            grid.columns[index].width = int(box.width * share)
        for col, text in enumerate(table.header):
            _cell_text(grid.cell(0, col), text, size, bold=True)
        for r, row in enumerate(rows, start=1):
            for col, text in enumerate(row):
                _cell_text(grid.cell(r, col), text, size)
        for row in grid.rows:
            row.height = row_height
        return height


def _pick_layouts(prs: Any) -> tuple[Any, Any]:
    """The template's title layout and its "title only" content layout (by name, else shape)."""
    layouts = list(prs.slide_layouts)
    by_name = {layout.name.strip().lower(): layout for layout in layouts}
    title = by_name.get("title slide") or next(
        (
            la
            for la in layouts
            if any(ph_kind(ph) == "ctr_title" or ph_kind(ph) == "title" for ph in la.placeholders)
        ),
        layouts[0],
    )
    body = by_name.get("title only")
    if body is None:
        with_title = [la for la in layouts if any(ph_kind(ph) == "title" for ph in la.placeholders)]
        body = min(with_title, key=lambda la: len(la.placeholders)) if with_title else layouts[-1]
    return title, body


def _content_area(prs: Any, layout: Any) -> Box:
    """The free area under the layout's title, inside the title's side margins."""
    width, height = int(prs.slide_width), int(prs.slide_height)
    margin = int(0.5 * EMU_PER_INCH)
    top = int(1.45 * EMU_PER_INCH)
    for ph in layout.placeholders:
        if ph_kind(ph) == "title" and ph.top is not None and ph.height is not None:
            margin = max(int(ph.left), int(0.3 * EMU_PER_INCH))
            top = int(ph.top) + int(ph.height) + int(0.25 * EMU_PER_INCH)
    bottom = height - int(0.55 * EMU_PER_INCH)
    return Box(margin, top, width - 2 * margin, bottom - top)


def ph_kind(ph: Any) -> str:
    from pptx.enum.shapes import PP_PLACEHOLDER

    kind = ph.placeholder_format.type
    if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
        return "title"
    if kind is PP_PLACEHOLDER.SUBTITLE:
        return "subtitle"
    if kind is PP_PLACEHOLDER.PICTURE:
        return "picture"
    return "other"


def remove_shape(shape: Any) -> None:
    element = shape._element
    element.getparent().remove(element)


def _cell_text(cell: Any, text: str, size: int, bold: bool = False) -> None:
    from pptx.util import Pt

    frame = cell.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    run = para.add_run()
    run.text = clean_text(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    cell.margin_top = cell.margin_bottom = Pt(3)


def rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour)  # type: ignore[no-untyped-call]


_CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _colour_points(series: Any, colours: Sequence[str]) -> None:
    """Give each data point its own fill, written as XML in one go.

    python-pptx's ``points[i].format.fill`` does the same one XPath walk at a time, which
    costs more than building the whole chart.
    """
    from lxml import etree  # type: ignore[import-untyped]

    points = "".join(
        f'<c:dPt><c:idx val="{index}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr></c:dPt>'
        for index, colour in enumerate(colours)
    )
    holder = etree.fromstring(f'<c:x xmlns:c="{_CHART_NS}" xmlns:a="{_DRAWING_NS}">{points}</c:x>')
    element = series._element
    anchor = None
    for name in ("dLbls", "trendline", "errBars", "cat", "val"):
        anchor = element.find(f"{{{_CHART_NS}}}{name}")
        if anchor is not None:
            break
    for point in list(holder):
        if anchor is not None:
            anchor.addprevious(point)
        else:
            element.append(point)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from a PNG's header."""
    import struct

    width, height = struct.unpack(">II", png[16:24])
    return max(int(width), 1), max(int(height), 1)


def _fill_shapes(shapes: Iterable[Any], values: Any, unknown: set[str]) -> None:
    for shape in shapes:
        if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):
            _fill_shapes(shape.shapes, values, unknown)
        if not getattr(shape, "has_text_frame", False):
            continue
        for para in shape.text_frame.paragraphs:
            runs = list(para.runs)
            full = "".join(run.text for run in runs)
            if "{{" not in full:
                continue
            filled = clean_text(fill_tokens(full, values, unknown))
            if filled != full and runs:
                runs[0].text = filled
                for run in runs[1:]:
                    run.text = ""


def _describe(frame: Any, text: str) -> None:
    """Alt text (``descr``) of a graphic frame, from the chart spec's description."""
    frame._element.nvGraphicFramePr.cNvPr.set("descr", clean_text(text))


def fill_template_tokens(prs: Any, values: Any, unknown: set[str]) -> None:
    """Fill ``{{token}}`` in the template's masters, layouts and slides."""
    for part_slides in (prs.slide_masters, prs.slide_layouts, prs.slides):
        for item in part_slides:
            _fill_shapes(item.shapes, values, unknown)
