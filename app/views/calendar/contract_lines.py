"""The Renewals tab's lines: a contract with its pipeline reading, the table's columns, and
the summary line rolling up what renews across the account and its sub-accounts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from app.services import dates_text
from app.services.labels import label_of
from app.services.money import format_money
from app.services.renewal_dates import TouchRule
from app.services.renewal_pipeline import PipelineRow, RenewalRollup
from app.services.renewal_rows import ContractRow
from app.views.calendar import style
from app.views.calendar.table_model import Column, arr_column

TOUCH_TEXT = {
    TouchRule.MET: "Met",
    TouchRule.MISSING: "Missing",
    TouchRule.NOT_DUE: "Not yet due",
}


@dataclass(frozen=True)
class ContractLine:
    """One row of the tab: the contract and, while open, its pipeline reading."""

    contract: ContractRow
    reading: PipelineRow | None


def status_text(line: ContractLine) -> str:
    """The Status cell: the outcome once recorded, else the contract's status (and a call due)."""
    row = line.contract
    if row.outcome is not None:
        return label_of(row.outcome)
    if line.reading is not None and line.reading.needs_call:
        return "Open · needs a call"
    return label_of(row.status)


def contract_columns() -> list[Column[ContractLine]]:
    """The tab's table columns (Account names the sub-account a contract belongs to)."""
    columns = [
        Column(
            "Account",
            lambda line: line.contract.account_name,
            tooltip=lambda line: line.contract.account_name,
        ),
        Column("Contract", lambda line: line.contract.contract_name),
        Column(
            "Term",
            lambda line: dates_text.span(line.contract.start_date, line.contract.end_date),
            sort_key=lambda line: line.contract.end_date.toordinal(),
        ),
        arr_column(lambda line: line.contract),
        Column(
            "Renews",
            lambda line: dates_text.day(line.reading.renewal_on) if line.reading else "",
        ),
        Column(
            "Notice by",
            lambda line: dates_text.day(line.reading.notice_on) if line.reading else "",
        ),
        Column(
            "Forecast",
            lambda line: (
                style.TONE_LABELS.get(
                    line.contract.forecast.value if line.contract.forecast else "none", ""
                )
                + (
                    f" ({line.contract.likelihood}%)"
                    if line.contract.likelihood is not None
                    else ""
                )
            ),
            colour=lambda line: style.TONE_COLOURS.get(
                line.contract.forecast.value if line.contract.forecast else "none"
            ),
        ),
        Column("Status", status_text),
        Column(
            "120-day touch",
            lambda line: TOUCH_TEXT[line.reading.touch_rule] if line.reading else "",
            colour=lambda line: (
                style.TONE_COLOURS["lost"]
                if line.reading and line.reading.touch_rule is TouchRule.MISSING
                else None
            ),
        ),
    ]
    # The contract's tooltip has its term too: the tab hides the Term column where the
    # table has no room for it.
    term = next(column for column in columns if column.header == "Term")
    columns[1] = replace(
        columns[1], tooltip=lambda line: f"{line.contract.contract_name}\nTerm: {term.text(line)}"
    )
    return columns


def _money_total(amounts: dict[str, int]) -> str:
    """``$150,000 + €30,000``: per currency, largest first (no FX guessing)."""
    ordered = sorted(amounts.items(), key=lambda item: (-item[1], item[0]))
    return " + ".join(format_money(amount, currency) for currency, amount in ordered)


def rollup_text(rollup: RenewalRollup, today: date) -> str:
    """The tab's summary line: what is renewing across the account and its sub-accounts."""
    if not rollup.open_count:
        return "No open renewals."
    plural = "s" if rollup.open_count != 1 else ""
    text = f"<b>{rollup.open_count} open renewal{plural}</b>"
    if len(rollup.by_account) > 1:
        text += f" across {len(rollup.by_account)} accounts"
    text += f" · ARR renewing <b>{_money_total(rollup.open_arr)}</b>"
    soonest = rollup.next_renewal
    if soonest is not None:
        days = (soonest.renewal_on - today).days
        text += (
            f" · next: {soonest.contract.account_name}, {dates_text.day(soonest.renewal_on)}"
            f" ({days} days)"
        )
    if len(rollup.by_account) > 1:
        # The largest few; the rest are in the tooltip (``rollup_details``).
        parts = [f"{name} {_money_total(arr)}" for name, arr in _by_size(rollup)]
        shown = parts[:SUMMARY_ACCOUNTS]
        more = len(parts) - len(shown)
        text += "<br>" + " · ".join(shown) + (f" · and {more} more" if more else "")
    return text


#: How many accounts the summary line names before "and N more".
SUMMARY_ACCOUNTS = 3


def _by_size(rollup: RenewalRollup) -> list[tuple[str, dict[str, int]]]:
    return sorted(rollup.by_account, key=lambda item: -sum(item[1].values()))


def rollup_details(rollup: RenewalRollup) -> str:
    """Every account's open ARR renewing, one per line (the summary's tooltip)."""
    return "\n".join(f"{name}: {_money_total(arr)}" for name, arr in _by_size(rollup))
