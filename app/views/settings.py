"""Every setting the app keeps across restarts, declared once, typed, with its default.

The one module that touches ``QSettings`` (a test checks): everything else reads and writes
through ``WindowSettings``. A key with ``{placeholders}`` is one setting per workspace, account
or map toggle. Workspace data lives in the database, not here.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from app.paths import APP_NAME

MAX_RECENT = 8

T = TypeVar("T", str, QByteArray)


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One key in the settings file: its name (maybe with placeholders), type and default."""

    key: str
    type: type[T]
    default: T

    def name(self, **parts: str) -> str:
        """The key with its placeholders filled in."""
        return self.key.format(**parts) if parts else self.key


# Window layout (raw Qt state blobs; empty means "never saved").
GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray, QByteArray())
TREE_HEADER = Setting("tree/header", QByteArray, QByteArray())
# Who the user is: the owner name of their accounts ("my book").
ME = Setting("user/me", str, "")
# Workspaces: the last one, the last team address (no password) and the recent list (JSON).
LAST_WORKSPACE = Setting("workspace/last", str, "")
TEAM_CONNECTION = Setting("workspace/team", str, "")
RECENT_WORKSPACES = Setting("workspace/recent", str, "[]")
# Per workspace (``{workspace}`` is a digest of its address): account, tab, expanded tree rows.
LAST_ACCOUNT = Setting("workspace-{workspace}/account", str, "")
LAST_TAB = Setting("workspace-{workspace}/tab", str, "")
EXPANDED = Setting("workspace-{workspace}/expanded", str, "[]")
# A map toggle (panel folded, legend shown): "true", "false", or "" when never set.
MAP_OPTION = Setting("map/{name}", str, "")
# Exports: the user's own QBR template, the folder exports last went to, and each account's
# last QBR choices (JSON).
QBR_TEMPLATE = Setting("exports/qbr_template", str, "")
LAST_FOLDER = Setting("exports/last_folder", str, "")
QBR_CHOICES = Setting("exports/qbr_choices/{account_id}", str, "")


def settings_path() -> Path:
    """``$FIELDBOOK_CONFIG_DIR/fieldbook.ini``, else the platform's user config folder."""
    override = os.environ.get("FIELDBOOK_CONFIG_DIR")
    if override:
        return Path(override) / "fieldbook.ini"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "fieldbook.ini"


class _Text:
    """A ``WindowSettings`` attribute that reads and writes one text setting."""

    def __init__(self, setting: Setting[str]) -> None:
        self.setting = setting

    def __get__(self, settings: WindowSettings, owner: type | None = None) -> str:
        return settings.get(self.setting)

    def __set__(self, settings: WindowSettings, value: str) -> None:
        settings.set(self.setting, value)


class _WindowState:
    """A ``WindowSettings`` attribute for a saved Qt state blob: None until first saved."""

    def __init__(self, setting: Setting[QByteArray]) -> None:
        self.setting = setting

    def __get__(self, settings: WindowSettings, owner: type | None = None) -> QByteArray | None:
        value = settings.get(self.setting)
        return None if value.isEmpty() else value

    def __set__(self, settings: WindowSettings, value: QByteArray) -> None:
        settings.set(self.setting, value)


class WindowSettings:
    """Typed accessors; every read says its type so nothing comes back as a string by surprise."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._qs.sync()

    def get(self, setting: Setting[T], **parts: str) -> T:
        """The stored value of ``setting`` read as its type, else its default."""
        value = self._qs.value(setting.name(**parts), setting.default, type=setting.type)
        return value if isinstance(value, setting.type) else setting.default

    def set(self, setting: Setting[T], value: T, **parts: str) -> None:
        """Store ``value`` for ``setting``."""
        self._qs.setValue(setting.name(**parts), value)

    geometry = _WindowState(GEOMETRY)
    window_state = _WindowState(WINDOW_STATE)
    tree_header = _WindowState(TREE_HEADER)
    #: Who the user is: the owner name of their accounts ("my book"); "" until said.
    me = _Text(ME)
    last_workspace = _Text(LAST_WORKSPACE)

    @property
    def team_connection(self) -> str:
        """The last team workspace's address, never with a password (that is in the keyring)."""
        return self.get(TEAM_CONNECTION)

    @team_connection.setter
    def team_connection(self, value: str) -> None:
        from sqlalchemy.engine import make_url

        self.set(TEAM_CONNECTION, make_url(value).render_as_string(hide_password=True))

    @property
    def recent_workspaces(self) -> list[str]:
        return _names(self.get(RECENT_WORKSPACES))[:MAX_RECENT]

    def remember_workspace(self, path: str) -> None:
        recent = [p for p in self.recent_workspaces if p != path]
        self.set(RECENT_WORKSPACES, json.dumps([path, *recent][:MAX_RECENT]))
        self.last_workspace = path

    def last_account(self, workspace: str) -> str:
        return self.get(LAST_ACCOUNT, workspace=_digest(workspace))

    def set_last_account(self, workspace: str, account_id: str | None) -> None:
        self.set(LAST_ACCOUNT, account_id or "", workspace=_digest(workspace))

    def last_tab(self, workspace: str) -> str:
        return self.get(LAST_TAB, workspace=_digest(workspace))

    def set_last_tab(self, workspace: str, title: str) -> None:
        self.set(LAST_TAB, title, workspace=_digest(workspace))

    def expanded(self, workspace: str) -> list[str]:
        return _names(self.get(EXPANDED, workspace=_digest(workspace)))

    def set_expanded(self, workspace: str, ids: list[str]) -> None:
        self.set(EXPANDED, json.dumps(sorted(ids)), workspace=_digest(workspace))

    def map_option(self, name: str) -> bool | None:
        """A remembered map toggle (panel folded, legend shown); None when never set."""
        value = self.get(MAP_OPTION, name=name)
        return None if value == "" else value == "true"

    def set_map_option(self, name: str, on: bool) -> None:
        self.set(MAP_OPTION, "true" if on else "false", name=name)

    @property
    def qbr_template(self) -> Path | None:
        """The user's own QBR template chosen in settings, when it still exists."""
        value = self.get(QBR_TEMPLATE)
        path = Path(value) if value else None
        return path if path is not None and path.is_file() else None

    @property
    def last_folder(self) -> Path:
        """The folder exports last went to, while it exists; else the home folder."""
        value = self.get(LAST_FOLDER)
        folder = Path(value) if value else Path.home()
        return folder if folder.is_dir() else Path.home()

    @last_folder.setter
    def last_folder(self, folder: Path) -> None:
        self.set(LAST_FOLDER, str(folder))

    def qbr_choices(self, account_id: str) -> dict[str, object]:
        """What the user picked for ``account_id``'s QBR last time ({} when none or unreadable)."""
        raw = self.get(QBR_CHOICES, account_id=account_id)
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def set_qbr_choices(self, account_id: str, choices: dict[str, object]) -> None:
        self.set(QBR_CHOICES, json.dumps(choices), account_id=account_id)
        self.sync()


def _digest(workspace: str) -> str:
    return hashlib.sha1(workspace.encode("utf-8")).hexdigest()[:12]


def _names(raw: str) -> list[str]:
    try:
        items = json.loads(raw)
    except ValueError:
        return []
    return [str(i) for i in items if isinstance(i, str)] if isinstance(items, list) else []
