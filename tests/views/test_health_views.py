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
from app.models.changes import ChangeKind, ChangeSet
from app.services.alerts import evaluate_alerts
from app.services.book_health import bands_on
from app.services.health_timeline import QBR, RENEWAL, TOUCHPOINT
from app.services.rescoring import rescore
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

    from app.exports.chart_style import day_number
    from app.exports.health_chart_live import score_axes

    chart = tab.chart
    timeline = tab.timeline
    assert timeline is not None
    week = len(timeline.dates) - 20
    ax = score_axes(chart.figure)
    # a little after the week, nearer it than the next one
    x, y = ax.transData.transform((day_number(timeline.dates[week]) + 2, 50))
    MouseEvent("motion_notify_event", chart.canvas, x, y)._process()
    score = timeline.scores[week]
    day = timeline.dates[week]
    expected = f"{day:%b} {day.day}, {day:%Y} · {score:.0f} ({timeline.bands[week].value})"
    assert chart.readout.text() == expected
    assert chart.tip.text() == expected and chart.hover_visible()
    assert chart._hover["dot"].get_ydata()[0] == score
    # leaving the axes hides it
    MouseEvent("motion_notify_event", chart.canvas, 2, 2)._process()
    assert chart.readout.text() == "" and not chart.hover_visible()


def test_clicking_a_week_explains_it(tab) -> None:
    from matplotlib.backend_bases import MouseEvent

    from app.exports.chart_style import day_number
    from app.exports.health_chart_live import score_axes

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
    qtmodeltester.check(tab.alerts.model)
    model = tab.explanation_model
    assert model.rowCount() == len(tab.explanation.lines) == 13
    first = model.index(0, ExplanationModel.MEASURE).data()
    assert first == "Adoption"
    total = sum(line.contribution or 0 for line in tab.explanation.lines)
    assert tab.score_label.text() == f"{total:.0f}"
    assert "Biggest moves" in tab.summary_label.text()


