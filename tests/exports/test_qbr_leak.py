"""Nothing internal leaves in a customer QBR: a unique marker in every internal field of the
data model, and none of them in any part of the customer's deck or brief (slides, notes,
chart workbooks, alt text, document properties) or in the text of the map picture."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.exports.map_image import render_map_figure, whole_map
from app.exports.qbr import export_qbr, gather, present
from app.exports.qbr_data import Audience, QbrRequest
from app.models import (
    Account,
    Activity,
    Contract,
    Goal,
    HealthScore,
    MapCard,
    MetricSnapshot,
    Milestone,
    Opportunity,
    Renewal,
    Risk,
    Stakeholder,
    StakeholderRelation,
    SuccessPlan,
    Task,
)
from app.models.enums import (
    ActivityKind,
    BuyingRole,
    ForecastCategory,
    HealthBand,
    OpportunityKind,
    RelationKind,
    RiskCategory,
    Severity,
)
from app.models.opening import open_workspace
from app.models.store import Store
from app.services.private_notes import set_note
from tests.conftest import fresh_workspace

TODAY = date(2026, 11, 20)
ACCOUNT = "Harbour Freight"
#: Text that must reach the customer: proves the files were read and searched.
SHARED = {
    "task": "Agree the SharedStepAlpha rollout",
    "risk": "SharedRiskBravo integration delay",
    "goal": "SharedGoalCharlie adoption",
}


class Markers:
    """Hands out unique markers and remembers which internal field each went into."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def __call__(self, field: str) -> str:
        marker = f"Leak{len(self.fields):02d}Zq"
        self.fields[marker] = field
        return marker


