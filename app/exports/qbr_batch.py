"""QBR decks or briefs for many accounts in one go: one failure never stops the others."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.exports.qbr import present, write_qbr
from app.exports.qbr_data import Audience, QbrRequest, Quarter
from app.exports.safety import ExportError, ExportResult, Progress
from app.models.store import Store
from app.services.qbr_gather import accounts_for_qbr, gather_qbr

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass
class BatchOutcome:
    """What a batch wrote, which accounts failed with which sentence, and what the files
    written note (what each left out, ...), by account."""

    written: list[ExportResult] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def result(self, folder: Path) -> ExportResult:
        """The batch as one export into ``folder``: the files written; a note per failure,
        then the files' own notes, each after its account's name."""
        return ExportResult(
            folder,
            [written.path.name for written in self.written],
            [f"{account}: {message}" for account, message in [*self.failures, *self.notes]],
        )


def file_name(account: str, quarter: Quarter, suffix: str) -> str:
    """``Acme Logistics - 2026Q4 QBR.pptx``: safe on every file system."""
    safe = _UNSAFE.sub(" ", account).strip(" .") or "Account"
    return f"{safe[:80]} - {quarter.code} QBR{suffix}"


def export_qbr_batch(
    store: Store,
    folder: Path,
    *,
    owner: str | None = None,
    account_ids: Sequence[str] | None = None,
    suffix: str = ".pptx",
    quarter: Quarter | None = None,
    audience: Audience = Audience.CUSTOMER,
    template: Path | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    logos: Sequence[Path | None] = (),
) -> BatchOutcome:
    """Write one QBR per account (the selection, an owner's accounts, or all) into ``folder``."""
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    today = today or date.today()
    quarter = quarter or Quarter.containing(today)
    with store.read() as session:
        accounts = accounts_for_qbr(session, owner=owner, account_ids=account_ids)
    outcome = BatchOutcome()
    used: set[str] = set()
    for index, (account_id, name) in enumerate(accounts):
        if progress is not None:
            progress(index, len(accounts), name)
        target = folder / file_name(name, quarter, suffix)
        if target.name.lower() in used:
            target = target.with_name(f"{target.stem} ({account_id[:6]}){suffix}")
        used.add(target.name.lower())
        try:
            with store.read() as session:
                facts = gather_qbr(session, account_id, quarter, today)
            request = QbrRequest(account_id, audience, quarter, today, template, tuple(logos))
            written = write_qbr(present(facts, audience, (), suffix), target, request)
            outcome.written.append(written)
            outcome.notes.extend((name, note) for note in written.notes)
        except ExportError as exc:
            outcome.failures.append((name, str(exc)))
        except Exception as exc:  # one broken account must not stop the batch
            outcome.failures.append((name, f"could not be exported ({exc})."))
    if progress is not None:
        progress(len(accounts), len(accounts), "Done")
    return outcome
