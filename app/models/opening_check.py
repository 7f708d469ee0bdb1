"""The whole-file check of a workspace, run on a thread after the window is up.

Opening a workspace file checks it before anything is written to it (SQLite's quick check,
or after an unclean exit the full integrity and foreign-key checks). On a 440 MB file that
takes seconds, so the GUI opens with the check pending: reads go ahead, and every write
waits for the check (``Store`` holds one ``OpeningCheck`` and its write guard calls
``wait_passed``). A damaged file therefore is never written: the waiting write raises
``WorkspaceDamagedError`` instead. No Qt here: the window polls ``state`` or subscribes with
``when_done`` (called on the checking thread) and marshals to its own thread.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from app.models.errors import WorkspaceDamagedError, WorkspaceError


class CheckState(StrEnum):
    CHECKING = "checking"
    PASSED = "passed"
    DAMAGED = "damaged"
    #: The check could not run (an I/O error, a full disk): writes stay refused.
    FAILED = "failed"


class OpeningCheck:
    """SQLite's checks of ``path`` on a background thread; writes wait for the verdict.

    ``full`` runs ``integrity_check`` and ``foreign_key_check`` (after an unclean exit),
    otherwise ``quick_check``. ``after_pass`` runs on the checking thread once the file
    passed, before waiting writes are let go (the open-time backup goes there: a damaged file
    is never backed up over a good backup).
    """

    def __init__(
        self,
        path: Path,
        *,
        full: bool,
        after_pass: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.full = full
        self.state = CheckState.CHECKING
        self.problems: list[str] = []
        #: One sentence on why the check could not run (state FAILED).
        self.failure: str | None = None
        #: What went wrong after a pass (the open-time backup), if anything.
        self.after_pass_problem: str | None = None
        self._after_pass = after_pass
        self._cancelled = False
        self._started = False
        self._finished = False
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._listeners: list[Callable[[OpeningCheck], None]] = []
        self._thread = threading.Thread(target=self._run, name="fieldbook-check", daemon=True)

    @property
    def passed(self) -> bool:
        return self.state is CheckState.PASSED

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def kind(self) -> str:
        """What is being checked, for messages: "whole workspace" or "quick check"."""
        return "integrity and foreign key checks" if self.full else "quick check"

    def start(self) -> OpeningCheck:
        """Start checking (once; the GUI does it after its first paint, a write sooner)."""
        with self._lock:
            if not self._started:
                self._started = True
                self._thread.start()
        return self

    def cancel(self) -> None:
        """The workspace is closing: skip what was to follow a pass (the backup)."""
        self._cancelled = True

    def when_done(self, listener: Callable[[OpeningCheck], None]) -> None:
        """Call ``listener(check)`` once the verdict is in (now, if it already is)."""
        with self._lock:
            if not self._finished:
                self._listeners.append(listener)
                return
        listener(self)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the verdict is in; False when ``timeout`` ran out first."""
        self.start()
        return self._done.wait(timeout)

    def wait_passed(self) -> None:
        """Block until the verdict; raise unless the file passed (called before any write)."""
        if self.state is CheckState.PASSED:
            return
        self.start()
        self._done.wait()
        if self.state is CheckState.DAMAGED:
            raise self.damaged_error()
        if self.state is CheckState.FAILED:
            raise WorkspaceError(
                f"{self.path.name} could not be checked ({self.failure}); "
                "nothing is saved to it until it can be."
            )

    def damaged_error(self) -> WorkspaceDamagedError:
        from app.models.backup import newest_good_backup
        from app.models.schema import known_revisions

        good = newest_good_backup(self.path, known_revisions())
        return WorkspaceDamagedError(self.path, self.problems, good)

    def checks_done(self) -> list[str]:
        """The checks that passed, in the words ``OpenReport.checks`` uses."""
        if self.state is not CheckState.PASSED:
            return []
        if self.full:
            return ["integrity check: ok", "foreign key check: ok"]
        return ["quick check: ok"]

    def _run(self) -> None:
        from app.models.integrity import find_damage
        from app.models.storage import io_problem

        state = CheckState.PASSED
        try:
            self.problems = find_damage(self.path, full=self.full)
            if self.problems:
                state = CheckState.DAMAGED
        except (OSError, sqlite3.Error) as exc:
            state = CheckState.FAILED
            self.failure = io_problem(exc) or str(exc)
        if state is CheckState.PASSED and self._after_pass is not None and not self._cancelled:
            try:
                self._after_pass()
            except Exception as exc:  # a failed backup is reported, not fatal
                self.after_pass_problem = str(exc)
        with self._lock:
            self.state = state
            self._finished = True
            listeners, self._listeners = self._listeners, []
        # Last: whoever waits (a write, a closing store) goes on only after the listeners,
        # and goes on whatever they do.
        try:
            for listener in listeners:
                # A window closed before the verdict: its Qt relay is gone.
                with contextlib.suppress(RuntimeError):
                    listener(self)
        finally:
            self._done.set()
