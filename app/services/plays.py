"""Plays: a playbook running on an account; starting, pausing, cancelling, ticking off steps.

Every operation returns what undo needs: a start gives the play's id (undo deletes it), a
cancel gives the previous state of the play and of each step it closed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import Account, new_id
from app.models.playbook import Play, Playbook, PlayStatus, PlayStep, StepKind, StepStatus
from app.services.labels import in_sentence, label_of, quoted
from app.services.playbooks import (
    PlaybookError,
    PlaybookSpec,
    account_facts,
    ensure_builtin_playbooks,
    find_playbook,
    plan_steps,
)

#: The reason written on steps a cancel closes when the user gives none.
DEFAULT_CANCEL_REASON = "Play cancelled"
#: A play still under way: running, or paused to resume.
LIVE = (PlayStatus.RUNNING, PlayStatus.PAUSED)


@dataclass(frozen=True)
class StepView:
    """One step of a running play, as the panel, Today and the CLI show it."""

    id: str
    position: int
    title: str
    kind: StepKind
    phase: str | None
    due_on: date
    owner: str | None
    shared: bool
    status: StepStatus
    closed_reason: str | None


@dataclass(frozen=True)
class PlayView:
    """A play with its progress ("3 of 7 steps")."""

    id: str
    account_id: str
    account_name: str
    name: str
    status: PlayStatus
    started_on: date
    reason: str
    done: int
    total: int
    next_due: date | None
    steps: tuple[StepView, ...]

    @property
    def progress(self) -> str:
        """``"3 of 7 steps"``."""
        return f"{self.done} of {self.total} step{'s' if self.total != 1 else ''}"


def start_play(
    session: Session,
    account_id: str,
    spec: PlaybookSpec,
    today: date,
    *,
    reason: str = "by hand",
    episode: str | None = None,
    play_id: str | None = None,
) -> str:
    """Start ``spec`` on the account with its dated steps; returns the play's id."""
    if spec.id is not None and session.get(Playbook, spec.id) is None:
        ensure_builtin_playbooks(session)  # a spec read in a read session names a built-in
    facts = account_facts(session, account_id, today)
    steps = plan_steps(spec, facts, today)
    if not steps:
        raise PlaybookError(f"None of {quoted(spec.name)}'s steps apply to {facts.name}.")
    play = Play(
        id=play_id or new_id(),
        account_id=account_id,
        playbook_id=spec.id,
        name=spec.name,
        started_on=today,
        reason=reason,
        episode=episode,
    )
    play.steps = [PlayStep(**asdict(step)) for step in steps]
    session.add(play)
    session.flush()
    return play.id


def check_start(session: Session, account_id: str, spec: PlaybookSpec, today: date) -> None:
    """Raise PlaybookError when ``spec`` cannot start on the account today (nothing applies,
    no renewal date to count from)."""
    if not plan_steps(spec, account_facts(session, account_id, today), today):
        raise PlaybookError(f"None of {quoted(spec.name)}'s steps apply to this account.")


def start_by_name(
    session: Session, account_name: str, playbook_name: str, today: date
) -> tuple[str, PlayView]:
    """Start a playbook by hand, naming both; refuses an unknown name or a play already
    running. Returns the play's id and how it looks."""
    spec = find_playbook(session, playbook_name)
    # (accounts.find_accounts_by_name's rule; importing it would be circular via the triggers)
    wanted = func.lower(Account.name) == account_name.strip().lower()
    found = list(session.scalars(select(Account.id).where(wanted)))
    if not found:
        raise PlaybookError(f"There is no account called {quoted(account_name)}.")
    if len(found) > 1:
        raise PlaybookError(f"More than one account is called {quoted(account_name)}.")
    account = session.get(Account, found[0])
    assert account is not None
    if running_play(session, account.id, spec.id) is not None:
        raise PlaybookError(f"{quoted(spec.name)} is already running on {account.name}.")
    play_id = start_play(session, account.id, spec, today)
    return play_id, play_view(session, play_id)


def running_play(session: Session, account_id: str, playbook_id: str | None) -> str | None:
    """The id of the account's running or paused play of that playbook, if any."""
    return session.scalars(
        select(Play.id).where(
            Play.account_id == account_id,
            Play.playbook_id == playbook_id,
            Play.status.in_(LIVE),
        )
    ).first()


def remove_play(session: Session, play_id: str) -> None:
    """Delete a play and its steps (undo of a start)."""
    session.execute(delete(PlayStep).where(PlayStep.play_id == play_id))
    session.execute(delete(Play).where(Play.id == play_id))
    session.flush()


def _play(session: Session, play_id: str) -> Play:
    play = session.get(Play, play_id)
    if play is None:
        raise PlaybookError("That play no longer exists.")
    return play


@dataclass(frozen=True)
class Cancellation:
    """What a cancel changed, so undo can put it back."""

    play_id: str
    status: PlayStatus
    ended_on: date | None
    reason: str | None
    closed_steps: tuple[str, ...]


