"""The QBR deck (.pptx): the template opened and its tokens filled, the title slide, then the
sections' slides (``qbr_slides``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app import paths
from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_notes import title_notes
from app.exports.qbr_pptx import fill_template_tokens, ph_kind, remove_shape
from app.exports.qbr_slides import SectionSlides
from app.exports.qbr_text import day, token_values
from app.exports.safety import (
    BuiltDocument,
    DocumentInfo,
    ExportError,
    apply_opc_properties,
    clean_text,
)

DEFAULT_TEMPLATE = ("templates", "qbr-default.pptx")


def default_template() -> Path:
    """The bundled clean template."""
    return paths.resource(*DEFAULT_TEMPLATE)


def build_deck(
    content: QbrContent,
    audience: Audience,
    info: DocumentInfo,
    template: Path | None = None,
    logos: Sequence[Path | None] = (),
) -> BuiltDocument:
    """Build the deck in memory. Sections without data are left out and named in ``notes``.

    ``logos`` (ours, the customer's) fill the title layout's picture placeholders in order;
    a placeholder without a logo is left off the slide rather than shown empty.
    """
    from pptx import Presentation

    template_path = template or default_template()
    try:
        prs = Presentation(str(template_path))
    except Exception as exc:  # python-pptx raises many kinds for a bad file
        raise ExportError(
            f"{template_path} is not a PowerPoint template Fieldbook can use."
        ) from exc
    outcome = BuiltDocument(prs)
    unknown: set[str] = set()
    had_slides = len(prs.slides) > 0
    fill_template_tokens(prs, token_values(content, audience), unknown)
    if unknown:
        names = ", ".join("{{" + name + "}}" for name in sorted(unknown))
        outcome.notes.append(f"Unknown template tokens left as they are: {names}.")
    builder = _DeckBuilder(prs, content, audience, info, outcome)
    if not had_slides:
        builder.title_slide(list(logos))
    builder.section_slides()
    apply_opc_properties(prs, info)
    return outcome


class _DeckBuilder(SectionSlides):
    """The deck's slides: the title slide (when the template has no slides), then the sections'."""

    def title_slide(self, logos: list[Path | None]) -> None:
        c = self.content
        slide = self.prs.slides.add_slide(self.title_layout)
        subtitle = f"{c.quarter.label} business review  ·  {day(c.today)}"
        if self.audience is Audience.INTERNAL:
            subtitle += "  ·  Internal preparation"
        texts = {"title": c.account, "subtitle": subtitle}
        for ph in sorted(slide.placeholders, key=lambda p: p.placeholder_format.idx):
            kind = ph_kind(ph)
            if kind in ("title", "subtitle"):
                ph.text_frame.text = clean_text(texts.pop(kind, ""))
                continue
            logo = logos.pop(0) if kind == "picture" and logos else None
            if logo is None:
                remove_shape(ph)
                continue
            try:
                ph.insert_picture(str(logo))
            except Exception as exc:  # Pillow and python-pptx raise many kinds
                raise ExportError(f"{logo} is not a picture Fieldbook can use.") from exc
        if "title" in texts:
            self.textbox(slide, self.area, [texts["title"]], size=36, bold=True)
        self.notes(slide, title_notes(c))
        self.outcome.sections.append(c.account)
