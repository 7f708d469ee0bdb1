"""A demo portfolio for trying Fieldbook out: deterministic per seed, realistic enough to show.

``generate_demo(store, accounts=200, seed=1)`` writes accounts in hierarchies with stakeholders,
contracts and renewals, two years of weekly metric snapshots, surveys, activities, tasks, risks,
success plans and opportunities, all in one transaction. Health scores are left to the scoring
service, which computes them from the snapshots.
"""

from __future__ import annotations

from app.services.demo.generator import (
    MAX_ACCOUNTS,
    DemoSummary,
    WorkspaceNotEmptyError,
    generate_demo,
    workspace_has_accounts,
)

__all__ = [
    "MAX_ACCOUNTS",
    "DemoSummary",
    "WorkspaceNotEmptyError",
    "generate_demo",
    "workspace_has_accounts",
]
