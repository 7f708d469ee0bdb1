"""``fieldbook export map``: the picture is written; each refusal exits 2 and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.models.enums import BuyingRole
from app.models.store import Store
from tests.map_helpers import add_account, add_person


@pytest.fixture
def workspace(store: Store, tmp_path: Path) -> Path:
    acc = add_account(store, "Acme Corp")
    add_person(store, acc, "Ada Buyer", at=(0, 0), role=BuyingRole.BLOCKER)
    add_account(store, "Twin Ltd")
    add_account(store, "Twin Ltd")
    return store.path or store.url  # type: ignore[return-value]  # a team workspace's address


def test_writes_png_and_customer_safe_svg(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", "map", "--db", str(workspace), "--account", "acme corp",
                 "--out", str(out / "map.png")]) == 0  # fmt: skip
    assert (out / "map.png").read_bytes().startswith(b"\x89PNG")
    assert main(["export", "map", "--db", str(workspace), "--account", "Acme Corp",
                 "--out", str(out / "map.svg"), "--customer-safe"]) == 0  # fmt: skip
    svg = (out / "map.svg").read_text()
    assert "Ada Buyer" in svg and "BLOCKER" not in svg


@pytest.mark.parametrize(
    ("account", "name", "message"),
    [
        ("Nobody Inc", "map.png", "There is no account called “Nobody Inc”."),
        ("Twin Ltd", "map.png", "2 accounts are called “Twin Ltd”; give the account id instead."),
        ("Acme Corp", "map.pdf", "--out must end in .png or .svg."),
        ("Acme Corp", "missing/map.png", "does not exist."),
    ],
)
def test_refusals(
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    account: str,
    name: str,
    message: str,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code = main(["export", "map", "--db", str(workspace), "--account", account,
                 "--out", str(out / name)])  # fmt: skip
    assert code == 2
    assert message in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_an_account_with_nobody_is_refused(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], store: Store
) -> None:
    add_account(store, "Empty Co")
    code = main(["export", "map", "--db", str(workspace), "--account", "Empty Co",
                 "--out", str(tmp_path / "e.png")])  # fmt: skip
    assert code == 2
    assert "Empty Co has no stakeholders to draw yet." in capsys.readouterr().err
    assert not (tmp_path / "e.png").exists()
