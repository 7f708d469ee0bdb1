"""The map slide uses the slide's width, shows the whole legend and nobody who has left."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Emu

from app.exports.map_image import (
    HEADING_BAND,
    MARGIN,
    UNITS_PER_INCH,
    map_parts,
    render_map_figure,
    whole_map,
)
from app.exports.qbr import MAP_ASPECT, export_qbr, gather, present
from app.exports.qbr_data import Audience, QbrRequest
from app.exports.qbr_pptx import png_size
from app.models import MapCard, Stakeholder
from app.models.enums import BuyingRole
from app.models.store import Store
from app.services.map_layout import CARD_HEIGHT
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


def test_map_slide_cards_are_as_large_as_the_area_allows_with_the_whole_legend(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """A narrow map used to be centred on a slide-wide picture with its legend under the
    cards: the picture's height went to the legend and the cards were small."""
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    from app.exports.qbr_pptx import _content_area, _pick_layouts

    store, ids = book
    _narrow_map_with_a_departed_sponsor(store, ids["Acme Logistics"])
    out = tmp_path / "deck.pptx"
    export_qbr(store, "Acme Logistics", out, today=TODAY)
    prs = Presentation(str(out))
    (slide,) = [s for s in prs.slides if s.shapes.title.text_frame.text == "Stakeholder map"]
    (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]  # PICTURE
    notes = slide.notes_slide.notes_text_frame.text
    assert "Olga Departed" not in notes
    area = _content_area(prs, _pick_layouts(prs)[1])
    assert picture.width <= area.width + 1 and picture.height <= area.height + 1
    # Two cards 140 apart, under the heading band, in margins: all the height there is.
    body = 140 + CARD_HEIGHT + 2 * MARGIN + HEADING_BAND
    png_height = png_size(picture.image.blob)[1]
    card = Emu(picture.height).inches * CARD_HEIGHT * (110 / UNITS_PER_INCH) / png_height
    assert card >= 0.98 * Emu(area.height).inches * CARD_HEIGHT / body

    content = present(gather(store, QbrRequest("Acme Logistics", today=TODAY)), Audience.CUSTOMER)
    assert content.influence_map is not None
    assert all(p.active for p in content.influence_map.people.values())
    (part,) = map_parts(content.influence_map, customer_safe=True, aspect=MAP_ASPECT[".pptx"])
    figure = render_map_figure(content.influence_map, part, today=TODAY)
    figure.canvas.draw()  # lays the legend out where the picture has it
    renderer = figure.canvas.get_renderer()
    (legend,) = figure.findobj(Legend)
    texts = {t.get_text(): t.get_window_extent(renderer) for t in legend.get_texts()}
    assert "Executive sponsor" in texts
    width, height = figure.bbox.width, figure.bbox.height
    assert all(b.x0 >= 0 and b.x1 <= width and b.y0 >= 0 and b.y1 <= height for b in texts.values())
    # The legend sits beside the cards, never over them.
    names = [
        t for t in figure.findobj(Text) if t.get_text() in {p.name for p in content.stakeholders}
    ]
    cards_right = max(t.get_window_extent(renderer).x1 for t in names)
    assert min(b.x0 for b in texts.values()) > cards_right
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
    imap = content.influence_map
    figure = render_map_figure(imap, whole_map(imap, customer_safe=True), today=TODAY)
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


