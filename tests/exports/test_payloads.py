"""Spreadsheet payloads typed into the workspace never become formulas in any output."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from sqlalchemy import select, update

from app.exports.portfolio_report import export_report
from app.exports.pptx_charts import SafeCategoryChartData
from app.exports.qbr import export_qbr
from app.exports.qbr_data import Audience
from app.exports.safety import DocumentInfo
from app.models import Account, Contract, Goal, Renewal, Risk, Stakeholder, SuccessPlan, Task
from app.models.opening import open_workspace
from app.models.store import Store
from app.services.private_notes import set_note
from tests.conftest import fresh_workspace
from tests.exports.conftest import package_parts, sheet_formulas, worksheet_count
from tests.exports.sample_book import TODAY, add_account

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "=cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def payload_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One account per payload; its name, people and notes are all that payload."""
    with fresh_workspace(tmp_path_factory.mktemp("payload"), "p.db") as target:
        store = open_workspace(target, create=True)
        _fill(store)
        yield store
        store.close()


def _fill(store: Store) -> None:
    with store.session() as session:
        for seed, payload in enumerate(PAYLOADS):
            account = add_account(session, payload, seed=seed, owner=payload)
            session.flush()
            aid = account.id
            account.notes = payload
            session.execute(
                update(Stakeholder)
                .where(Stakeholder.account_id == aid)
                .values(name=payload, title=payload)
            )
            for person_id in session.scalars(
                select(Stakeholder.id).where(Stakeholder.account_id == aid)
            ):
                set_note(session, person_id, payload)
            session.execute(
                update(Risk)
                .where(Risk.account_id == aid)
                .values(title=payload, mitigation=payload, internal_notes=payload, owner=payload)
            )
            session.execute(
                update(Task).where(Task.account_id == aid).values(title=payload, owner=payload)
            )
            plan_ids = [p.id for p in session.query(SuccessPlan).filter_by(account_id=aid)]
            session.execute(update(Goal).where(Goal.plan_id.in_(plan_ids)).values(title=payload))
            session.execute(update(Contract).where(Contract.account_id == aid).values(name=payload))
            contract_ids = [c.id for c in session.query(Contract).filter_by(account_id=aid)]
            session.execute(
                update(Renewal)
                .where(Renewal.contract_id.in_(contract_ids))
                .values(next_step=payload)
            )


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_qbr_outputs_hold_no_formula(payload_store: Store, tmp_path: Path, index: int) -> None:
    payload = PAYLOADS[index]
    account_id = _account_id(payload_store, payload)
    outputs = []
    for audience in Audience:
        deck = tmp_path / f"deck-{audience.value}.pptx"
        export_qbr(payload_store, account_id, deck, audience=audience, today=TODAY)
        outputs.append(deck)
    brief = tmp_path / "brief.docx"
    export_qbr(payload_store, account_id, brief, audience=Audience.INTERNAL, today=TODAY)
    outputs.append(brief)
    for path in outputs:
        assert sheet_formulas(path) == [], path.name
    # The decks really carry chart workbooks, so the scan above looked at something.
    assert worksheet_count(outputs[0]) >= 2
    # And the payload itself is in the deck, as text.
    slides = Presentation(str(outputs[1])).slides
    texts = [s.shapes.title.text_frame.text for s in slides if s.shapes.title is not None]
    assert texts[0] == payload


def test_report_holds_no_formula_and_keeps_payloads_as_text(
    payload_store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "report.xlsx"
    export_report(payload_store, out, today=TODAY)
    assert sheet_formulas(out) == []
    workbook = openpyxl.load_workbook(out)
    checked = (
        ("Accounts", 1),
        ("Risks", 2),
        ("Risks", 12),
        ("Renewals", 6),
        ("Stakeholders", 1),
        ("Stakeholders", 3),
        ("Stakeholders", 4),
    )
    for title, column in checked:
        cells = [row[column - 1] for row in workbook[title].iter_rows(min_row=2)]
        assert sorted(c.value for c in cells if c.value in PAYLOADS), title
        for cell in cells:
            if cell.value in PAYLOADS:
                assert cell.data_type == "s", (title, cell.coordinate)
    names = {row[0].value for row in workbook["Accounts"].iter_rows(min_row=2)}
    assert names == set(PAYLOADS)


def test_embedded_chart_workbook_keeps_labels_as_text() -> None:
    """python-pptx's own chart data would write formulas; ours writes strings."""

    def embedded_sheet(data: CategoryChartData) -> bytes:
        prs = Presentation()
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, 0, 0, 100, 100, data)
        buffer = io.BytesIO()
        prs.save(buffer)
        sheets = [
            blob
            for name, blob in package_parts(buffer.getvalue())
            if name.endswith("worksheets/sheet1.xml")
        ]
        assert len(sheets) == 1
        return sheets[0]

    def fill(data: CategoryChartData) -> CategoryChartData:
        data.categories = PAYLOADS
        data.add_series(PAYLOADS[1], range(len(PAYLOADS)))
        return data

    assert b"<f>" in embedded_sheet(fill(CategoryChartData()))  # the hazard is real
    safe = embedded_sheet(fill(SafeCategoryChartData(DocumentInfo(title="t"))))
    assert b"<f>" not in safe and b"<f " not in safe


def _account_id(store: Store, name: str) -> str:
    with store.read() as session:
        return session.query(Account.id).filter(Account.name == name).one()[0]


def test_zip_scan_sees_nested_packages(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<c><f>1+1</f></c>")
    outer = tmp_path / "outer.pptx"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("ppt/embeddings/x.xlsx", inner.getvalue())
    assert sheet_formulas(outer) == ["ppt/embeddings/x.xlsx!xl/worksheets/sheet1.xml"]
