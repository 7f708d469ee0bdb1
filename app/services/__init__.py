"""Domain rules, plain Python: health, renewals, roll-ups, stakeholder graphs, the demo book."""

from app.models import when_orm_loaded


def _keep_account_summaries() -> None:
    # Keeps each account's next renewal with every unit of work that changes contracts (its
    # session listeners register on import). With the ORM, not with this package: the
    # window's first rows and money formatting need no SQLAlchemy.
    from app.services import account_summary  # noqa: F401


when_orm_loaded(_keep_account_summaries)
