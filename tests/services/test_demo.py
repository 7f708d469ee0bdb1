"""The demo portfolio: deterministic per seed, believable, and written all or nothing."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import (
    Account,
    Activity,
    HealthScore,
    MetricSnapshot,
    Scorecard,
    Stakeholder,
    SurveyResponse,
)
from app.models.enums import BuyingRole, SurveyKind
from app.models.opening import open_workspace
from app.models.store import Store
from app.services.demo import WorkspaceNotEmptyError, generate_demo, generator, words, writer
from app.services.demo.context import DemoContext
from app.services.demo.generator import DEMO_TABLES
from app.services.demo.history import SNAPSHOT_COLUMNS
from app.services.labels import in_sentence
from tests.conftest import ON_POSTGRES, fresh_workspace

TODAY = date(2026, 11, 22)


def _workspace(path: Path | str, accounts: int, seed: int) -> Path | str:
    store = open_workspace(path, create=True)
    try:
        generate_demo(store, accounts=accounts, seed=seed, today=TODAY)
    finally:
        store.close()
    return path


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every demo table's rows, sorted, read with plain sqlite3."""
    with sqlite3.connect(path) as conn:
        return {
            table: sorted(
                conn.execute(f"SELECT * FROM {table}").fetchall(),
                key=lambda row: tuple("" if v is None else str(v) for v in row),
            )
            for table in DEMO_TABLES
        }


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-account book: big enough that every kind of account shows up."""
    return _workspace(tmp_path_factory.mktemp("demo") / "book.db", 60, 7)


@pytest.fixture(scope="module")
def book_target(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same book where this pass keeps workspaces (on the server in the PostgreSQL pass)."""
    if not ON_POSTGRES:
        yield str(book)
        return
    with fresh_workspace(tmp_path_factory.mktemp("served")) as target:
        _workspace(target, 60, 7)
        yield target


@pytest.fixture
def rows(book: Path) -> dict[str, list[sqlite3.Row]]:
    with sqlite3.connect(book) as conn:
        conn.row_factory = sqlite3.Row
        return {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in DEMO_TABLES}


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_same_seed_gives_identical_rows_and_another_seed_differs(tmp_path: Path) -> None:
    first = _dump(_workspace(tmp_path / "a.db", 25, 11))
    second = _dump(_workspace(tmp_path / "b.db", 25, 11))
    other = _dump(_workspace(tmp_path / "c.db", 25, 12))
    assert first == second
    assert first["account"] != other["account"]
    assert first["metric_snapshot"] != other["metric_snapshot"]


@pytest.mark.sqlite_only("the SQLite driver's fast path, read back with plain sqlite3")
def test_driver_fast_path_writes_exactly_what_core_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _dump(_workspace(tmp_path / "fast.db", 12, 5))
    monkeypatch.setattr(writer, "driver_path", lambda connection: False)
    core = _dump(_workspace(tmp_path / "core.db", 12, 5))
    assert fast == core


def test_snapshot_tuple_order_matches_the_table() -> None:
    from app.models import Base

    assert tuple(Base.metadata.tables["metric_snapshot"].columns.keys()) == SNAPSHOT_COLUMNS


@pytest.mark.sqlite_only("measures the workspace file")
def test_a_demo_book_fits_the_file_budget_per_account(tmp_path: Path) -> None:
    """The 10,000-account demo is held to 500 MB (benchmarks/demo_generation.py), 50 KB an
    account; a 200-account book takes about as much per account as that one (48.5 KB with
    0007's short breakdowns, 51.8 KB before: 506.8 MB for 10,000 accounts)."""
    empty = tmp_path / "empty.db"
    open_workspace(empty, create=True).close()
    book = Path(_workspace(tmp_path / "book.db", 200, 7))
    per_account = (book.stat().st_size - empty.stat().st_size) / 200
    assert per_account <= 500e6 / 10_000


def test_fast_ids_are_the_models_new_id() -> None:
    import random

    from app.models import new_id

    ctx = DemoContext(rng=random.Random(0), today=TODAY)
    ctx.rng = random.Random(3)
    reference = random.Random(3)
    assert [ctx.new_id() for _ in range(50)] == [new_id(reference) for _ in range(50)]