def _org_the_window_wrapped_tall(store: Store, account_id: str) -> None:
    """A chief with four VPs, each with a manager of two: saved as the window lays it out
    (its reports wrapped into bands one under the other), a tall narrow column of cards."""
    from app.services.map_layout import tidy_layout

    with store.session() as session:
        for person in session.query(Stakeholder).filter_by(account_id=account_id):
            session.delete(person)
        session.flush()
        chief = Stakeholder(account_id=account_id, name="Chief Person", title="Chief Executive")
        people = [chief]
        session.add(chief)
        session.flush()
        for v in range(4):
            vp = Stakeholder(account_id=account_id, name=f"Vice Person {v}", title="VP",
                             reports_to_id=chief.id)  # fmt: skip
            session.add(vp)
            session.flush()
            lead = Stakeholder(account_id=account_id, name=f"Lead Person {v}", title="Manager",
                               reports_to_id=vp.id)  # fmt: skip
            session.add(lead)
            session.flush()
            people += [vp, lead]
            for n in range(2):
                report = Stakeholder(account_id=account_id, name=f"Staff Person {v}{n}",
                                     title="Analyst", reports_to_id=lead.id)  # fmt: skip
                session.add(report)
                people.append(report)
        session.flush()
        saved = tidy_layout([p.id for p in people], {p.id: p.reports_to_id for p in people})
        for person in people:
            x, y = saved[person.id]
            session.add(MapCard(stakeholder_id=person.id, account_id=account_id, x=x, y=y))


def _name_points(png: bytes, shown_height: int) -> float:
    """The size, in points, of a card's name (10 pt in the picture's units) in a picture
    ``shown_height`` EMU high."""
    units_high = png_size(png)[1] / 110 * UNITS_PER_INCH  # the QBR draws its map at 110 dpi
    return 10.0 * Emu(shown_height).inches * UNITS_PER_INCH / units_high


