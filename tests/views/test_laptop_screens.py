"""Screens of the real main window on the demo read whole on a 1366x768 laptop and at
1920x1080: every column of a table shows its header and its cells whole, and a legend
wraps between its items, never inside one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QStyle, QTableView
from pytestqt.qtbot import QtBot

from app.models.store import Store
from app.services.accounts import find_account
from tests.views.conftest import main_window_as

SIZES = [(1366, 768), (1920, 1080)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
#: The demo's account with the most contracts under it (five of its own, children's too).
ACCOUNT = "Forestdyn Engineering S.A."


def cut_columns(view: QAbstractItemView) -> list[str]:
    """The headers of the shown columns a reader cannot read whole: the header wider than
    the column, a cell wider than it without its whole text in its tooltip, or the column
    past the table's right edge."""
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()  # type: ignore[attr-defined]
    model = view.model()
    # The style's margin either side of a cell's text.
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    metrics = view.fontMetrics()
    cut = []
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        size = header.sectionSize(column)
        cells = [model.index(row, column) for row in range(model.rowCount())]
        short = [
            cell
            for cell in cells
            if metrics.horizontalAdvance(str(cell.data() or "")) + margin > size
            and str(cell.data()) not in str(cell.data(Qt.ItemDataRole.ToolTipRole) or "")
        ]
        right = header.sectionViewportPosition(column) + size
        if (
            short
            or header.sectionSizeFromContents(column).width() > size
            or right > view.viewport().width()
        ):
            cut.append(str(model.headerData(column, Qt.Orientation.Horizontal)))
    return cut


def legend_lines(label: QLabel) -> list[str]:
    """The lines a rich-text label paints, as plain text (non-breaking spaces as spaces)."""
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)
    document.setHtml(label.text())
    document.setTextWidth(label.contentsRect().width())
    document.size()  # lays the lines out
    lines = []
    block = document.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            text = block.text()[line.textStart() : line.textStart() + line.textLength()]
            lines.append(text.replace("\u00a0", " ").strip())
        block = block.next()
    return lines


def _account_tab(qtbot: QtBot, store: Store, size: tuple[int, int], title: str):
    window = main_window_as(qtbot, store, size)
    with store.read() as session:
        account_id, _ = find_account(session, ACCOUNT)
    window.open_account(account_id, title)  # type: ignore[attr-defined]
    tab = window.workspace.current_tab()  # type: ignore[attr-defined]
    qtbot.waitUntil(tab.isVisible)
    QApplication.processEvents()
    return window, tab


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_health_breakdown_and_legend_read_whole(
    qtbot: QtBot, demo: Store, size: tuple[int, int]
) -> None:
    from app.exports.health_chart_live import legend_entries
    from app.services.health_timeline import EVENT_KINDS

    _, tab = _account_tab(qtbot, demo, size, "Health")
    view = tab.explanation_view
    qtbot.waitUntil(lambda: view.model().rowCount() > 0 and view.viewport().width() > 0)
    # At 1366 the Weight, Share, Adds and Change columns lay past the table's edge.
    assert cut_columns(view) == []
    # The legend wrapped inside "Business / review"; now only between whole items.
    legend = tab.chart.legend
    qtbot.waitUntil(lambda: bool(legend.text()))
    lines = legend_lines(legend)
    start, end = tab.chart.visible_range()
    events, groups = legend_entries(tab.timeline.between(start, end))
    shown = [text for _, _, text in events + groups]
    assert any(" " in text for text in shown)  # a two-word item to keep whole
    starts = ("Events", "Contribution", *(marker for marker, _, _ in events + groups))
    assert all(line.startswith(starts) for line in lines), lines
    for text in shown:
        assert any(text in line for line in lines), (text, lines)
    assert set(shown) & set(EVENT_KINDS.values())


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_renewals_tab_shows_every_column_it_keeps_whole(
    qtbot: QtBot, demo: Store, size: tuple[int, int]
) -> None:
    _, tab = _account_tab(qtbot, demo, size, "Renewals")
    table = tab.table
    qtbot.waitUntil(lambda: tab.model.rowCount() > 3 and table.viewport().width() > 0)
    assert not table.isColumnHidden(0)  # sub-accounts' contracts are listed
    # At 1366 Notice by, Forecast, Status and 120-day touch lay past the table's edge.
    assert cut_columns(table) == []
    shown = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    shown = [h for c, h in enumerate(shown) if not table.isColumnHidden(c)]
    assert {"Account", "Contract", "ARR", "Renews", "Forecast", "Status"} <= set(shown)
    # A column that gave way is still read: the term in the contract's tooltip.
    if table.isColumnHidden(2):
        contract = tab.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
        assert f"Term: {tab.model.index(0, 2).data()}" in contract
    if size == (1920, 1080):
        assert shown == [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_needs_action_shows_the_owner_whole(
    qtbot: QtBot, demo: Store, size: tuple[int, int]
) -> None:
    from app.views.calendar.pipeline_panel import RenewalPipelinePanel

    window = main_window_as(qtbot, demo, size)
    home = window.home  # type: ignore[attr-defined]
    home.setCurrentIndex([home.tabText(i) for i in range(home.count())].index("Renewal pipeline"))
    panel = window.findChild(RenewalPipelinePanel)  # type: ignore[attr-defined]
    table = panel.action_table
    qtbot.waitUntil(lambda: table.isVisible() and panel.action_rows.rowCount() > 0)
    QApplication.processEvents()
    # The Owner column showed "Ow" at 1366, its names past the table's edge.
    assert cut_columns(table) == []


def test_the_scorecard_editor_reads_in_words_and_edits_the_same(qtbot: QtBot, demo: Store) -> None:
    from app.views.health.scorecard_editor import MeasuresModel, ScorecardEditor

    window = main_window_as(qtbot, demo, (1366, 768))
    editor = ScorecardEditor(window.ctx, window)  # type: ignore[attr-defined]
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    model = editor.model
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}

    def cell(measure: str, column: int, role=Qt.ItemDataRole.DisplayRole):
        return model.index(rows[measure], column).data(role)

    # "linear" and "0:100, 4:70, 8:40, 13:0" were the stored words and encoding.
    assert cell("Adoption", MeasuresModel.METHOD) == "Linear"
    assert cell("New tickets this week", MeasuresModel.METHOD) == "Thresholds"
    steps = cell("New tickets this week", MeasuresModel.STEPS)
    assert steps == "≥ 0 tickets: 100, ≥ 4 tickets: 70, ≥ 8 tickets: 40, ≥ 13 tickets: 0"
    assert cell("Executive access", MeasuresModel.STEPS) == "no: 0, yes: 100"
    assert cell("Adoption", MeasuresModel.STEPS) == ""
    segments = [editor.choice.itemText(i) for i in range(editor.choice.count())]
    assert "Strategic (Strategic accounts)" in segments
    assert cut_columns(editor.table) == []

    # Editing: the cell's editor holds value → points; the old form is still read.
    index = model.index(rows["New tickets this week"], MeasuresModel.STEPS)
    assert index.data(Qt.ItemDataRole.EditRole) == "0 → 100, 4 → 70, 8 → 40, 13 → 0"
    assert model.setData(index, "0 → 100, 5 → 70, 8 → 40, 13 → 0")
    assert index.data() == "≥ 0 tickets: 100, ≥ 5 tickets: 70, ≥ 8 tickets: 40, ≥ 13 tickets: 0"
    assert model.setData(index, "0:100, 3:70, 8:40, 13:0")
    assert editor.edited_spec().measures[rows["New tickets this week"]].thresholds[1] == (3, 70)
    assert not model.setData(index, "lots")
    method = model.index(rows["Adoption"], MeasuresModel.METHOD)
    assert method.data(Qt.ItemDataRole.EditRole) == "linear"
    save = editor.buttons.button(editor.buttons.StandardButton.Save)
    assert save.isEnabled()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_calendar_legend_breaks_between_whole_items(
    qtbot: QtBot, demo: Store, size: tuple[int, int]
) -> None:
    from app.views.calendar.style import TONE_LABELS
    from app.views.calendar.view import LEGEND_MARKS

    window = main_window_as(qtbot, demo, size)
    home = window.home  # type: ignore[attr-defined]
    home.setCurrentIndex([home.tabText(i) for i in range(home.count())].index("Calendar"))
    legend = window.findChild(QLabel, "calendarLegend")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: legend.isVisible() and legend.width() > 0)
    lines = legend_lines(legend)
    # At 1366 a line ended in "☐" and the next began with "task".
    starts = ("■", *(mark.split()[0] for mark in LEGEND_MARKS))
    assert all(line.startswith(starts) for line in lines), lines
    items = [*(f"■ {TONE_LABELS[k]}" for k in ("commit", "none", "at_risk")), *LEGEND_MARKS]
    for item in items:
        assert any(item in line for line in lines), (item, lines)


