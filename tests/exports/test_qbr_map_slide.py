"""The map slide uses the slide's width, shows the whole legend and nobody who has left."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

from app.exports.map_image import render_map_figure
from app.exports.qbr import MAP_ASPECT, export_qbr, gather, present
from app.exports.qbr_data import Audience, QbrRequest
from app.models import MapCard, Stakeholder
from app.models.enums import BuyingRole
from app.models.store import Store
from tests.exports.sample_book import TODAY


def _narrow_map_with_a_departed_sponsor(store: Store, account_id: str) -> None:
    """Two cards one above the other: the narrowest map, whose legend used to be cut."""
    with store.session() as session:
        people = session.query(Stakeholder).filter_by(account_id=account_id).all()
        for person in people[2:]:
            session.delete(person)
        gone = Stakeholder(
            account_id=account_id, name="Olga Departed", role=BuyingRole.CHAMPION,
            is_executive_sponsor=True, departed=True, departed_on=TODAY - timedelta(days=3),
        )  # fmt: skip
        session.add(gone)
        session.flush()
        for n, person in enumerate([*people[:2], gone]):
            session.add(
                MapCard(stakeholder_id=person.id, account_id=account_id, x=0.0, y=140.0 * n)
            )


def test_map_slide_is_slide_wide_with_the_whole_legend(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    from matplotlib.legend import Legend

    store, ids = book
    _narrow_map_with_a_departed_sponsor(store, ids["Acme Logistics"])
    out = tmp_path / "deck.pptx"
    export_qbr(store, "Acme Logistics", out, today=TODAY)
    prs = Presentation(str(out))
    (slide,) = [s for s in prs.slides if s.shapes.title.text_frame.text == "Stakeholder map"]
    (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]  # PICTURE
    assert Emu(picture.width).inches >= 0.85 * Emu(prs.slide_width).inches
    notes = slide.notes_slide.notes_text_frame.text
    assert "Olga Departed" not in notes

    content = present(gather(store, QbrRequest("Acme Logistics", today=TODAY)), Audience.CUSTOMER)
    assert content.influence_map is not None
    assert all(p.active for p in content.influence_map.people.values())
    figure = render_map_figure(
        content.influence_map, customer_safe=True, today=TODAY, aspect=MAP_ASPECT[".pptx"]
    )
    renderer = figure.canvas.get_renderer()
    (legend,) = figure.findobj(Legend)
    texts = {t.get_text(): t.get_window_extent(renderer) for t in legend.get_texts()}
    assert "Executive sponsor" in texts
    width = figure.bbox.width
    assert all(box.x0 >= 0 and box.x1 <= width for box in texts.values())
    words = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert not any("Olga" in w for w in words if isinstance(w, str))


def test_brief_map_keeps_its_title_and_fits_the_page(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """A one-column map in the brief: its title used to be cut at the picture's edge, and
    the page-wide picture was taller than a page (the heading sat alone on an empty page)."""
    from docx import Document
    from docx.shared import Cm
    from matplotlib.text import Text

    store, ids = book
    _narrow_map_with_a_departed_sponsor(store, ids["Acme Logistics"])
    content = present(gather(store, QbrRequest("Acme Logistics", today=TODAY)), Audience.CUSTOMER)
    assert content.influence_map is not None
    figure = render_map_figure(content.influence_map, customer_safe=True, today=TODAY)
    renderer = figure.canvas.get_renderer()
    (title,) = [t for t in figure.findobj(Text) if t.get_text().endswith("stakeholder map")]
    box = title.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= figure.bbox.width

    out = tmp_path / "brief.docx"
    export_qbr(store, "Acme Logistics", out, today=TODAY)
    document = Document(str(out))
    section = document.sections[0]
    text_height = section.page_height - section.top_margin - section.bottom_margin
    (shape,) = [
        s for s in document.inline_shapes if "Stakeholder map" in s._inline.docPr.get("descr")
    ]
    assert shape.height <= 0.6 * text_height
    assert shape.width <= section.page_width - section.left_margin - section.right_margin + Cm(0.01)