def cancel_play(session: Session, play_id: str, reason: str, today: date) -> Cancellation:
    """Cancel a play: its open steps are closed with ``reason``."""
    play = _play(session, play_id)
    if play.status not in LIVE:
        raise PlaybookError(f"{quoted(play.name)} is already {in_sentence(label_of(play.status))}.")
    reason = reason.strip() or DEFAULT_CANCEL_REASON
    record = Cancellation(
        play.id,
        play.status,
        play.ended_on,
        play.cancel_reason,
        tuple(s.id for s in play.steps if s.status == StepStatus.OPEN),
    )
    for step in play.steps:
        if step.status == StepStatus.OPEN:
            step.status = StepStatus.CLOSED
            step.closed_reason = reason
    play.status = PlayStatus.CANCELLED
    play.ended_on = today
    play.cancel_reason = reason
    session.flush()
    return record


def undo_cancel(session: Session, record: Cancellation) -> None:
    """Re-open what ``cancel_play`` closed."""
    play = _play(session, record.play_id)
    for step in play.steps:
        if step.id in record.closed_steps:
            step.status = StepStatus.OPEN
            step.closed_reason = None
    play.status = record.status
    play.ended_on = record.ended_on
    play.cancel_reason = record.reason
    session.flush()


def set_paused(session: Session, play_id: str, paused: bool) -> PlayStatus:
    """Pause or resume a play; returns the previous status."""
    play = _play(session, play_id)
    if play.status not in LIVE:
        status = in_sentence(label_of(play.status))
        raise PlaybookError(f"{quoted(play.name)} is {status} and cannot be paused.")
    before = play.status
    play.status = PlayStatus.PAUSED if paused else PlayStatus.RUNNING
    session.flush()
    return before


def set_step_done(session: Session, step_id: str, done: bool, today: date) -> bool:
    """Tick a step off (or back on); a play whose steps are all done completes. Returns
    whether it was done before."""
    step = session.get(PlayStep, step_id)
    if step is None:
        raise PlaybookError("That step no longer exists.")
    if step.status == StepStatus.CLOSED:
        raise PlaybookError("That step was closed when its play was cancelled.")
    before = step.status == StepStatus.DONE
    step.status = StepStatus.DONE if done else StepStatus.OPEN
    step.done_on = today if done else None
    play = step.play
    finished = all(s.status != StepStatus.OPEN for s in play.steps)
    if finished and play.status == PlayStatus.RUNNING:
        play.status, play.ended_on = PlayStatus.COMPLETED, today
    elif not finished and play.status == PlayStatus.COMPLETED:
        play.status, play.ended_on = PlayStatus.RUNNING, None
    session.flush()
    return before


# -- reading ------------------------------------------------------------------------------------


def _views(session: Session, plays: list[tuple[Play, str]]) -> list[PlayView]:
    out = []
    for play, account_name in plays:
        steps = tuple(
            StepView(
                s.id,
                s.position,
                s.title,
                s.kind,
                s.phase,
                s.due_on,
                s.owner,
                s.shared,
                s.status,
                s.closed_reason,
            )
            for s in play.steps
        )
        open_dates = [s.due_on for s in steps if s.status == StepStatus.OPEN]
        out.append(
            PlayView(
                play.id,
                play.account_id,
                account_name,
                play.name,
                play.status,
                play.started_on,
                play.reason,
                sum(1 for s in steps if s.status == StepStatus.DONE),
                len(steps),
                min(open_dates) if open_dates else None,
                steps,
            )
        )
    return out


def play_view(session: Session, play_id: str) -> PlayView:
    """One play with its steps."""
    play = _play(session, play_id)
    account = session.get(Account, play.account_id)
    return _views(session, [(play, account.name if account else "")])[0]


def list_plays(
    session: Session,
    account_id: str | None = None,
    *,
    live_only: bool = False,
    owner: str | None = None,
) -> list[PlayView]:
    """Plays newest first, for one account, the accounts ``owner`` owns, or the whole book."""
    query = select(Play, Account.name).join(Account, Account.id == Play.account_id)
    if account_id is not None:
        query = query.where(Play.account_id == account_id)
    if owner is not None:
        query = query.where(Account.owner == owner)
    if live_only:
        query = query.where(Play.status.in_(LIVE))
    query = query.order_by(Play.started_on.desc(), Account.name, Play.name)
    return _views(session, [(p, n) for p, n in session.execute(query)])


@dataclass(frozen=True)
class DueStep:
    """An open step of a running play that is due (for Today)."""

    step_id: str
    play_name: str
    account_id: str
    account_name: str
    title: str
    due_on: date
    owner: str | None


def due_steps(
    session: Session, today: date, *, owner: str | None = None, limit: int = 200
) -> list[DueStep]:
    """Open steps of running plays due by ``today``; with ``owner``, only the steps that
    person does (support and sales steps are the team's)."""
    query = (
        select(PlayStep.id, Play.name, Account.id, Account.name, PlayStep.title)
        .add_columns(PlayStep.due_on, PlayStep.owner)
        .join(Play, Play.id == PlayStep.play_id)
        .join(Account, Account.id == Play.account_id)
        .where(
            Play.status == PlayStatus.RUNNING,
            PlayStep.status == StepStatus.OPEN,
            PlayStep.due_on <= today,
        )
        .order_by(PlayStep.due_on, Account.name, PlayStep.position)
        .limit(limit)
    )
    if owner is not None:
        query = query.where(PlayStep.owner == owner)
    return [DueStep(*row) for row in session.execute(query)]
