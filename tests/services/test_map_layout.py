"""The org-chart layout: no overlaps, reports below managers, managers centred."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.map_layout import (
    CARD_HEIGHT,
    CARD_WIDTH,
    COLUMN_INDENT,
    LayoutSpec,
    fold_rows,
    overlaps,
    tidy_layout,
)

#: The plain row layout (no stacked columns), for the tests about rows.
ROWS = LayoutSpec(column_from=0, max_width=0)


def centre_x(pos: tuple[float, float]) -> float:
    return pos[0] + CARD_WIDTH / 2


def check(
    people: list[str], reports_to: dict[str, str | None], pos: dict[str, tuple[float, float]]
) -> None:
    assert set(pos) == set(people)
    assert overlaps(pos) == []
    for pid, manager in reports_to.items():
        if manager is not None and manager in pos:
            assert pos[pid][1] >= pos[manager][1] + CARD_HEIGHT, (pid, manager)


def test_small_org_chart() -> None:
    reports_to = {
        "ceo": None,
        "cfo": "ceo",
        "cto": "ceo",
        "dev1": "cto",
        "dev2": "cto",
        "dev3": "cto",
    }
    pos = tidy_layout(list(reports_to), reports_to, spec=ROWS)
    check(list(reports_to), reports_to, pos)
    # Managers are centred over their reports, reports share a row.
    assert centre_x(pos["cto"]) == (centre_x(pos["dev1"]) + centre_x(pos["dev3"])) / 2
    assert centre_x(pos["ceo"]) == (centre_x(pos["cfo"]) + centre_x(pos["cto"])) / 2
    assert pos["dev1"][1] == pos["dev2"][1] == pos["dev3"][1] > pos["cto"][1]
    assert pos["cfo"][0] < pos["cto"][0]


def test_separate_trees_stand_side_by_side_in_their_current_order() -> None:
    reports_to = {"a": None, "a1": "a", "b": None, "b1": "b"}
    current = {"a": (900.0, 0.0), "b": (0.0, 0.0)}
    pos = tidy_layout(list(reports_to), reports_to, current=current)
    check(list(reports_to), reports_to, pos)
    assert pos["b"][1] == pos["a"][1]
    assert max(pos["b"][0], pos["b1"][0]) < min(pos["a"][0], pos["a1"][0])


def test_unplaced_influencer_sits_beside_who_they_influence() -> None:
    reports_to: dict[str, str | None] = {"boss": None, "x": "boss", "y": "boss", "z": "boss"}
    people = [*reports_to, "adviser", "loner"]
    pos = tidy_layout(people, reports_to, influences=[("adviser", "y")], spec=ROWS)
    check(people, reports_to, pos)
    assert pos["adviser"][1] == pos["y"][1]
    assert pos["adviser"][0] - pos["y"][0] == CARD_WIDTH + LayoutSpec().h_gap
    # Someone with no line at all goes below the chart.
    assert pos["loner"][1] > pos["x"][1]


def test_deep_chain_does_not_recurse() -> None:
    people = [f"p{i}" for i in range(3000)]
    reports_to = {f"p{i}": (f"p{i - 1}" if i else None) for i in range(3000)}
    pos = tidy_layout(people, reports_to)
    assert pos["p2999"][1] > pos["p0"][1]
    assert overlaps(pos) == []


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=80), st.integers(min_value=0, max_value=10_000))
def test_random_forests_never_overlap(size: int, seed: int) -> None:
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(size)]
    reports_to: dict[str, str | None] = {}
    for i, pid in enumerate(people):
        reports_to[pid] = people[rng.randrange(i)] if i and rng.random() < 0.8 else None
    influences = [(rng.choice(people), rng.choice(people)) for _ in range(size // 3)]
    pos = tidy_layout(people, reports_to, influences=influences, spec=ROWS)
    check(people, reports_to, pos)
    stacked = tidy_layout(people, reports_to, influences=influences)
    check(people, reports_to, stacked)
    for pid, manager in reports_to.items():
        kids = [k for k, m in reports_to.items() if m == pid]
        if kids:
            xs = [centre_x(pos[k]) for k in kids]
            assert min(xs) - 0.01 <= centre_x(pos[pid]) <= max(xs) + 0.01
        del manager


def test_overlaps_detects_overlap() -> None:
    assert overlaps({"a": (0.0, 0.0), "b": (CARD_WIDTH - 1, CARD_HEIGHT - 1)}) == [("a", "b")]
    assert overlaps({"a": (0.0, 0.0), "b": (CARD_WIDTH, 0.0)}) == []


def test_a_wide_team_of_individual_contributors_is_stacked_in_a_column() -> None:
    reports_to: dict[str, str | None] = {"vp": None, "lead": "vp", "cfo": "vp"}
    reports_to.update({f"dev{i}": "lead" for i in range(8)})
    reports_to.update({"ctl": "cfo", "ap": "cfo"})
    pos = tidy_layout(list(reports_to), reports_to)
    check(list(reports_to), reports_to, pos)
    devs = [pos[f"dev{i}"] for i in range(8)]
    # One column, indented under the lead, in order, one card wide.
    assert len({x for x, _ in devs}) == 1
    assert devs[0][0] - pos["lead"][0] == COLUMN_INDENT
    assert [y for _, y in devs] == sorted(y for _, y in devs)
    # Two reports still share a row; the chart is at most three cards wide.
    assert pos["ctl"][1] == pos["ap"][1]
    xs = [x for x, _ in pos.values()]
    assert max(xs) + CARD_WIDTH - min(xs) < 4 * (CARD_WIDTH + LayoutSpec().h_gap)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=0, max_value=10_000),
)
def test_folded_rows_stand_side_by_side_without_overlap(size: int, bands: int, seed: int) -> None:
    """A long chain (or any layout) folded into runs of rows for a wide frame: every card
    kept, none overlapping, each run starting at the top and no taller than its share."""
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(size)]
    reports_to = {
        pid: (people[rng.randrange(i)] if rng.random() < 0.3 else people[i - 1]) if i else None
        for i, pid in enumerate(people)
    }
    pos = tidy_layout(people, reports_to)
    folded = fold_rows(pos, bands)
    assert set(folded) == set(pos) and overlaps(folded) == []
    rows = sorted({y for _, y in pos.values()})
    assert min(y for _, y in folded.values()) == 0
    # Each run is at most ceil(rows / bands) rows tall.
    per = -(-len(rows) // bands)
    runs = [rows[i : i + per] for i in range(0, len(rows), per)]
    assert max(y for _, y in folded.values()) == max(run[-1] - run[0] for run in runs)


def test_a_long_chain_folds_into_even_runs() -> None:
    people = [f"p{i}" for i in range(10)]
    pos = tidy_layout(people, {f"p{i}": (f"p{i - 1}" if i else None) for i in range(10)})
    folded = fold_rows(pos, 3)
    columns = sorted({x for x, _ in folded.values()})
    assert len(columns) == 3
    assert [sum(x == c for x, _ in folded.values()) for c in columns] == [4, 4, 2]
