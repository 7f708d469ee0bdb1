"""The built-in playbooks every workspace starts with (editable once added)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models.playbook import OwnerRole, StepAnchor, StepKind
from app.services.labels import label_of

TASK, MILESTONE, TOUCHPOINT, CHECKLIST = (
    StepKind.TASK,
    StepKind.MILESTONE,
    StepKind.TOUCHPOINT,
    StepKind.CHECKLIST,
)
OWNER, SPONSOR, SUPPORT, SALES = (
    OwnerRole.ACCOUNT_OWNER,
    OwnerRole.EXECUTIVE_SPONSOR,
    OwnerRole.SUPPORT,
    OwnerRole.SALES,
)

#: Who does a step, in words (the editor and the CLI say these, not the stored values).
OWNER_ROLE_WORDS: dict[OwnerRole, str] = {
    OWNER: "Account owner",
    SPONSOR: "Executive sponsor",
    SUPPORT: "Support",
    SALES: "Sales",
}
#: What kind of step, in words (not the stored lower-case value).
STEP_KIND_WORDS: dict[StepKind, str] = {kind: label_of(kind) for kind in StepKind}
#: What a step's offset counts from, in words (capitalised like the kinds and owners beside
#: them: "start" read as the stored value).
ANCHOR_WORDS: dict[StepAnchor, str] = {
    StepAnchor.START: "Start",
    StepAnchor.RENEWAL: "Renewal date",
    StepAnchor.NOTICE: "Notice deadline",
}

#: What starts a playbook besides a person: trigger value -> words for people.
TRIGGERS: dict[str, str] = {
    "manual": "Started by hand",
    "lifecycle:onboarding": "Lifecycle stage set to onboarding",
    "renewal:120": "Renewal 120 days away",
    "alert:band_red": "Health fell to red",
    "alert:silence": "Low adoption alert (silence)",
    "alert:score_drop": "Health score dropped",
    "alert:open_p1": "Open P1 tickets",
    "departed:key_contact": "Champion or executive sponsor left",
    "escalation": "Escalation opened",
}


@dataclass(frozen=True)
class StepSpec:
    """A playbook step as a plain value (what the editor edits and the service stores)."""

    title: str
    kind: StepKind = StepKind.TASK
    offset_days: int = 0
    offset_months: int = 0
    anchor: StepAnchor = StepAnchor.START
    owner_role: OwnerRole = OwnerRole.ACCOUNT_OWNER
    shared: bool = False
    phase: str | None = None
    condition: str | None = None


@dataclass(frozen=True)
class PlaybookSpec:
    """A playbook as a plain value."""

    name: str
    trigger: str = "manual"
    description: str = ""
    steps: tuple[StepSpec, ...] = field(default=())
    enabled: bool = True
    builtin: bool = False
    id: str | None = None


ONBOARDING = "3-phase onboarding"
RENEWAL = "Renewal"
CONTACT_LEFT = "Champion or sponsor left"
HEALTH_RED = "Health fell to red"
LOW_ADOPTION = "Low adoption"
ESCALATION = "Escalation opened"
QBR_PREP = "QBR preparation"

_PRE, _KICK, _FOLLOW = "Pre-onboarding", "Kick-off", "Continuous follow-up"
START, RENEWS, NOTICE = StepAnchor.START, StepAnchor.RENEWAL, StepAnchor.NOTICE
SHARED, INTERNAL = True, False
STRATEGIC = "segment:strategic"

#: The built-in playbooks: name, trigger, description (their steps are in ``_STEPS``).
_PLAYBOOKS: tuple[tuple[str, str, str], ...] = (
    (
        ONBOARDING,
        "lifecycle:onboarding",
        "Pre-onboarding, kick-off and continuous follow-up, each with its checklist.",
    ),
    (
        RENEWAL,
        "renewal:120",
        "The renewal motion from 120 days out (DOMAIN.md): review, proposal, reminder, notice.",
    ),
    (
        CONTACT_LEFT,
        "departed:key_contact",
        "A champion or executive sponsor has left: find the successor fast.",
    ),
    (HEALTH_RED, "alert:band_red", "Health fell to red: find the cause and agree a recovery plan."),
    (LOW_ADOPTION, "alert:silence", "Few people use the product: find out who and train them."),
    (ESCALATION, "escalation", "An escalation is open: acknowledge, fix, close out."),
    (QBR_PREP, "manual", "Two weeks from figures to minutes."),
)

_Step = tuple[str, int, int, StepAnchor, StepKind, OwnerRole, bool, str | None, str | None, str]

#: Every built-in step, in order: playbook, offset days, offset months, anchor, kind, owner,
#: shared, phase, condition, title.
# fmt: off
_STEPS: tuple[_Step, ...] = (
    (ONBOARDING, 0, 0, START, CHECKLIST, OWNER, INTERNAL, _PRE, None,
     "Sales-to-CS handover notes reviewed"),
    (ONBOARDING, 1, 0, START, CHECKLIST, OWNER, INTERNAL, _PRE, None,
     "Contract, licences and success criteria confirmed"),
    (ONBOARDING, 2, 0, START, CHECKLIST, OWNER, INTERNAL, _PRE, None,
     "Champion, sponsor and key users mapped"),
    (ONBOARDING, 3, 0, START, TASK, OWNER, SHARED, _PRE, None,
     "Welcome email with the kick-off agenda"),
    (ONBOARDING, 5, 0, START, CHECKLIST, SUPPORT, INTERNAL, _PRE, None,
     "Technical contact and environment access confirmed"),
    (ONBOARDING, 7, 0, START, TOUCHPOINT, OWNER, SHARED, _KICK, None,
     "Kick-off meeting"),
    (ONBOARDING, 7, 0, START, CHECKLIST, OWNER, SHARED, _KICK, None,
     "Success plan goals agreed"),
    (ONBOARDING, 10, 0, START, TOUCHPOINT, SPONSOR, SHARED, _KICK, STRATEGIC,
     "Executive sponsor introduced to our sponsor"),
    (ONBOARDING, 14, 0, START, CHECKLIST, SUPPORT, SHARED, _KICK, None,
     "Admin training delivered"),
    (ONBOARDING, 21, 0, START, MILESTONE, OWNER, SHARED, _KICK, None,
     "First users live"),
    (ONBOARDING, 0, 1, START, TOUCHPOINT, OWNER, SHARED, _FOLLOW, None,
     "30-day check-in"),
    (ONBOARDING, 45, 0, START, CHECKLIST, OWNER, INTERNAL, _FOLLOW, None,
     "Adoption against target reviewed"),
    (ONBOARDING, 0, 3, START, MILESTONE, OWNER, SHARED, _FOLLOW, None,
     "Onboarding complete: handover to adoption"),
    (RENEWAL, -120, 0, RENEWS, TOUCHPOINT, SPONSOR, SHARED, None, None,
     "Executive business review"),
    (RENEWAL, -100, 0, RENEWS, TASK, OWNER, INTERNAL, None, None,
     "Renewal forecast set"),
    (RENEWAL, -90, 0, RENEWS, TASK, SALES, SHARED, None, None,
     "Renewal proposal sent"),
    (RENEWAL, -60, 0, RENEWS, TASK, OWNER, SHARED, None, None,
     "60-day renewal reminder"),
    (RENEWAL, 0, 0, NOTICE, MILESTONE, OWNER, INTERNAL, None, None,
     "Notice deadline"),
    (CONTACT_LEFT, 2, 0, START, TASK, SALES, INTERNAL, None, None,
     "Tell sales where they went"),
    (CONTACT_LEFT, 5, 0, START, TASK, OWNER, INTERNAL, None, None,
     "Identify the successor"),
    (CONTACT_LEFT, 7, 0, START, CHECKLIST, OWNER, INTERNAL, None, None,
     "Influence map updated"),
    (CONTACT_LEFT, 14, 0, START, TOUCHPOINT, OWNER, SHARED, None, None,
     "Meet the successor and re-introduce our team"),
    (CONTACT_LEFT, 21, 0, START, TOUCHPOINT, SPONSOR, SHARED, None, STRATEGIC,
     "Executive sponsor check-in"),
    (HEALTH_RED, 1, 0, START, CHECKLIST, OWNER, INTERNAL, None, None,
     "Health signals reviewed, cause found"),
    (HEALTH_RED, 3, 0, START, TOUCHPOINT, OWNER, SHARED, None, None,
     "Call with the champion"),
    (HEALTH_RED, 5, 0, START, TASK, SPONSOR, INTERNAL, None, None,
     "Executive sponsor briefed"),
    (HEALTH_RED, 14, 0, START, MILESTONE, OWNER, SHARED, None, None,
     "Recovery plan agreed with the customer"),
    (HEALTH_RED, 30, 0, START, TASK, OWNER, INTERNAL, None, None,
     "Health trend checked again"),
    (LOW_ADOPTION, 2, 0, START, TASK, SUPPORT, INTERNAL, None, None,
     "Usage pulled by team"),
    (LOW_ADOPTION, 14, 0, START, TOUCHPOINT, OWNER, SHARED, None, None,
     "Adoption workshop"),
    (LOW_ADOPTION, 21, 0, START, TASK, SUPPORT, SHARED, None, None,
     "Training for inactive users"),
    (LOW_ADOPTION, 45, 0, START, CHECKLIST, OWNER, INTERNAL, None, None,
     "Usage checked again"),
    (ESCALATION, 0, 0, START, TASK, OWNER, SHARED, None, None,
     "Escalation acknowledged to the customer"),
    (ESCALATION, 3, 0, START, TASK, SUPPORT, INTERNAL, None, None,
     "Root cause from support"),
    (ESCALATION, 1, 0, START, CHECKLIST, OWNER, SHARED, None, None,
     "Status updates agreed"),
    (ESCALATION, 14, 0, START, TOUCHPOINT, OWNER, SHARED, None, None,
     "Close-out call"),
    (ESCALATION, 21, 0, START, TASK, OWNER, INTERNAL, None, None,
     "Post-mortem written"),
    (QBR_PREP, 0, 0, START, CHECKLIST, OWNER, INTERNAL, None, None,
     "Health, adoption and support figures pulled"),
    (QBR_PREP, 5, 0, START, TASK, OWNER, INTERNAL, None, None,
     "Deck drafted"),
    (QBR_PREP, 7, 0, START, TASK, OWNER, SHARED, None, None,
     "Agenda sent to the customer"),
    (QBR_PREP, 12, 0, START, CHECKLIST, OWNER, INTERNAL, None, None,
     "Internal dry run"),
    (QBR_PREP, 14, 0, START, TOUCHPOINT, OWNER, SHARED, None, None,
     "QBR"),
    (QBR_PREP, 16, 0, START, TASK, OWNER, SHARED, None, None,
     "Minutes and next steps sent"),
)
# fmt: on

BUILTIN: tuple[PlaybookSpec, ...] = tuple(
    PlaybookSpec(
        name,
        trigger,
        description,
        tuple(
            StepSpec(title, kind, days, months, anchor, owner, shared, phase, condition)
            for (book, days, months, anchor, kind, owner, shared, phase, condition, title) in _STEPS
            if book == name
        ),
        builtin=True,
    )
    for name, trigger, description in _PLAYBOOKS
)
