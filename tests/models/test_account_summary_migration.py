"""0004_perf fills the account's kept health and renewal from the rows already there."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, update

from app.models import Account, HealthScore
from app.models.opening import open_workspace
from app.services.account_summary import refresh_health, refresh_renewals

FIXTURE = Path(__file__).parent.parent / "fixtures" / "workspaces" / "0003_compact_scores.db"


def kept(store: object) -> dict[str, tuple[object, ...]]:
    with store.read() as session:  # type: ignore[attr-defined]
        return {
            row[0]: tuple(row[1:])
            for row in session.execute(
                select(
                    Account.id,
                    Account.health_score,
                    Account.health_band,
                    Account.health_trend,
                    Account.next_renewal,
                )
            )
        }


def test_the_upgrade_fills_what_the_services_would_keep(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    shutil.copyfile(FIXTURE, path)
    store = open_workspace(path)
    try:
        assert store.report.upgraded_from == "0003_compact_scores"
        filled = kept(store)
        assert any(values[0] is not None for values in filled.values())
        assert any(values[3] is not None for values in filled.values())
        with store.session() as session:
            session.execute(
                update(Account).values(
                    health_score=None, health_band=None, health_trend=None, next_renewal=None
                )
            )
        with store.session() as session:
            refresh_health(session.connection())
            refresh_renewals(session.connection())
        assert kept(store) == filled
    finally:
        store.close()


def test_a_score_added_after_the_upgrade_moves_the_trend(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    shutil.copyfile(FIXTURE, path)
    store = open_workspace(path)
    try:
        with store.read() as session:
            account_id, last = session.execute(
                select(HealthScore.account_id, HealthScore.as_of)
            ).first()  # type: ignore[misc]
        with store.session() as session:
            session.add(
                HealthScore(
                    account_id=account_id,
                    as_of=last - timedelta(days=91),
                    score=10.0,
                    band="red",
                )
            )
        with store.read() as session:
            account = session.get(Account, account_id)
            latest = session.get(HealthScore, (account_id, last))
            assert account is not None and latest is not None
            assert account.health_trend == round(latest.score - 10.0, 1)
            assert isinstance(account.next_renewal, date | None)
    finally:
        store.close()
