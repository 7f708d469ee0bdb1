"""Developer tool: write a new migration by comparing the models with a workspace at head.

Usage: ``python -m app.models.revision "what changed"``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from app.models.store import _alembic_config, _make_engine, _upgrade, sqlite_url


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = _make_engine(sqlite_url(Path(folder) / "head.db"))
        _upgrade(engine)
        with engine.connect() as connection:
            command.revision(_alembic_config(connection), message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