def _select_alert(tab, rule_key: str) -> int:
    model = tab.alerts.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).rule_key == rule_key)
    tab.alerts.view.selectionModel().select(
        model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    return row


def test_acknowledge_and_create_task_are_undoable(qtbot, tab, ctx) -> None:
    _select_alert(tab, "band_red")
    alert = tab.alerts.selected_alert()
    assert alert is not None and alert.is_open and tab.alerts.acknowledge_button.isEnabled()
    with qtbot.waitSignal(ctx.events.changed) as signal:
        tab.alerts.acknowledge_button.click()
    assert signal.args == [ChangeSet.of(ChangeKind.HEALTH, accounts=[alert.account_id])]
    with ctx.store.read() as session:
        assert session.get(HealthAlert, alert.id).acknowledged_at is not None
    ctx.undo_stack.undo()
    with ctx.store.read() as session:
        assert session.get(HealthAlert, alert.id).acknowledged_at is None

    _select_alert(tab, "band_red")
    tab.alerts.task_button.click()
    with ctx.store.read() as session:
        task_id = session.get(HealthAlert, alert.id).task_id
        task = session.get(Task, task_id)
        assert task is not None and task.due_on == TODAY + timedelta(days=7)
    assert (
        "task" in tab.alerts.model.index(_select_alert(tab, "band_red"), AlertsModel.STATUS).data()
    )
    assert not tab.alerts.task_button.isEnabled()
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


def test_a_rescore_updates_the_drawn_scores_in_place(tab, ctx, store, northwind) -> None:
    from app.exports.health_chart_live import data_artists
    from app.models import MetricSnapshot

    chart = tab.chart
    figure_artists = list(chart.figure.axes)
    with store.session() as session:
        for snap in session.scalars(select(MetricSnapshot)):
            snap.pulse = 5
    rescore(store, [northwind])  # the store announces the new scores
    assert chart.figure.axes == figure_artists  # not rebuilt
    (line,) = [a for a in data_artists(chart.figure) if a.get_gid() == "score"]
    start, end = chart.visible_range()
    assert list(line.get_ydata()) == list(tab.timeline.between(start, end).scores)
    stack = [a for a in data_artists(chart.figure) if a.get_gid() == "breakdown"]
    top = stack[-1].get_paths()[0].vertices[: len(line.get_ydata()), 1]
    assert list(top) == pytest.approx(list(line.get_ydata()), abs=0.1)
    chart.show_hover(0)
    assert chart.readout.text().endswith(
        f"{tab.timeline.between(start, end).scores[0]:.0f} "
        f"({tab.timeline.between(start, end).bands[0].value})"
    )


def test_refreshes_when_health_changes(qtbot, tab, ctx, store, northwind) -> None:
    before = tab.timeline.dates[-1]
    add_weeks(store, northwind, before + timedelta(weeks=1), [{"pulse": 5}])
    rescore(store, [northwind])
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
    result = editor.what_if_result
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


def test_recording_a_survey_answer_updates_nps_and_undoes(
    tab, ctx, store, northwind, monkeypatch
) -> None:
    from app.models import Stakeholder
    from app.models.enums import BuyingRole, SurveyKind
    from app.services.surveys import SurveyAnswer
    from app.views.health import survey_dialog

    with store.session() as session:
        boss = Stakeholder(account_id=northwind, name="Dana", role=BuyingRole.DECISION_MAKER)
        session.add(boss)
        session.flush()
        boss_id = boss.id
    seen = {}

    def answer(parent, people, today):
        seen["people"] = people
        return SurveyAnswer(SurveyKind.NPS, 10, today, boss_id, "great")

    monkeypatch.setattr(survey_dialog, "ask_survey_answer", answer)
    tab.survey_button.click()
    assert (boss_id, "Dana (decision maker)") in seen["people"]
    # Answered today, after the explained week (16 Nov): it counts from the next weekly score.
    assert tab.survey_label.text() == "1 newer NPS answer counts from the next weekly score"
    ctx.undo_stack.undo()
    assert tab.survey_label.text() == "No survey answers"
    monkeypatch.setattr(survey_dialog, "ask_survey_answer", lambda *args: None)
    tab.survey_button.click()
    assert ctx.undo_stack.count() == 1


def test_survey_dialog_ranges(qtbot) -> None:
    from app.models.enums import SurveyKind
    from app.views.health.survey_dialog import SurveyDialog

    dialog = SurveyDialog([("x" * 32, "Dana")], TODAY)
    qtbot.addWidget(dialog)
    assert (dialog.score.minimum(), dialog.score.maximum()) == (0, 10)
    dialog.kind.setCurrentIndex(1)
    assert (dialog.score.minimum(), dialog.score.maximum()) == (1, 5)
    dialog.score.setValue(4)
    dialog.who.setCurrentIndex(1)
    dialog.comment.setText("  fine ")
    answer = dialog.answer()
    assert (answer.kind, answer.score, answer.stakeholder_id, answer.comment) == (
        SurveyKind.CSAT,
        4,
        "x" * 32,
        "fine",
    )


def test_book_alerts_panel(qtbot, ctx, northwind, qtmodeltester) -> None:
    from app.views.health import BookAlertsPanel

    panel = BookAlertsPanel(ctx)
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.alerts.model)
    total = panel.alerts.model.rowCount()
    assert total >= 1 and panel.count_label.text().startswith(f"{total} new alert")
    assert panel.alerts.model.index(0, AlertsModel.ACCOUNT).data() == "Northwind Logistics"
    panel.alerts.view.selectRow(0)
    with qtbot.waitSignal(ctx.events.open_account) as opened:
        panel.alerts.open_button.click()
    assert opened.args == [northwind, "Health"]
    panel.alerts.acknowledge_button.click()
    assert panel.alerts.model.rowCount() == total - 1
    panel.show_acknowledged.setChecked(True)
    assert panel.alerts.model.rowCount() == total
    ctx.undo_stack.undo()
    assert panel.count_label.text().startswith(f"{total} new alert")


