"""the account row keeps what the tree shows: latest health (score, band, trend), next renewal

The account tree read every account's latest score with a correlated look-up into a million
weekly scores, and its next renewal from the contracts, on every start. These four columns
hold them on the account (kept by ``app.services.account_summary`` in the same transaction
as the scores and contracts they come from), so the tree's query is a plain scan. The
upgrade fills them from the rows already there.

"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

#: ``app.services.health_trend`` as of this revision: 90 days, a week of slack.
_TREND_DAYS = 90
_SLACK_DAYS = 7


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health_score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("health_band", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("health_trend", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("next_renewal", sa.Date(), nullable=True))
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE account SET "
            "next_renewal = (SELECT min(c.end_date) FROM contract c "
            "WHERE c.account_id = account.id AND c.status = 'active'), "
            "health_score = (SELECT h.score FROM health_score h "
            "WHERE h.account_id = account.id ORDER BY h.as_of DESC LIMIT 1), "
            "health_band = (SELECT h.band FROM health_score h "
            "WHERE h.account_id = account.id ORDER BY h.as_of DESC LIMIT 1)"
        )
    )
    trends = _trends(bind)
    if trends:
        bind.execute(
            sa.text("UPDATE account SET health_trend = :trend WHERE id = :id"),
            [{"id": acc, "trend": trend} for acc, trend in trends.items()],
        )


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _trends(bind: Any) -> dict[str, float]:
    latest = {
        acc: _as_date(on)
        for acc, on in bind.execute(
            sa.text("SELECT account_id, max(as_of) FROM health_score GROUP BY account_id")
        )
    }
    if not latest:
        return {}
    since = min(latest.values()) - timedelta(days=_TREND_DAYS + _SLACK_DAYS)
    series: dict[str, list[tuple[date, float]]] = {}
    rows = bind.execute(
        sa.text(
            "SELECT account_id, as_of, score FROM health_score WHERE as_of >= :since "
            "ORDER BY account_id, as_of"
        ),
        {"since": since},
    )
    for acc, on, score in rows:
        series.setdefault(acc, []).append((_as_date(on), float(score)))
    out: dict[str, float] = {}
    for acc, points in series.items():
        latest_on, now = points[-1]
        when = latest_on - timedelta(days=_TREND_DAYS)
        best = None
        for on, score in points:
            if on > when:
                break
            best = (on, score)
        if best is not None and (when - best[0]).days <= _SLACK_DAYS:
            out[acc] = round(now - best[1], 1)
    return out


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("next_renewal")
        batch_op.drop_column("health_trend")
        batch_op.drop_column("health_band")
        batch_op.drop_column("health_score")
