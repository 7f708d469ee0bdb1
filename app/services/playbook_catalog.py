"""The built-in playbooks every workspace starts with (editable once added)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models.playbook import OwnerRole, StepAnchor, StepKind

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

BUILTIN: tuple[PlaybookSpec, ...] = (
    PlaybookSpec(
        ONBOARDING,
        "lifecycle:onboarding",
        "Pre-onboarding, kick-off and continuous follow-up, each with its checklist.",
        (
            StepSpec("Sales-to-CS handover notes reviewed", CHECKLIST, 0, phase=_PRE),
            StepSpec("Contract, licences and success criteria confirmed", CHECKLIST, 1, phase=_PRE),
            StepSpec("Champion, sponsor and key users mapped", CHECKLIST, 2, phase=_PRE),
            StepSpec("Welcome email with the kick-off agenda", TASK, 3, shared=True, phase=_PRE),
            StepSpec(
                "Technical contact and environment access confirmed",
                CHECKLIST,
                5,
                owner_role=SUPPORT,
                phase=_PRE,
            ),
            StepSpec("Kick-off meeting", TOUCHPOINT, 7, shared=True, phase=_KICK),
            StepSpec("Success plan goals agreed", CHECKLIST, 7, shared=True, phase=_KICK),
            StepSpec(
                "Executive sponsor introduced to our sponsor",
                TOUCHPOINT,
                10,
                owner_role=SPONSOR,
                shared=True,
                phase=_KICK,
                condition="segment:strategic",
            ),
            StepSpec(
                "Admin training delivered",
                CHECKLIST,
                14,
                owner_role=SUPPORT,
                shared=True,
                phase=_KICK,
            ),
            StepSpec("First users live", MILESTONE, 21, shared=True, phase=_KICK),
            StepSpec("30-day check-in", TOUCHPOINT, offset_months=1, shared=True, phase=_FOLLOW),
            StepSpec("Adoption against target reviewed", CHECKLIST, 45, phase=_FOLLOW),
            StepSpec(
                "Onboarding complete: handover to adoption",
                MILESTONE,
                offset_months=3,
                shared=True,
                phase=_FOLLOW,
            ),
        ),
        builtin=True,
    ),
    PlaybookSpec(
        RENEWAL,
        "renewal:120",
        "The renewal motion from 120 days out (DOMAIN.md): review, proposal, reminder, notice.",
        (
            StepSpec(
                "Executive business review",
                TOUCHPOINT,
                -120,
                anchor=StepAnchor.RENEWAL,
                owner_role=SPONSOR,
                shared=True,
            ),
            StepSpec("Renewal forecast set", TASK, -100, anchor=StepAnchor.RENEWAL),
            StepSpec(
                "Renewal proposal sent",
                TASK,
                -90,
                anchor=StepAnchor.RENEWAL,
                owner_role=SALES,
                shared=True,
            ),
            StepSpec("60-day renewal reminder", TASK, -60, anchor=StepAnchor.RENEWAL, shared=True),
            StepSpec("Notice deadline", MILESTONE, 0, anchor=StepAnchor.NOTICE),
        ),
        builtin=True,
    ),
    PlaybookSpec(
        CONTACT_LEFT,
        "departed:key_contact",
        "A champion or executive sponsor has left: find the successor fast.",
        (
            StepSpec("Tell sales where they went", TASK, 2, owner_role=SALES),
            StepSpec("Identify the successor", TASK, 5),
            StepSpec("Influence map updated", CHECKLIST, 7),
            StepSpec("Meet the successor and re-introduce our team", TOUCHPOINT, 14, shared=True),
            StepSpec(
                "Executive sponsor check-in",
                TOUCHPOINT,
                21,
                owner_role=SPONSOR,
                shared=True,
                condition="segment:strategic",
            ),
        ),
        builtin=True,
    ),
    PlaybookSpec(
        HEALTH_RED,
        "alert:band_red",
        "Health fell to red: find the cause and agree a recovery plan.",
        (
            StepSpec("Health signals reviewed, cause found", CHECKLIST, 1),
            StepSpec("Call with the champion", TOUCHPOINT, 3, shared=True),
            StepSpec("Executive sponsor briefed", TASK, 5, owner_role=SPONSOR),
            StepSpec("Recovery plan agreed with the customer", MILESTONE, 14, shared=True),
            StepSpec("Health trend checked again", TASK, 30),
        ),
        builtin=True,
    ),
    PlaybookSpec(
        LOW_ADOPTION,
        "alert:silence",
        "Few people use the product: find out who and train them.",
        (
            StepSpec("Usage pulled by team", TASK, 2, owner_role=SUPPORT),
            StepSpec("Adoption workshop", TOUCHPOINT, 14, shared=True),
            StepSpec("Training for inactive users", TASK, 21, owner_role=SUPPORT, shared=True),
            StepSpec("Usage checked again", CHECKLIST, 45),
        ),
        builtin=True,
    ),
    PlaybookSpec(
        ESCALATION,
        "escalation",
        "An escalation is open: acknowledge, fix, close out.",
        (
            StepSpec("Escalation acknowledged to the customer", TASK, 0, shared=True),
            StepSpec("Root cause from support", TASK, 3, owner_role=SUPPORT),
            StepSpec("Status updates agreed", CHECKLIST, 1, shared=True),
            StepSpec("Close-out call", TOUCHPOINT, 14, shared=True),
            StepSpec("Post-mortem written", TASK, 21),
        ),
        builtin=True,
    ),
    PlaybookSpec(
        QBR_PREP,
        "manual",
        "Two weeks from figures to minutes.",
        (
            StepSpec("Health, adoption and support figures pulled", CHECKLIST, 0),
            StepSpec("Deck drafted", TASK, 5),
            StepSpec("Agenda sent to the customer", TASK, 7, shared=True),
            StepSpec("Internal dry run", CHECKLIST, 12),
            StepSpec("QBR", TOUCHPOINT, 14, shared=True),
            StepSpec("Minutes and next steps sent", TASK, 16, shared=True),
        ),
        builtin=True,
    ),
)
