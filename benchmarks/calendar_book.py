"""A synthetic book for the calendar benchmarks and screenshots: N accounts, ~1.5 contracts each.

Written with bulk inserts so a 10,000-account book is ready in seconds. Deterministic per seed.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from app.models import (
    Account,
    Activity,
    Contract,
    Goal,
    HealthScore,
    Milestone,
    Renewal,
    SuccessPlan,
    Task,
    new_id,
)
from app.models.opening import open_workspace
from app.models.store import Store

OWNERS = ("Ana Silva", "Ben Okafor", "Chloé Martin", "Dev Patel", "Eva Novak", "Farid Haddad")
NAMES = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Soylent",
    "Cyberdyne",
    "Massive",
    "Aperture",
    "Oscorp",
    "Nakatomi",
    "Gringotts",
)
SUFFIXES = ("Industries", "Logistics", "Health", "Retail", "Bank", "Energy", "Media", "Foods")
SEGMENTS = ("strategic", "enterprise", "mid_market", "smb")
KINDS = ("call", "meeting", "qbr", "ebr", "on_site", "workshop", "training")


def build_book(path: Path, accounts: int = 10_000, *, today: date, seed: int = 7) -> Store:
    """Create a workspace at ``path`` holding a book of ``accounts`` accounts around ``today``."""
    rng = random.Random(seed)
    store = open_workspace(path, create=True)
    rows: dict[Any, list[dict[str, Any]]] = {
        Account: [],
        Contract: [],
        Renewal: [],
        HealthScore: [],
        Activity: [],
        Task: [],
        SuccessPlan: [],
        Goal: [],
        Milestone: [],
    }
    now = datetime.now(UTC)
    for index in range(accounts):
        account_id = new_id(rng)
        segment = rng.choices(SEGMENTS, weights=(1, 3, 4, 4))[0]
        arr = 0
        contracts = 1 if rng.random() < 0.5 else 2
        for number in range(contracts):
            end = today + timedelta(days=rng.randint(-60, 420))
            start = date(end.year - 1, end.month, 1) if end.day == 1 else end - timedelta(days=364)
            value = rng.choice((12, 24, 36, 60, 90, 120, 250, 480)) * 100_000
            arr += value
            contract_id = new_id(rng)
            rows[Contract].append(
                {
                    "id": contract_id,
                    "account_id": account_id,
                    "name": ("Platform", "Analytics add-on")[number],
                    "start_date": start,
                    "end_date": end,
                    "value_minor": value,
                    "currency": "USD",
                    "notice_days": rng.choice((30, 60, 90, 90, 120)),
                    "auto_renew": rng.random() < 0.3,
                    "status": "active",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if rng.random() < 0.6:
                rows[Renewal].append(
                    {
                        "id": new_id(rng),
                        "contract_id": contract_id,
                        "forecast": rng.choices(
                            ("commit", "likely", "at_risk", "lost"), (4, 4, 2, 1)
                        )[0],
                        "likelihood": rng.randint(10, 95),
                        "forecast_on": today - timedelta(days=rng.randint(0, 200)),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        rows[Account].append(
            {
                "id": account_id,
                "name": f"{rng.choice(NAMES)} {rng.choice(SUFFIXES)} {index:05d}",
                "segment": segment,
                "owner": OWNERS[index % len(OWNERS)],
                "lifecycle_stage": "adoption",
                "currency": "USD",
                "arr_minor": arr,
                "baseline_revenue_minor": arr,
                "forecast_revenue_minor": 0,
                "usage_target_minor": 0,
                "usage_actual_minor": 0,
                "price_erosion_minor": 0,
                "terminations_minor": 0,
                "service_credits_minor": 0,
                "overdue_debt_minor": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
        for week in range(8):
            score = rng.uniform(30, 95)
            rows[HealthScore].append(
                {
                    "account_id": account_id,
                    "as_of": today - timedelta(days=7 * week),
                    "score": score,
                    "band": "red" if score < 50 else "yellow" if score < 75 else "green",
                    "breakdown": "[0]",
                }
            )
        for _ in range(6):
            day = today + timedelta(days=rng.randint(-200, 120))
            at = datetime.combine(day, time(rng.randint(7, 16), rng.choice((0, 30))), tzinfo=UTC)
            kind = rng.choice(KINDS)
            rows[Activity].append(
                {
                    "id": new_id(rng),
                    "account_id": account_id,
                    "kind": kind,
                    "title": {"qbr": "Quarterly business review", "ebr": "Executive review"}.get(
                        kind, kind.replace("_", " ").capitalize()
                    ),
                    "occurred_at": at,
                    "duration_minutes": rng.choice((30, 45, 60)),
                    "meaningful": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for _ in range(2):
            rows[Task].append(
                {
                    "id": new_id(rng),
                    "account_id": account_id,
                    "title": rng.choice(
                        (
                            "Send renewal quote",
                            "Follow up on QBR actions",
                            "Book exec sponsor call",
                            "Share usage report",
                        )
                    ),
                    "due_on": today + timedelta(days=rng.randint(-20, 90)),
                    "owner": OWNERS[index % len(OWNERS)],
                    "done": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        plan_id, goal_id = new_id(rng), new_id(rng)
        rows[SuccessPlan].append(
            {
                "id": plan_id,
                "account_id": account_id,
                "title": "Success plan",
                "created_at": now,
                "updated_at": now,
            }
        )
        rows[Goal].append(
            {
                "id": goal_id,
                "plan_id": plan_id,
                "title": "Roll out to every region",
                "status": "on_track",
                "position": 0,
            }
        )
        rows[Milestone].append(
            {
                "id": new_id(rng),
                "goal_id": goal_id,
                "title": "Regional go-live",
                "due_on": today + timedelta(days=rng.randint(-30, 150)),
                "status": "planned",
            }
        )
    with store.session() as session:
        for model in (
            Account,
            Contract,
            Renewal,
            HealthScore,
            Activity,
            Task,
            SuccessPlan,
            Goal,
            Milestone,
        ):
            if rows[model]:
                session.execute(insert(model.__table__), rows[model])  # type: ignore[attr-defined]
    return store