def test_an_empty_overview_field_does_not_read_as_a_value(qtbot: QtBot, demo: Store) -> None:
    """Employees and Company revenue are empty on the demo's account: their grey examples
    read "0" and "1,234.50", a head count and a revenue the account does not have."""
    from PySide6.QtWidgets import QLineEdit

    _, tab = _account_tab(qtbot, demo, (1366, 768), "Overview")
    qtbot.waitUntil(lambda: tab.editors["name"].input.text() == ACCOUNT)
    empty = {
        name: editor.input.placeholderText()
        for name, editor in tab.editors.items()
        if isinstance(editor.input, QLineEdit) and not editor.input.text()
    }
    assert {"employees", "annual_revenue_minor"} <= set(empty)
    for name, example in empty.items():
        assert not example.replace(",", "").replace(".", "").isdigit(), (name, example)


def test_segments_read_the_same_in_the_tree_the_overview_and_the_playbooks(
    qtbot: QtBot, demo: Store
) -> None:
    """The tree's filter said "Smb" and "Mid Market", the playbooks "Mid-market", the
    Overview "SMB" and "Mid market" (now "Mid-market" everywhere)."""
    from PySide6.QtWidgets import QComboBox

    from app.views.calendar.view import CalendarView
    from app.views.playbooks.step_model import COL_CONDITION, WORDS

    window, tab = _account_tab(qtbot, demo, (1366, 768), "Overview")
    box = window.findChild(QComboBox, "segmentFilter")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: box.count() > 1)
    tree = [box.itemText(i) for i in range(1, box.count())]
    combo = tab.editors["segment"].input
    overview = {combo.itemText(i) for i in range(combo.count())}
    assert {"SMB", "Mid-market"} <= set(tree) <= overview
    home = window.home  # type: ignore[attr-defined]
    home.setCurrentIndex([home.tabText(i) for i in range(home.count())].index("Calendar"))
    QApplication.processEvents()
    calendar = window.findChild(CalendarView)  # type: ignore[attr-defined]
    boxed = calendar.segment_box
    assert set(tree) <= {boxed.itemText(i) for i in range(1, boxed.count())} <= overview
    conditions = set(WORDS[COL_CONDITION].values())
    assert {f"Segment is {words}" for words in overview if words != "Not set"} <= conditions
