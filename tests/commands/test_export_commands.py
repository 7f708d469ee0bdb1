"""``fieldbook export qbr`` and ``fieldbook export report`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from app.cli import main
from app.models.opening import open_workspace
from tests.exports.sample_book import build_book


@pytest.fixture
def db(workspace_target: str) -> str:
    store = open_workspace(workspace_target, create=True)
    with store.session() as session:
        build_book(session)
    store.close()
    return workspace_target


def test_qbr_deck_and_brief(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "acme.pptx"
    args = [
        "export",
        "qbr",
        "--db",
        str(db),
        "--account",
        "Acme Logistics",
        "--today",
        "2026-11-20",
    ]
    assert main([*args, "--out", str(deck), "--audience", "internal", "--quarter", "2026Q4"]) == 0
    assert len(Presentation(str(deck)).slides) == 9
    assert main([*args, "--out", str(tmp_path / "acme.docx")]) == 0
    assert (tmp_path / "acme.docx").stat().st_size > 10_000
    out = capsys.readouterr()
    assert "Wrote" in out.out and out.err == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--account", "Acme Logistics", "--quarter", "Q9"], "is not a quarter like 2026Q4"),
        (["--account", "Nobody"], "There is no account called “Nobody”."),
        (["--account", "Acme Logistics", "--template", "/nope.pptx"], "There is no template"),
    ],
)
def test_qbr_bad_input_is_exit_2_and_writes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "x.pptx"
    assert main(["export", "qbr", "--db", str(db), "--out", str(out), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_missing_folder_is_one_sentence(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "r.xlsx"
    assert main(["export", "report", "--db", str(db), "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"fieldbook: The folder {out.parent} does not exist.\n"


def test_report(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "book.xlsx"
    assert (
        main(["export", "report", "--db", str(db), "--out", str(out), "--owner", "Dana Whitfield"])
        == 0
    )
    assert "3 accounts" in capsys.readouterr().out


def test_batch_continues_after_a_failure(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.exports.qbr_batch as batch

    real = batch.gather_qbr

    def flaky(session, account_id, quarter, today):  # type: ignore[no-untyped-def]
        content = real(session, account_id, quarter, today)
        if content.account == "Acme Europe":
            raise RuntimeError("corrupt history")
        return content

    monkeypatch.setattr(batch, "gather_qbr", flaky)
    folder = tmp_path / "decks"
    folder.mkdir()
    args = [
        "export",
        "qbr",
        "--db",
        str(db),
        "--all",
        "--out",
        str(folder),
        "--today",
        "2026-11-20",
    ]
    assert main(args) == 1
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "Acme Logistics - 2026Q4 QBR.pptx",
        "Acme Rotterdam - 2026Q4 QBR.pptx",
        "Blank Corp - 2026Q4 QBR.pptx",
    ]
    err = capsys.readouterr().err
    assert "Acme Europe: could not be exported (corrupt history)." in err
    assert "[4/4] Done" in err


def test_batch_by_owner_writes_briefs(db: Path, tmp_path: Path) -> None:
    args = ["export", "qbr", "--db", str(db), "--owner", "lee park", "--format", "docx"]
    assert main([*args, "--out", str(tmp_path), "--today", "2026-11-20"]) == 0
    assert [p.name for p in tmp_path.glob("*.docx")] == ["Blank Corp - 2026Q4 QBR.docx"]


def test_batch_prints_each_decks_notes_after_its_account(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch printed only its failures: what a deck left out for lack of data was lost."""
    args = ["export", "qbr", "--db", str(db), "--all", "--out", str(tmp_path)]
    assert main([*args, "--today", "2026-11-20"]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note: ")]
    assert [note.split(": ")[1] for note in notes] == ["Acme Rotterdam", "Blank Corp"]
    assert all(note.split(": ")[2] == "Left out for lack of data" for note in notes)
