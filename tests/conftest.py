"""Shared fixtures: every test runs headless, away from the real user data folder.

With ``FIELDBOOK_TEST_PG`` set (``make test-pg``), the workspace fixtures give each test a
fresh database on that PostgreSQL server instead of a file, and tests marked ``sqlite_only``
(file locks, file backups, crashes of the file) are skipped.
"""

from __future__ import annotations

import fcntl
import functools
import gc
import inspect
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.pg.databases import admin_url, drop_database, new_database
from tests.pg.server import FOLDER_ENV

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ON_POSTGRES = admin_url() is not None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not ON_POSTGRES:
        for item in items:
            if item.get_closest_marker("postgres_only"):
                item.add_marker(pytest.mark.skip(reason="needs a PostgreSQL server (make test-pg)"))
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "tests a workspace file"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
        elif not _reaches_server(item):
            item.add_marker(pytest.mark.skip(reason="opens no workspace on the server"))


#: What a test module writes when it makes or drops database roles.
_ROLE_WORK = ('"team", "init"', '"team", "add"', "CREATE ROLE", "DROP ROLE", "tests.sync.team")


@functools.cache
def _makes_roles(module: Path) -> bool:
    source = module.read_text(encoding="utf-8")
    return any(work in source for work in _ROLE_WORK)


@pytest.fixture(autouse=True)
def _one_role_maker_at_a_time(request: pytest.FixtureRequest) -> Iterator[None]:
    """Roles belong to the whole server, not to a test's database: two workers (pytest-xdist)
    making and dropping the same logins at once would break each other's sign-ins. A test that
    makes roles holds the server's role lock while it runs."""
    admin = admin_url()
    module = Path(str(request.node.path))
    if admin is None or not ("team" in request.fixturenames or _makes_roles(module)):
        yield
        return
    folder = os.environ.get(FOLDER_ENV) or tempfile.gettempdir()
    lock = Path(folder) / f"fieldbook-test-roles-{admin.port}.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


#: What a test or fixture calls to get a database on the test server.
_SERVER_CALLS = ("fresh_workspace(", "new_database(", "admin_url(", "ON_POSTGRES")


@functools.cache
def _calls_server(function: object) -> bool:
    try:
        source = inspect.getsource(function)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False
    return any(call in source for call in _SERVER_CALLS)


def _reaches_server(item: pytest.Item) -> bool:
    """Whether a test can touch the PostgreSQL server: it is marked for it, or it or one of
    its fixtures asks for a server database. The others ran in the SQLite pass already, and
    would only run again on SQLite."""
    if item.get_closest_marker("postgres_only"):
        return True
    function = getattr(item, "function", None)
    if function is not None and _calls_server(function):
        return True
    fixtures = getattr(item, "_fixtureinfo", None)
    if fixtures is None:
        return True
    return any(
        _calls_server(definition.func)
        for definitions in fixtures.name2fixturedefs.values()
        for definition in definitions
    )


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the user data and config folders at a temp dir so no test touches the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FIELDBOOK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("FIELDBOOK_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.delenv("FIELDBOOK_DB", raising=False)


@pytest.fixture(autouse=True)
def _dates_and_amounts_in_en_us() -> Iterator[None]:
    """Dates and amounts read as in en_US (money's locale, which app.services.dates_text
    shares), whatever locale the machine runs the tests in: tests assert "Dec 3, 2026"."""
    from app.services import money

    money.set_locale("en_US")
    yield
    money.set_locale(None)


@pytest.fixture(autouse=True)
def _free_qt_leftovers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Delete a Qt test's closed widgets now, not during a later test: left for later, they
    piled up (a main window's menus and timers per test) and slowed every view test after
    them, and freed late they upset the tests that count references to None. Tests without
    widgets skip it (a full collection per test costs time on a large heap)."""
    yield
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        return
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is None or widgets.QApplication.instance() is None:
        return
    from PySide6.QtCore import QEvent

    widgets.QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@contextmanager
def fresh_workspace(folder: Path, name: str = "workspace.db") -> Iterator[str]:
    """Where a new workspace lives: a file in ``folder``, or a new database on the test server
    in the PostgreSQL pass (dropped afterwards). For fixtures wider than one test."""
    if not ON_POSTGRES:
        yield str(folder / name)
        return
    url = new_database()
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture
def workspace_target(tmp_path: Path) -> Iterator[str]:
    """Where a test's workspace lives: a new file, or a new database on the test server."""
    with fresh_workspace(tmp_path) as target:
        yield target


@pytest.fixture
def store(workspace_target: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A fresh, empty workspace at this version's schema: a copy of one migrated once per run
    (a file here; a database cloned from a template on the server), as running every migration
    for each of a thousand tests took most of the suite's time."""
    from app.models.opening import open_workspace

    if not ON_POSTGRES:
        shutil.copyfile(_sqlite_template(tmp_path_factory), workspace_target)
    workspace = open_workspace(workspace_target)
    yield workspace
    workspace.close()


_TEMPLATE: list[Path] = []


def _sqlite_template(factory: pytest.TempPathFactory) -> Path:
    """An empty workspace file migrated to head, made on first use."""
    if not _TEMPLATE:
        from app.models.opening import open_workspace

        path = factory.mktemp("template") / "empty.db"
        open_workspace(path, create=True).close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]
