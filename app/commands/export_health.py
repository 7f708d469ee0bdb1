"""``fieldbook export health``: an account's health chart as PNG or SVG."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from app.commands import (
    ACCOUNT,
    DPI,
    THEME,
    Number,
    UsageError,
    add_command,
    find_account_id,
    out_file,
    workspace_session,
)

RANGES = {"90d": 90, "1y": 365, "all": None}
#: The chart's sides, in inches: from a thumbnail to a poster.
WIDTH = Number("--width", 1, 40, "the chart's width", 10.0, whole=False, unit="inches")
HEIGHT = Number("--height", 1, 40, "the chart's height", 5.2, whole=False, unit="inches")


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
    WIDTH.add_to(parser, metavar="INCHES")
    HEIGHT.add_to(parser, metavar="INCHES")
    DPI.add_to(parser)


def run(args: argparse.Namespace) -> int:
    out = out_file(args.out, (".png", ".svg"))
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
        size=(args.width, args.height),
        dpi=args.dpi,
    )
    save_figure(out, fig)
    print(out)
    return 0
