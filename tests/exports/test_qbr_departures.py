"""The internal QBR says who left: when, where they went, the successor and the work to find
one; the customer's QBR says none of it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from docx import Document
from pptx import Presentation
from sqlalchemy import select

from app.exports.qbr import export_qbr
from app.exports.qbr_data import Audience
from app.models import Stakeholder
from app.models.store import Store
from app.services.map_departures import mark_departed
from tests.exports.sample_book import TODAY

LEFT_ON = TODAY - timedelta(days=10)


def _champion_leaves(store: Store, account_id: str) -> None:
    """Tom Becker (champion) leaves for Contoso Bank, a sales lead, through the workflow."""
    with store.session() as session:
        champion = session.scalars(
            select(Stakeholder).where(
                Stakeholder.account_id == account_id, Stakeholder.name == "Tom Becker"
            )
        ).one()
        mark_departed(
            session,
            champion.id,
            departed_on=LEFT_ON,
            departed_to="Contoso Bank",
            is_lead=True,
            today=LEFT_ON,
        )


def _slide_text(path: Path) -> dict[str, str]:
    """Each slide's title -> its shapes' text and its notes."""
    out: dict[str, str] = {}
    for slide in Presentation(str(path)).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title else ""
        words = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if slide.has_notes_slide:
            words.append(slide.notes_slide.notes_text_frame.text)
        out[title] = "\n".join(words)
    return out


def test_internal_deck_and_brief_say_who_left_and_the_successor_work(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, ids = book
    _champion_leaves(store, ids["Acme Logistics"])
    deck = tmp_path / "internal.pptx"
    export_qbr(store, "Acme Logistics", deck, today=TODAY, audience=Audience.INTERNAL)
    slides = _slide_text(deck)
    people = slides["Stakeholder map"]
    assert "Who left" in people
    assert "Tom Becker (champion) left on Nov 10, 2026 for Contoso Bank, a sales lead." in people
    assert "Successor: not named yet." in people
    assert "Next: Identify Tom Becker's successor and re-introduce our team" in people
    assert "Next: Tell sales: Tom Becker moved to Contoso Bank (lead)" in people
    assert (
        "Champion: missing (Tom Becker left Nov 10, 2026)"
        in slides["Renewal and commercial summary"]
    )

    brief = tmp_path / "internal.docx"
    export_qbr(store, "Acme Logistics", brief, today=TODAY, audience=Audience.INTERNAL)
    text = "\n".join(p.text for p in Document(str(brief)).paragraphs)
    assert "Tom Becker (champion) left on Nov 10, 2026 for Contoso Bank, a sales lead." in text
    assert "Successor: not named yet." in text


def test_a_named_successor_is_shown_and_the_customer_sees_no_departure(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, ids = book
    _champion_leaves(store, ids["Acme Logistics"])
    with store.session() as session:
        people = session.scalars(
            select(Stakeholder).where(Stakeholder.account_id == ids["Acme Logistics"])
        ).all()
        gone = next(p for p in people if p.departed)
        gone.successor_id = next(p for p in people if not p.departed).id
        successor = next(p for p in people if not p.departed).name
    deck = tmp_path / "internal.pptx"
    export_qbr(store, "Acme Logistics", deck, today=TODAY, audience=Audience.INTERNAL)
    assert f"Successor: {successor}." in _slide_text(deck)["Stakeholder map"]

    for suffix in (".pptx", ".docx"):
        out = tmp_path / f"customer{suffix}"
        export_qbr(store, "Acme Logistics", out, today=TODAY)
        if suffix == ".pptx":
            text = "\n".join(_slide_text(out).values())
        else:
            text = "\n".join(p.text for p in Document(str(out)).paragraphs)
        for internal in ("Tom Becker", "Contoso", "Who left", "Successor"):
            assert internal not in text
