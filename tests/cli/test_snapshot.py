"""``fieldbook snapshot`` writes a real picture, and refuses bad input without writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main


@pytest.fixture
def workspace(workspace_target: str, qapp) -> str:
    from app.models import Account, Contract
    from app.models.opening import open_workspace

    path = workspace_target
    store = open_workspace(path, create=True)
    from datetime import date

    with store.session() as session:
        acme = Account(name="Acme", arr_minor=120_000_00)
        session.add(acme)
        session.flush()
        session.add(Account(name="Acme Germany", parent_id=acme.id, arr_minor=40_000_00))
        session.add(
            Contract(
                account_id=acme.id,
                name="Platform",
                start_date=date(2026, 1, 1),
                end_date=date(2026, 12, 31),
                value_minor=120_000_00,
            )
        )
    store.close()
    return path


def distinct_colours(path: Path) -> int:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull()
    colours = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            colours.add(image.pixel(x, y))
    return len(colours)


@pytest.mark.parametrize("view", ["portfolio", "account", "tree", "health", "map", "calendar"])
def test_writes_a_non_blank_png(workspace: Path, tmp_path: Path, view: str, capsys):
    out = tmp_path / f"{view}.png"
    args = ["snapshot", "--db", str(workspace), "--view", view, "--out", str(out)]
    args += ["--size", "900x600", "--today", "2026-11-01", "--account", "acme"]
    assert main(args) == 0
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    if view in ("portfolio", "account"):
        assert (image.width(), image.height()) == (900, 600)
    else:  # a view may not shrink below its minimum size
        assert image.width() >= 300 and image.height() >= 200
    assert distinct_colours(out) > 20
    assert "Wrote" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--view", "nope"], "There is no view called “nope”"),
        (["--view", "account", "--account", "Nobody"], "There is no account called “Nobody”"),
        (["--view", "account"], "The account view needs --account NAME."),
        (["--view", "tree", "--size", "big"], "--size must look like 1366x768"),
        (
            ["--view", "tree", "--size", "100x9000"],
            "--size must be between 200x150 and 8000x8000, not 100x9000.",
        ),
        (["--view", "account", "--account", "Acme", "--tab", "Nope"], "has no tab “Nope”"),
        (["--view", "calendar", "--month", "2027-13"], "--month must be a month"),
        (["--view", "tree", "--month", "2027-03"], "--month goes with --view calendar."),
    ],
)
def test_bad_input_exits_2_with_one_sentence_and_no_file(
    workspace: Path, tmp_path: Path, extra: list[str], message: str, capsys
):
    out = tmp_path / "x.png"
    assert main(["snapshot", "--db", str(workspace), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_account_tab_and_home_tab(workspace: Path, tmp_path: Path):
    for extra in (
        ["--view", "account", "--account", "Acme", "--tab", "Renewals"],
        ["--view", "portfolio", "--tab", "Health"],
    ):
        out = tmp_path / "tab.png"
        assert main(["snapshot", "--db", str(workspace), "--out", str(out), *extra]) == 0
        assert distinct_colours(out) > 20


def test_a_tab_is_named_in_any_case(workspace: Path, tmp_path: Path):
    pictures = []
    for tab in ("Renewals", "renewals", "RENEWALS"):
        out = tmp_path / f"{tab}.png"
        args = ["--view", "account", "--account", "Acme", "--tab", tab, "--today", "2027-01-04"]
        assert main(["snapshot", "--db", str(workspace), "--out", str(out), *args]) == 0
        pictures.append(out.read_bytes())
    assert pictures[0] == pictures[1] == pictures[2]


def test_the_touchpoints_tab_is_shown_by_its_former_title_too(workspace: Path, tmp_path: Path):
    # The tab was "Activities"; a script that names it so still gets the same picture.
    pictures = []
    for tab in ("Touchpoints", "activities"):
        out = tmp_path / f"{tab}.png"
        args = ["--view", "account", "--account", "Acme", "--tab", tab, "--today", "2027-01-04"]
        assert main(["snapshot", "--db", str(workspace), "--out", str(out), *args]) == 0
        pictures.append(out.read_bytes())
    assert pictures[0] == pictures[1]


def test_missing_output_folder(workspace: Path, tmp_path: Path, capsys):
    out = tmp_path / "missing" / "x.png"
    assert main(["snapshot", "--db", str(workspace), "--view", "tree", "--out", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not out.parent.exists()


@pytest.mark.sqlite_only("a workspace file that does not exist is not created")
def test_missing_workspace(tmp_path: Path, capsys):
    out = tmp_path / "x.png"
    db = tmp_path / "none.db"
    assert main(["snapshot", "--db", str(db), "--view", "tree", "--out", str(out)]) == 2
    assert not db.exists() and not out.exists()


def test_calendar_month_is_chosen_by_month(workspace: Path, tmp_path: Path):
    pictures = []
    for month in ("2027-03", "2027-04"):
        out = tmp_path / f"cal-{month}.png"
        args = ["snapshot", "--db", str(workspace), "--view", "calendar", "--out", str(out)]
        assert main([*args, "--month", month]) == 0
        pictures.append(out.read_bytes())
    assert pictures[0] != pictures[1]
