"""Window state kept across restarts: a typed wrapper over an INI ``QSettings`` file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from sqlalchemy.engine import make_url

from app.paths import APP_NAME

MAX_RECENT = 8


def settings_path() -> Path:
    """``$FIELDBOOK_CONFIG_DIR/fieldbook.ini``, else the platform's user config folder."""
    override = os.environ.get("FIELDBOOK_CONFIG_DIR")
    if override:
        return Path(override) / "fieldbook.ini"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "fieldbook.ini"


class WindowSettings:
    """Typed accessors; every read says its type so nothing comes back as a string by surprise."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._qs.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key, None, type=QByteArray)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)

    @property
    def tree_header(self) -> QByteArray | None:
        return self._bytes("tree/header")

    @tree_header.setter
    def tree_header(self, value: QByteArray) -> None:
        self._qs.setValue("tree/header", value)

    @property
    def me(self) -> str:
        """Who the user is: the owner name of their accounts ("my book"); "" until said."""
        return str(self._qs.value("user/me", "", type=str))

    @me.setter
    def me(self, value: str) -> None:
        self._qs.setValue("user/me", value)

    @property
    def last_workspace(self) -> str:
        return str(self._qs.value("workspace/last", "", type=str))

    @last_workspace.setter
    def last_workspace(self, value: str) -> None:
        self._qs.setValue("workspace/last", value)

    @property
    def team_connection(self) -> str:
        """The last team workspace's address, never with a password (that is in the keyring)."""
        return str(self._qs.value("workspace/team", "", type=str))

    @team_connection.setter
    def team_connection(self, value: str) -> None:
        self._qs.setValue("workspace/team", make_url(value).render_as_string(hide_password=True))

    @property
    def recent_workspaces(self) -> list[str]:
        raw = str(self._qs.value("workspace/recent", "[]", type=str))
        try:
            items = json.loads(raw)
        except ValueError:
            return []
        return [str(i) for i in items if isinstance(i, str)][:MAX_RECENT]

    def remember_workspace(self, path: str) -> None:
        recent = [p for p in self.recent_workspaces if p != path]
        self._qs.setValue("workspace/recent", json.dumps([path, *recent][:MAX_RECENT]))
        self.last_workspace = path

    def _per_workspace(self, workspace: str, name: str) -> str:
        import hashlib

        digest = hashlib.sha1(workspace.encode("utf-8")).hexdigest()[:12]
        return f"workspace-{digest}/{name}"

    def last_account(self, workspace: str) -> str:
        return str(self._qs.value(self._per_workspace(workspace, "account"), "", type=str))

    def set_last_account(self, workspace: str, account_id: str | None) -> None:
        self._qs.setValue(self._per_workspace(workspace, "account"), account_id or "")

    def last_tab(self, workspace: str) -> str:
        return str(self._qs.value(self._per_workspace(workspace, "tab"), "", type=str))

    def set_last_tab(self, workspace: str, title: str) -> None:
        self._qs.setValue(self._per_workspace(workspace, "tab"), title)

    def expanded(self, workspace: str) -> list[str]:
        raw = str(self._qs.value(self._per_workspace(workspace, "expanded"), "[]", type=str))
        try:
            items = json.loads(raw)
        except ValueError:
            return []
        return [str(i) for i in items if isinstance(i, str)]

    def set_expanded(self, workspace: str, ids: list[str]) -> None:
        self._qs.setValue(self._per_workspace(workspace, "expanded"), json.dumps(sorted(ids)))

    def map_option(self, name: str) -> bool | None:
        """A remembered map toggle (panel folded, legend shown); None when never set."""
        value = str(self._qs.value(f"map/{name}", "", type=str))
        return None if value == "" else value == "true"

    def set_map_option(self, name: str, on: bool) -> None:
        self._qs.setValue(f"map/{name}", "true" if on else "false")
