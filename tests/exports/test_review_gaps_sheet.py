"""The portfolio report's Review gaps sheet: reviews overdue or due by the cadence."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl

from app.exports.portfolio_report import export_report
from app.models import Account, Activity
from app.models.enums import ActivityKind
from app.models.store import Store
from tests.exports.sample_book import TODAY


def test_review_gaps_sheet(book: tuple[Store, dict[str, str]], tmp_path: Path) -> None:
    store, ids = book
    with store.session() as session:
        # Acme Logistics (enterprise: QBR every 91 days, EBR yearly) met on 1 July:
        # QBR due 30 Sep, 51 days overdue on 20 Nov; its EBR (never held) due a year after
        # it joined, which is long ago here.
        acme = session.get(Account, ids["Acme Logistics"])
        acme.created_at = datetime(2025, 1, 1, tzinfo=UTC)
        session.add_all(
            [
                Activity(
                    account_id=acme.id,
                    kind=ActivityKind.QBR,
                    title="QBR",
                    occurred_at=datetime(2026, 7, 1, 10, tzinfo=UTC),
                ),
                Activity(
                    account_id=acme.id,
                    kind=ActivityKind.EBR,
                    title="EBR",
                    occurred_at=datetime(2026, 1, 10, 10, tzinfo=UTC),
                ),
            ]
        )
    out = tmp_path / "report.xlsx"
    export_report(store, out, today=TODAY)
    ws = openpyxl.load_workbook(out)["Review gaps"]
    header = [c.value for c in ws[1]]
    assert header == [
        "Account", "Owner", "Review", "Every (days)", "Last held", "Due", "Days overdue",
        "Status",
    ]  # fmt: skip
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    acme_rows = [r for r in rows if r[0] == "Acme Logistics"]
    assert acme_rows == [
        [
            "Acme Logistics", "Dana Whitfield", "Quarterly business review", 91,
            datetime(2026, 7, 1), datetime(2026, 9, 30), 51, "QBR overdue by 51 days",
        ]
    ]  # fmt: skip
    overdue = ws["G2"]
    assert overdue.data_type == "n"
    assert len(rows) == 1  # nothing else is due within 30 days
    assert {str(cf.sqref) for cf in ws.conditional_formatting} == {"G2"}  # overdue in red
