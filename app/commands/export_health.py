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
    parser.add_argument("--width", type=float, default=10.0, help="inches (default 10)")
    parser.add_argument("--height", type=float, default=5.2, help="inches (default 5.2)")
    DPI.add_to(parser)


def run(args: argparse.Namespace) -> int:
    out = out_file(args.out, (".png", ".svg"))
    dpi = parse_dpi(args.dpi)
    if not (1 <= args.width <= 40 and 1 <= args.height <= 40):
        raise UsageError("Width and height are 1 to 40 inches.")
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
        dpi=dpi,
    )
    save_figure(out, fig)
    print(out)
    return 0
