"""Every number option is read one way (``app.commands.Number``): a bad value is one sentence
naming the option, its range and the value, exit status 2, before anything is opened or
written; a value in range is taken."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import pytest

from app.cli import build_parser, main
from app.commands import Number
from app.models.store import Store
from app.services.demo import MAX_ACCOUNTS
from tests.map_helpers import add_account, add_person

#: Each number option: the command before it, and the sentence with ``{}`` for the value.
OPTIONS = {
    "--days": (
        ["export", "calendar", "--out", "{out}/renewals.ics"],
        "--days must be a whole number of days from 1 to 3660, not {}.",
    ),
    "--dpi": (
        ["export", "map", "--account", "Acme Corp", "--out", "{out}/map.png"],
        "--dpi must be a whole number of dots per inch from 30 to 600, not {}.",
    ),
    "--width": (
        ["export", "health", "--account", "Acme Corp", "--out", "{out}/chart.png"],
        "--width must be a number of inches from 1 to 40, not {}.",
    ),
    "--height": (
        ["export", "health", "--account", "Acme Corp", "--out", "{out}/chart.svg"],
        "--height must be a number of inches from 1 to 40, not {}.",
    ),
    "--ahead": (["cadence"], "--ahead must be a whole number of days from 0 to 3660, not {}."),
    "--accounts": (
        ["demo", "--force"],
        "--accounts must be a whole number from 1 to 200,000, not {}.",
    ),
    "--seed": (["demo", "--force"], "--seed must be a whole number of 0 or more, not {}."),
    "--keep": (["sync"], "--keep must be a whole number of 1 or more, not {}."),
    "--take-theirs": (["sync"], "--take-theirs must be a whole number of 1 or more, not {}."),
}  # fmt: skip

BAD_VALUES = [
    ("--days", "abc"), ("--days", "0"), ("--days", "3661"), ("--days", "1.5"),
    ("--dpi", "29"), ("--dpi", "601"), ("--dpi", "150.5"), ("--dpi", "high"),
    ("--width", "abc"), ("--width", "0.5"), ("--width", "inf"),
    ("--height", "41"), ("--height", "nan"),
    ("--ahead", "-3"), ("--ahead", "3661"), ("--ahead", "soon"),
    ("--accounts", "0"), ("--accounts", "200001"), ("--accounts", "many"),
    ("--seed", "-1"), ("--seed", "1.5"), ("--seed", "x"),
    ("--keep", "0"), ("--keep", "first"),
    ("--take-theirs", "-2"), ("--take-theirs", "2.0"),
]  # fmt: skip


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _number_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """Every option of every command (and action) that converts its value."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _number_actions(sub)
        elif action.type is not None:
            found.append(action)
    return found


def test_every_number_option_is_read_one_way() -> None:
    actions = _number_actions(build_parser())
    for action in actions:
        reader = action.type
        assert isinstance(getattr(reader, "__self__", None), Number), action.option_strings
    # Each is tested below: a new number option needs its line in OPTIONS.
    assert {a.option_strings[0] for a in actions} == set(OPTIONS)


def test_the_demo_option_allows_what_the_demo_service_does() -> None:
    from app.commands.demo import ACCOUNTS

    assert ACCOUNTS.high == MAX_ACCOUNTS


@pytest.mark.sqlite_only("compares the workspace file byte for byte")
@pytest.mark.parametrize(("flag", "value"), BAD_VALUES)
def test_a_bad_number_is_one_sentence_and_changes_nothing(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    add_person(store, add_account(store, "Acme Corp"), "Ada Buyer", at=(0, 0))
    store.close()
    out = tmp_path / "out"
    out.mkdir()
    before = _digest(tmp_path)
    command, sentence = OPTIONS[flag]
    argv = [part.replace("{out}", str(out)) for part in command]
    assert main([*argv, "--db", str(store.path), f"{flag}={value}"]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"fieldbook: {sentence.format(value)}\n")
    assert _digest(tmp_path) == before


def test_both_pictures_say_the_same_about_dpi(capsys: pytest.CaptureFixture[str]) -> None:
    helps = []
    for command in ("health", "map"):
        with pytest.raises(SystemExit):
            main(["export", command, "--help"])
        lines = capsys.readouterr().out.splitlines()
        helps.append(next(line for line in lines if line.strip().startswith("--dpi")))
    assert helps[0].split() == helps[1].split()
    assert "30 to 600 dots per inch, default 150" in helps[0]


def test_numbers_in_range_are_taken(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(store.path or store.url)
    assert main(["cadence", "--db", db, "--ahead", "3660"]) == 0
    assert main(["cadence", "--db", db, "--ahead", "0"]) == 0
    assert capsys.readouterr().out.splitlines() == ["0 reviews due.", "0 reviews due."]
    args = build_parser().parse_args(["demo", "--seed", "0", "--accounts", "200000"])
    assert (args.seed, args.accounts) == (0, 200_000)
    args = build_parser().parse_args(["sync", "--keep", "12"])
    assert (args.keep, args.take_theirs) == (12, None)
    args = build_parser().parse_args(["export", "health", "--account", "A", "--out", "a.png"])
    assert (args.width, args.height, args.dpi) == (10, 5.2, 150)
    args = build_parser().parse_args(["export", "calendar", "--out", "a.ics", "--days", "3660"])
    assert args.days == 3660 and isinstance(args.days, int)


def test_a_number_options_default_must_be_in_its_range() -> None:
    with pytest.raises(ValueError, match="--days's default 0 is out of its range"):
        Number("--days", 1, 3660, "days ahead", default=0)


@pytest.mark.parametrize("dpi", ["30", "600"])
def test_a_picture_at_either_end_of_the_dpi_range_is_drawn(
    store: Store, tmp_path: Path, dpi: str
) -> None:
    add_person(store, add_account(store, "Acme Corp"), "Ada Buyer", at=(0, 0))
    out = tmp_path / "map.png"
    db = str(store.path or store.url)
    assert main(["export", "map", "--db", db, "--account", "Acme Corp", "--out", str(out),
                 "--dpi", dpi]) == 0  # fmt: skip
    assert out.read_bytes().startswith(b"\x89PNG")
