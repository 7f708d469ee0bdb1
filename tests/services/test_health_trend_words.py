"""Which way a health trend points has one rule (``app.services.health_trend.direction``):
whole points, halves away from zero, steady under three. The tree, the Health tab, the report
and the QBR documents all read it, so a -2.6 is "down 3 points" and ▼ everywhere, and a -2.4
is steady everywhere."""

from __future__ import annotations

import pytest

from app.services.health_trend import Direction, direction, trend_arrow, trend_points, trend_words


@pytest.mark.parametrize(
    ("delta", "points", "way", "arrow", "words"),
    [
        (0.0, 0, Direction.STEADY, "→", "steady"),
        (0.4, 0, Direction.STEADY, "→", "steady"),
        (-0.5, -1, Direction.STEADY, "→", "steady (down 1 point)"),
        (1.2, 1, Direction.STEADY, "→", "steady (up 1 point)"),
        (-2.4, -2, Direction.STEADY, "→", "steady (down 2 points)"),
        (2.5, 3, Direction.UP, "↑", "up 3 points"),
        (-2.6, -3, Direction.DOWN, "↓", "down 3 points"),
        (-3.0, -3, Direction.DOWN, "↓", "down 3 points"),
        (-7.4, -7, Direction.DOWN, "↓", "down 7 points"),
        (12.5, 13, Direction.UP, "↑", "up 13 points"),
    ],
)
def test_one_rule_for_which_way_a_trend_points(
    delta: float, points: int, way: Direction, arrow: str, words: str
) -> None:
    assert trend_points(delta) == points
    assert direction(delta) is way
    assert trend_arrow(delta) == arrow
    assert trend_words(delta) == words


def test_an_unknown_trend_has_no_arrow() -> None:
    assert trend_arrow(None) == ""