def _book(store: Store, m: Markers) -> None:
    soon = TODAY + timedelta(days=20)
    with store.session() as s:
        account = Account(
            name=ACCOUNT, owner="Dana Whitfield", arr_minor=100_000_00, notes=m("account.notes")
        )
        s.add(account)
        s.flush()
        a = account.id
        for week in range(6):
            as_of = TODAY - timedelta(weeks=6 - week)
            s.add(
                HealthScore(
                    account_id=a,
                    as_of=as_of,
                    score=60.0 + week,
                    band=HealthBand.YELLOW,
                    breakdown="0:",
                )
            )
            s.add(
                MetricSnapshot(
                    account_id=a,
                    as_of=as_of,
                    active_users=40 + week,
                    licensed_users=100,
                    tickets_new=3,
                    tickets_open=5,
                )
            )
        people = {
            "champ": Stakeholder(
                account_id=a, name="Tom Becker", title="Head of IT", role=BuyingRole.CHAMPION,
                sentiment=2,
                our_counterpart=m("stakeholder.our_counterpart"),
            ),
            "blocker": Stakeholder(
                account_id=a, name="Erik Olsen", title="CFO", role=BuyingRole.BLOCKER,
                sentiment=-2,
            ),
            "gone": Stakeholder(
                account_id=a, name=m("departed.name"), title=m("departed.title"),
                role=BuyingRole.ECONOMIC_BUYER, departed=True, departed_on=TODAY,
                departed_to=m("departed.departed_to"), departed_is_lead=True,
            ),
        }  # fmt: skip
        s.add_all(people.values())
        s.flush()
        set_note(s, people["champ"].id, m("stakeholder.private_notes"))
        set_note(s, people["blocker"].id, m("blocker.private_notes"))
        for n, person in enumerate(people.values()):
            s.add(MapCard(stakeholder_id=person.id, account_id=a, x=260.0 * n, y=0.0))
        s.add_all(
            [
                StakeholderRelation(
                    account_id=a, source_id=people["champ"].id, target_id=people["blocker"].id,
                    kind=RelationKind.CONFLICT, note=m("relation.conflict_note"),
                ),
                StakeholderRelation(
                    account_id=a, source_id=people["blocker"].id, target_id=people["champ"].id,
                    kind=RelationKind.INFLUENCE, note=m("relation.note"),
                ),
                StakeholderRelation(
                    account_id=a, source_id=people["gone"].id, target_id=people["champ"].id,
                    kind=RelationKind.ALLIANCE, note=m("relation.departed_note"),
                ),
            ]
        )  # fmt: skip
        plan = SuccessPlan(account_id=a, title="Plan", summary=m("plan.summary"))
        s.add(plan)
        s.flush()
        shared_goal = Goal(plan_id=plan.id, title=SHARED["goal"], outcome=m("goal.outcome"))
        internal_goal = Goal(
            plan_id=plan.id, title=m("internal_goal.title"), outcome=m("internal_goal.outcome"),
            shared=False,
        )  # fmt: skip
        s.add_all([shared_goal, internal_goal])
        s.flush()
        s.add_all(
            [
                Milestone(goal_id=shared_goal.id, title="Pilot live", due_on=soon, owner="Sam"),
                Milestone(
                    goal_id=shared_goal.id, title=m("internal_milestone.title"), due_on=soon,
                    owner=m("internal_milestone.owner"), shared=False,
                ),
                Milestone(goal_id=internal_goal.id, title=m("milestone_of_internal_goal"),
                          due_on=soon),
            ]
        )  # fmt: skip
        activity = Activity(
            account_id=a, kind=ActivityKind.CALL, title=m("internal_activity.title"),
            occurred_at=datetime(2026, 11, 17, 9, tzinfo=UTC),
            minutes=m("internal_activity.minutes"),
            shared=False,
        )  # fmt: skip
        s.add(activity)
        shared_risk = Risk(
            account_id=a,
            category=RiskCategory.IMPLEMENTATION,
            title=SHARED["risk"],
            severity=Severity.HIGH,
            owner="Sam Ortiz",
            mitigation="Weekly stand-up",
            description=m("risk.description"),
            internal_notes=m("risk.internal_notes"),
            root_cause=m("risk.root_cause"),
            opened_on=TODAY - timedelta(days=10),
            due_on=soon,
            shared=True,
        )
        internal_risk = Risk(
            account_id=a,
            category=RiskCategory.RENEWAL,
            title=m("internal_risk.title"),
            owner=m("internal_risk.owner"),
            mitigation=m("internal_risk.mitigation"),
            description=m("internal_risk.description"),
            internal_notes=m("internal_risk.internal_notes"),
            opened_on=TODAY,
            shared=False,
        )
        past_due = Risk(
            account_id=a, category=RiskCategory.PRODUCT, title=m("past_due_risk.title"),
            opened_on=TODAY - timedelta(days=200), due_on=TODAY - timedelta(days=90), shared=True,
        )  # fmt: skip
        s.add_all([shared_risk, internal_risk, past_due])
        s.flush()
        s.add_all(
            [
                Task(account_id=a, title=SHARED["task"], owner="Sam Ortiz", due_on=soon),
                # The same step three times: once on the slide.
                Task(account_id=a, title=SHARED["task"], owner="Sam Ortiz", due_on=soon),
                Task(account_id=a, title=SHARED["task"] + ".", due_on=soon + timedelta(days=1)),
                Task(account_id=a, title=m("internal_task.title"), owner=m("internal_task.owner"),
                     due_on=soon, shared=False),
                Task(account_id=a, title=m("mitigation_task.title"), due_on=soon,
                     risk_id=internal_risk.id, shared=False),
                Task(account_id=a, title=m("overdue_task.title"),
                     due_on=TODAY - timedelta(days=5)),
                Task(account_id=a, title=m("far_future_task.title"),
                     due_on=TODAY + timedelta(days=400)),
            ]
        )  # fmt: skip
        contract = Contract(
            account_id=a, name="Platform", start_date=date(2024, 4, 1), end_date=date(2027, 3, 31),
            value_minor=100_000_00, notice_days=90, products=m("contract.products"),
        )  # fmt: skip
        s.add(contract)
        s.flush()
        s.add(
            Renewal(
                contract_id=contract.id, forecast=ForecastCategory.AT_RISK, likelihood=40,
                next_step=m("renewal.next_step"), reason=m("renewal.reason"),
            )
        )  # fmt: skip
        s.add(
            Opportunity(
                account_id=a, kind=OpportunityKind.UPSELL, title=m("opportunity.title"),
                value_minor=10_000_00, notes=m("opportunity.notes"),
            )
        )  # fmt: skip


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Markers, Path]]:
    folder = tmp_path_factory.mktemp("leak")
    with fresh_workspace(folder, "book.db") as target:
        store = open_workspace(target, create=True)
        markers = Markers()
        _book(store, markers)
        yield store, markers, folder
        store.close()


