"""Undo commands for plays and playbooks: each start, cancel, pause and edit is one step."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.models import new_id
from app.services import plays
from app.services.playbooks import PlaybookSpec, delete_playbook, save_playbook
from app.views.context import AppContext
from app.views.undo import EditCommand


class StartPlayCommand(EditCommand):
    """Start a playbook on an account by hand; undo removes the play and its steps."""

    def __init__(self, ctx: AppContext, account_id: str, spec: PlaybookSpec, on: date) -> None:
        super().__init__(ctx, f"start {spec.name}")
        self.account_id = account_id
        self.spec = spec
        self.on = on
        self.play_id = new_id()

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            plays.start_play(session, self.account_id, self.spec, self.on, play_id=self.play_id)

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            plays.remove_play(session, self.play_id)


class CancelPlayCommand(EditCommand):
    """Cancel a play (its open steps closed with the reason); undo re-opens them."""

    def __init__(self, ctx: AppContext, play: plays.PlayView, reason: str) -> None:
        super().__init__(ctx, f"cancel {play.name}")
        self.play_id = play.id
        self.reason = reason
        self.record: plays.Cancellation | None = None

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            self.record = plays.cancel_play(session, self.play_id, self.reason, self.ctx.today)

    def revert(self) -> None:
        assert self.record is not None
        with self.ctx.store.session() as session:
            plays.undo_cancel(session, self.record)


class PausePlayCommand(EditCommand):
    """Pause or resume a play."""

    def __init__(self, ctx: AppContext, play: plays.PlayView, paused: bool) -> None:
        super().__init__(ctx, f"{'pause' if paused else 'resume'} {play.name}")
        self.play_id = play.id
        self.paused = paused

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            plays.set_paused(session, self.play_id, self.paused)

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            plays.set_paused(session, self.play_id, not self.paused)


class StepDoneCommand(EditCommand):
    """Tick a play step off (or back on)."""

    def __init__(self, ctx: AppContext, step_id: str, title: str, done: bool) -> None:
        super().__init__(ctx, f"{'tick off' if done else 'reopen'} {title}")
        self.step_id = step_id
        self.done = done
        self.before = not done

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            self.before = plays.set_step_done(session, self.step_id, self.done, self.ctx.today)

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            plays.set_step_done(session, self.step_id, self.before, self.ctx.today)


class SavePlaybookCommand(EditCommand):
    """Create or change a playbook; undo puts the previous version back (or deletes it)."""

    def __init__(self, ctx: AppContext, spec: PlaybookSpec) -> None:
        super().__init__(ctx, f"save playbook {spec.name}")
        self.spec = spec
        self.saved_id: str | None = spec.id
        self.before: PlaybookSpec | None = None

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            self.saved_id, self.before = save_playbook(
                session, replace(self.spec, id=self.saved_id)
            )

    def revert(self) -> None:
        assert self.saved_id is not None
        with self.ctx.store.session() as session:
            if self.before is None:
                delete_playbook(session, self.saved_id)
            else:
                save_playbook(session, self.before)
