"""The ORM loads when first used, not with ``app.models``: what the window's first paint needs
(the store, the tree's rows, money) imports no SQLAlchemy, and the session listeners of the
layers above are still there for every unit of work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.models import Account
from app.models.opening import open_workspace

ROOT = Path(__file__).resolve().parents[2]


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_first_paints_modules_import_no_sqlalchemy() -> None:
    out = run(
        "import sys\n"
        "import app.models, app.models.store, app.models.enums, app.models.changes\n"
        "import app.services, app.services.money, app.services.tree_rows\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy')))\n"
    )
    assert out.strip() == "[]"


def test_a_quick_open_reads_the_trees_rows_without_sqlalchemy(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add_all(Account(name=f"Account {n}") for n in range(3))
    store.close()
    out = run(
        "import sys\n"
        "from app.models.opening import open_workspace\n"
        "from app.services.tree_rows import read_account_rows\n"
        f"store = open_workspace({str(path)!r}, check_in_background=True)\n"
        "with store.plain_read() as connection:\n"
        "    print(len(read_account_rows(connection)))\n"
        "print('sqlalchemy' in sys.modules)\n"
        "store.check.wait()\n"
        "store.close()\n"
    )
    assert out.split() == ["3", "False"]


def test_summaries_are_kept_when_the_services_came_before_the_orm(tmp_path: Path) -> None:
    """``app.services`` imported first (as the window does) still keeps next renewals with
    every unit of work once the ORM loads."""
    path = tmp_path / "book.db"
    open_workspace(path, create=True).close()
    out = run(
        "import sys\n"
        "from datetime import date\n"
        "import app.services.tree_rows\n"
        "assert 'sqlalchemy' not in sys.modules\n"
        "from app.models.opening import open_workspace\n"
        f"store = open_workspace({str(path)!r}, check_in_background=True)\n"
        "from app.models import Account, Contract\n"
        "with store.session() as session:\n"
        "    account = Account(name='Acme')\n"
        "    session.add(account)\n"
        "    session.flush()\n"
        "    session.add(Contract(account_id=account.id, name='Main', value_minor=100,\n"
        "        start_date=date(2026, 1, 1), end_date=date(2026, 12, 31), currency='EUR'))\n"
        "with store.read() as session:\n"
        "    print(session.get(Account, account.id).next_renewal)\n"
        "store.close()\n"
    )
    assert out.strip() == "2026-12-31"
