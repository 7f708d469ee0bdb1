"""Playbooks in the window: the account's Plays tab, the playbook and cadence editors."""

from app.views.playbooks.plays_tab import PlaysTab
from app.views.playbooks.view import PlaybooksView

__all__ = ["PlaybooksView", "PlaysTab"]