def test_alert_rules_are_edited_through_the_undo_stack(qtbot, ctx, store, qtmodeltester) -> None:
    from PySide6.QtCore import Qt

    from app.services.alerts import SCORE_DROP, SILENCE, load_rules
    from app.views.health.alert_rules import AlertRulesDialog, AlertRulesModel

    dialog = AlertRulesDialog(ctx)
    qtbot.addWidget(dialog)
    model = dialog.model
    qtmodeltester.check(model)
    row = next(i for i, r in enumerate(model.rows()) if r.key == SCORE_DROP)
    assert model.index(row, AlertRulesModel.RULE).data() == "Score dropped by at least 15 points"
    assert model.setData(model.index(row, AlertRulesModel.THRESHOLD), 20)
    assert model.index(row, AlertRulesModel.RULE).data() == "Score dropped by at least 20 points"
    assert not model.setData(model.index(row, AlertRulesModel.WINDOW), 0)
    assert not model.setData(model.index(row, AlertRulesModel.THRESHOLD), "lots")
    silence = next(i for i, r in enumerate(model.rows()) if r.key == SILENCE)
    off = model.index(silence, AlertRulesModel.ON)
    assert model.setData(off, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    with store.read() as session:
        rules = {r.key: r for r in load_rules(session)}
    assert rules[SCORE_DROP].threshold == 20 and not rules[SILENCE].enabled
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    with store.read() as session:
        rules = {r.key: r for r in load_rules(session)}
    assert rules[SCORE_DROP].threshold == 15 and rules[SILENCE].enabled
    assert model.data(off, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def _legend_text(tab) -> str:
    """The legend as a reader sees it (its items keep their words together with &nbsp;)."""
    from PySide6.QtGui import QTextDocumentFragment

    return (
        QTextDocumentFragment.fromHtml(tab.chart.legend.text()).toPlainText().replace("\xa0", " ")
    )


def test_legend_lists_what_the_range_shows(tab) -> None:
    text = _legend_text(tab)
    assert "Touchpoint" in text and "Business review" in text and "Adoption" in text
    # the champion left in week 74: inside "All" and "1 year", not in the last 90 days
    assert "Champion left" in text
    tab.chart.range_buttons.button(0).click()
    assert "Champion left" not in _legend_text(tab)
    assert "Renewal" in _legend_text(tab)


def test_chart_follows_a_dark_palette(tab) -> None:
    from matplotlib.colors import to_hex
    from PySide6.QtGui import QColor, QPalette

    from app.exports.chart_style import DARK, LIGHT

    assert to_hex(tab.chart.figure.get_facecolor()) == LIGHT.background
    dark = QPalette(tab.chart.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    tab.chart.setPalette(dark)
    assert to_hex(tab.chart.figure.get_facecolor()) == DARK.background
    assert len([a for a in tab.chart.figure.axes[0].lines if a.get_gid() == "score"]) == 1


def test_one_nps_in_the_header_the_why_table_the_report_and_the_qbr(
    tab, store, northwind, tmp_path
) -> None:
    """The weekly NPS of the snapshots reads -28 at the end; the survey answers say +50."""
    import openpyxl

    from app.exports.portfolio_report import export_report
    from app.models.enums import SurveyKind
    from app.services import surveys

    with store.session() as session:
        for score, day in [(10, 0), (9, 10), (10, 40), (9, 60), (8, 90), (7, 120), (3, 200)]:
            when = date(2026, 11, 16) - timedelta(days=day)
            surveys.record_response(
                session, northwind, surveys.SurveyAnswer(SurveyKind.NPS, score, when)
            )
        # Two years old: outside the year, so it does not count.
        surveys.record_response(
            session, northwind, surveys.SurveyAnswer(SurveyKind.NPS, 0, date(2025, 1, 6))
        )
    rescore(store)
    tab.reload()
    # 4 promoters, 2 passives, 1 detractor: +43.
    assert tab.survey_label.text().startswith(
        "Survey NPS +43 (7 answers in the year to Nov 16, 2026"
    )
    nps_line = next(line for line in tab.explanation.lines if line.key == "nps")
    assert nps_line.raw == 43 and nps_line.raw_text == "43"
    row = [line.key for line in tab.explanation.lines].index("nps")
    shown = tab.explanation_model.index(row, ExplanationModel.RAW).data()
    assert shown == "43"
    out = tmp_path / "report.xlsx"
    export_report(store, out, today=TODAY)
    sheet = openpyxl.load_workbook(out)["Accounts"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("Survey NPS") + 1).value == 43
    from app.exports.qbr_data import Quarter
    from app.services.qbr_gather import gather_qbr

    with store.read() as session:
        content = gather_qbr(session, northwind, Quarter.containing(TODAY), TODAY)
    assert content.support is not None and round(content.support.nps or 0) == 43
