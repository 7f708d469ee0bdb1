"""Smoke-test a built Fieldbook executable the way a new user's machine would run it.

Usage: ``python packaging/smoke_test.py dist/fieldbook/fieldbook``. Runs ``--version``,
``demo``, ``check``, offscreen ``snapshot`` (also in a locale whose Babel data ships and one
whose data does not) and every export against a fresh temporary workspace, with the user data
folder redirected, and exits non-zero on the first failure.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(exe: Path, *args: str, env: dict[str, str]) -> str:
    started = time.perf_counter()
    result = subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    took = time.perf_counter() - started
    print(f"$ fieldbook {' '.join(args)}  ({took:.1f} s, exit {result.returncode})")
    if result.returncode != 0:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"smoke test failed: fieldbook {' '.join(args)}")
    return result.stdout


def check_qt_platform_libraries(exe: Path) -> None:
    """The xcb platform plugin's libraries must all be inside the bundle or the system.

    A build machine without libxcb-icccm4 / libxcb-keysyms1 makes a bundle that starts
    offscreen but not on a real desktop ("could not load the Qt platform plugin xcb").
    """
    internal = exe.parent / "_internal"
    plugin = internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():  # not Linux
        return
    paths = f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"
    result = subprocess.run(
        ["ldd", str(plugin)],
        env={**os.environ, "LD_LIBRARY_PATH": paths},
        capture_output=True,
        text=True,
        check=False,
    )
    missing = [line.split()[0] for line in result.stdout.splitlines() if "not found" in line]
    if missing:
        raise SystemExit(
            f"the bundle's xcb platform plugin lacks {', '.join(missing)}; install them on the "
            "build machine (Debian: libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0) and rebuild"
        )
    print("xcb platform plugin: every library resolves")


def main(exe: Path) -> None:
    check_qt_platform_libraries(exe)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "FIELDBOOK_DATA_DIR": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "HOME": str(home),
        }
        db = home / "smoke.db"
        png = home / "portfolio.png"
        assert _run(exe, "--version", env=env).startswith("fieldbook ")
        _run(exe, "demo", "--db", str(db), "--accounts", "30", "--seed", "7", env=env)
        assert "Healthy." in _run(exe, "check", "--db", str(db), env=env)
        _run(exe, "snapshot", "--db", str(db), "--view", "portfolio", "--out", str(png), env=env)
        if png.stat().st_size < 10_000:
            raise SystemExit(f"snapshot {png} is suspiciously small")
        # Money in the user's locale: one whose Babel data ships (German) and one whose data
        # the bundle leaves out (Swahili, formatted as en_US): both must still draw.
        for name in ("de_DE", "sw_KE"):
            local = {**env, "LC_ALL": f"{name}.UTF-8", "LANG": f"{name}.UTF-8"}
            out = home / f"portfolio-{name}.png"
            _run(exe, "snapshot", "--db", str(db), "--view", "portfolio", "--out", str(out),
                 env=local)  # fmt: skip
            if out.stat().st_size < 10_000:
                raise SystemExit(f"snapshot {out} is suspiciously small")
        export_every_kind(exe, db, home, env)
    print("bundle smoke test passed")


def export_every_kind(exe: Path, db: Path, home: Path, env: dict[str, str]) -> None:
    """Each document the app writes, once: they load data files and libraries (templates,
    fonts, the Agg and SVG backends) that the commands above never touch."""
    with sqlite3.connect(db) as connection:
        (account,) = connection.execute(
            "SELECT name FROM account WHERE parent_id IS NULL ORDER BY name LIMIT 1"
        ).fetchone()
    common = ("--db", str(db))
    outputs = {
        "deck.pptx": ("export", "qbr", *common, "--account", account, "--format", "pptx"),
        "brief.docx": ("export", "qbr", *common, "--account", account, "--format", "docx"),
        "report.xlsx": ("export", "report", *common),
        "renewals.ics": ("export", "calendar", *common),
        "map.png": ("export", "map", *common, "--account", account),
        "map.svg": ("export", "map", *common, "--account", account),
        "health.png": ("export", "health", *common, "--account", account),
        "stakeholders.png": ("snapshot", *common, "--view", "account", "--account", account,
                             "--tab", "Stakeholders"),
    }  # fmt: skip
    for name, args in outputs.items():
        out = home / name
        _run(exe, *args, "--out", str(out), env=env)
        if not out.exists() or out.stat().st_size < 1_000:
            raise SystemExit(f"fieldbook {' '.join(args)} wrote no {name} worth the name")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "dist/fieldbook/fieldbook").resolve())
