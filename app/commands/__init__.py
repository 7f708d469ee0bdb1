"""Subcommands of the ``fieldbook`` command line, one module each.

What every command does the same way lives here: declaring the subcommand with its ``--db``
and the options several commands share (each declared once, so every command says the same
about it, numbers with their range), opening the workspace (closed afterwards, the service's
refusals turned into one sentence and exit status 2), reading dates, output files and account
names from the command line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.models.store import Store


class UsageError(Exception):
    """Bad input on the command line; the message is one sentence for the user."""


@dataclass(frozen=True)
class Option:
    """An option several commands take, declared once so that each says the same about it."""

    flag: str
    settings: Mapping[str, Any]

    def add_to(self, parser: Any, **changes: Any) -> None:
        """Declare it on ``parser`` (or an argument group); ``changes`` (``required=True``, ...)
        are what one command needs otherwise."""
        parser.add_argument(self.flag, **{**self.settings, **changes})


DB = Option(
    "--db",
    {
        "metavar": "PATH",
        "help": "workspace file or SQLAlchemy URL (default: $FIELDBOOK_DB, else the user data "
        "folder)",
    },
)
ACCOUNT = Option("--account", {"metavar": "NAME", "help": "the account's name (or id)"})
OWNER = Option("--owner", {"metavar": "NAME", "help": "only the accounts this person owns"})
AS_OF = Option(
    "--as-of", {"metavar": "YYYY-MM-DD", "help": "the day to look from (default: today)"}
)
TODAY = Option(
    "--today", {"metavar": "YYYY-MM-DD", "help": "the date to treat as today (default: today)"}
)
THEME = Option(
    "--theme",
    {"choices": ("light", "dark"), "default": "light", "help": "the palette (default: light)"},
)


@dataclass(frozen=True)
class Number:
    """A number option, declared once with its range: argparse reads it (an int when
    ``whole``, else a float), and anything else is a UsageError naming the option, the range
    and the value given, before the command opens or writes anything."""

    flag: str
    low: int
    #: None: no upper bound.
    high: int | None
    help: str
    default: int | float | None = None
    whole: bool = True
    #: What it counts, for the sentence and the help ("days", "inches"); empty for a count.
    unit: str = ""
    metavar: str = "N"

    def __post_init__(self) -> None:
        if self.default is not None and not self._fits(self.default):
            raise ValueError(f"{self.flag}'s default {self.default} is out of its range")

    def add_to(self, parser: Any, **changes: Any) -> None:
        """Declare it on ``parser`` (or an argument group), its help saying the range and the
        default; ``changes`` (``dest=...``, ...) are what one command needs otherwise."""
        span = self._span()
        if self.unit:
            span += f" {self.unit}"
        if self.default is not None:
            span += f", default {_figure(self.default)}"
        settings = {
            "type": self.read,
            "default": self.default,
            "metavar": self.metavar,
            "help": f"{self.help} ({span})",
        }
        parser.add_argument(self.flag, **{**settings, **changes})

    def read(self, text: str) -> int | float:
        """The number ``text`` gives; anything else (out of range, NaN, a fraction where a whole
        number is wanted) is a UsageError in one sentence."""
        try:
            number: int | float = int(text) if self.whole else float(text)
        except ValueError:
            number = float("nan")  # fits no range
        if not self._fits(number):
            kind = "a whole number" if self.whole else "a number"
            if self.unit:
                kind += f" of {self.unit}"
            span = f"from {self._span()}" if self.high is not None else f"of {self._span()}"
            raise UsageError(f"{self.flag} must be {kind} {span}, not {text}.")
        return number

    def _fits(self, number: int | float) -> bool:
        # NaN fails both comparisons.
        return self.low <= number and (self.high is None or number <= self.high)

    def _span(self) -> str:
        if self.high is None:
            return f"{_figure(self.low)} or more"
        return f"{_figure(self.low)} to {_figure(self.high)}"


def _figure(number: int | float) -> str:
    """``number`` as a sentence writes it: thousands grouped from five digits (200,000; 3660)."""
    return f"{number:,}" if abs(number) >= 10_000 else f"{number:g}"


#: A picture's resolution: whole dots per inch (a PNG has whole pixels).
DPI = Number("--dpi", 30, 600, "PNG resolution", default=150, unit="dots per inch")


def add_command(
    subparsers: Any,
    name: str,
    run: Callable[[argparse.Namespace], int],
    *,
    db: bool = True,
    db_required: bool = False,
    options: Sequence[Option | Number] = (),
    **kwargs: Any,
) -> argparse.ArgumentParser:
    """Declare subcommand ``name`` (``help``, ``description``, ... as argparse takes them),
    with ``--db`` unless ``db`` is false and the shared ``options`` as declared, run by
    ``run``; returns its parser for more options."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, **kwargs)
    if db:
        DB.add_to(parser, required=db_required)
    for option in options:
        option.add_to(parser)
    parser.set_defaults(run=run)
    return parser


def add_group(subparsers: Any, name: str, **kwargs: Any) -> Any:
    """Declare subcommand ``name`` made of actions (``fieldbook rates list``, ...); returns the
    subparsers to declare each action on (with :func:`add_command`)."""
    parser = subparsers.add_parser(name, **kwargs)
    return parser.add_subparsers(dest="action", metavar="ACTION", required=True)


@contextmanager
def opened(
    db: str | None, *, create: bool = False, refuse: tuple[type[Exception], ...] = ()
) -> Iterator[Store]:
    """The workspace ``--db`` names, closed afterwards; a ``refuse`` error raised meanwhile
    becomes a UsageError with its message (one sentence, exit status 2)."""
    from app.models.opening import open_workspace

    store = open_workspace(db, create=create)
    try:
        yield store
    except refuse as exc:
        raise UsageError(str(exc)) from exc
    finally:
        store.close()


@contextmanager
def workspace_session(
    db: str | None, *, write: bool = False, refuse: tuple[type[Exception], ...] = ()
) -> Iterator[Session]:
    """One unit of work on the workspace ``--db`` names (read-only unless ``write``), as
    :func:`opened` opens it."""
    with opened(db, refuse=refuse) as store, store.session() if write else store.read() as s:
        yield s


@overload
def parse_date(text: str | None, option: str, default: date) -> date: ...
@overload
def parse_date(text: str | None, option: str, default: None = None) -> date | None: ...
def parse_date(text: str | None, option: str, default: date | None = None) -> date | None:
    """The date ``option`` gives (``default`` when not given); bad input is a UsageError."""
    try:
        return default if text is None else date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(
            f"{text} is not a date like 2026-03-31: give {option} as YYYY-MM-DD."
        ) from exc


def out_file(text: str, suffixes: tuple[str, ...]) -> Path:
    """The file ``--out`` names: it must end in one of ``suffixes``, in a folder that exists."""
    out = Path(text).expanduser()
    if out.suffix.lower() not in suffixes:
        raise UsageError(f"--out must end in {' or '.join(suffixes)}.")
    if not out.parent.is_dir():
        raise UsageError(f"The folder {out.parent} does not exist.")
    return out


def find_account_id(session: Session, name_or_id: str) -> str:
    """The id of the one account called ``name_or_id`` (any case) or with that id."""
    from app.services import accounts

    try:
        return accounts.find_account(session, name_or_id)[0]
    except accounts.AccountNotFoundError as exc:
        raise UsageError(str(exc)) from exc
