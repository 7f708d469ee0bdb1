"""What each item table shows and asks: columns, form fields, defaults (declared once)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.models.changes import ChangeKind
from app.models.enums import (
    ActivityKind,
    ContractStatus,
    ForecastCategory,
    GoalStatus,
    MilestoneStatus,
    OpportunityKind,
    OpportunityStage,
    RenewalOutcome,
    RiskCategory,
    RiskStatus,
    Severity,
)
from app.services import touchpoint_time, work_items
from app.services.labels import quoted
from app.services.visibility import SHARED_LABEL
from app.views.account.fields import FieldSpec, parse_date
from app.views.account.item_table import Column, SectionSpec
from app.views.account_edits import CreateItemCommand
from app.views.context import AppContext
from app.views.locale_text import local_zone
from app.views.undo import push_edit

if TYPE_CHECKING:
    from app.views.account.items import ItemSection


def _account_currency(ctx: AppContext, account_id: str) -> str:
    from app.models import Account

    with ctx.store.read() as session:
        account = session.get(Account, account_id)
        return account.currency if account else "USD"


def _stakeholders(ctx: AppContext, account_id: str) -> list[tuple[str, str]]:
    with ctx.store.read() as session:
        return work_items.stakeholder_choices(session, account_id)


def _goals(ctx: AppContext, account_id: str) -> list[tuple[str, str]]:
    with ctx.store.read() as session:
        return work_items.goal_choices(session, account_id)


def _shared_field(default: bool) -> FieldSpec:
    """The one-click visibility of an item in its form: shared with the customer or internal."""
    return FieldSpec(
        "shared",
        "Visibility",
        "bool",
        default=default,
        extra={"text": f"{SHARED_LABEL} (untick: internal, never in customer documents)"},
    )


#: Columns and fields several item tables share, declared once.
SHARED_COLUMN = Column("Shared", "shared", "visibility")
DUE_COLUMN = Column("Due", "due_on", "due")
OWNER_FIELD = FieldSpec("owner", "Owner")
CURRENCY_FIELD = FieldSpec("currency", "Currency", "currency", required=True)


CONTRACTS = SectionSpec(
    kind="contract",
    title="Contracts",
    label_key="name",
    empty_text="No contracts yet. Add one to track its renewal.",
    columns=(
        Column.of("name"),
        Column.of("start_date"),
        Column.of("end_date", "due"),
        Column.of("value_minor"),
        Column("Notice", "notice_days"),
        Column("Auto-renew", "auto_renew", "bool"),
        Column.of("status"),
        Column("Forecast", "renewal_forecast", "enum"),
        Column("Likelihood", "renewal_likelihood", "percent"),
        Column("Next step", "renewal_next_step"),
    ),
    fields=(
        FieldSpec("name", "Contract", required=True),
        FieldSpec("products", "Products", "multiline"),
        FieldSpec("start_date", "Start", "date", required=True),
        FieldSpec(
            "end_date", "End (renewal)", "date", required=True, extra={"not_before": "start_date"}
        ),
        FieldSpec("value_minor", "Annual value", "money"),
        CURRENCY_FIELD,
        FieldSpec("notice_days", "Notice (days)", "int", minimum=0, maximum=3650, default=90),
        FieldSpec(
            "auto_renew", "Auto-renews", "bool", extra={"text": "Renews unless notice is given"}
        ),
        FieldSpec("status", "Status", "enum", required=True, enum=ContractStatus),
    ),
    defaults=lambda ctx, account_id: {"account_id": account_id},
    extra={"refresh_on": (ChangeKind.RENEWAL,), "currency_default": True},
)

RENEWAL_FIELDS = (
    FieldSpec("forecast", "Forecast", "enum", enum=ForecastCategory),
    FieldSpec("likelihood", "Likelihood (%)", "int", minimum=0, maximum=100),
    FieldSpec("forecast_on", "Forecast on", "date"),
    FieldSpec("next_step", "Next step", "multiline"),
    FieldSpec("outcome", "Outcome", "enum", enum=RenewalOutcome),
    FieldSpec("outcome_on", "Outcome on", "date"),
    FieldSpec("reason", "Reason", "multiline"),
)


def _plan_first(section: ItemSection, values: dict[str, Any]) -> dict[str, Any]:
    """Goals live in the account's success plan: add the plan first when there is none."""
    assert section.account_id is not None
    with section.ctx.store.read() as session:
        plan_id = work_items.plan_id_of(session, section.account_id)
    if plan_id is None:
        command = CreateItemCommand(
            section.ctx,
            "plan",
            {"account_id": section.account_id, "title": "Success plan"},
            "add success plan",
        )
        push_edit(section.ctx, command)
        plan_id = command.item_id
    values.pop("account_id", None)
    return {**values, "plan_id": plan_id}


