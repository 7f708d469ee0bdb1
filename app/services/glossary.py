"""Words with one meaning each: the headline figures' names and definitions, in one place.

"ARR at risk" is the renewal forecast's word (DOMAIN.md: commit / likely / at risk): the
value of renewals whose forecast is called at risk. The wider figure on Today, which also
counts accounts in red health, has its own name.
"""

from __future__ import annotations

ARR_AT_RISK = "ARR at risk"
ARR_AT_RISK_MEANS = "Value of renewals whose forecast is called at risk."
ARR_NEEDING_ATTENTION = "ARR needing attention"
ARR_NEEDING_ATTENTION_MEANS = (
    "ARR of accounts in red health, or with a renewal forecast at risk or lost."
)
