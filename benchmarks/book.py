"""A synthetic book of accounts for window benchmarks and screenshots, inserted in bulk.

Until the demo generator lands on main this stands in for it: company hierarchies with
contracts, health history, stakeholders, tasks, risks, activities and success plans.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from app.models import (
    Account,
    Activity,
    Contract,
    Goal,
    HealthScore,
    Milestone,
    Opportunity,
    Renewal,
    Risk,
    Stakeholder,
    SuccessPlan,
    Task,
    activity_attendee,
    new_id,
)
from app.models.store import Store

_FIRST = (
    "Acme",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Aperture",
    "Oscorp",
    "Gringotts",
    "Monarch",
    "Massive",
    "Nakatomi",
    "Pied Piper",
    "Blue Sun",
    "Virtucon",
    "Helios",
    "Zephyr",
    "Kestrel",
    "Orion",
    "Lumen",
    "Cobalt",
    "Juniper",
    "Meridian",
)
_SECOND = (
    "Logistics",
    "Health",
    "Foods",
    "Energy",
    "Capital",
    "Robotics",
    "Media",
    "Pharma",
    "Retail",
    "Systems",
    "Analytics",
    "Telecom",
    "Insurance",
    "Mobility",
    "Labs",
    "Textiles",
    "Aerospace",
    "Bank",
    "Water",
    "Software",
)
_REGIONS = (
    "Germany",
    "France",
    "UK",
    "Nordics",
    "Iberia",
    "Benelux",
    "Italy",
    "Poland",
    "US East",
    "US West",
    "Canada",
    "Brazil",
    "Japan",
    "Australia",
    "India",
)
_OWNERS = ("Maya Patel", "Jonas Weber", "Aiko Tanaka", "Lucas Moreau", "Sofia Rossi", "Daniel Kim")
_PEOPLE = (
    "Anna Schmidt",
    "Ben Carter",
    "Chloé Martin",
    "David Okafor",
    "Elena Petrova",
    "Farah Haddad",
    "Gustav Lind",
    "Hana Suzuki",
    "Ivan Horvat",
    "Julia Costa",
    "Kofi Mensah",
    "Lena Fischer",
    "Marco Bianchi",
    "Nora Jensen",
    "Omar Aziz",
    "Priya Nair",
    "Quentin Roy",
    "Rosa Delgado",
    "Sven Olsen",
    "Tara Walsh",
)
_TITLES = (
    "CIO",
    "VP Operations",
    "Head of IT",
    "CFO",
    "Procurement Lead",
    "Product Owner",
    "COO",
    "Director of Finance",
    "IT Manager",
    "Team Lead",
)
_ROLES = (
    "champion",
    "economic_buyer",
    "decision_maker",
    "technical_buyer",
    "user",
    "influencer",
    "coach",
    "blocker",
)
_RISKS = (
    "Champion leaving in Q3",
    "Low adoption in the EMEA team",
    "P1 tickets piling up",
    "Budget freeze announced",
    "Competitor pilot running",
    "Integration delayed",
    "Executive sponsor unresponsive",
    "Price increase pushback",
)
_TASKS = (
    "Send QBR deck",
    "Follow up on renewal terms",
    "Book executive sponsor call",
    "Share adoption report",
    "Check ticket backlog with support",
    "Introduce new solution architect",
    "Confirm training dates",
    "Prepare renewal proposal",
    "Call champion about reorg",
)
_CURRENCIES = ("USD", "USD", "USD", "EUR", "EUR", "GBP")


def _company(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)}"
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)} {len(used)}"
    used.add(name)
    return name


def build_book(
    store: Store, accounts: int, seed: int = 1, today: date | None = None, rich: bool = True
) -> list[str]:
    """Insert ``accounts`` accounts (with hierarchies) and their work; returns the account ids.

    ``rich`` adds stakeholders, activities, risks and plans (slower; for screenshots).
    """
    rng = random.Random(seed)
    today = today or date.today()
    now = datetime.now(UTC)
    used: set[str] = set()
    rows: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in (
            "account",
            "contract",
            "renewal",
            "health",
            "stakeholder",
            "task",
            "risk",
            "activity",
            "attendee",
            "plan",
            "goal",
            "milestone",
            "opportunity",
        )
    }
    ids: list[str] = []

    def account(name: str, parent: str | None, currency: str, owner: str, seg: str) -> str:
        account_id = new_id(rng)
        ids.append(account_id)
        arr = (
            rng.choice((12, 25, 40, 60, 90, 150, 240, 400)) * 1_000_00 + rng.randrange(100) * 100_00
        )
        rows["account"].append(
            {
                "id": account_id,
                "parent_id": parent,
                "name": name,
                "currency": currency,
                "arr_minor": arr,
                "baseline_revenue_minor": arr,
                "forecast_revenue_minor": arr // 10,
                "owner": owner,
                "segment": seg,
                "lifecycle_stage": rng.choice(
                    ("onboarding", "adoption", "value_realisation", "renewal", "expansion")
                ),
                "industry": name.split()[-1],
                "region": rng.choice(_REGIONS),
                "tier": rng.randint(1, 3),
                "licences": rng.randint(20, 2000),
                "created_at": now,
                "updated_at": now,
            }
        )
        return account_id

    while len(ids) < accounts:
        currency = rng.choice(_CURRENCIES)
        owner = rng.choice(_OWNERS)
        seg = rng.choice(("strategic", "enterprise", "mid_market", "mid_market", "smb"))
        name = _company(rng, used)
        top = account(name, None, currency, owner, seg)
        if rng.random() < 0.25 and len(ids) < accounts:
            for region in rng.sample(_REGIONS, rng.randint(1, 5)):
                if len(ids) >= accounts:
                    break
                child = account(f"{name} {region}", top, currency, owner, seg)
                if rng.random() < 0.2 and len(ids) < accounts:
                    account(f"{name} {region} Services", child, currency, owner, seg)

    by_id = {r["id"]: r for r in rows["account"]}
    for account_id in ids:
        a = by_id[account_id]
        start = today - timedelta(days=rng.randint(30, 700))
        end = today + timedelta(days=rng.randint(-20, 400))
        if end <= start:
            end = start + timedelta(days=365)
        contract_id = new_id(rng)
        rows["contract"].append(
            {
                "id": contract_id,
                "account_id": account_id,
                "name": f"{a['name'].split()[0]} subscription",
                "start_date": start,
                "end_date": end,
                "value_minor": a["arr_minor"],
                "currency": a["currency"],
                "notice_days": rng.choice((30, 60, 90)),
                "auto_renew": rng.random() < 0.4,
                "status": "active" if end >= today else "expired",
                "created_at": now,
                "updated_at": now,
            }
        )
        if rng.random() < 0.5:
            rows["renewal"].append(
                {
                    "id": new_id(rng),
                    "contract_id": contract_id,
                    "forecast": rng.choice(("commit", "likely", "likely", "at_risk")),
                    "likelihood": rng.choice((40, 60, 75, 90)),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        score = rng.uniform(30, 95)
        for weeks, delta in ((1, rng.uniform(-15, 12)), (0, 0.0)):
            value = max(0.0, min(100.0, score - delta))
            band = "red" if value < 50 else "yellow" if value < 75 else "green"
            rows["health"].append(
                {
                    "id": new_id(rng),
                    "account_id": account_id,
                    "as_of": today - timedelta(days=7 * weeks),
                    "score": round(value, 1),
                    "band": band,
                }
            )
        if rng.random() < 0.35:
            rows["task"].append(
                {
                    "id": new_id(rng),
                    "account_id": account_id,
                    "title": rng.choice(_TASKS),
                    "due_on": today + timedelta(days=rng.randint(-6, 20)),
                    "owner": a["owner"],
                    "done": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if not rich:
            continue
        people = rng.sample(_PEOPLE, rng.randint(2, 6))
        stakeholder_ids = []
        for n, person in enumerate(people):
            sid = new_id(rng)
            stakeholder_ids.append(sid)
            rows["stakeholder"].append(
                {
                    "id": sid,
                    "account_id": account_id,
                    "name": person,
                    "title": rng.choice(_TITLES),
                    "role": _ROLES[n] if n < 3 and rng.random() < 0.8 else rng.choice(_ROLES),
                    "sentiment": rng.randint(-2, 2),
                    "influence": rng.randint(1, 5),
                    "relationship_strength": rng.randint(1, 5),
                    "is_executive_sponsor": n == 1,
                    "last_contact_on": today - timedelta(days=rng.randint(3, 160)),
                    "departed": False,
                    "departed_is_lead": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for _ in range(rng.randint(0, 3)):
            when = datetime.combine(
                today - timedelta(days=rng.randint(1, 120)), datetime.min.time(), tzinfo=UTC
            ) + timedelta(hours=10)
            activity_id = new_id(rng)
            rows["activity"].append(
                {
                    "id": activity_id,
                    "account_id": account_id,
                    "kind": rng.choice(("call", "meeting", "qbr", "workshop", "on_site")),
                    "title": rng.choice(
                        (
                            "Quarterly business review",
                            "Adoption check-in",
                            "Renewal kick-off",
                            "Roadmap workshop",
                            "Support escalation call",
                        )
                    ),
                    "occurred_at": when,
                    "duration_minutes": rng.choice((30, 45, 60, 90)),
                    "minutes": "Reviewed adoption and open tickets; agreed next steps.",
                    "meaningful": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for sid in rng.sample(stakeholder_ids, min(2, len(stakeholder_ids))):
                rows["attendee"].append({"activity_id": activity_id, "stakeholder_id": sid})
        for _ in range(rng.choice((0, 0, 1, 2))):
            rows["risk"].append(
                {
                    "id": new_id(rng),
                    "account_id": account_id,
                    "title": rng.choice(_RISKS),
                    "category": rng.choice(
                        ("implementation", "sentiment", "support", "product", "company", "renewal")
                    ),
                    "severity": rng.choice(("low", "medium", "high", "critical")),
                    "status": rng.choice(("open", "mitigating", "escalated")),
                    "is_escalation": rng.random() < 0.2,
                    "owner": a["owner"],
                    "mitigation": "Weekly check-in with the champion; exec sponsor briefed.",
                    "opened_on": today - timedelta(days=rng.randint(5, 90)),
                    "due_on": today + timedelta(days=rng.randint(5, 60)),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if rng.random() < 0.3:
            plan_id = new_id(rng)
            rows["plan"].append(
                {
                    "id": plan_id,
                    "account_id": account_id,
                    "title": "Success plan",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for position, goal in enumerate(
                ("Roll out to all regions", "Cut ticket volume by 30%")
            ):
                goal_id = new_id(rng)
                rows["goal"].append(
                    {
                        "id": goal_id,
                        "plan_id": plan_id,
                        "title": goal,
                        "status": rng.choice(("on_track", "at_risk", "not_started")),
                        "target_on": today + timedelta(days=120),
                        "position": position,
                    }
                )
                for step in ("Pilot team live", "Training complete", "Executive sign-off"):
                    rows["milestone"].append(
                        {
                            "id": new_id(rng),
                            "goal_id": goal_id,
                            "title": step,
                            "due_on": today + timedelta(days=rng.randint(-20, 90)),
                            "status": rng.choice(("planned", "in_progress", "slipping", "done")),
                            "owner": a["owner"],
                        }
                    )
        if rng.random() < 0.2:
            rows["opportunity"].append(
                {
                    "id": new_id(rng),
                    "account_id": account_id,
                    "kind": rng.choice(("upsell", "cross_sell")),
                    "title": rng.choice(("Analytics add-on", "Premium support", "500 more seats")),
                    "value_minor": rng.choice((20, 45, 80)) * 1_000_00,
                    "currency": a["currency"],
                    "stage": rng.choice(("identified", "qualified", "handed_to_sales")),
                    "expected_close_on": today + timedelta(days=rng.randint(20, 150)),
                    "created_at": now,
                    "updated_at": now,
                }
            )

    tables = (
        ("account", Account.__table__),
        ("contract", Contract.__table__),
        ("renewal", Renewal.__table__),
        ("health", HealthScore.__table__),
        ("stakeholder", Stakeholder.__table__),
        ("task", Task.__table__),
        ("risk", Risk.__table__),
        ("activity", Activity.__table__),
        ("attendee", activity_attendee),
        ("plan", SuccessPlan.__table__),
        ("goal", Goal.__table__),
        ("milestone", Milestone.__table__),
        ("opportunity", Opportunity.__table__),
    )
    with store.session() as session:
        for key, table in tables:
            if rows[key]:
                session.execute(insert(table), rows[key])
    return ids
