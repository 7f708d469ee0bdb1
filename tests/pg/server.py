"""A throwaway local PostgreSQL server for the test suite and the benchmarks.

Uses the server binaries installed on the machine (Debian's ``postgresql-15`` package puts
them in ``/usr/lib/postgresql/15/bin``; ``FIELDBOOK_PG_BIN`` overrides). The cluster lives in
a temp folder, listens on a free local port only, trusts local connections (it is gone when
the run ends) and is stopped and deleted by :meth:`LocalServer.stop`.

PostgreSQL refuses to run as root: when we are root (CI), the cluster belongs to the
``postgres`` user and every server command runs through ``runuser``.

``python -m tests.pg.server -- CMD...`` runs CMD with ``FIELDBOOK_TEST_PG`` set to the server's
admin URL, then stops the server whatever CMD's exit status (``make test-pg``, ``.ci/run``).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ENV = "FIELDBOOK_TEST_PG"
#: The throwaway server's folder (removed when it stops): where the tests keep their locks.
FOLDER_ENV = "FIELDBOOK_TEST_PG_FOLDER"


def server_bin() -> Path:
    """The folder holding initdb and pg_ctl."""
    given = os.environ.get("FIELDBOOK_PG_BIN")
    if given:
        return Path(given)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError("No PostgreSQL server binaries found (set FIELDBOOK_PG_BIN).")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalServer:
    folder: Path
    port: int
    bin: Path
    user: str | None  # the OS user the server runs as (None: ourselves)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, capture_output=True)

    @classmethod
    def start(cls) -> LocalServer:
        folder = Path(tempfile.mkdtemp(prefix="fieldbook-pg-"))
        user = "postgres" if os.geteuid() == 0 else None
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = cls(folder, _free_port(), server_bin(), user)
        try:
            server._run(
                "initdb",
                "-D",
                str(server.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            )
            # The admin trusts local connections; everyone else needs a password, and the
            # login ``tls_only`` is refused without TLS (for the connection-problem tests).
            (server.data / "pg_hba.conf").write_text(
                "local all all trust\n"
                "host all postgres 127.0.0.1/32 trust\n"
                "hostnossl all tls_only 127.0.0.1/32 reject\n"
                "host all all 127.0.0.1/32 scram-sha-256\n",
                encoding="utf-8",
            )
            options = (
                f"-p {server.port} -c listen_addresses=127.0.0.1 -k {folder} "
                # Throwaway data: durability is not what the tests measure.
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200"
            )
            server._run(
                "pg_ctl", "-D", str(server.data), "-o", options, "-l", str(folder / "log"), "-w",
                "start",
            )  # fmt: skip
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return server

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print("usage: python -m tests.pg.server -- COMMAND...", file=sys.stderr)
        return 2
    started = time.monotonic()
    # A CI timeout sends SIGTERM: stop the server on the way out all the same.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = LocalServer.start()
    print(f"PostgreSQL on port {server.port} ({server.bin})", file=sys.stderr)
    try:
        env = dict(os.environ, **{ENV: server.url, FOLDER_ENV: str(server.folder)})
        return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL).returncode
    finally:
        server.stop()
        print(f"PostgreSQL stopped after {time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
