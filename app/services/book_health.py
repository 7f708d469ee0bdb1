"""Health across the book: accounts and ARR per band, band-change flow, scorecard what-if."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.enums import HealthBand
from app.models.health import HealthScore, Scorecard
from app.services.exchange import Converter, converter
from app.services.rescoring import rescore
from app.services.scorecards import (
    ScorecardSpec,
    ensure_default_scorecards,
    load_scorecards,
    save_scorecard,
    spec_from_row,
)
from app.services.scoring import BANDS, SnapshotFrame, compute_book, load_frame, scorecard_for


@dataclass(frozen=True)
class BandSummary:
    """How many accounts, and how much ARR, sit in each band on a date."""

    as_of: date | None
    accounts: dict[HealthBand, int]
    arr_minor: dict[HealthBand, int]
    currency: str
    unscored: int
    #: Accounts left out of the ARR totals: their currency has no rate to the reporting one.
    other_currency: int = 0


def bands_on(session: Session, as_of: date | None = None) -> dict[str, HealthBand]:
    """Each account's band at its latest score on or before ``as_of`` (newest when None)."""
    t = HealthScore.__table__.c
    latest = select(t.account_id, func.max(t.as_of).label("as_of")).group_by(t.account_id)
    if as_of is not None:
        latest = latest.where(t.as_of <= as_of)
    sub = latest.subquery()
    query = select(t.account_id, t.band).join(
        sub, (sub.c.account_id == t.account_id) & (sub.c.as_of == t.as_of)
    )
    return {acc: HealthBand(band) for acc, band in session.execute(query)}


def band_summary(session: Session, as_of: date | None = None) -> BandSummary:
    """Accounts and ARR per band (ARR in the reporting currency, converted with the rates)."""
    bands = bands_on(session, as_of)
    rates = converter(session)
    currency = rates.currency
    accounts = dict.fromkeys(BANDS, 0)
    arr = dict.fromkeys(BANDS, 0)
    unscored = other = 0
    for acc_id, arr_minor, acc_currency in session.execute(
        select(Account.id, Account.arr_minor, Account.currency)
    ):
        band = bands.get(acc_id)
        if band is None:
            unscored += 1
            continue
        accounts[band] += 1
        converted = rates.to_reporting(arr_minor, acc_currency)
        if converted is None:
            other += 1
        else:
            arr[band] += converted
    return BandSummary(as_of, accounts, arr, currency, unscored, other)


@dataclass(frozen=True)
class BandFlow:
    """How accounts moved between bands from one date to another."""

    start: date
    end: date
    #: (band at start, band at end) -> number of accounts.
    moves: dict[tuple[HealthBand, HealthBand], int]
    arr_minor: dict[tuple[HealthBand, HealthBand], int]
    currency: str

    @property
    def changed(self) -> int:
        """Accounts whose band differs between the two dates."""
        return sum(n for (a, b), n in self.moves.items() if a != b)


def band_flow(session: Session, start: date, end: date) -> BandFlow:
    """Band at ``start`` vs band at ``end`` for accounts scored on both dates."""
    before = bands_on(session, start)
    after = bands_on(session, end)
    rates = converter(session)
    currency = rates.currency
    arr = {
        acc: rates.to_reporting(a, cur) or 0
        for acc, a, cur in session.execute(select(Account.id, Account.arr_minor, Account.currency))
    }
    moves: Counter[tuple[HealthBand, HealthBand]] = Counter()
    money: Counter[tuple[HealthBand, HealthBand]] = Counter()
    for acc, band in before.items():
        if acc in after:
            moves[(band, after[acc])] += 1
            money[(band, after[acc])] += arr.get(acc, 0)
    return BandFlow(start, end, dict(moves), dict(money), currency)


# -- what-if ------------------------------------------------------------------------------------


