"""The QBR deck: slides per audience, native charts, tokens, no internal labels for customers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.chart.chart import Chart

from app.exports.qbr import export_qbr
from app.exports.qbr_data import Audience, Quarter
from app.exports.qbr_deck import default_template
from app.exports.safety import ExportError
from app.models.store import Store
from tests.exports.conftest import package_text
from tests.exports.sample_book import INTERNAL_RISK_NOTE, PRIVATE_NOTE, TODAY

CUSTOMER_TITLES = [
    "Acme Logistics",
    "Executive summary",
    "Health and its trend",
    "Adoption and usage",
    "Success plan progress",
    "Support and open items",
    "Stakeholder map",
    "Next steps",
]
INTERNAL_TITLES = [
    "Acme Logistics",
    "Executive summary",
    "Health and its trend",
    "Adoption and usage",
    "Success plan progress",
    "Support and risks",
    "Stakeholder map",
    "Renewal and commercial summary",
    "Next steps",
]
#: Words only the internal audience may see (sentiment, roles, forecast, private notes).
INTERNAL_WORDS = re.compile(
    r"sentiment|detractor|blocker|forecast|\bcommit\b|"
    + re.escape(PRIVATE_NOTE)
    + "|"
    + re.escape(INTERNAL_RISK_NOTE)
    + r"|CFO unconvinced",
    re.IGNORECASE,
)


def _titles(path: Path) -> list[str]:
    return [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]


def _deck(book: tuple[Store, dict[str, str]], tmp_path: Path, audience: Audience) -> Path:
    store, _ids = book
    out = tmp_path / f"{audience.value}.pptx"
    export_qbr(store, "Acme Logistics", out, audience=audience, today=TODAY)
    return out


def test_customer_and_internal_slides(book: tuple[Store, dict[str, str]], tmp_path: Path) -> None:
    assert _titles(_deck(book, tmp_path, Audience.CUSTOMER)) == CUSTOMER_TITLES
    assert _titles(_deck(book, tmp_path, Audience.INTERNAL)) == INTERNAL_TITLES


def test_customer_package_has_no_internal_labels(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    customer = package_text(_deck(book, tmp_path, Audience.CUSTOMER))
    assert INTERNAL_WORDS.findall(customer) == []
    internal = package_text(_deck(book, tmp_path, Audience.INTERNAL))
    found = {w.lower() for w in INTERNAL_WORDS.findall(internal)}
    # The same search finds them in the internal deck, so it is looking in the right place.
    assert {"forecast", "commit", "sentiment", INTERNAL_RISK_NOTE.lower()} <= found


def test_health_chart_is_native_with_band_colours(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, ids = book
    prs = Presentation(str(_deck(book, tmp_path, Audience.CUSTOMER)))
    health = prs.slides[2]
    charts = [shape.chart for shape in health.shapes if shape.has_chart]
    assert len(charts) == 1 and isinstance(charts[0], Chart)
    series = charts[0].plots[0].series[0]
    with store.read() as session:
        from sqlalchemy import text

        scores = [
            round(r[0], 1)
            for r in session.execute(
                text("SELECT score FROM health_score WHERE account_id = :a ORDER BY as_of"),
                {"a": ids["Acme Logistics"]},
            )
        ][-26:]
    assert list(series.values) == scores
    colours = {str(series.points[i].format.fill.fore_color.rgb) for i in range(len(scores))}
    assert colours <= {"C8453B", "E0A526", "3C9D5D"} and len(colours) >= 2
    adoption = next(shape.chart for shape in prs.slides[3].shapes if shape.has_chart)
    assert [s.name for s in adoption.plots[0].series] == ["Active users", "Licences"]


def test_every_slide_has_speaker_notes_with_figures(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    prs = Presentation(str(_deck(book, tmp_path, Audience.INTERNAL)))
    for slide in prs.slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    assert "Renewal date: Mar 31, 2027." in prs.slides[7].notes_slide.notes_text_frame.text


def test_tables_hold_the_data(book: tuple[Store, dict[str, str]], tmp_path: Path) -> None:
    prs = Presentation(str(_deck(book, tmp_path, Audience.CUSTOMER)))
    steps = prs.slides[7]
    table = next(shape.table for shape in steps.shapes if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Action", "Owner", "Due"]
    assert rows[1] == ["Share Rotterdam cut-over plan", "Sam Ortiz", "Nov 30, 2026"]
    risks = prs.slides[5]
    table = next(shape.table for shape in risks.shapes if shape.has_table)
    titles = [row.cells[0].text for row in list(table.rows)[1:]]
    assert titles == ["Rotterdam integration behind plan"]


def test_account_without_data_gets_no_empty_slides(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, _ = book
    out = tmp_path / "blank.pptx"
    result = export_qbr(store, "Blank Corp", out, today=TODAY)
    assert _titles(out) == ["Blank Corp"]
    assert any("Left out for lack of data" in note for note in result.notes)


def test_user_template_tokens_are_filled_and_unknown_ones_reported(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, _ = book
    template = tmp_path / "brand.pptx"
    prs = Presentation(str(default_template()))
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    cover.shapes.title.text_frame.text = "{{account.name}} review, {{quarter.label}}"
    box = cover.shapes.add_textbox(0, 0, 100, 100).text_frame
    box.text = "Health {{health.score}}, renews {{renewal.date}} {{ no.such }} {{renewal.forecast}}"
    prs.save(str(template))
    out = tmp_path / "branded.pptx"
    result = export_qbr(
        store, "Acme Logistics", out, template=template, today=TODAY, quarter=Quarter(2026, 4)
    )
    deck = Presentation(str(out))
    assert deck.slides[0].shapes.title.text_frame.text == "Acme Logistics review, Q4 2026"
    texts = [s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame]
    assert "Health 85, renews Mar 31, 2027 {{ no.such }} " in texts  # forecast: customer-empty
    assert any("{{no.such}}" in note for note in result.notes)
    # The master's footer token is filled too.
    assert "{{" not in package_text(out).replace("{{ no.such }}", "")
    # The template brings its own cover, so ours is not added again.
    assert [s.shapes.title.text_frame.text for s in deck.slides][1] == "Executive summary"


def test_bad_template_and_account_are_one_sentence(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, _ = book
    junk = tmp_path / "junk.pptx"
    junk.write_bytes(b"not a deck")
    with pytest.raises(ExportError, match="not a PowerPoint template"):
        export_qbr(store, "Acme Logistics", tmp_path / "x.pptx", template=junk, today=TODAY)
    with pytest.raises(ExportError, match="There is no account called “Nobody”"):
        export_qbr(store, "Nobody", tmp_path / "x.pptx", today=TODAY)
    assert not (tmp_path / "x.pptx").exists()


def test_failing_save_leaves_the_old_deck(
    book: tuple[Store, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = book
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"last quarter's deck")
    from pptx.presentation import Presentation as PresentationClass

    def broken_save(self: object, file: str) -> None:
        Path(file).write_bytes(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(PresentationClass, "save", broken_save)
    with pytest.raises(OSError, match="No space"):
        export_qbr(store, "Acme Logistics", out, today=TODAY)
    assert out.read_bytes() == b"last quarter's deck"
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def _logo(path: Path, colour: str) -> Path:
    from PIL import Image

    Image.new("RGB", (240, 90), colour).save(path)
    return path


def test_logos_fill_the_title_placeholders_or_are_left_off(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER

    store, _ = book
    ours, theirs = _logo(tmp_path / "ours.png", "teal"), _logo(tmp_path / "theirs.png", "orange")
    out = tmp_path / "logos.pptx"
    export_qbr(store, "Acme Logistics", out, today=TODAY, logos=(ours, theirs))
    cover = Presentation(str(out)).slides[0]
    pictures = [
        ph
        for ph in cover.placeholders
        if ph.placeholder_format.type == PP_PLACEHOLDER.PICTURE and hasattr(ph, "image")
    ]
    assert [p.image.blob for p in pictures] == [ours.read_bytes(), theirs.read_bytes()]
    plain = tmp_path / "plain.pptx"
    export_qbr(store, "Acme Logistics", plain, today=TODAY)
    kinds = [ph.placeholder_format.type for ph in Presentation(str(plain)).slides[0].placeholders]
    assert PP_PLACEHOLDER.PICTURE not in kinds  # no empty "click to add picture" boxes
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"nope")
    with pytest.raises(ExportError, match="is not a picture"):
        export_qbr(store, "Acme Logistics", tmp_path / "x.pptx", today=TODAY, logos=(bad,))


def test_support_slide_shows_ticket_chart_when_no_open_items(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, _ = book
    out = tmp_path / "europe.pptx"
    with store.session() as session:
        from sqlalchemy import delete

        from app.models import Risk

        session.execute(delete(Risk))
    export_qbr(store, "Acme Europe", out, today=TODAY)
    support = next(
        s
        for s in Presentation(str(out)).slides
        if s.shapes.title.text_frame.text.startswith("Support")
    )
    (chart,) = [shape.chart for shape in support.shapes if shape.has_chart]
    assert [s.name for s in chart.plots[0].series] == ["New tickets", "Open tickets"]
    assert not any(shape.has_table for shape in support.shapes)
    # Tickets are counted: the axis steps by whole tickets (it read 0.5, 1.5, 2.5).
    step = chart.value_axis.major_unit
    assert step is not None and step >= 1 and float(step).is_integer()
    assert chart.value_axis.minimum_scale == 0


def test_count_charts_step_by_whole_numbers() -> None:
    from app.exports.qbr_charts import count_step

    assert [count_step(top) for top in (0, 1, 2, 3, 5, 6, 12, 40, 230)] == [
        1, 1, 1, 1, 1, 1, 2, 10, 50,
    ]  # fmt: skip


def test_overdue_steps_are_internal_only(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    from datetime import timedelta

    from app.models import Task

    store, ids = book
    with store.session() as session:
        session.add(
            Task(account_id=ids["Acme Logistics"], title="Send the pricing memo", owner="Dana",
                 due_on=TODAY - timedelta(days=30))
        )  # fmt: skip
    rows = {}
    for audience in Audience:
        out = tmp_path / f"{audience.value}.pptx"
        export_qbr(store, "Acme Logistics", out, audience=audience, today=TODAY)
        steps = Presentation(str(out)).slides[-1]
        table = next(shape.table for shape in steps.shapes if shape.has_table)
        rows[audience] = [[c.text for c in r.cells] for r in list(table.rows)[1:]]
    assert rows[Audience.INTERNAL][0] == ["Send the pricing memo", "Dana", "Oct 21, 2026 (overdue)"]
    assert all(r[0] != "Send the pricing memo" for r in rows[Audience.CUSTOMER])


def test_internal_renewal_slide_rolls_arr_up_the_hierarchy(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    prs = Presentation(str(_deck(book, tmp_path, Audience.INTERNAL)))
    renewal = prs.slides[7]
    table = next(shape.table for shape in renewal.shapes if shape.has_table)
    facts = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert facts["ARR"] == "$900,000"
    assert facts["ARR with sub-accounts"] == "$1,320,000"  # Europe and Rotterdam below


def test_stakeholder_map_slide_is_customer_safe(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    pictures = {}
    for audience in Audience:
        prs = Presentation(str(_deck(book, tmp_path, audience)))
        slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Stakeholder map")
        (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]  # picture
        pictures[audience] = picture.image.blob
        notes = slide.notes_slide.notes_text_frame.text
        assert "Maria Jensen, COO (economic buyer), executive sponsor" in notes
        if audience is Audience.CUSTOMER:
            assert "blocker" not in notes and "sentiment" not in notes
        else:
            assert "Erik Olsen, CFO (blocker); sentiment -2" in notes
    # The customer's picture is drawn customer-safe, so it is not the internal one.
    assert pictures[Audience.CUSTOMER] != pictures[Audience.INTERNAL]