GOALS = SectionSpec(
    kind="goal",
    title="Goals",
    empty_text="No goals yet. What business outcome does the customer want?",
    columns=(
        Column.of("title"),
        SHARED_COLUMN,
        Column.of("status"),
        Column("Target", "target_on", "due"),
        Column("Outcome", "outcome"),
    ),
    fields=(
        FieldSpec("title", "Goal", required=True),
        FieldSpec("outcome", "Business outcome", "multiline"),
        FieldSpec("status", "Status", "enum", required=True, enum=GoalStatus),
        FieldSpec("target_on", "Target date", "date"),
        _shared_field(True),
    ),
    extra={"before_create": _plan_first},
)

MILESTONES = SectionSpec(
    kind="milestone",
    title="Milestones",
    empty_text="No milestones yet. Add goals first, then the dated steps towards them.",
    columns=(
        Column.of("title"),
        SHARED_COLUMN,
        Column("Goal", "goal_title"),
        DUE_COLUMN,
        Column.of("owner"),
        Column.of("status"),
        Column("Done", "done_on", "date"),
    ),
    fields=(
        FieldSpec("title", "Milestone", required=True),
        FieldSpec("goal_id", "Goal", "choice", required=True, choices=_goals),
        FieldSpec("due_on", "Due", "date", required=True),
        OWNER_FIELD,
        FieldSpec("status", "Status", "enum", required=True, enum=MilestoneStatus),
        _shared_field(True),
    ),
    defaults=lambda ctx, account_id: {},
)


def _follow_ups(text: str) -> list[tuple[str, Any]]:
    """``Send the deck by 2026-05-01`` → (title, due date); one task per line."""
    tasks = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•* ").strip()
        if not line:
            continue
        title, due = line, None
        if " by " in line:
            head, _, tail = line.rpartition(" by ")
            try:
                due = parse_date(tail)
            except ValueError:
                raise ValueError(
                    f"{quoted(tail)} is not a date (use 2026-05-01, or a word such as friday)."
                ) from None
            title = head.strip()
        tasks.append((title, due))
    return tasks


def _validate_follow_ups(text: str) -> None:
    _follow_ups(text)


def _activity_in(values: dict[str, Any]) -> dict[str, Any]:
    """The form's date (all day) or local start becomes ``occurred_at`` and ``all_day``."""
    occurred = values.get("occurred_at")
    if occurred is not None:
        values["occurred_at"], values["all_day"] = touchpoint_time.from_form(occurred, local_zone())
    return values


def _add_follow_ups(section: ItemSection, activity_id: str, values: dict[str, Any]) -> None:
    assert section.account_id is not None
    for title, due in _follow_ups(values.get("_follow_ups") or ""):
        push_edit(
            section.ctx,
            CreateItemCommand(
                section.ctx,
                "task",
                {
                    "account_id": section.account_id,
                    "activity_id": activity_id,
                    "title": title,
                    "due_on": due,
                },
                f"add task {title}",
            ),
        )