def _texts(data: bytes) -> dict[str, str]:
    """Every part of an OOXML package as text, embedded workbooks opened too."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            raw = package.read(name)
            if name.endswith(".xlsx"):
                out.update({f"{name}!{k}": v for k, v in _texts(raw).items()})
            elif not name.endswith((".png", ".jpeg", ".jpg", ".emf")):
                out[name] = raw.decode("utf-8", errors="replace")
    return out


def _leaks(texts: dict[str, str], markers: Markers) -> list[str]:
    return sorted(
        f"{field} in {part}"
        for marker, field in markers.fields.items()
        for part, text in texts.items()
        if marker in text
    )


@pytest.mark.parametrize("suffix", [".pptx", ".docx"])
def test_customer_files_hold_no_internal_marker(
    planted: tuple[Store, Markers, Path], suffix: str
) -> None:
    store, markers, folder = planted
    out = folder / f"customer{suffix}"
    export_qbr(store, ACCOUNT, out, today=TODAY, audience=Audience.CUSTOMER)
    texts = _texts(out.read_bytes())
    assert any(".xlsx!" in part for part in texts) or suffix == ".docx"
    everything = "\n".join(texts.values())
    for shown in SHARED.values():
        assert shown in everything  # the search reads the right text
    assert _leaks(texts, markers) == []


def test_customer_deck_next_steps_are_deduplicated_and_owned(
    planted: tuple[Store, Markers, Path],
) -> None:
    store, _, _ = planted
    content = present(gather(store, QbrRequest(ACCOUNT, today=TODAY)), Audience.CUSTOMER)
    assert [(s.title, s.owner) for s in content.next_steps] == [(SHARED["task"], "Sam Ortiz")]
    assert [r.title for r in content.risks] == [SHARED["risk"]]


def test_customer_map_picture_has_no_internal_text(planted: tuple[Store, Markers, Path]) -> None:
    from matplotlib.text import Text

    store, markers, _ = planted
    content = present(gather(store, QbrRequest(ACCOUNT, today=TODAY)), Audience.CUSTOMER)
    assert content.influence_map is not None and content.map_png is not None
    imap = content.influence_map
    figure = render_map_figure(imap, whole_map(imap, customer_safe=True), today=TODAY)
    words = "\n".join(t.get_text() for t in figure.findobj(Text))
    assert "Tom Becker" in words and "Executive sponsor" in words
    assert [field for marker, field in markers.fields.items() if marker in words] == []
    assert "Detractor" not in words and "Supporter" not in words  # no sentiment legend
    assert "Blocker" not in words and "Conflict" not in words


@pytest.mark.parametrize("suffix", [".pptx", ".docx"])
def test_internal_files_still_show_internal_work(
    planted: tuple[Store, Markers, Path], suffix: str
) -> None:
    store, markers, folder = planted
    out = folder / f"internal{suffix}"
    export_qbr(store, ACCOUNT, out, today=TODAY, audience=Audience.INTERNAL)
    found = set(_leaks(_texts(out.read_bytes()), markers))
    fields = {entry.split(" in ")[0] for entry in found}
    assert {
        "internal_task.title",
        "overdue_task.title",
        "internal_risk.title",
        "internal_risk.internal_notes",
        "risk.internal_notes",
        "internal_goal.title",
        "renewal.next_step",
        "opportunity.title",
        # Who left and where they went: in the internal people/map content.
        "departed.name",
        "departed.departed_to",
    } <= fields