@dataclass
class BookLatest:
    """Each account's latest weekly snapshot, loaded once so what-ifs recompute in memory."""

    frame: SnapshotFrame
    rates: Converter
    names: dict[str, str] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        """The reporting currency what-if ARR is told in."""
        return self.rates.currency


def load_book_latest(session: Session) -> BookLatest:
    """Read the newest snapshot of every account."""
    frame = load_frame(session, latest_only=True)
    names = {row[0]: row[1] for row in session.execute(select(Account.id, Account.name))}
    return BookLatest(frame, converter(session), names)


@dataclass(frozen=True)
class WhatIf:
    """Accounts (and ARR) whose latest band a scorecard change would move."""

    changed: int
    arr_changed_minor: int
    currency: str
    moves: dict[tuple[HealthBand, HealthBand], int]
    #: (account name, band now, band after), worst first.
    accounts: tuple[tuple[str, HealthBand, HealthBand], ...]

    @property
    def worse(self) -> int:
        """Accounts moving to a worse band."""
        return sum(n for (a, b), n in self.moves.items() if b.rank < a.rank)

    @property
    def better(self) -> int:
        """Accounts moving to a better band."""
        return sum(n for (a, b), n in self.moves.items() if b.rank > a.rank)


def what_if(
    book: BookLatest, now: Sequence[ScorecardSpec], after: Sequence[ScorecardSpec]
) -> WhatIf:
    """Compare each account's latest band under the current and the edited scorecards."""
    _, band_now, _ = compute_book(book.frame, now)
    _, band_after, _ = compute_book(book.frame, after)
    moved = np.nonzero((band_now != band_after) & (band_now >= 0) & (band_after >= 0))[0]
    moves: Counter[tuple[HealthBand, HealthBand]] = Counter()
    arr = 0
    rows = []
    for i in moved.tolist():
        pair = (BANDS[band_now[i]], BANDS[band_after[i]])
        moves[pair] += 1
        arr += book.rates.to_reporting(int(book.frame.arr_minor[i]), book.frame.currency[i]) or 0
        name = book.names.get(str(book.frame.account_id[i]), "?")
        rows.append((name, pair[0], pair[1]))
    rows.sort(key=lambda r: (r[2].rank - r[1].rank, r[0]))
    return WhatIf(len(moved), arr, book.currency, dict(moves), tuple(rows))


def current_scorecards(session: Session) -> list[ScorecardSpec]:
    """The stored scorecards (seeding the defaults first)."""
    ensure_default_scorecards(session)
    return load_scorecards(session)


def apply_scorecard(session: Session, spec: ScorecardSpec) -> ScorecardSpec | None:
    """Save an edited scorecard and rescore the accounts it scores, in the caller's unit of work.

    Returns the scorecard as it was (None if new), so an undo can apply it back.
    """
    before = None
    if spec.id is not None:
        row = session.get(Scorecard, spec.id)
        before = None if row is None else spec_from_row(row)
    spec_id = save_scorecard(session, spec)
    specs = load_scorecards(session)
    affected = [
        acc
        for acc, segment in session.execute(select(Account.id, Account.segment))
        if scorecard_for(specs, segment).id == spec_id
    ]
    rescore(session, affected)
    return before


@dataclass(frozen=True)
class BandAccount:
    """One account of a health band, for the list under the Health chart."""

    id: str
    name: str
    arr_minor: int
    currency: str


def accounts_in_band(
    session: Session, band: HealthBand | None, as_of: date | None = None
) -> list[BandAccount]:
    """The accounts in ``band`` (None: not scored yet), largest ARR first."""
    bands = bands_on(session, as_of)
    rows = session.execute(
        select(Account.id, Account.name, Account.arr_minor, Account.currency)
    ).all()
    picked = [
        BandAccount(str(i), str(name), int(arr or 0), str(cur))
        for i, name, arr, cur in rows
        if bands.get(i) == band
    ]
    return sorted(picked, key=lambda a: (-a.arr_minor, a.name.casefold()))
