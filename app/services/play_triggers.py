"""When plays start by themselves: lifecycle, renewal checkpoint, alert, departure, escalation.

Each trigger names its episode (this contract's renewal, this alert, this person leaving);
a play starts at most once per (account, playbook, episode), and not while the same
playbook still runs on the account. The edit that fired a trigger is one undo step with the
plays it started: ``take_started`` hands their ids to the undo command.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Contract, HealthAlert, Risk, Stakeholder
from app.models.enums import BuyingRole, ContractStatus, LifecycleStage
from app.models.playbook import Play
from app.services import dates_text
from app.services.playbooks import PlaybookError, list_playbooks
from app.services.plays import remove_play, running_play, start_play

RENEWAL_TRIGGER = "renewal:120"
RENEWAL_LEAD_DAYS = 120
_STARTED = "fieldbook.plays_started"
_SPECS = "fieldbook.playbooks"


def fire(
    session: Session, trigger: str, account_id: str, episode: str, reason: str, today: date
) -> list[str]:
    """Start every enabled playbook with ``trigger`` on the account, once per episode."""
    started: list[str] = []
    # One read of the playbooks per unit of work: a demo or an alert run fires hundreds.
    specs = session.info.get(_SPECS)
    if specs is None:
        specs = session.info[_SPECS] = list_playbooks(session)
    for spec in specs:
        if spec.trigger != trigger or not spec.enabled:
            continue
        seen = session.scalars(
            select(Play.id).where(
                Play.account_id == account_id,
                Play.playbook_id == spec.id,
                Play.episode == episode,
            )
        ).first()
        if seen is not None or running_play(session, account_id, spec.id) is not None:
            continue
        try:
            play_id = start_play(session, account_id, spec, today, reason=reason, episode=episode)
        except PlaybookError:
            continue  # no step applies, or nothing to count from: nothing to run
        started.append(play_id)
    session.info.setdefault(_STARTED, []).extend(started)
    return started


def take_started(session: Session) -> list[str]:
    """The plays triggers started in this session since the last call (for undo)."""
    started: list[str] = session.info.pop(_STARTED, [])
    return started


def withdraw(session: Session, play_ids: list[str]) -> None:
    """Remove plays a trigger started (undo of the edit that fired it)."""
    for play_id in play_ids:
        remove_play(session, play_id)


# -- the triggers -------------------------------------------------------------------------------


def lifecycle_changed(
    session: Session,
    account_id: str,
    before: LifecycleStage | None,
    after: LifecycleStage | None,
    today: date | None = None,
) -> list[str]:
    """Setting an account's lifecycle stage to onboarding starts the onboarding play."""
    if after != LifecycleStage.ONBOARDING or before == LifecycleStage.ONBOARDING:
        return []
    today = today or date.today()
    return fire(
        session,
        "lifecycle:onboarding",
        account_id,
        f"onboarding:{today.isoformat()}",
        "lifecycle stage set to onboarding",
        today,
    )


def contact_departed(session: Session, stakeholder_id: str, today: date | None = None) -> list[str]:
    """A champion or executive sponsor marked departed starts the contact-left play."""
    person = session.get(Stakeholder, stakeholder_id)
    if person is None or not person.departed:
        return []
    if not (person.is_executive_sponsor or person.role == BuyingRole.CHAMPION):
        return []
    what = "executive sponsor" if person.is_executive_sponsor else "champion"
    return fire(
        session,
        "departed:key_contact",
        person.account_id,
        f"departed:{person.id}",
        f"{what} {person.name} left",
        today or date.today(),
    )


def alerts_raised(session: Session, alert_ids: list[str], today: date | None = None) -> list[str]:
    """Each new alert starts the playbooks listening for its rule."""
    started: list[str] = []
    for alert_id in alert_ids:
        alert = session.get(HealthAlert, alert_id)
        if alert is None:
            continue
        started += fire(
            session,
            f"alert:{alert.rule_key}",
            alert.account_id,
            f"alert:{alert.id}",
            f"alert: {alert.message}",
            today or alert.raised_on,
        )
    return started


def escalation_opened(session: Session, risk_id: str, today: date | None = None) -> list[str]:
    """A risk recorded as an escalation starts the escalation play."""
    risk = session.get(Risk, risk_id)
    if risk is None or not risk.is_escalation:
        return []
    return fire(
        session,
        "escalation",
        risk.account_id,
        f"escalation:{risk.id}",
        f"escalation opened: {risk.title}",
        today or risk.opened_on,
    )


def renewal_checkpoints(session: Session, today: date) -> list[str]:
    """Contracts 120 days (or less) from their end start the renewal play, once per term."""
    horizon = today + timedelta(days=RENEWAL_LEAD_DAYS)
    query = (
        select(Contract.id, Contract.account_id, Contract.name, Contract.end_date)
        .where(
            Contract.status == ContractStatus.ACTIVE,
            Contract.end_date >= today,
            Contract.end_date <= horizon,
        )
        .order_by(Contract.end_date)
    )
    started: list[str] = []
    for contract_id, account_id, name, end in session.execute(query).all():
        started += fire(
            session,
            RENEWAL_TRIGGER,
            account_id,
            f"renewal:{contract_id}:{end.isoformat()}",
            f"{name} renews on {dates_text.day(end)}",
            today,
        )
    return started
