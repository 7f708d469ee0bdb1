"""The command line's frame and the check command: success, and each refusal (exit 2)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import main
from app.models import Account
from app.models.opening import open_workspace

ROOT = Path(__file__).resolve().parents[2]


def test_version_through_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"fieldbook {__version__}"


def test_building_the_parser_loads_no_database_layer_nor_import_catalogue() -> None:
    """Every command (``gui`` too) builds the parser first: it must not load SQLAlchemy, the
    models, Qt or the CRM column catalogue that only ``import --help`` shows."""
    script = (
        "import sys\n"
        "from app.cli import build_parser\n"
        "build_parser().parse_args(['gui'])\n"
        "heavy = ('sqlalchemy', 'app.models', 'app.imports', 'app.services', 'PySide6')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("gui", "check"):
        assert command in out


@pytest.mark.sqlite_only("checks a file (and that it is unchanged byte for byte)")
def test_check_reports_a_healthy_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "book.db"
    store = open_workspace(target, create=True)
    with store.session() as session:
        session.add_all([Account(name="Acme"), Account(name="Globex")])
    store.close()
    before = target.read_bytes()
    assert main(["check", "--db", str(target)]) == 0
    out = capsys.readouterr().out
    assert "current" in out
    assert "Healthy." in out
    assert any(line.split() == ["account", "2"] for line in out.splitlines())
    assert target.read_bytes() == before  # checking writes nothing


@pytest.mark.sqlite_only("breaks references with plain sqlite3")
def test_check_fails_on_broken_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "book.db"
    open_workspace(target, create=True).close()
    conn = sqlite3.connect(target)  # foreign keys are off in a bare connection
    conn.execute(
        "INSERT INTO stakeholder (id, account_id, name, sentiment, influence,"
        " relationship_strength, is_executive_sponsor, departed, departed_is_lead,"
        " created_at, updated_at) VALUES ('s1', 'missing', 'Ghost', 0, 3, 2, 0, 0, 0,"
        " '2026-01-01', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(target)]) == 1
    assert "NOT healthy" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no workspace"),
        (lambda p: p.write_text("hello"), "not a Fieldbook workspace"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
    ids=["missing", "not-sqlite", "folder"],
)
@pytest.mark.sqlite_only("a missing file, a file that is not SQLite, a folder")
def test_check_refuses_bad_input_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, message: str
) -> None:
    target = tmp_path / "x.db"
    make(target)  # type: ignore[operator]
    assert main(["check", "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1  # one sentence
    assert not Path(f"{target}-wal").exists()


@pytest.mark.sqlite_only("a missing workspace file is not created")
def test_gui_refuses_a_missing_workspace_without_creating_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "absent.db"
    assert main(["gui", "--db", str(target)]) == 2
    assert "no workspace" in capsys.readouterr().err
    assert not target.exists()


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("command", "status"),
    [
        # argparse's help drops a failed write itself and exits 0, as it always does.
        (["--help"], 0),
        (["import", "--help"], 0),
        # Python's status on EPIPE, as its docs do it.
        (["import", "--dry-run", "{file}"], 1),
        (["import", "{file}"], 1),
    ],
    ids=["help", "import-help", "import-dry-run", "import"],
)
def test_a_reader_that_closes_early_gets_no_traceback(
    workspace_target: str, tmp_path: Path, command: list[str], status: int
) -> None:
    """``fieldbook … | head``: the real CLI writing into a pipe whose reader has gone."""
    import os

    source = tmp_path / "accounts.csv"
    source.write_text("Account Name,Industry\nAcme,Retail\nGlobex,Energy\n", encoding="utf-8")
    db = workspace_target
    args = [part.replace("{file}", str(source)) for part in command]
    if args[0] == "import" and "--help" not in args:
        args[1:1] = ["--db", db]
    reader, writer = os.pipe()
    os.close(reader)  # the reader closes before the first line arrives, as `| head -0` does
    try:
        result = subprocess.run(
            [sys.executable, "-m", "app", *args],
            cwd=ROOT,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == status
    if args[-1] == str(source) and "--dry-run" not in args:
        # The import itself is done before the summary is printed; the pipe does not undo it.
        store = open_workspace(db)
        try:
            with store.read() as session:
                assert session.query(Account).count() == 2
        finally:
            store.close()


def test_piped_into_head_prints_the_first_line_only(tmp_path: Path) -> None:
    result = subprocess.run(
        f"{sys.executable} -m app import --help | head -n 1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: fieldbook import")
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
