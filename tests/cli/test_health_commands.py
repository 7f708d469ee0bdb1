"""``fieldbook health rescore|alerts`` and ``fieldbook export health``, headless."""

from __future__ import annotations

import argparse

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.commands import UsageError, export, health
from app.models import HealthAlert, HealthScore
from tests.services.health_fixtures import declining_account


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fieldbook")
    subparsers = parser.add_subparsers(dest="command")
    health.register(subparsers)
    export.register(subparsers)
    return parser.parse_args(argv)


@pytest.fixture
def workspace(store):
    declining_account(store)
    return store


def test_rescore_then_alerts_then_chart(workspace, capsys, tmp_path_factory) -> None:
    db = str(workspace.path or workspace.url)
    args = parse("health", "rescore", "--db", db)
    assert args.run(args) == 0
    assert capsys.readouterr().out == "104 weekly scores stored.\n"
    with workspace.read() as session:
        assert session.scalar(select(func.count()).select_from(HealthScore)) == 104
    args = parse("health", "alerts", "--db", db, "--as-of", "2026-11-16")
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "Northwind Logistics: Health is red (score 43)." in out
    assert out.endswith("1 new alert.\n")
    args.run(args)
    assert capsys.readouterr().out == "0 new alerts.\n"
    with workspace.read() as session:
        assert session.scalar(select(func.count()).select_from(HealthAlert)) == 1

    folder = tmp_path_factory.mktemp("out")
    for name in ("chart.png", "chart.svg"):
        args = parse(
            "export", "health", "--db", db, "--account", "northwind logistics",
            "--out", str(folder / name), "--range", "90d",
        )  # fmt: skip
        assert args.run(args) == 0
    assert (folder / "chart.png").read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (folder / "chart.svg").read_text()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--account", "Nobody", "--out", "{out}/x.png"], "no account called “Nobody”"),
        (["--account", "Northwind Logistics", "--out", "{out}/x.gif"], "must end in .png or .svg"),
        (["--account", "Northwind Logistics", "--out", "{out}/no/x.png"], "does not exist"),
        (["--account", "Northwind Logistics", "--out", "{out}/x.png"], "no health scores yet"),
    ],
)
def test_chart_bad_input_writes_nothing(workspace, tmp_path_factory, extra, message) -> None:
    folder = tmp_path_factory.mktemp("out")
    argv = [a.replace("{out}", str(folder)) for a in extra]
    args = parse("export", "health", "--db", str(workspace.path or workspace.url), *argv)
    with pytest.raises(UsageError, match=message):
        args.run(args)
    assert list(folder.iterdir()) == []


def test_alerts_bad_date(workspace) -> None:
    args = parse(
        "health", "alerts", "--db", str(workspace.path or workspace.url), "--as-of", "31/12/2026"
    )
    with pytest.raises(UsageError, match="not a date"):
        args.run(args)


def test_a_chart_size_in_range_is_drawn(workspace, tmp_path_factory, capsys) -> None:
    folder = tmp_path_factory.mktemp("out")
    db = str(workspace.path or workspace.url)
    assert main(["health", "rescore", "--db", db]) == 0
    code = main(["export", "health", "--db", db, "--account", "Northwind Logistics",
                 "--out", str(folder / "chart.png"), "--width", "4.5", "--height", "3",
                 "--dpi", "100"])  # fmt: skip
    assert code == 0
    header = (folder / "chart.png").read_bytes()[16:24]
    assert (int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")) == (450, 300)