def test_counts_and_summary(store: Store) -> None:
    try:
        summary = generate_demo(store, accounts=30, seed=2, today=TODAY)
        with store.read() as session:
            for name, count in summary.counts.items():
                table = generator.Base.metadata.tables[name]
                assert session.execute(select(func.count()).select_from(table)).scalar() == count
            # The scoring service scores every weekly snapshot in the same transaction.
            scores = session.execute(select(func.count()).select_from(HealthScore)).scalar()
            assert scores == summary.counts["metric_snapshot"] == summary.counts["health_score"]
            assert session.execute(select(func.count()).select_from(Scorecard)).scalar() >= 1
        # This week's alerts are raised, so a new demo's Today view has some to show.
        assert summary.counts["health_alert"] > 0
    finally:
        store.close()
    assert summary.accounts == 30
    assert "30 accounts" in summary.describe()


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_hierarchies_are_one_to_three_levels_without_cycles(rows: dict) -> None:
    parents = {a["id"]: a["parent_id"] for a in rows["account"]}
    assert len(parents) == 60
    depths = Counter()
    for start in parents:
        seen, node, depth = set(), start, 0
        while parents[node] is not None:
            assert node not in seen
            seen.add(node)
            node, depth = parents[node], depth + 1
        depths[depth] += 1
    assert max(depths) <= 2
    assert depths[0] < 60 and depths[1] > 0
    by_id = {a["id"]: a for a in rows["account"]}
    for account in rows["account"]:
        if account["parent_id"]:
            assert account["currency"] == by_id[account["parent_id"]]["currency"]
    names = [a["name"] for a in rows["account"]]
    assert len(set(names)) == len(names)
    assert {a["currency"] for a in rows["account"]} >= {"USD"}


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_stakeholders_form_a_reporting_tree_inside_their_account(rows: dict) -> None:
    people = {s["id"]: s for s in rows["stakeholder"]}
    per_account = defaultdict(list)
    for person in people.values():
        per_account[person["account_id"]].append(person)
        if person["reports_to_id"]:
            assert people[person["reports_to_id"]]["account_id"] == person["account_id"]
    for account in rows["account"]:
        staff = per_account[account["id"]]
        assert 3 <= len(staff) <= 25
        tops = [s for s in staff if s["reports_to_id"] is None]
        assert len(tops) == 1
        for person in staff:  # every chain ends at the top executive, no cycle
            seen, node = set(), person
            while node["reports_to_id"] is not None:
                assert node["id"] not in seen
                seen.add(node["id"])
                node = people[node["reports_to_id"]]
            assert node["id"] == tops[0]["id"]
        assert all("@" in s["email"] for s in staff)
        assert {s["sentiment"] for s in staff} <= set(range(-2, 3))
        assert {s["influence"] for s in staff} <= set(range(1, 6))


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_roles_include_gaps_and_departures(rows: dict) -> None:
    roles = defaultdict(set)
    departed_champions = 0
    for person in rows["stakeholder"]:
        if person["departed"]:
            assert person["departed_on"] and person["departed_to"]
            departed_champions += person["role"] == BuyingRole.CHAMPION.value
        else:
            roles[person["account_id"]].add(person["role"])
    accounts = [a["id"] for a in rows["account"]]
    assert any(BuyingRole.ECONOMIC_BUYER.value not in roles[a] for a in accounts)
    assert any(BuyingRole.CHAMPION.value not in roles[a] for a in accounts)
    assert sum(BuyingRole.ECONOMIC_BUYER.value in roles[a] for a in accounts) > 30
    assert departed_champions > 0
    assert any(s["is_executive_sponsor"] and s["our_counterpart"] for s in rows["stakeholder"])
    kinds = {r["kind"] for r in rows["stakeholder_relation"]}
    assert {"influence", "conflict", "alliance", "dotted_line"} <= kinds


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_map_cards_are_laid_out_top_down(rows: dict) -> None:
    cards = {c["stakeholder_id"]: c for c in rows["map_card"]}
    people = {s["id"]: s for s in rows["stakeholder"]}
    assert len(cards) > 0.8 * len(people)
    for person_id, card in cards.items():
        manager = people[person_id]["reports_to_id"]
        if manager in cards:
            assert card["y"] > cards[manager]["y"]


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_renewals_span_the_past_and_the_next_eighteen_months(rows: dict) -> None:
    ends = [date.fromisoformat(c["end_date"]) for c in rows["contract"]]
    assert min(ends) < TODAY
    assert any(TODAY < end <= TODAY + timedelta(days=180) for end in ends)
    assert any(TODAY + timedelta(days=365) < end <= TODAY + timedelta(days=548) for end in ends)
    active = [c for c in rows["contract"] if c["status"] == "active"]
    assert all(date.fromisoformat(c["end_date"]) >= TODAY for c in active)
    assert all(date.fromisoformat(c["start_date"]) <= TODAY for c in active)
    done = [r for r in rows["renewal"] if r["outcome"]]
    assert done and any(r["new_contract_id"] for r in done)
    assert any(r["forecast"] and not r["outcome"] for r in rows["renewal"])
    arr = {a["id"]: a["arr_minor"] for a in rows["account"]}
    totals = Counter()
    for contract in active:
        totals[contract["account_id"]] += contract["value_minor"]
    assert totals == Counter({k: v for k, v in arr.items() if v})


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_weekly_history_covers_two_years_with_gaps_and_declines(rows: dict) -> None:
    weeks = defaultdict(list)
    for snap in rows["metric_snapshot"]:
        weeks[snap["account_id"]].append(snap)
    assert set(weeks) == {a["id"] for a in rows["account"]}
    for history in weeks.values():
        assert 104 <= len(history) <= 105
        days = sorted(date.fromisoformat(s["as_of"]) for s in history)
        assert days[-1] == TODAY and all((b - a).days == 7 for a, b in pairwise(days))
    snaps = rows["metric_snapshot"]
    assert any(s["active_users"] is None for s in snaps)
    assert any(s["nps"] is None for s in snaps)
    declining = 0
    for history in weeks.values():
        history.sort(key=lambda s: s["as_of"])
        usage = [s["active_users"] for s in history if s["active_users"] is not None]
        early, late = sum(usage[-60:-30]) / 30, sum(usage[-6:]) / 6
        declining += late < 0.8 * early
    assert 0 < declining < len(weeks) / 2


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_work_items_cover_every_state(rows: dict) -> None:
    tasks = rows["task"]
    due = [(date.fromisoformat(t["due_on"]), t["done"]) for t in tasks]
    assert any(d < TODAY and not done for d, done in due)  # overdue
    assert any(d == TODAY for d, _ in due)
    assert any(TODAY < d <= TODAY + timedelta(days=7) for d, _ in due)
    assert any(done for _, done in due)
    assert {r["category"] for r in rows["risk"]} == {
        "implementation",
        "sentiment",
        "support",
        "product",
        "company",
        "renewal",
    }
    assert any(r["is_escalation"] for r in rows["risk"])
    assert any(m["status"] == "slipping" for m in rows["milestone"])
    assert {o["kind"] for o in rows["opportunity"]} == {"upsell", "cross_sell", "macd"}
    assert len(rows["activity_attendee"]) > len(rows["activity"])
    assert {s["kind"] for s in rows["survey_response"]} == {"nps", "csat"}


