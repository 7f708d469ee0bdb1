"""The wheel carries everything: installed into a fresh environment, the app runs from it."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv holding only our wheel; dependencies are borrowed from the test venv."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = work.glob("fieldbook-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies (and pip) come from this venv's site-packages; the package itself does not,
    # because .pth files inside a path added this way are not processed (no editable finder).
    deps = [p for p in site.getsitepackages() if "site-packages" in p]
    Path(purelib, "_fieldbook_test_deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "FIELDBOOK_DB"}}
    env.update(QT_QPA_PLATFORM="offscreen", FIELDBOOK_DATA_DIR=str(tmp / "data"))
    return env


def test_installed_wheel_runs_from_its_own_files(installed: Path, tmp_path: Path) -> None:
    fieldbook = installed / "bin" / "fieldbook"
    run = subprocess.run(
        [str(fieldbook), "--version"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("fieldbook ")
    probe = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import app, app.paths, app.models.schema as s; print(app.__file__);"
            "print(app.paths.resource('icons', 'fieldbook.svg').is_file());"
            "print(s.MIGRATIONS_DIR.joinpath('env.py').is_file())",
        ],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    location, has_icon, has_migrations = probe.stdout.split()
    assert str(installed) in location and str(ROOT) not in location
    assert (has_icon, has_migrations) == ("True", "True")


def test_installed_wheel_creates_and_checks_a_workspace(installed: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    python = installed / "bin" / "python"
    code = "from app.models.opening import open_workspace; open_workspace(%r, create=True).close()"
    subprocess.run(
        [str(python), "-c", code % str(db)], cwd=tmp_path, env=_env(tmp_path), check=True
    )
    check = subprocess.run(
        [str(installed / "bin" / "fieldbook"), "check", "--db", str(db)],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Healthy." in check.stdout
