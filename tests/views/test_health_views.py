"""The Health tab, chart panel, portfolio panel and scorecard editor, headless."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from sqlalchemy import select

from app.models import HealthAlert, Task
from app.services.alerts import evaluate_alerts
from app.services.book_health import bands_on
from app.services.health_timeline import QBR, RENEWAL, TOUCHPOINT
from app.services.scoring import rescore
from app.views.context import AppContext
from app.views.health import (
    HealthTab,
    PortfolioHealthPanel,
    ScorecardEditor,
    build_snapshot_widget,
    chart_panel,
)
from app.views.health.models import AlertsModel, ExplanationModel
from app.views.health.scorecard_editor import MeasuresModel, describe_what_if
from tests.services.health_fixtures import add_account, add_weeks, declining_account

TODAY = date(2026, 11, 20)


@pytest.fixture
def ctx(store):
    return AppContext(store=store, today=TODAY)


@pytest.fixture
def northwind(store) -> str:
    acc = declining_account(store)
    rescore(store)
    with store.session() as session:
        for day in (date(2026, 6, 1), TODAY):
            evaluate_alerts(session, day)
    return acc


@pytest.fixture
def tab(qtbot, ctx, northwind) -> HealthTab:
    widget = HealthTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.set_account(northwind)
    widget.draw_now()  # what showing it does, without a window (offscreen has no windows)
    return widget


def _gid(fig, gid):
    return [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]


def test_chart_draws_the_weeks_and_events_of_the_range(tab) -> None:
    fig = tab.chart.figure
    (line,) = _gid(fig, "score")
    # default range: 1 year back from the last week (week 103): weeks 51..103
    assert len(line.get_xdata()) == 53
    assert len(_gid(fig, f"event:{QBR}")[0].get_offsets()) == 4
    assert len(_gid(fig, f"event:{TOUCHPOINT}")[0].get_offsets()) == 13
    tab.chart.range_buttons.button(2).click()  # All
    (line,) = _gid(tab.chart.figure, "score")
    assert len(line.get_xdata()) == 104
    assert len(_gid(tab.chart.figure, f"event:{QBR}")[0].get_offsets()) == 8
    tab.chart.range_buttons.button(0).click()  # 90 days
    (line,) = _gid(tab.chart.figure, "score")
    assert len(line.get_xdata()) == 13
    assert len(_gid(tab.chart.figure, f"event:{RENEWAL}")[0].get_offsets()) == 1


def test_hover_reads_out_the_nearest_week(tab) -> None:
    from matplotlib.backend_bases import MouseEvent

    from app.exports.health_charts import day_number, score_axes

    chart = tab.chart
    timeline = tab.timeline
    assert timeline is not None
    week = len(timeline.dates) - 20
    ax = score_axes(chart.figure)
    # a little after the week, nearer it than the next one
    x, y = ax.transData.transform((day_number(timeline.dates[week]) + 2, 50))
    MouseEvent("motion_notify_event", chart.canvas, x, y)._process()
    score = timeline.scores[week]
    expected = f"{timeline.dates[week]:%d %b %Y} · {score:.0f} ({timeline.bands[week].value})"
    assert chart.readout.text() == expected
    (label,) = [a for a in ax.texts if a.get_animated()]
    assert label.get_text() == expected and label.get_visible()
    # leaving the axes hides it
    MouseEvent("motion_notify_event", chart.canvas, 2, 2)._process()
    assert chart.readout.text() == "" and not label.get_visible()


def test_clicking_a_week_explains_it(tab) -> None:
    from matplotlib.backend_bases import MouseEvent

    from app.exports.health_charts import day_number, score_axes

    timeline = tab.timeline
    week = len(timeline.dates) - 30
    ax = score_axes(tab.chart.figure)
    x, y = ax.transData.transform((day_number(timeline.dates[week]), 50))
    MouseEvent("button_press_event", tab.chart.canvas, x, y, button=1)._process()
    assert tab.explanation is not None and tab.explanation.as_of == timeline.dates[week]
    assert tab.explanation.score == pytest.approx(timeline.scores[week], abs=0.06)
    assert tab.why_title.text().startswith(f"Why {timeline.scores[week]:.0f} on")


def test_explanation_and_header(tab, qtmodeltester) -> None:
    qtmodeltester.check(tab.explanation_model)
    qtmodeltester.check(tab.alerts_model)
    model = tab.explanation_model
    assert model.rowCount() == len(tab.explanation.lines) == 13
    first = model.index(0, ExplanationModel.MEASURE).data()
    assert first == "Adoption"
    total = sum(line.contribution or 0 for line in tab.explanation.lines)
    assert tab.score_label.text() == f"{total:.0f}"
    assert "Biggest moves" in tab.summary_label.text()


def _select_alert(tab, rule_key: str) -> int:
    model = tab.alerts_model
    row = next(r for r in range(model.rowCount()) if model.alert(r).rule_key == rule_key)
    tab.alerts_view.selectionModel().select(
        model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    return row


def test_acknowledge_and_create_task_are_undoable(qtbot, tab, ctx) -> None:
    _select_alert(tab, "band_red")
    alert = tab.selected_alert()
    assert alert is not None and alert.is_open and tab.acknowledge_button.isEnabled()
    with qtbot.waitSignal(ctx.events.changed) as signal:
        tab.acknowledge_button.click()
    assert signal.args == [alert.account_id, "health"]
    with ctx.store.read() as session:
        assert session.get(HealthAlert, alert.id).acknowledged_at is not None
    ctx.undo_stack.undo()
    with ctx.store.read() as session:
        assert session.get(HealthAlert, alert.id).acknowledged_at is None

    _select_alert(tab, "band_red")
    tab.task_button.click()
    with ctx.store.read() as session:
        task_id = session.get(HealthAlert, alert.id).task_id
        task = session.get(Task, task_id)
        assert task is not None and task.due_on == TODAY + timedelta(days=7)
    assert (
        "task" in tab.alerts_model.index(_select_alert(tab, "band_red"), AlertsModel.STATUS).data()
    )
    assert not tab.task_button.isEnabled()
    ctx.undo_stack.undo()
    with ctx.store.read() as session:
        assert session.get(Task, task_id) is None
        assert (
            session.scalars(select(HealthAlert.task_id).where(HealthAlert.id == alert.id)).one()
            is None
        )


def test_export_writes_the_chosen_file(tab, monkeypatch, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("export")
    monkeypatch.setattr(chart_panel, "ask_save_path", lambda parent, suggested: str(out / "n"))
    assert tab.chart.export() == str(out / "n.png")
    assert (out / "n.png").read_bytes().startswith(b"\x89PNG")
    monkeypatch.setattr(chart_panel, "ask_save_path", lambda parent, suggested: None)
    assert tab.chart.export() is None


def test_no_account_and_unscored_account(qtbot, ctx, store) -> None:
    widget = HealthTab(ctx)
    qtbot.addWidget(widget)
    widget.set_account(None)
    widget.draw_now()
    assert widget.score_label.text() == "—"
    acc = add_account(store, "New")
    widget.set_account(acc)
    assert widget.trend_label.text() == "No scores yet"
    assert widget.explanation_model.rowCount() == 0


def test_refreshes_when_health_changes(qtbot, tab, ctx, store, northwind) -> None:
    before = tab.timeline.dates[-1]
    add_weeks(store, northwind, before + timedelta(weeks=1), [{"pulse": 5}])
    rescore(store, [northwind])
    ctx.events.changed.emit(northwind, "health")
    assert tab.timeline.dates[-1] == before + timedelta(weeks=1)


def test_editor_what_if_matches_the_recompute_and_undo(
    qtbot, ctx, store, northwind, qtmodeltester
) -> None:
    for i in range(6):
        acc = add_account(store, f"Mid {i}", arr=(i + 1) * 10_000_00)
        add_weeks(
            store,
            acc,
            date(2026, 11, 2),
            [{"active_users": 20 + 12 * i, "licensed_users": 100, "pulse": 1 + i % 5}],
        )
    rescore(store)
    with store.read() as session:
        before = bands_on(session)
    editor = ScorecardEditor(ctx)
    qtbot.addWidget(editor)
    qtmodeltester.check(editor.model)
    assert editor.specs[editor.choice.currentIndex()].segment is None
    editor.green_from.setValue(60)
    editor.red_below.setValue(35)
    result = editor.result
    assert result is not None and result.changed > 0
    assert editor.what_if_label.text() == describe_what_if(result)
    save = editor.buttons.button(editor.buttons.StandardButton.Save)
    assert save.isEnabled()
    weight = editor.model.index(0, MeasuresModel.WEIGHT)
    assert editor.model.setData(weight, 35.0)
    assert not save.isEnabled() and "must total 100" in editor.weight_label.text()
    assert not editor.model.setData(weight, "heavy")
    assert editor.model.setData(weight, 25.0)
    assert save.isEnabled()
    save.click()
    with store.read() as session:
        after = bands_on(session)
    changed = [acc for acc in before if before[acc] != after[acc]]
    assert len(changed) == result.changed
    ctx.undo_stack.undo()
    with store.read() as session:
        assert bands_on(session) == before


def test_portfolio_panel_and_snapshots(qtbot, ctx, northwind) -> None:
    panel = build_snapshot_widget(ctx, None, (1366, 768))
    qtbot.addWidget(panel)
    assert isinstance(panel, PortfolioHealthPanel)
    assert panel.summary is not None and sum(panel.summary.accounts.values()) == 1
    assert panel.flow is not None
    panel.start_edit.setDate(panel.start_edit.date().addDays(-400))
    assert panel.flow.start == TODAY - timedelta(days=490)
    assert not panel.grab().isNull()
    widget = build_snapshot_widget(ctx, northwind, (1366, 768))
    qtbot.addWidget(widget)
    assert isinstance(widget, HealthTab) and widget.chart.canvas is not None
    assert _gid(widget.chart.figure, "score")


def test_importing_the_views_does_not_import_matplotlib() -> None:
    code = "import sys, app.views.health; print('matplotlib' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
