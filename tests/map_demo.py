"""A realistic 15-person account map used by view tests and screenshots."""

from __future__ import annotations

from datetime import timedelta

from app.models.enums import BuyingRole as R
from app.models.enums import RelationKind as K
from app.models.store import Store
from tests.map_helpers import TODAY, add_account, add_line, add_person, add_touchpoint


def build_demo_map(store: Store, *, placed: bool = True) -> tuple[str, dict[str, str]]:
    """Northwind Health: a CIO org, a CFO, a procurement blocker, influencers. Returns ids."""
    acc = add_account(store, "Northwind Health")
    ids: dict[str, str] = {}
    rows = [
        (
            "ceo",
            "Helen Marsh",
            "Chief Executive Officer",
            "Executive",
            None,
            R.DECISION_MAKER,
            1,
            5,
            None,
        ),
        (
            "cfo",
            "Victor Osei",
            "Chief Financial Officer",
            "Finance",
            "ceo",
            R.ECONOMIC_BUYER,
            0,
            5,
            40,
        ),
        (
            "cio",
            "Priya Raman",
            "Chief Information Officer",
            "IT",
            "ceo",
            R.DECISION_MAKER,
            1,
            4,
            12,
        ),
        ("proc", "Gary Lind", "Head of Procurement", "Finance", "cfo", R.BLOCKER, -2, 4, 75),
        ("fin", "Ines Duarte", "Finance Controller", "Finance", "cfo", R.INFLUENCER, 0, 2, 130),
        ("vpe", "Marco Bellini", "VP Engineering", "IT", "cio", R.CHAMPION, 2, 4, 3),
        ("ops", "Sara Koch", "Director IT Operations", "IT", "cio", R.TECHNICAL_BUYER, 1, 3, 20),
        ("sec", "Tom Becker", "CISO", "Security", "cio", R.TECHNICAL_BUYER, -1, 4, 50),
        ("arch", "Lena Voss", "Lead Architect", "IT", "vpe", R.COACH, 2, 3, 8),
        ("dev", "Ravi Nair", "Engineering Manager", "IT", "vpe", R.USER, 1, 2, 30),
        ("sre", "Anna Berg", "SRE Lead", "IT", "ops", R.USER, 0, 2, 95),
        ("help", "Olu Adeyemi", "Service Desk Manager", "IT", "ops", R.USER, 1, 1, 60),
        ("coo", "Dana Whitfield", "Chief Operating Officer", "Operations", "ceo", None, 0, 4, 200),
        (
            "cons",
            "Eric Stone",
            "Partner, Stone Advisory",
            "External",
            None,
            R.INFLUENCER,
            -1,
            3,
            45,
        ),
    ]
    for key, name, title, dept, boss, role, sentiment, influence, days in rows:
        ids[key] = add_person(
            store,
            acc,
            name,
            title=title,
            department=dept,
            role=role,
            sentiment=sentiment,
            influence=influence,
            reports_to_id=ids.get(boss) if boss else None,
            last_contact_on=None if days is None else TODAY - timedelta(days=days),
            is_executive_sponsor=key == "cio",
            at=(0.0, 0.0) if placed else None,
        )
    ids["gone"] = add_person(
        store,
        acc,
        "Mia Hoffmann",
        title="Former Head of Digital",
        department="IT",
        role=R.CHAMPION,
        departed=True,
        departed_on=TODAY - timedelta(days=20),
        departed_to="Contoso Bank",
        at=(0.0, 0.0) if placed else None,
    )
    add_line(store, acc, ids["vpe"], ids["cio"], K.INFLUENCE, 3)
    add_line(store, acc, ids["cio"], ids["cfo"], K.INFLUENCE, 2)
    add_line(store, acc, ids["proc"], ids["cfo"], K.INFLUENCE, 2)
    add_line(store, acc, ids["sec"], ids["vpe"], K.CONFLICT, 2)
    add_line(store, acc, ids["arch"], ids["sec"], K.ALLIANCE, 1)
    add_line(store, acc, ids["sre"], ids["vpe"], K.DOTTED_LINE, 1)
    add_line(store, acc, ids["cons"], ids["ceo"], K.INFLUENCE, 1)
    for days in (5, 12, 19, 26, 33):
        add_touchpoint(store, acc, [ids["vpe"]], TODAY - timedelta(days=days))
    add_touchpoint(store, acc, [ids["vpe"], ids["arch"]], TODAY - timedelta(days=40))
    return acc, ids
