"""A small known book of accounts and a main window on it, with settings in a temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.models import Account, Activity, Contract, HealthScore, Risk, Stakeholder, Task
from app.models.enums import ActivityKind, BuyingRole, HealthBand, RiskCategory, Severity
from app.models.store import Store

TODAY = date(2026, 5, 4)


def write_demo(folder: Path, today: date) -> Path:
    """The 60-account demo (seed 1) as of ``today``, written to a workspace file in ``folder``."""
    from app.models.opening import open_workspace
    from app.services.demo import generate_demo

    path = folder / "demo.db"
    store = open_workspace(path, create=True)
    try:
        generate_demo(store, accounts=60, seed=1, today=today)
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 60-account demo as of ``TODAY``, written once for the test module."""
    return write_demo(tmp_path_factory.mktemp("demo"), TODAY)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Store]:
    """The demo workspace, open for one test."""
    from app.models.opening import open_workspace

    store = open_workspace(demo_path)
    yield store
    store.close()


@dataclass
class Book:
    """Ids of the sample accounts: Acme > Acme Germany > Acme Berlin, Acme > Acme France,
    Globex, Initech."""

    acme: str
    germany: str
    berlin: str
    france: str
    globex: str
    initech: str
    task_today: str


@pytest.fixture(autouse=True)
def _settings_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Window settings go to a per-test folder, never the user's config folder."""
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("FIELDBOOK_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _app_look_restored(qapp) -> Iterator[None]:
    """The application's style, palette and style sheet are put back after each test (the
    GUI's start applies the theme): a test sees the same look whatever ran before it in the
    same worker."""
    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    yield
    if (qapp.style().name(), qapp.palette(), qapp.styleSheet()) != (style, palette, sheet):
        from app.views import icons

        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setStyleSheet(sheet)
        icons.clear_cache()


@pytest.fixture
def book(store: Store) -> Book:
    def account(name: str, parent: str | None = None, **kw: object) -> str:
        a = Account(name=name, parent_id=parent, owner=kw.pop("owner", "Maya Patel"), **kw)
        session.add(a)
        session.flush()
        return a.id

    with store.session() as session:
        acme = account("Acme", currency="USD", arr_minor=100_000_00)
        germany = account("Acme Germany", acme, currency="USD", arr_minor=50_000_00)
        berlin = account("Acme Berlin", germany, currency="USD", arr_minor=10_000_00)
        france = account("Acme France", acme, currency="EUR", arr_minor=30_000_00)
        globex = account("Globex", currency="EUR", arr_minor=70_000_00, owner="Jonas Weber")
        initech = account("Initech", currency="USD", arr_minor=20_000_00, segment="smb")
        session.add_all(
            [
                Stakeholder(account_id=acme, name="Ann Champion", role=BuyingRole.CHAMPION),
                Stakeholder(account_id=germany, name="Gerd Buyer", role=BuyingRole.ECONOMIC_BUYER),
                Contract(
                    account_id=germany,
                    name="Germany subscription",
                    start_date=TODAY - timedelta(days=300),
                    end_date=TODAY + timedelta(days=50),
                    value_minor=50_000_00,
                ),
                Contract(
                    account_id=globex,
                    name="Globex platform",
                    start_date=TODAY - timedelta(days=100),
                    end_date=TODAY + timedelta(days=200),
                    value_minor=70_000_00,
                    currency="EUR",
                ),
                Risk(
                    account_id=acme,
                    category=RiskCategory.SENTIMENT,
                    title="Champion unhappy",
                    severity=Severity.HIGH,
                    opened_on=TODAY - timedelta(days=5),
                ),
                HealthScore(account_id=initech, as_of=TODAY, score=35, band=HealthBand.RED),
                HealthScore(
                    account_id=initech,
                    as_of=TODAY - timedelta(days=7),
                    score=60,
                    band=HealthBand.YELLOW,
                ),
                Activity(
                    account_id=acme,
                    kind=ActivityKind.CALL,
                    title="Kick-off",
                    occurred_at=datetime(2026, 4, 1, 9, tzinfo=UTC),
                ),
            ]
        )
        task = Task(account_id=globex, title="Send the QBR deck", due_on=TODAY)
        session.add(task)
        session.add(Task(account_id=globex, title="Later task", due_on=TODAY + timedelta(days=9)))
        session.flush()
        task_id = task.id
    return Book(acme, germany, berlin, france, globex, initech, task_id)


def main_window_as(
    qtbot: object, store: Store, size: tuple[int, int] = (1366, 768), me: str = ""
) -> object:
    """The real main window at ``size``, shown, the user having said they are ``me`` (when
    given; settings start empty in every test)."""
    from app.views.main_window import MainWindow
    from app.views.settings import WindowSettings

    if me:
        settings = WindowSettings()
        settings.me = me
        settings.sync()
    win = MainWindow(store, today=TODAY)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.resize(*size)
    win.show()
    return win


@pytest.fixture
def window(qtbot: object, store: Store, book: Book) -> Iterator[object]:
    from app.views.main_window import MainWindow

    win = MainWindow(store, today=TODAY)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()
