"""Where Fieldbook keeps its files: the user data folder and the bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Fieldbook"
DEFAULT_WORKSPACE_NAME = "workspace.db"
DEMO_WORKSPACE_NAME = "demo.db"


def user_data_dir() -> Path:
    """The folder for workspaces, honouring ``FIELDBOOK_DATA_DIR`` (tests, portable installs)."""
    override = os.environ.get("FIELDBOOK_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_workspace() -> Path:
    """The workspace opened when neither ``--db`` nor ``FIELDBOOK_DB`` names one."""
    return user_data_dir() / DEFAULT_WORKSPACE_NAME


def demo_workspace() -> Path:
    """The demo workspace ``fieldbook gui --demo`` creates on first use."""
    return user_data_dir() / DEMO_WORKSPACE_NAME


def resources_dir() -> Path:
    """The ``resources/`` folder, from a source checkout, an installed wheel or a bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    packaged = Path(__file__).resolve().parent / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of one bundled resource, e.g. ``resource("icons", "undo.svg")``."""
    return resources_dir().joinpath(*parts)
