"""The map picture: PNG and SVG, the customer-safe option, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.exports.map_image import export_map_image, map_image_bytes
from app.models.enums import BuyingRole, RelationKind
from app.models.store import Store
from app.services import map_departures, map_edits
from tests.map_helpers import TODAY, add_account, add_line, add_person, in_unit


@pytest.fixture
def account(store: Store) -> str:
    acc = add_account(store, "Initech")
    boss = add_person(store, acc, "Bill Lumbergh", at=(0, 0), role=BuyingRole.ECONOMIC_BUYER)
    peter = add_person(
        store,
        acc,
        "Peter Gibbons",
        at=(0, 200),
        reports_to_id=boss,
        role=BuyingRole.BLOCKER,
        sentiment=-2,
        private_notes="Hates TPS reports",
    )
    milton = add_person(store, acc, "Milton Waddams", at=(300, 200), role=BuyingRole.CHAMPION)
    rel = add_line(store, acc, peter, boss, RelationKind.CONFLICT)
    in_unit(store, map_edits.update_relation, rel, note="Stapler dispute")
    add_line(store, acc, milton, boss, RelationKind.INFLUENCE)
    in_unit(
        store,
        map_departures.mark_departed,
        milton,
        departed_on=TODAY,
        departed_to="Chotchkie's",
        today=TODAY,
    )
    return acc


def test_png_and_svg(store: Store, account: str, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    png = export_map_image(store, account, tmp_path / "map.png", today=TODAY)
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    svg = export_map_image(store, account, tmp_path / "map.svg", today=TODAY).read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in ("Initech", "Bill Lumbergh", "BLOCKER", "Stapler dispute", "Strong detractor"):
        assert text in svg, text
    assert "Chotchkie" in svg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "map.svg"]


def test_customer_safe_hides_internal_labels(store: Store, account: str) -> None:
    svg = map_image_bytes(store, account, "svg", customer_safe=True, today=TODAY).decode()
    assert "Peter Gibbons" in svg and "Economic buyer".upper() in svg
    for hidden in (
        "BLOCKER",
        "Stapler dispute",
        "Hates TPS",
        "Strong detractor",
        "Conflict",
        "Chotchkie",
        "d ago",
    ):
        assert hidden not in svg, hidden


def test_svg_is_the_same_run_to_run(store: Store, account: str) -> None:
    first = map_image_bytes(store, account, "svg", today=TODAY)
    assert first == map_image_bytes(store, account, "svg", today=TODAY)


def test_people_without_cards_are_laid_out(store: Store) -> None:
    acc = add_account(store)
    boss = add_person(store, acc, "Boss Person")
    add_person(store, acc, "Report Person", reports_to_id=boss)
    svg = map_image_bytes(store, acc, "svg", today=TODAY).decode()
    assert "Boss Person" in svg and "Report Person" in svg


def test_refusals_leave_existing_files_alone(store: Store, account: str, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "map.pdf"
    target.write_text("keep me")
    with pytest.raises(ValueError, match="PNG or SVG"):
        export_map_image(store, account, target, today=TODAY)
    assert target.read_text() == "keep me"
    empty = add_account(store, "Nobody Ltd")
    with pytest.raises(ValueError, match="no stakeholders"):
        export_map_image(store, empty, tmp_path / "empty.png", today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.pdf"]