def test_orm_reads_the_demo_back_with_its_types(book_target: str) -> None:
    store = open_workspace(book_target)
    try:
        with store.read() as session:
            person = session.scalars(
                select(Stakeholder).where(Stakeholder.role.is_not(None))
            ).first()
            assert person is not None and isinstance(person.role, BuyingRole)
            activity = session.scalars(select(Activity)).first()
            assert activity is not None and isinstance(activity.occurred_at, datetime)
            assert activity.occurred_at.tzinfo is not None
            snap = session.scalars(select(MetricSnapshot)).first()
            assert snap is not None and isinstance(snap.as_of, date)
            account = session.scalars(select(Account).where(Account.parent_id.is_not(None))).first()
            assert account is not None and account.parent is not None
    finally:
        store.close()


def test_refuses_a_workspace_with_accounts_unless_replacing(store: Store) -> None:
    try:
        generate_demo(store, accounts=8, seed=1, today=TODAY)
        with pytest.raises(WorkspaceNotEmptyError):
            generate_demo(store, accounts=5, seed=2, today=TODAY)
        summary = generate_demo(store, accounts=5, seed=2, today=TODAY, replace=True)
        assert summary.accounts == 5
        with store.read() as session:
            assert session.execute(select(func.count()).select_from(Account)).scalar() == 5
    finally:
        store.close()


