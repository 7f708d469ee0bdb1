"""Domain rules, plain Python: health, renewals, roll-ups, stakeholder graphs, the demo book."""

# Keeps each account's next renewal with every unit of work that changes contracts.
from app.services import account_summary as _account_summary  # noqa: F401
