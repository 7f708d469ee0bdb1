"""One QBR export, deck or brief: request -> gather (one read) -> presentation model -> file.

The window (with its review step) and the command line both go through ``validate``,
``gather``, ``present`` and ``write_qbr``; ``export_qbr`` strings them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from app.exports.qbr_data import Audience, QbrContent, QbrRequest, Quarter, for_audience
from app.exports.safety import (
    DocumentInfo,
    ExportError,
    ExportResult,
    atomic_output,
    check_output_path,
)
from app.models.store import Store
from app.services.accounts import find_account
from app.services.qbr_gather import company_name as company_name  # the report reads it here
from app.services.qbr_gather import gather_qbr

QBR_SUFFIXES = (".pptx", ".docx")
#: The frame the map picture is shown in, width over height: the deck's content area under
#: the slide title (the bundled template's), the brief's text width by its picture height.
#: The picture keeps the map's own shape and is drawn to look largest in that frame.
MAP_ASPECT = {".pptx": 12.33 / 5.55, ".docx": 16.6 / 14.0}
#: The internal map slide's share of the width for the map when key contacts have left
#: (the rest says who left, when, where to, and the successor work).
MAP_SHARE_WITH_DEPARTURES = 0.64


def document_info(content: QbrContent, audience: Audience) -> DocumentInfo:
    """Our properties for a QBR document of ``content``."""
    suffix = " (internal)" if audience is Audience.INTERNAL else ""
    return DocumentInfo(
        title=f"{content.account}: {content.quarter.label} business review{suffix}",
        author=content.owner or "Fieldbook",
        company=content.company,
        subject="Quarterly business review",
    )


def validate(request: QbrRequest, out: Path) -> Path:
    """Check the output path and the request's files before anything is read; ExportError
    names the problem. Returns ``out`` made absolute."""
    out = check_output_path(out, QBR_SUFFIXES)
    check_inputs(request)
    return out


def check_inputs(request: QbrRequest) -> None:
    """The template and logos the request names exist and are of the right kind."""
    template = request.template
    if template is not None:
        if not template.is_file():
            raise ExportError(f"There is no template at {template}.")
        if template.suffix.lower() != ".pptx":
            raise ExportError(f"{template.name} is not a PowerPoint (.pptx) template.")
    for logo in request.logos:
        if logo is not None and not logo.is_file():
            raise ExportError(f"There is no picture at {logo}.")


def gather(store: Store, request: QbrRequest) -> QbrContent:
    """Every fact of the requested account and quarter, in one read (both audiences')."""
    today = request.today or date.today()
    with store.read() as session:
        try:
            account_id, _name = find_account(session, request.account)
        except LookupError as exc:
            raise ExportError(str(exc)) from exc
        return gather_qbr(session, account_id, request.quarter or Quarter.containing(today), today)


def present(
    facts: QbrContent, audience: Audience, leave_out: Iterable[str] = (), suffix: str = ".pptx"
) -> QbrContent:
    """The presentation model for ``audience``: its cut of ``facts`` and its map picture
    (shaped for a slide, or for a page when ``suffix`` is ``.docx``)."""
    content = for_audience(facts, audience, leave_out)
    aspect = MAP_ASPECT.get(suffix.lower())
    if aspect is not None and suffix.lower() == ".pptx" and content.departures:
        aspect *= MAP_SHARE_WITH_DEPARTURES
    pngs, missing = _map_pngs(content, audience, aspect)
    first = pngs[0] if pngs else None
    return replace(content, map_png=first, map_more=tuple(pngs[1:]), map_missing=missing)


def _map_pngs(
    content: QbrContent, audience: Audience, aspect: float | None
) -> tuple[list[bytes], str]:
    """The stakeholder map for the QBR, customer-safe unless internal: one picture, or a
    few when one cannot show every name readably in its frame (``map_image.map_parts``).

    The customer's picture has no sentiment colours, blocker badges, conflict lines, notes,
    warnings or departed people (``app.exports.map_image``).
    """
    import warnings

    from app.exports.map_image import map_bytes, map_parts, whole_map

    imap = content.influence_map
    customer = audience is Audience.CUSTOMER
    if imap is None or not any(p.active or not customer for p in imap.people.values()):
        return [], "no stakeholders to draw yet"
    if aspect is None:
        parts = [whole_map(imap, customer_safe=customer)]
    else:
        parts = map_parts(imap, customer_safe=customer, aspect=aspect)
    pngs = []
    for part in parts:
        with warnings.catch_warnings():
            # A tab or control character in a name has no glyph; matplotlib draws nothing
            # for it and warns. The picture is right, so the warning is not the user's news.
            warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
            pngs.append(map_bytes(imap, part, today=content.today, dpi=110))
    return pngs, ""


def export_qbr(
    store: Store,
    account: str,
    out: Path,
    *,
    quarter: Quarter | None = None,
    audience: Audience = Audience.CUSTOMER,
    template: Path | None = None,
    today: date | None = None,
    logos: Sequence[Path | None] = (),
    leave_out: Iterable[str] = (),
) -> ExportResult:
    """Write the QBR deck (.pptx) or brief (.docx) of ``account`` to ``out``, atomically.

    Raises ExportError, having written nothing, for a bad path, template or account.
    """
    request = QbrRequest(
        account, audience, quarter, today, template, tuple(logos), frozenset(leave_out)
    )
    out = validate(request, out)
    content = present(gather(store, request), audience, request.leave_out, out.suffix)
    return write_qbr(content, out, request)


def write_qbr(content: QbrContent, out: Path, request: QbrRequest) -> ExportResult:
    """Write a presentation model to ``out`` (.pptx deck or .docx brief); no reads."""
    audience = request.audience
    info = document_info(content, audience)
    if out.suffix.lower() == ".pptx":
        from app.exports.qbr_deck import build_deck

        built = build_deck(content, audience, info, request.template, request.logos)
    else:
        from app.exports.qbr_brief import build_brief

        built = build_brief(content, audience, info)
    with atomic_output(out) as temp:
        built.document.save(str(temp))
    return ExportResult(out, built.sections, built.notes)
