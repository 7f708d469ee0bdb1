"""A laptop syncing in a child process, for the kill loop: ``sync_proc.py REPLICA PROGRESS``.

Writes each phase of the sync (sending, sent, pulled) to PROGRESS as it reaches it, so the test
can kill it at chosen moments. Passwords come from the test team's (as the keyring would).
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.models import replica_pull, replica_push, server
from app.models.opening import open_workspace
from app.services import sync


def main(path: str, progress: str) -> None:
    server.saved_password = lambda url: f"pw-{url.username}"  # type: ignore[assignment]
    replica_push.BATCH = 40  # several batches per sync, so kills land between them too
    replica_pull.PAGE = 60
    store = open_workspace(path)
    with Path(progress).open("a", encoding="utf-8") as log:

        def hook(phase: str) -> None:
            log.write(phase + "\n")
            log.flush()

        sync.sync(store, hook=hook)
        log.write("done\n")
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
