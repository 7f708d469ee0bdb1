"""The portfolio report: sheets, typed cells, formats, outline, tables, colours, charts."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from app.exports.portfolio_report import export_report
from app.exports.safety import ExportError
from app.models import Account
from app.models.enums import Segment
from app.models.store import Store
from app.services.exchange import set_rate
from tests.exports.sample_book import TODAY

SHEETS = [
    "Summary",
    "Accounts",
    "Renewals",
    "Health history",
    "Risks",
    "Stakeholder coverage",
    "Stakeholders",
    "Review gaps",
]


@pytest.fixture
def report(book: tuple[Store, dict[str, str]], tmp_path: Path) -> Path:
    store, _ = book
    out = tmp_path / "report.xlsx"
    export_report(store, out, today=TODAY)
    return out


def test_sheets_tables_and_frozen_headers(report: Path) -> None:
    workbook = openpyxl.load_workbook(report)
    assert workbook.sheetnames == SHEETS
    for ws in workbook.worksheets:
        assert ws.tables, ws.title
        if ws.title != "Summary":
            assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2"), ws.title
            (table,) = ws.tables.values()
            assert table.ref.startswith("A1:")
            header = [c.value for c in next(ws.iter_rows(max_row=1))]
            assert [col.name for col in table.tableColumns] == header


def test_accounts_are_typed_formatted_and_outlined(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["Accounts"]
    header = [c.value for c in ws[1]]
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    assert list(rows) == ["Acme Logistics", "Acme Europe", "Acme Rotterdam", "Blank Corp"]
    acme = rows["Acme Logistics"]
    arr = acme[header.index("ARR")]
    assert arr.value == 900_000 and arr.data_type == "n" and "$" in arr.number_format
    assert acme[header.index("ARR with sub-accounts")].value == 900_000 + 300_000 + 120_000
    assert rows["Blank Corp"][header.index("ARR")].number_format.startswith('"€"')
    renewal = acme[header.index("Next renewal")]
    assert isinstance(renewal.value, datetime) and renewal.value.date().isoformat() == "2027-03-31"
    assert acme[header.index("Days left")].value == 131
    assert isinstance(acme[header.index("Health score")].value, int | float)
    assert acme[header.index("Forecast")].value == "Commit"
    assert acme[header.index("Open risks")].value == 2
    levels = [ws.row_dimensions[r].outline_level for r in range(2, 6)]
    assert levels == [0, 1, 2, 0]
    assert ws.sheet_properties.outlinePr.summaryBelow is False
    widths = {ws.column_dimensions[c].width for c in "ABCDEFGHIJ"}
    assert len(widths) > 3  # fitted to contents, not one default width


def test_segments_read_as_the_window_words_them(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """The report said "Smb" and "Mid market" where the window says "SMB" and "Mid-market"."""
    store, ids = book
    with store.session() as session:
        session.get(Account, ids["Acme Europe"]).segment = Segment.MID_MARKET
        session.get(Account, ids["Blank Corp"]).segment = Segment.SMB
    export_report(store, tmp_path / "report.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(tmp_path / "report.xlsx")["Accounts"]
    header = [c.value for c in ws[1]]
    segments = {row[0].value: row[header.index("Segment")].value for row in ws.iter_rows(min_row=2)}
    assert (segments["Acme Europe"], segments["Blank Corp"]) == ("Mid-market", "SMB")


def test_red_yellow_green_rules(report: Path) -> None:
    workbook = openpyxl.load_workbook(report)
    ranges = {
        title: {str(cf.sqref) for cf in workbook[title].conditional_formatting}
        for title in ("Accounts", "Renewals", "Risks", "Stakeholder coverage", "Stakeholders")
    }
    assert {"P2:P5", "Q2:Q5", "R2:R5", "T2:T5", "U2:U5", "V2:W5"} <= ranges["Accounts"]
    assert {"C2:C3", "L2:L3", "N2:N3"} <= ranges["Renewals"]
    assert "D2:D5" in ranges["Risks"] and "E2:G5" in ranges["Stakeholder coverage"]
    assert ranges["Stakeholders"] == {"K2:K7"}  # sentiment: detractors red, supporters green

    def rules(ref: str) -> list[object]:
        sheet = workbook["Accounts"]
        return [r for cf in sheet.conditional_formatting if str(cf.sqref) == ref for r in cf.rules]

    score = rules("P2:P5")  # the score follows its band, never a threshold of its own
    assert [r.formula[0] for r in score] == ['$Q2="Red"', '$Q2="Yellow"', '$Q2="Green"']
    assert [r.dxf.fill.bgColor.rgb[-6:] for r in score] == ["F8D7D4", "FCEFC7", "D5EDDB"]
    days = rules("T2:T5")  # blanks (no renewal) stay white
    assert [r.formula[0] for r in days] == ["AND(ISNUMBER(T2),T2<60)", "AND(ISNUMBER(T2),T2<120)"]


def test_health_history_cells_carry_their_weeks_band(
    report: Path, book: tuple[Store, dict[str, str]]
) -> None:
    from sqlalchemy import text

    store, ids = book
    with store.read() as session:
        bands = [
            r[0]
            for r in session.execute(
                text("SELECT band FROM health_score WHERE account_id = :a ORDER BY as_of"),
                {"a": ids["Acme Logistics"]},
            )
        ]
    ws = openpyxl.load_workbook(report)["Health history"]
    acme = next(ws.iter_rows(min_row=2, max_row=2))[2:]
    colour = {"F8D7D4": "red", "FCEFC7": "yellow", "D5EDDB": "green"}
    # Plain scores; one conditional format per band lists the weeks given that band.
    assert all(c.fill.fgColor.rgb[-6:] == "000000" for c in acme)
    painted = {}
    for formats in ws.conditional_formatting:
        for rule in formats.rules:
            for cell in acme:
                if cell.coordinate in formats.sqref:
                    assert cell.coordinate not in painted
                    painted[cell.coordinate] = colour[rule.dxf.fill.bgColor.rgb[-6:]]
    assert [painted[c.coordinate] for c in acme] == bands
    assert len(set(bands)) >= 2


def test_health_history_is_wide(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["Health history"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["Account", "Owner"]
    assert len(header) == 2 + 30  # 30 weekly scores in the sample book
    acme = next(ws.iter_rows(min_row=2, max_row=2))
    assert acme[0].value == "Acme Logistics"
    assert all(isinstance(c.value, int | float) for c in acme[2:])
    blank = next(ws.iter_rows(min_row=5, max_row=5))
    assert blank[0].value == "Blank Corp" and all(c.value is None for c in blank[2:])


def test_renewals_risks_and_coverage(report: Path) -> None:
    workbook = openpyxl.load_workbook(report)
    renewals = list(workbook["Renewals"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3]) for r in renewals] == [
        ("2027Q1", "Acme Europe"),
        ("2027Q1", "Acme Logistics"),
    ]
    risks = list(workbook["Risks"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in risks] == ["Critical", "Critical", "High", "High"]
    coverage = {
        r[0]: r for r in workbook["Stakeholder coverage"].iter_rows(min_row=2, values_only=True)
    }
    assert coverage["Acme Logistics"][4:7] == ("Yes", "Yes", "Yes")
    assert coverage["Blank Corp"][11] == "No economic buyer; no champion; no executive sponsor"


def test_stakeholders_one_typed_row_per_person(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    from sqlalchemy import update

    from app.models import Stakeholder

    store, ids = book
    with store.session() as session:
        people = {
            p.name: p
            for p in session.query(Stakeholder).filter_by(account_id=ids["Acme Logistics"])
        }
        tom, erik = people["Tom Becker"], people["Erik Olsen"]
        maria = people["Maria Jensen"]
        maria.email, maria.phone = "maria@acme.example", "+45 33 12 34 56"
        tom.reports_to_id, erik.reports_to_id = maria.id, tom.id
        erik.departed, erik.departed_on = True, TODAY
        session.execute(
            update(Stakeholder).where(Stakeholder.id == tom.id).values(last_contact_on=TODAY)
        )
    out = tmp_path / "report.xlsx"
    export_report(store, out, today=TODAY)
    ws = openpyxl.load_workbook(out)["Stakeholders"]
    header = [c.value for c in ws[1]]
    assert header == [
        "Account", "Account ID", "Name", "Title", "Department", "Email", "Phone", "Reports To",
        "Buying role", "Influence", "Sentiment", "Last contact", "Departed", "Departed on",
    ]  # fmt: skip
    everyone = list(ws.iter_rows(min_row=2))
    # Tree order of accounts, then present people by name, the departed last.
    assert [(r[0].value, r[2].value) for r in everyone] == [
        ("Acme Logistics", "Maria Jensen"),
        ("Acme Logistics", "Tom Becker"),
        ("Acme Logistics", "Erik Olsen"),
        ("Acme Europe", "Erik Olsen"),
        ("Acme Europe", "Maria Jensen"),
        ("Acme Europe", "Tom Becker"),
    ]
    col = {name: index for index, name in enumerate(header)}
    rows = {row[2].value: row for row in everyone[:3]}
    maria_row, tom_row, erik_row = rows.values()
    assert maria_row[col["Account"]].value == "Acme Logistics"
    assert maria_row[col["Account ID"]].value == ids["Acme Logistics"]  # no CRM id: ours
    assert maria_row[col["Phone"]].value == "+45 33 12 34 56"  # text, not a formula
    assert maria_row[col["Phone"]].data_type == "s"
    assert tom_row[col["Reports To"]].value == "maria@acme.example"  # email when known
    assert erik_row[col["Reports To"]].value == "Tom Becker"  # else the name
    assert maria_row[col["Buying role"]].value == "Economic buyer"
    influence, sentiment = erik_row[col["Influence"]], erik_row[col["Sentiment"]]
    assert (influence.value, sentiment.value) == (5, -2) and sentiment.data_type == "n"
    last = tom_row[col["Last contact"]]
    assert isinstance(last.value, datetime) and last.number_format == "mmm d, yyyy"
    assert [r[col["Departed"]].value for r in everyone] == ["No", "No", "Yes", "No", "No", "No"]
    assert erik_row[col["Departed on"]].value.date() == TODAY
    assert ws.freeze_panes == "D2"
    assert ws.column_dimensions["F"].width > ws.column_dimensions["E"].width


def test_summary_kpis_and_native_charts(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["Summary"]
    kpis = {row[0].value: row[1].value for row in ws.iter_rows(min_row=5, max_row=15)}
    assert kpis["Accounts"] == 4
    assert kpis["ARR"] == 900_000 + 300_000 + 120_000  # USD only; Blank Corp is in EUR
    # No EUR rate: the summary says, in full and on its own row, what it leaves out.
    assert ws["A3"].value == "Leaves out €50K (EUR): no rate to USD."
    assert kpis["Open risks"] == 4
    with zipfile.ZipFile(report) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(archive.read(n).decode() for n in charts)
    assert len(charts) == 2
    assert xml.count("<barChart>") == 2 and '<grouping val="stacked"' in xml
    assert "<f>'Summary'!$B$18:$B$21</f>" in xml


def test_owner_filter(book: tuple[Store, dict[str, str]], tmp_path: Path) -> None:
    store, _ = book
    out = tmp_path / "lee.xlsx"
    result = export_report(store, out, owner="lee park", today=TODAY)
    assert result.accounts == 1
    names = [
        r[0] for r in openpyxl.load_workbook(out)["Accounts"].iter_rows(min_row=2, values_only=True)
    ]
    assert names == ["Blank Corp"]
    # Blank Corp has nobody: Acme's people stay out of Lee's report.
    people = openpyxl.load_workbook(out)["Stakeholders"]
    assert people.max_row == 1
    assert [t.ref for t in people.tables.values()] == ["A1:N2"]  # a table needs a data row
    with pytest.raises(ExportError, match="No account is owned by Nobody"):
        export_report(store, tmp_path / "none.xlsx", owner="Nobody", today=TODAY)
    assert not (tmp_path / "none.xlsx").exists()


def test_failing_save_leaves_the_old_report(
    book: tuple[Store, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = book
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"last week's report")
    import app.exports.portfolio_report as module

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "save_workbook", broken)
    with pytest.raises(OSError, match="No space"):
        export_report(store, out, today=TODAY)
    assert out.read_bytes() == b"last week's report"
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_summary_totals_convert_with_the_users_rates(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, _ = book
    with store.session() as session:
        set_rate(session, "EUR", "1.1", TODAY, today=TODAY)
    out = tmp_path / "rated.xlsx"
    result = export_report(store, out, today=TODAY)
    ws = openpyxl.load_workbook(out)["Summary"]
    kpis = {row[0].value: row[1].value for row in ws.iter_rows(min_row=5, max_row=15)}
    assert kpis["ARR"] == 900_000 + 300_000 + 120_000 + 55_000  # €50,000 at 1.1
    assert ws["A3"].value == f"Converted at rates of {TODAY:%b} {TODAY.day}, {TODAY:%Y}."
    assert result.notes == [
        f"Summary totals are in USD. Converted at rates of {TODAY:%b} {TODAY.day}, {TODAY:%Y}."
    ]


def test_print_settings_read_back_from_the_workbook(report: Path) -> None:
    """Landscape, fitted to the width, header row on every page, a print area per sheet;
    wide sheets repeat their account columns on every page."""
    workbook = openpyxl.load_workbook(report)
    for ws in workbook.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.print_area, ws.title
        assert ws.oddFooter.right.text == "Page &P of &N"
        if ws.title != "Summary":
            # The print area is the sheet's table, exactly.
            (table,) = ws.tables.values()
            absolute = openpyxl.utils.cell.absolute_coordinate(table.ref)
            assert ws.print_area == f"'{ws.title}'!{absolute}"
            assert setup.fitToHeight == 0  # as many pages down as needed
    summary = workbook["Summary"]
    assert (summary.page_setup.fitToWidth, summary.page_setup.fitToHeight) == (1, 1)
    assert summary.print_area == "'Summary'!$A$1:$P$35"
    history = workbook["Health history"]
    assert history.print_title_cols == "$A:$B"  # account and owner on every page
    assert history.page_setup.fitToWidth > 1
    assert history.page_setup.pageOrder == "overThenDown"
    last_column = openpyxl.utils.get_column_letter(history.max_column)
    assert history.print_area == f"'Health history'!$A$1:${last_column}$5"
    for ws in workbook.worksheets:
        # Split across pages only with the frozen columns (the account) repeated on each.
        wide = ws.page_setup.fitToWidth > 1
        assert (ws.print_title_cols is not None) == wide, ws.title
        if wide:
            frozen = ws.freeze_panes.rstrip("0123456789")
            last_title = openpyxl.utils.column_index_from_string(frozen) - 1
            assert ws.print_title_cols == f"$A:${openpyxl.utils.get_column_letter(last_title)}"


def test_pages_across_keeps_a_readable_scale() -> None:
    from app.exports.report_print import MIN_SCALE, PAGE_UNITS, pages_across

    usable = PAGE_UNITS / MIN_SCALE
    assert pages_across([10.0] * 10, 1) == 1
    assert pages_across([usable / 2, usable / 2], 1) == 1
    # An account column of 40 repeats on each page: 40 + 3 x usable needs 4 pages across.
    assert pages_across([40.0, *[usable / 10] * 30], 1) == 4


def test_yen_are_not_divided_by_a_hundred(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    from app.models import Account

    store, _ = book
    with store.session() as session:
        session.add(
            Account(name="Kyoto KK", owner="Lee Park", currency="JPY", arr_minor=12_500_000)
        )
    out = tmp_path / "yen.xlsx"
    export_report(store, out, today=TODAY)
    ws = openpyxl.load_workbook(out)["Accounts"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Kyoto KK")
    arr = row[header.index("ARR")]
    assert arr.value == 12_500_000  # ¥12.5M, stored in yen (JPY has no minor unit)
    assert arr.number_format.startswith('"¥"#,##0')


def test_numbers_keep_clear_of_the_text_beside_them(report: Path) -> None:
    """A right-aligned number ran into the left-aligned text of the next column when printed
    ('98.1Green', '1648No QBR on record'): every number cell pads its right edge, and scores
    and trends show one decimal alike (89.0 beside 89.4, not 89)."""
    workbook = openpyxl.load_workbook(report)
    for ws in workbook.worksheets:
        if ws.title in ("Summary", "Health history"):
            continue  # label/value pairs; week columns of scores only
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert cell.number_format.endswith("_)"), (ws.title, cell.coordinate)
    accounts = workbook["Accounts"]
    header = [c.value for c in accounts[1]]
    score = accounts.cell(row=2, column=header.index("Health score") + 1)
    assert score.number_format == "0.0_)"


def test_health_history_scores_and_week_dates_read_whole(report: Path) -> None:
    """Scores showed 97 beside 95.7, and the upright week dates lost their last digit
    ('2025-09-2') in a header row too short for them."""
    ws = openpyxl.load_workbook(report)["Health history"]
    rules = [rule for formats in ws.conditional_formatting for rule in formats.rules]
    assert rules and all(rule.dxf.numFmt.formatCode == "0.0" for rule in rules)
    # An upright 11 pt bold date of 10 characters, about 0.62 em each, plus the cell padding.
    assert ws.row_dimensions[1].height >= 10 * 11 * 0.62 + 6


def test_the_summary_names_each_forecast_call_as_the_renewals_tab_does(report: Path) -> None:
    # It spelled the stored value by hand, and said "Not set" where the window says "Not called".
    ws = openpyxl.load_workbook(report)["Summary"]
    headers = [
        [c.value for c in row if c.value is not None]
        for row in ws.iter_rows()
        if row[0].value == "Quarter"
    ]
    assert headers == [["Quarter", "Commit", "Likely", "At risk", "Lost", "Not called"]]


def test_a_columns_width_is_its_widest_value_as_the_report_shows_it() -> None:
    """Column widths format each day and each currency's extremes once; they come out as
    wide as formatting every value would make them."""
    import random
    from datetime import date, timedelta

    from app.exports.report_sheets import Money, _column_width, _display_width

    rng = random.Random(5)
    for _ in range(300):
        # Amounts of any size, some columns all credits (negative), some all positive.
        low, high = -(10 ** rng.randint(0, 11)), 10 ** rng.randint(0, 11)
        low, high = rng.choice([(low, high), (low, 0), (0, high)])
        values = [
            rng.choice(
                [
                    Money(rng.randint(low, high), rng.choice(["USD", "EUR", "JPY", "GBP"])),
                    date(2025, 1, 1) + timedelta(days=rng.randint(0, 900)),
                    rng.choice(["Acme", "Northwind Logistics", "", None]),
                    rng.random() * 100,
                    rng.randint(0, 10 ** rng.randint(0, 9)),
                ]
            )
            for _ in range(rng.randint(0, 40))
        ]
        assert _column_width(values) == max(map(_display_width, values), default=0)