def test_a_chart_the_window_wrapped_tall_is_drawn_readably_on_the_slides_and_pages(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """Keystone's 18 people, saved as a tall column of bands, were drawn on the slide at
    their saved places, fitted to its height: names 2.3 pt high. The picture is now laid out
    for the slide's shape (saved places stay when they read well), and a chart that still
    cannot show its names at 8 pt is split over two slides, whole teams on each with the
    chief on both: every name is at least 7.5 pt on a slide (the smallest card text, a
    role badge, 63% of it), and 5 pt on the brief's portrait page."""
    from docx import Document

    store, ids = book
    _org_the_window_wrapped_tall(store, ids["Acme Logistics"])
    content = present(gather(store, QbrRequest("Acme Logistics", today=TODAY)), Audience.CUSTOMER)
    assert content.influence_map is not None
    imap = content.influence_map
    saved = render_map_figure(imap, whole_map(imap, customer_safe=True), today=TODAY)
    width, height = saved.get_size_inches()
    assert height > 2 * width  # the saved places are the tall column this is about

    out = tmp_path / "deck.pptx"
    export_qbr(store, "Acme Logistics", out, today=TODAY)
    prs = Presentation(str(out))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles.count("Stakeholder map") == 1 and titles.count("Stakeholder map (continued)") == 1
    pictures = [
        shape
        for slide in prs.slides
        if slide.shapes.title.text_frame.text.startswith("Stakeholder map")
        for shape in slide.shapes
        if shape.shape_type == 13  # PICTURE
    ]
    assert len(pictures) == 2
    assert all(_name_points(picture.image.blob, picture.height) >= 7.5 for picture in pictures)
    parts = map_parts(content.influence_map, customer_safe=True, aspect=MAP_ASPECT[".pptx"])
    assert set().union(*(part.people for part in parts)) == set(imap.people)
    chief = next(p.id for p in imap.people.values() if p.name == "Chief Person")
    assert all(chief in part.people for part in parts)

    brief = tmp_path / "brief.docx"
    export_qbr(store, "Acme Logistics", brief, today=TODAY)
    document = Document(str(brief))
    shapes = [
        s for s in document.inline_shapes if "Stakeholder map" in s._inline.docPr.get("descr")
    ]
    assert len(shapes) == 2
    for shape in shapes:
        blob = document.part.related_parts[
            shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        ].blob
        assert _name_points(blob, shape.height) >= 5.0


def test_the_map_is_laid_out_once_and_drawn_with_the_heading_it_was_laid_out_for(
    book: tuple[Store, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keystone's chart split over two slides: ``map_parts`` tried layouts for every cut,
    then drawing laid each part out for its frame again (42 more layouts on top of 164),
    measured against a heading other than the one drawn. Each part now carries the layout
    chosen for it, under the heading it is drawn with, and drawing lays nothing out."""
    from matplotlib.text import Text

    from app.exports import map_image

    store, ids = book
    _org_the_window_wrapped_tall(store, ids["Acme Logistics"])
    facts = gather(store, QbrRequest("Acme Logistics", today=TODAY))
    layouts: list[int] = []
    tidy_layout = map_image.tidy_layout

    def counted(*args: Any, **kwargs: Any) -> dict[str, tuple[float, float]]:
        layouts.append(1)
        return tidy_layout(*args, **kwargs)

    monkeypatch.setattr(map_image, "tidy_layout", counted)
    content = present(facts, Audience.CUSTOMER)
    in_export = len(layouts)
    assert content.influence_map is not None and len(content.map_more) == 1
    imap = content.influence_map
    parts = map_parts(imap, customer_safe=True, aspect=MAP_ASPECT[".pptx"])
    assert in_export == len(layouts) - in_export > 0  # the export lays out no more than this

    assert [part.heading for part in parts] == [
        "Acme Logistics · stakeholder map (1 of 2)",
        "Acme Logistics · stakeholder map (2 of 2)",
    ]
    for part in parts:
        figure = render_map_figure(imap, part, today=TODAY)
        (axes,) = figure.axes
        assert axes.get_xlim() == (part.frame.left, part.frame.right)
        assert axes.get_ylim() == (part.frame.bottom, part.frame.top)
        assert part.heading in [t.get_text() for t in figure.findobj(Text)]
    assert in_export == len(layouts) - in_export  # drawing laid nothing out


def test_a_long_reporting_chain_is_folded_into_columns_on_the_slide(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """Twelve people each reporting to the one before, saved one under the other: one team
    under the top, so no split helps; the chain is folded into side-by-side runs instead."""
    store, ids = book
    account_id = ids["Acme Logistics"]
    with store.session() as session:
        for person in session.query(Stakeholder).filter_by(account_id=account_id):
            session.delete(person)
        session.flush()
        manager = None
        for n in range(12):
            person = Stakeholder(
                account_id=account_id, name=f"Link Person {n}", title="Manager",
                reports_to_id=manager,
            )  # fmt: skip
            session.add(person)
            session.flush()
            session.add(
                MapCard(stakeholder_id=person.id, account_id=account_id, x=0.0, y=162.0 * n)
            )
            manager = person.id
    out = tmp_path / "deck.pptx"
    export_qbr(store, "Acme Logistics", out, today=TODAY)
    prs = Presentation(str(out))
    (slide,) = [s for s in prs.slides if s.shapes.title.text_frame.text == "Stakeholder map"]
    (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]  # PICTURE
    assert _name_points(picture.image.blob, picture.height) >= 7.5


def test_the_review_lists_each_map_picture_the_file_holds(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """A chart split over two slides was one "Stakeholder map" line in the window's review;
    the review now lists the slides the deck holds, and the brief's one section."""
    from app.exports.qbr_review import review_outline

    store, ids = book
    _org_the_window_wrapped_tall(store, ids["Acme Logistics"])
    facts = gather(store, QbrRequest("Acme Logistics", today=TODAY))
    out = tmp_path / "deck.pptx"
    export_qbr(store, "Acme Logistics", out, today=TODAY)
    slides = [s.shapes.title.text_frame.text for s in Presentation(str(out)).slides]
    review = review_outline(present(facts, Audience.CUSTOMER), Audience.CUSTOMER)
    assert [slide.title for slide in review][1:] == slides[1:]
    assert "Stakeholder map (continued)" in slides

    content = present(facts, Audience.CUSTOMER, suffix=".docx")
    assert len(content.map_more) == 1
    brief = review_outline(content, Audience.CUSTOMER, ".docx")
    maps = [slide for slide in brief if slide.title.startswith("Stakeholder map")]
    assert [slide.title for slide in maps] == ["Stakeholder map"]
    assert maps[0].lines[-1] == "The map on 2 pictures"
