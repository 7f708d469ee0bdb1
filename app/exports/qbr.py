"""One QBR export, deck or brief, from a workspace to a file: the entry point CLI and GUI share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.exports.qbr_data import Audience, QbrContent, Quarter, find_account, gather_qbr
from app.exports.safety import DocumentInfo, ExportError, atomic_output, check_output_path
from app.models import WorkspaceMeta
from app.models.store import Store

QBR_SUFFIXES = (".pptx", ".docx")
#: Progress callback: (done, total, what is happening now).
Progress = Callable[[int, int, str], None]


@dataclass
class QbrExport:
    """What one QBR export wrote, and what the user should be told about it."""

    path: Path
    account: str
    sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def company_name(session: Session) -> str:
    """Our company as the workspace records it (``company`` in workspace meta), else empty."""
    value = session.execute(
        select(WorkspaceMeta.value).where(WorkspaceMeta.key == "company")
    ).scalar_one_or_none()
    return value or ""


def document_info(content: QbrContent, company: str, audience: Audience) -> DocumentInfo:
    """Our properties for a QBR document of ``content``."""
    suffix = " (internal)" if audience is Audience.INTERNAL else ""
    return DocumentInfo(
        title=f"{content.account}: {content.quarter.label} business review{suffix}",
        author=content.owner or "Fieldbook",
        company=company,
        subject="Quarterly business review",
    )


def load_content(
    store: Store, account: str, quarter: Quarter | None, today: date
) -> tuple[QbrContent, str]:
    """Gather the QBR content of ``account`` (name or id) and our company name."""
    with store.read() as session:
        try:
            found = find_account(session, account)
        except LookupError as exc:
            raise ExportError(str(exc)) from exc
        if found is None:
            raise ExportError(f"There is no account named {account}.")
        content = gather_qbr(session, found[0], quarter or Quarter.containing(today), today)
        return content, company_name(session)


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
) -> QbrExport:
    """Write the QBR deck (.pptx) or brief (.docx) of ``account`` to ``out``, atomically.

    Raises ExportError, having written nothing, for a bad path, template or account.
    """
    out = check_output_path(out, QBR_SUFFIXES)
    if template is not None and not template.is_file():
        raise ExportError(f"There is no template at {template}.")
    for logo in logos:
        if logo is not None and not logo.is_file():
            raise ExportError(f"There is no picture at {logo}.")
    content, company = load_content(store, account, quarter, today or date.today())
    return write_qbr(
        content, out, audience=audience, template=template, company=company, logos=logos
    )


def write_qbr(
    content: QbrContent,
    out: Path,
    *,
    audience: Audience = Audience.CUSTOMER,
    template: Path | None = None,
    company: str = "",
    logos: Sequence[Path | None] = (),
) -> QbrExport:
    """Write already gathered QBR content to ``out`` (.pptx deck or .docx brief)."""
    info = document_info(content, company, audience)
    result = QbrExport(path=out, account=content.account)
    if out.suffix.lower() == ".pptx":
        from app.exports.qbr_deck import build_deck

        deck = build_deck(content, audience, info, template, logos)
        with atomic_output(out) as temp:
            deck.presentation.save(str(temp))
        result.sections, result.notes = deck.slide_titles, deck.notes
    else:
        from app.exports.qbr_brief import build_brief

        brief = build_brief(content, audience, info)
        with atomic_output(out) as temp:
            brief.document.save(str(temp))
        result.sections, result.notes = brief.headings, brief.notes
    return result