ACTIVITIES = SectionSpec(
    kind="activity",
    title="Meetings and calls",
    empty_text="No touchpoints logged yet. Log a meeting or a call with its minutes.",
    columns=(
        Column.of("occurred_at", "when"),
        Column("Length", "duration_minutes", "duration"),
        Column.of("kind"),
        Column.of("title"),
        SHARED_COLUMN,
        Column("Attendees", "attendee_names", "list"),
        Column.of("minutes"),
    ),
    fields=(
        FieldSpec("kind", "Type", "enum", required=True, enum=ActivityKind),
        FieldSpec("title", "Title", required=True),
        FieldSpec("occurred_at", "When", "datetime", required=True),
        FieldSpec("duration_minutes", "Duration", "duration"),
        FieldSpec("attendee_ids", "Attendees", "people", choices=_stakeholders),
        FieldSpec("minutes", "Minutes", "multiline"),
        _shared_field(True),
        FieldSpec(
            "_follow_ups",
            "Follow-up tasks",
            "multiline",
            placeholder="One per line, e.g. Send the roadmap by 2026-05-01",
            extra={"validate": _validate_follow_ups, "create_only": True},
        ),
    ),
    extra={
        "after_create": _add_follow_ups,
        "transform": _activity_in,
        "refresh_on": (ChangeKind.TASK,),
    },
)

TASKS = SectionSpec(
    kind="task",
    title="Tasks",
    check_key="done",
    empty_text="No tasks. Follow-ups from meetings appear here.",
    columns=(
        Column("Done", "done", "check"),
        Column.of("title"),
        SHARED_COLUMN,
        DUE_COLUMN,
        Column.of("owner"),
    ),
    fields=(
        FieldSpec("title", "Task", required=True),
        FieldSpec("due_on", "Due", "date"),
        OWNER_FIELD,
        _shared_field(True),
    ),
)

RISKS = SectionSpec(
    kind="risk",
    title="Risks and escalations",
    empty_text="No risks recorded.",
    columns=(
        Column.of("severity"),
        Column.of("title"),
        SHARED_COLUMN,
        Column.of("category"),
        Column.of("status"),
        Column.of("is_escalation"),
        Column.of("owner"),
        Column.of("opened_on"),
        DUE_COLUMN,
        Column.of("mitigation"),
    ),
    fields=(
        FieldSpec("title", "Risk", required=True),
        FieldSpec("category", "Category", "enum", required=True, enum=RiskCategory),
        FieldSpec("severity", "Severity", "enum", required=True, enum=Severity, default="medium"),
        FieldSpec("status", "Status", "enum", required=True, enum=RiskStatus),
        FieldSpec("is_escalation", "Escalation", "bool", extra={"text": "Escalated to management"}),
        _shared_field(False),
        OWNER_FIELD,
        FieldSpec("description", "Description", "multiline"),
        FieldSpec("mitigation", "Mitigation", "multiline"),
        FieldSpec("root_cause", "Root cause", "multiline"),
        FieldSpec("opened_on", "Opened", "date", required=True),
        FieldSpec("due_on", "Due", "date", extra={"not_before": "opened_on"}),
        FieldSpec("closed_on", "Closed", "date", extra={"not_before": "opened_on"}),
        FieldSpec(
            "internal_notes",
            "Internal notes",
            "multiline",
            placeholder="Never shown to the customer",
        ),
    ),
    extra={"opened_today": True},
)

OPPORTUNITIES = SectionSpec(
    kind="opportunity",
    title="Opportunities",
    empty_text="No up-sell or cross-sell opportunities yet.",
    columns=(
        Column.of("kind"),
        Column.of("title"),
        Column.of("value_minor"),
        Column.of("stage"),
        Column.of("expected_close_on"),
        Column.of("handed_to_sales_on"),
        Column.of("notes"),
    ),
    fields=(
        FieldSpec("title", "Opportunity", required=True),
        FieldSpec("kind", "Type", "enum", required=True, enum=OpportunityKind),
        FieldSpec("value_minor", "Value", "money"),
        CURRENCY_FIELD,
        FieldSpec("stage", "Stage", "enum", required=True, enum=OpportunityStage),
        FieldSpec("expected_close_on", "Expected close", "date"),
        FieldSpec("handed_to_sales_on", "Handed to sales", "date"),
        FieldSpec("notes", "Notes", "multiline"),
    ),
    extra={"currency_default": True},
)
