"""What the customer may see: each goal, milestone, touchpoint, task and risk is shared or internal.

The flag is data (``shared`` on each item); this module holds the defaults new items get, so
the forms, the services that create work for us, the demo and the migration agree.
"""

from __future__ import annotations

from app.models.enums import RiskCategory

#: Risk categories that are joint work with the customer; a new risk of these is shared.
CUSTOMER_RISK_CATEGORIES = frozenset(
    {RiskCategory.IMPLEMENTATION, RiskCategory.SUPPORT, RiskCategory.PRODUCT}
)
#: Item kinds (``app.services.work_items.KINDS``) that carry the flag.
KINDS_WITH_VISIBILITY = ("goal", "milestone", "activity", "task", "risk")
SHARED_LABEL = "Shared with the customer"
INTERNAL_LABEL = "Internal: never shown to the customer"


def risk_shared_by_default(category: RiskCategory | str | None) -> bool:
    """A new risk is shared when it is joint work (implementation, support, product)."""
    return category is not None and RiskCategory(category) in CUSTOMER_RISK_CATEGORIES


def task_shared_by_default(*, risk_id: str | None = None, made_for_us: bool = False) -> bool:
    """A task is shared unless it mitigates a risk or the app made it for our own follow-up
    (alerts, the departed-contact workflow, sales leads)."""
    return risk_id is None and not made_for_us


def visibility_label(shared: bool) -> str:
    """The one-word mark lists show: ``Shared`` or ``Internal``."""
    return "Shared" if shared else "Internal"
