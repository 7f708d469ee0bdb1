"""The health figures draw what the data says: points, markers, bands; images are written whole."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from app.exports.book_charts import band_flow_figure, band_summary_figure
from app.exports.chart_style import day_number, render_png, save_figure
from app.exports.health_chart_live import score_axes
from app.exports.health_charts import explanation_figure, health_figure
from app.services.book_health import band_flow, band_summary
from app.services.health_scores import explain
from app.services.health_timeline import (
    CHAMPION_LEFT,
    ESCALATION_CLOSED,
    ESCALATION_OPENED,
    QBR,
    RENEWAL,
    TOUCHPOINT,
    load_timeline,
)
from app.services.rescoring import rescore
from tests.services.health_fixtures import declining_account


@pytest.fixture
def timeline(store):
    acc = declining_account(store)
    rescore(store)
    with store.read() as session:
        return load_timeline(session, acc)


def _by_gid(fig, gid):
    return [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]


def test_whole_history_draws_every_week_and_every_event(timeline) -> None:
    fig = health_figure(timeline)
    (line,) = _by_gid(fig, "score")
    assert len(line.get_xdata()) == 104
    assert list(line.get_ydata()) == list(timeline.scores)
    counts = {
        kind: len(_by_gid(fig, f"event:{kind}")[0].get_offsets()) for kind in (QBR, TOUCHPOINT)
    }
    # 8 quarterly reviews, a call every 4 weeks over 104 weeks
    assert counts == {QBR: 8, TOUCHPOINT: 26}
    for kind in (ESCALATION_OPENED, ESCALATION_CLOSED, RENEWAL, CHAMPION_LEFT):
        assert len(_by_gid(fig, f"event:{kind}")[0].get_offsets()) == 1
    labels = sorted(t.get_text() for t in _by_gid(fig, "event_label"))
    assert labels == [
        "Champion left: Maria Chen",
        "Escalation: P1 outage in EU…",
        "Renewal: Platform 2025-26",
    ]
    assert score_axes(fig) is not None


def test_a_range_draws_only_its_weeks_and_events(timeline) -> None:
    last = timeline.dates[-1]
    fig = health_figure(timeline, start=last - timedelta(days=90), end=last)
    (line,) = _by_gid(fig, "score")
    # 90 days back from week 103: weeks 91..103 (week 91 is 84 days back, week 90 is 91)
    assert len(line.get_xdata()) == 13
    assert line.get_xdata()[0] == day_number(timeline.dates[-13])
    # in range: renewal (week 100), QBR week 97, calls weeks 93 and 97 (+2 days), not the rest
    assert len(_by_gid(fig, f"event:{RENEWAL}")[0].get_offsets()) == 1
    assert len(_by_gid(fig, f"event:{QBR}")[0].get_offsets()) == 1
    assert len(_by_gid(fig, f"event:{TOUCHPOINT}")[0].get_offsets()) == 3
    assert _by_gid(fig, f"event:{CHAMPION_LEFT}") == []
    ax = score_axes(fig)
    assert ax is not None
    assert ax.get_xlim()[0] == day_number(last - timedelta(days=90))


def test_band_shading_follows_the_scorecard(timeline) -> None:
    fig = health_figure(timeline, theme="dark", breakdown=False)
    (red,) = _by_gid(fig, "band:red")
    extent = red.get_path().get_extents(red.get_transform() - score_axes(fig).transData)
    assert (extent.y0, extent.y1) == pytest.approx((0, timeline.red_below))
    assert _by_gid(fig, "breakdown") == []


def test_breakdown_stacks_to_the_score(timeline) -> None:
    total = [sum(v[i] for v in timeline.contributions.values()) for i in range(len(timeline.dates))]
    assert total == pytest.approx(list(timeline.scores), abs=0.1)
    fig = health_figure(timeline)
    assert len(_by_gid(fig, "breakdown")) == len(timeline.groups)


def test_other_figures_and_writing_files(store, timeline, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("charts")
    with store.read() as session:
        why = explain(session, timeline.account_id, timeline.dates[-1])
        summary = band_summary(session)
        flow = band_flow(session, timeline.dates[0], timeline.dates[-1])
    bars = _by_gid(explanation_figure(why), "contributions")
    assert [b.get_width() for b in bars] == pytest.approx(
        [line.contribution or 0 for line in reversed(why.lines)]
    )
    assert sum(b.get_width() for b in bars) == pytest.approx(why.score)
    band_summary_figure(summary)
    assert _by_gid(band_flow_figure(flow), "flow:green>red")
    buffer = io.BytesIO()
    render_png(buffer, health_figure(timeline))
    assert buffer.getvalue().startswith(b"\x89PNG")
    target = out / "chart.svg"
    save_figure(target, health_figure(timeline))
    assert target.read_text().lstrip().startswith("<?xml")
    with pytest.raises(ValueError, match="PNG or SVG"):
        save_figure(out / "chart.gif", health_figure(timeline))
    assert sorted(p.name for p in out.iterdir()) == ["chart.svg"]


def test_an_open_end_shows_upcoming_events(timeline) -> None:
    from app.models.enums import HealthBand
    from app.services.health_timeline import ChartEvent

    last = timeline.dates[-1]
    ahead = ChartEvent(last + timedelta(days=60), RENEWAL, "Renewal: next year")
    far = ChartEvent(last + timedelta(days=300), RENEWAL, "Renewal: the one after")
    events = (*timeline.events, ahead, far)
    later = type(timeline)(**{**timeline.__dict__, "events": events})
    fig = health_figure(later, start=last - timedelta(days=90))
    assert len(_by_gid(fig, f"event:{RENEWAL}")[0].get_offsets()) == 2
    assert day_number(ahead.on) <= score_axes(fig).get_xlim()[1] < day_number(far.on)
    closed = health_figure(later, start=last - timedelta(days=90), end=last)
    assert len(_by_gid(closed, f"event:{RENEWAL}")[0].get_offsets()) == 1
    assert HealthBand.RED in timeline.bands
