"""Developer tool: write a new migration by comparing the models with a workspace at head.

Usage: ``python -m app.models.revision "what changed"``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from app.models.engines import make_engine, sqlite_url
from app.models.schema import alembic_config, upgrade


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(sqlite_url(Path(folder) / "head.db"))
        upgrade(engine)
        with engine.connect() as connection:
            command.revision(alembic_config(connection), message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