def test_a_failure_leaves_nothing_behind(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def broken(*args: object) -> None:
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(generator, "write_opportunities", broken)
    monkeypatch.setattr(generator, "FLUSH_ROWS", 10)  # rows were already written when it fails
    try:
        with pytest.raises(RuntimeError):
            generate_demo(store, accounts=10, seed=1, today=TODAY)
        with store.read() as session:
            assert session.execute(select(func.count()).select_from(Account)).scalar() == 0
    finally:
        store.close()


def test_progress_reaches_the_total(store: Store) -> None:
    seen: list[tuple[int, int]] = []
    generate_demo(store, accounts=4, seed=1, today=TODAY, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4)


def test_rejects_an_impossible_size(store: Store) -> None:
    with pytest.raises(ValueError):
        generate_demo(store, accounts=0)


def test_survey_answers_make_the_weekly_nps(book_target: str) -> None:
    """One NPS in the demo: each week's NPS is the rolling year of the account's answers."""
    from app.services.surveys import account_nps_on

    store = open_workspace(book_target)
    try:
        with store.read() as session:
            weekly = session.execute(
                select(MetricSnapshot.account_id, MetricSnapshot.as_of, MetricSnapshot.nps)
            ).all()
            with_answers = set(
                session.scalars(
                    select(SurveyResponse.account_id).where(SurveyResponse.kind == SurveyKind.NPS)
                )
            )
            checked = 0
            for account_id, as_of, nps in weekly[::97]:
                if account_id not in with_answers:
                    continue
                survey = account_nps_on(session, account_id, as_of).nps
                assert nps == (None if survey is None else round(survey))
                checked += 1
            assert checked > 10
    finally:
        store.close()


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_demo_work_has_the_visibility_new_work_gets(rows: dict) -> None:
    tasks = rows["task"]
    assert all(bool(t["shared"]) == (t["risk_id"] is None) for t in tasks)
    assert any(t["shared"] for t in tasks) and not all(t["shared"] for t in tasks)
    shared_categories = {"implementation", "support", "product"}
    assert all(bool(r["shared"]) == (r["category"] in shared_categories) for r in rows["risk"])
    for table in ("goal", "milestone", "activity"):
        assert all(row["shared"] for row in rows[table])


@pytest.mark.sqlite_only("reads the demo file with plain sqlite3")
def test_demo_risk_mitigations_fit_their_risk(rows: dict) -> None:
    """A shared go-live risk used to read "Value review ahead of the renewal" in the
    customer's "What we are doing": mitigations were drawn from one list for every risk."""
    risks = rows["risk"]
    # What the customer reads (shared risks) never speaks of our renewal or their leadership.
    customer_reads = [r["mitigation"].lower() for r in risks if r["shared"]]
    assert customer_reads
    assert not [m for m in customer_reads if "renewal" in m or "leadership" in m]
    assert all(r["mitigation"] in words.MITIGATIONS[r["title"]] for r in risks)


def test_business_review_titles_name_their_kind_in_capitals(rows: dict) -> None:
    # An operational review read "Obr: the data migration" beside "QBR: …" and "EBR: …".
    reviews = [a for a in rows["activity"] if a["kind"] in ("qbr", "ebr", "obr", "cbr")]
    assert {a["kind"] for a in reviews} >= {"qbr", "obr"}
    assert all(a["title"].startswith(f"{a['kind'].upper()}: ") for a in reviews)


def test_demo_texts_keep_acronyms_inside_a_sentence(rows: dict) -> None:
    """A goal's outcome read "prove roi to the board": the whole title was lower-cased."""
    outcomes = {r["title"]: r["outcome"] for r in rows["goal"]}
    assert outcomes, "the book has goals"
    for title, outcome in outcomes.items():
        assert outcome == f"Measured at the next business review: {in_sentence(title)}."
    assert in_sentence("Prove ROI to the board") == "prove ROI to the board"
    for kept in ("ROI review", "SSO rollout", "P1 tickets rising", "IT sign-off"):
        assert in_sentence(kept) == kept
    assert in_sentence("A") == "a" and in_sentence("") == ""


def test_the_readme_screenshots_name_an_account_of_their_demo(tmp_path: Path) -> None:
    """``docs/screenshots/generate.sh`` pictures one account of a seeded demo; when the demo's
    names change, the script must follow (it named an account the demo no longer had and
    stopped at its first account picture, leaving the README's pictures weeks old)."""
    import re

    from app.services.accounts import find_account

    script = (Path(__file__).parents[2] / "docs/screenshots/generate.sh").read_text()
    found = re.search(r'ACCOUNT=\$\{ACCOUNT:-"([^"]+)"\}', script)
    demo = re.search(r'demo --db "\$DB" --accounts (\d+) --seed (\d+)', script)
    assert found is not None and demo is not None
    store = open_workspace(tmp_path / "screenshots.db", create=True)
    try:
        generate_demo(store, accounts=int(demo[1]), seed=int(demo[2]), today=date.today())
        with store.read() as session:
            _id, name = find_account(session, found[1])
        assert name == found[1]
    finally:
        store.close()
