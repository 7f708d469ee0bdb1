"""``fieldbook export health``: an account's health chart as PNG or SVG."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from app.commands import (
    ACCOUNT,
    DPI,
    THEME,
    UsageError,
    add_command,
    find_account_id,
    out_file,
    parse_dpi,
    workspace_session,
)

RANGES = {"90d": 90, "1y": 365, "all": None}
#: The chart's sides, in inches: from a thumbnail to a poster.
MIN_INCHES, MAX_INCHES = 1, 40


def register(kinds: Any) -> None:
    parser = add_command(
        kinds,
        "health",
        run,
        help="an account's health chart (PNG or SVG)",
        description="Draw an account's health over time with bands, breakdown and events.",
    )
    ACCOUNT.add_to(parser, required=True)
    parser.add_argument("--out", required=True, metavar="FILE", help="a .png or .svg file")
    parser.add_argument("--range", choices=tuple(RANGES), default="1y", help="default: 1y")
    THEME.add_to(parser)
    for side, default in (("--width", "10"), ("--height", "5.2")):
        parser.add_argument(
            side,
            metavar="INCHES",
            default=default,
            help=f"{MIN_INCHES} to {MAX_INCHES} inches (default {default})",
        )
    DPI.add_to(parser)


def _inches(text: str, option: str) -> float:
    """The side ``option`` gives; anything but a number of inches in range is a UsageError."""
    try:
        inches = float(text)
    except ValueError:
        inches = 0.0
    # NaN fails the comparison too.
    if not MIN_INCHES <= inches <= MAX_INCHES:
        raise UsageError(
            f"{option} must be a number of inches from {MIN_INCHES} to {MAX_INCHES}, not {text}."
        )
    return inches


def run(args: argparse.Namespace) -> int:
    out = out_file(args.out, (".png", ".svg"))
    dpi = parse_dpi(args.dpi)
    size = (_inches(args.width, "--width"), _inches(args.height, "--height"))
    from app.services.health_timeline import load_timeline

    with workspace_session(args.db) as session:
        timeline = load_timeline(session, find_account_id(session, args.account))
    if not timeline.dates:
        raise UsageError(f"{timeline.account_name} has no health scores yet.")
    from app.exports.chart_style import save_figure
    from app.exports.health_charts import health_figure

    days = RANGES[args.range]
    last = timeline.dates[-1]
    start = None if days is None else last - timedelta(days=days)
    fig = health_figure(
        timeline,
        theme=args.theme,
        start=start,
        end=last,
        size=size,
        dpi=dpi,
    )
    save_figure(out, fig)
    print(out)
    return 0
