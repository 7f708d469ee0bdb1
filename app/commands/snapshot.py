"""``fieldbook snapshot``: render a view offscreen to a PNG (README screenshots, docs, tests)."""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from app.commands import (
    ACCOUNT,
    THEME,
    TODAY,
    UsageError,
    add_command,
    find_account_id,
    opened,
    out_file,
    parse_date,
)

_SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")
VIEW_NAMES = ("portfolio", "account", "tree")


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "snapshot",
        run,
        db_required=True,
        help="render a view of a workspace to a PNG picture",
        description="Render a Fieldbook view offscreen and save it as a PNG picture.",
    )
    parser.add_argument("--view", required=True, help="portfolio, account, tree (or a later view)")
    ACCOUNT.add_to(parser, help="the account to show (its name or id)")
    parser.add_argument(
        "--tab", default="", metavar="TITLE", help='the tab to show, e.g. "Renewals"'
    )
    parser.add_argument("--out", required=True, metavar="FILE.png", help="the picture to write")
    parser.add_argument("--size", default="1366x768", metavar="WxH", help="default 1366x768")
    THEME.add_to(parser)
    parser.add_argument(
        "--month", metavar="YYYY-MM", help="with --view calendar: the month to show"
    )
    TODAY.add_to(parser)


def parse_size(text: str) -> tuple[int, int]:
    """``1366x768`` → (1366, 768); UsageError for anything else."""
    from app.services.labels import quoted

    match = _SIZE.match(text.strip().lower())
    if match is None:
        raise UsageError(f"--size must look like 1366x768, not {quoted(text)}.")
    width, height = int(match[1]), int(match[2])
    if not (200 <= width <= 8000 and 150 <= height <= 8000):
        raise UsageError(f"--size must be between 200x150 and 8000x8000, not {width}x{height}.")
    return width, height


def run(args: argparse.Namespace) -> int:
    from datetime import date

    width, height = parse_size(args.size)
    out = out_file(args.out, (".png",))
    today = parse_date(args.today, "--today", date.today())
    month = None
    if args.month:
        if args.view != "calendar":
            raise UsageError("--month goes with --view calendar.")
        try:
            month = date.fromisoformat(f"{args.month}-01")
        except ValueError:
            raise UsageError(
                f"--month must be a month such as 2027-03, not {args.month}."
            ) from None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.services.labels import quoted
    from app.views.screenshots import NEEDS_ACCOUNT, SCREENSHOT_VIEWS

    if args.view not in SCREENSHOT_VIEWS:
        names = ", ".join(sorted(SCREENSHOT_VIEWS))
        raise UsageError(f"There is no view called {quoted(args.view)}; choose one of {names}.")
    if args.view in NEEDS_ACCOUNT and not args.account:
        raise UsageError(f"The {args.view} view needs --account NAME.")
    if args.tab:
        from app.views.account.tabs import ACCOUNT_TABS, FORMER_TITLES
        from app.views.home import HOME_VIEWS

        classes = ACCOUNT_TABS if args.view == "account" else HOME_VIEWS
        titles = [str(getattr(c, "title", "")) for c in classes]
        # Named as the window names it, in any case ("stakeholders" is "Stakeholders").
        by_word = {title.casefold(): title for title in titles}
        by_word |= {old.casefold(): new for old, new in FORMER_TITLES.items() if new in titles}
        args.tab = by_word.get(args.tab.casefold(), args.tab)
        if args.view not in ("account", "portfolio") or args.tab not in titles:
            raise UsageError(
                f"The {args.view} view has no tab {quoted(args.tab)}"
                + (
                    f"; choose one of {', '.join(titles)}."
                    if args.view in ("account", "portfolio")
                    else "."
                )
            )
    with opened(args.db) as store:
        account_id = None
        if args.account:
            with store.read() as session:
                account_id = find_account_id(session, args.account)
        return _render(
            store, args.view, account_id, width, height, args.theme, today, out, args.tab, month
        )


def _render(
    store: Any, view: str, account_id: str | None, width: int, height: int, theme_name: str,
    today: Any, out: Path, tab: str = "", month: Any = None,
) -> int:  # fmt: skip
    from app.views.screenshots import ScreenshotArgs, render_view

    with tempfile.TemporaryDirectory() as scratch:
        # The rendered window must not read or change the user's window settings.
        args = ScreenshotArgs(account_id, width, height, Path(scratch) / "snapshot.ini", tab, month)
        image = render_view(store, view, args, theme_name, today)
    fd, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".png", dir=out.parent)
    os.close(fd)
    try:
        # PNG, from the name's suffix (PySide6 rejects the format as bytes, its stub as str).
        if not image.save(temp_name):
            raise UsageError(f"{out} could not be written.")
        umask = os.umask(0)
        os.umask(umask)
        # mkstemp makes the file private; a picture gets the usual permissions.
        Path(temp_name).chmod(0o666 & ~umask)
        Path(temp_name).replace(out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    print(f"Wrote {out} ({image.width()}x{image.height()}, {view}).")
    return 0
