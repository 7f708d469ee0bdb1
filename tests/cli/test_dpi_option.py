"""``--dpi``, one option for both pictures (``export health``, ``export map``): one rule, one
sentence, exit status 2 and nothing written for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.models.store import Store
from tests.map_helpers import add_account, add_person


@pytest.mark.parametrize("command", ["health", "map"])
@pytest.mark.parametrize("dpi", ["20", "29", "601", "150.5", "high"])
def test_a_bad_dpi_is_refused_in_one_sentence(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, dpi: str
) -> None:
    acc = add_account(store, "Acme Corp")
    add_person(store, acc, "Ada Buyer", at=(0, 0))
    out = tmp_path / "out"
    out.mkdir()
    db = str(store.path or store.url)
    code = main(["export", command, "--db", db, "--account", "Acme Corp",
                 "--out", str(out / "picture.png"), "--dpi", dpi])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err == (
        f"fieldbook: --dpi must be a whole number from 30 to 600, not {dpi}.\n"
    )
    assert list(out.iterdir()) == []


def test_both_pictures_say_the_same_about_it(capsys: pytest.CaptureFixture[str]) -> None:
    helps = []
    for command in ("health", "map"):
        with pytest.raises(SystemExit):
            main(["export", command, "--help"])
        lines = capsys.readouterr().out.splitlines()
        helps.append(next(line for line in lines if line.strip().startswith("--dpi")))
    assert helps[0].split() == helps[1].split()
    assert "30 to 600" in helps[0]
