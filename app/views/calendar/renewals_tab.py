"""An account's Renewals tab: its contracts and its sub-accounts', with roll-up totals; adding,
editing and deleting contracts, the forecast call, the renewal's details and its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.models.enums import ForecastCategory, RenewalOutcome
from app.services import work_items
from app.services.money import format_money, minor_digits, to_major, to_minor
from app.services.renewal_dates import TouchRule, add_months, term_months
from app.services.renewal_pipeline import (
    PipelineRow,
    RenewalRollup,
    family_renewals,
    rollup_renewals,
)
from app.services.renewal_rows import ContractRow
from app.services.renewals import LOSS_REASONS, checkpoint_offsets
from app.views.account.item_edits import ask_new_item, delete_item, edit_item
from app.views.account.items import add_item_keys
from app.views.account.tabs import AccountView
from app.views.account_edits import CreateItemCommand, UpdateItemCommand
from app.views.calendar import style
from app.views.calendar.commands import (
    OutcomeRequest,
    RecordOutcomeCommand,
    SetForecastCommand,
)
from app.views.calendar.table_model import Column, SnapshotTableModel, arr_column
from app.views.context import AppContext
from app.views.dialogs import button_row, ok_cancel
from app.views.table_base import read_only_list
from app.views.undo import push_edit

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


def _status(line: ContractLine) -> str:
    row = line.contract
    if row.outcome is not None:
        return row.outcome.value.capitalize()
    if line.reading is not None and line.reading.needs_call:
        return "Open · needs a call"
    return row.status.value.capitalize()


def contract_columns() -> list[Column[ContractLine]]:
    """The tab's table columns (Account names the sub-account a contract belongs to)."""
    return [
        Column(
            "Account",
            lambda line: line.contract.account_name,
            tooltip=lambda line: line.contract.account_name,
        ),
        Column("Contract", lambda line: line.contract.contract_name),
        Column(
            "Term",
            lambda line: (
                f"{line.contract.start_date:%-d %b %Y} – {line.contract.end_date:%-d %b %Y}"
            ),
            sort_key=lambda line: line.contract.end_date.toordinal(),
        ),
        arr_column(lambda line: line.contract),
        Column(
            "Renews",
            lambda line: f"{line.reading.renewal_on:%-d %b %Y}" if line.reading else "",
        ),
        Column(
            "Notice by",
            lambda line: f"{line.reading.notice_on:%-d %b %Y}" if line.reading else "",
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
        Column("Status", _status),
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


class OutcomeDialog(QDialog):
    """Outcome and new terms of one renewal."""

    def __init__(self, line: ContractLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = line.contract
        self.setWindowTitle(f"Record the renewal of {row.contract_name}")
        form = QFormLayout(self)
        self.outcome = QComboBox()
        for outcome in RenewalOutcome:
            self.outcome.addItem(outcome.value.capitalize(), outcome)
        self.value = QDoubleSpinBox()
        self.value.setRange(0, 1e11)
        self.value.setDecimals(minor_digits(row.currency))
        self.value.setGroupSeparatorShown(True)
        self.value.setSuffix(f" {row.currency}")
        self.value.setValue(float(to_major(row.value_minor, row.currency)))
        self._currency = row.currency
        start = row.end_date + timedelta(days=1)
        end = add_months(start, term_months(row.terms)) - timedelta(days=1)
        self.start = QDateEdit(QDate(start.year, start.month, start.day))
        self.end = QDateEdit(QDate(end.year, end.month, end.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.notice = QSpinBox()
        self.notice.setRange(0, 730)
        self.notice.setSuffix(" days")
        self.notice.setValue(row.notice_days)
        self.auto_renew = QCheckBox("Renews automatically")
        self.auto_renew.setChecked(row.auto_renew)
        self.reason_code = QComboBox()
        self.reason_code.addItem("—", None)
        for code, label in LOSS_REASONS.items():
            self.reason_code.addItem(label, code)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("What happened, in a sentence")
        form.addRow("Outcome", self.outcome)
        form.addRow("New annual value", self.value)
        form.addRow("New term starts", self.start)
        form.addRow("New term ends", self.end)
        form.addRow("Notice period", self.notice)
        form.addRow("", self.auto_renew)
        form.addRow("Churn / downsell reason", self.reason_code)
        form.addRow("Notes", self.reason)
        form.addRow(ok_cancel(self))
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self._outcome_changed()

    def _outcome_changed(self) -> None:
        # Combo boxes hand StrEnum data back as plain strings.
        outcome = RenewalOutcome(self.outcome.currentData())
        churned = outcome is RenewalOutcome.CHURNED
        for widget in (self.value, self.start, self.end, self.notice, self.auto_renew):
            widget.setEnabled(not churned)
        self.reason_code.setEnabled(outcome in (RenewalOutcome.CHURNED, RenewalOutcome.DOWNSOLD))

    def request(self) -> OutcomeRequest:
        """What the user entered."""
        outcome = RenewalOutcome(self.outcome.currentData())
        if outcome is RenewalOutcome.CHURNED:
            return OutcomeRequest(
                outcome, reason_code=self.reason_code.currentData(), reason=self.reason.text()
            )
        start, end = self.start.date(), self.end.date()
        return OutcomeRequest(
            outcome,
            value_minor=to_minor(self.value.value(), self._currency),
            start_date=date(start.year(), start.month(), start.day()),
            end_date=date(end.year(), end.month(), end.day()),
            notice_days=self.notice.value(),
            auto_renew=self.auto_renew.isChecked(),
            reason_code=self.reason_code.currentData()
            if outcome is RenewalOutcome.DOWNSOLD
            else None,
            reason=self.reason.text(),
        )


def ask_outcome(parent: QWidget, line: ContractLine) -> OutcomeRequest | None:
    """Ask for the outcome and new terms; None when cancelled. Tests replace this."""
    dialog = OutcomeDialog(line, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.request()


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
            f" · next: {soonest.contract.account_name}, {soonest.renewal_on:%-d %b %Y}"
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


#: The Account column's widest (names of sub-accounts run long).
ACCOUNT_COLUMN_WIDTH = 220


class RenewalsTab(AccountView):
    """One account's contracts and its sub-accounts', with the renewal workflow on the
    selected one: the one place for contracts and renewals."""

    title = "Renewals"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        #: The account and its sub-accounts, as last read (changes to any refresh the tab).
        self.family: set[str] = set()
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("renewalsSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.add_button = QPushButton("Add contract…")
        self.add_button.clicked.connect(self.add_contract)
        self.edit_button = QPushButton("Edit contract…")
        self.edit_button.clicked.connect(self.edit_contract)
        self.delete_button = QPushButton("Delete contract")
        self.delete_button.clicked.connect(self.delete_contract)
        self.details_button = QPushButton("Renewal details…")
        self.details_button.setToolTip(
            "Forecast, its date, next step, outcome and reason, as recorded on the renewal"
        )
        self.details_button.clicked.connect(self.edit_renewal)
        layout.addLayout(
            button_row(
                self.add_button, self.edit_button, self.delete_button, right=[self.details_button]
            )
        )
        self.model: SnapshotTableModel[ContractLine] = SnapshotTableModel(contract_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_list(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_contract())
        self.table.setObjectName("table_contract")
        add_item_keys(self.table, self.add_contract, self.edit_contract, self.delete_contract)
        layout.addWidget(self.table, 1)

        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)

        box = QGroupBox("Forecast call")
        form = QFormLayout(box)
        self.forecast = QComboBox()
        self.forecast.addItem("Not called", None)
        for category in ForecastCategory:
            self.forecast.addItem(style.TONE_LABELS[category.value], category)
        self.likelihood = QSpinBox()
        self.likelihood.setRange(-1, 100)
        self.likelihood.setSpecialValueText("—")
        self.likelihood.setSuffix(" %")
        self.next_step = QLineEdit()
        self.next_step.setPlaceholderText("The next step towards the renewal")
        self.save_button = QPushButton("Save forecast call")
        self.save_button.clicked.connect(self.save_forecast)
        self.outcome_button = QPushButton("Record outcome…")
        self.outcome_button.clicked.connect(self.record_outcome)
        form.addRow("Forecast", self.forecast)
        form.addRow("Likelihood", self.likelihood)
        form.addRow("Next step", self.next_step)
        form.addRow(button_row(self.save_button, self.outcome_button))
        self.form_box = box
        layout.addWidget(box)
        ctx.events.changed.connect(self._on_changed)
        self.set_account(None)

    def reload(self) -> None:
        current = self.selected()
        keep = current.contract.contract_id if current else None
        lines: list[ContractLine] = []
        family = {self.account_id} if self.account_id is not None else set()
        if self.account_id is not None:
            with self.ctx.store.read() as session:
                from app.services.hierarchy import descendant_ids

                offsets = checkpoint_offsets(session)
                pairs = family_renewals(session, self.account_id, self.ctx.today, offsets)
                family |= set(descendant_ids(session, self.account_id))
                lines = [ContractLine(row, reading) for row, reading in pairs]
            rollup = rollup_renewals(pairs)
            self.summary.setText(rollup_text(rollup, self.ctx.today))
            self.summary.setToolTip(rollup_details(rollup))
        else:
            self.summary.setText("")
            self.summary.setToolTip("")
        self.family = family
        self.model.set_rows(lines)
        # The Account column matters once a sub-account's contract is listed.
        self.table.setColumnHidden(
            0, all(line.contract.account_id == self.account_id for line in lines)
        )
        # Long sub-account names elide (the full name is in the cell's tooltip).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), ACCOUNT_COLUMN_WIDTH))
        # Keep the selection; else the soonest open renewal, the one to act on first.
        open_lines = [(line.reading.renewal_on, i) for i, line in enumerate(lines) if line.reading]
        target = next(
            (i for i, line in enumerate(lines) if line.contract.contract_id == keep),
            min(open_lines)[1] if open_lines else 0,
        )
        if lines:
            self.table.selectRow(target)
        self._show_selected()

    def selected(self) -> ContractLine | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def _show_selected(self) -> None:
        line = self.selected()
        open_ = line is not None and line.reading is not None
        self.form_box.setEnabled(open_)
        self.add_button.setEnabled(self.account_id is not None)
        for button in (self.edit_button, self.delete_button, self.details_button):
            button.setEnabled(line is not None)
        if line is None:
            self.detail.setText("No contracts yet." if self.account_id else "")
            return
        row = line.contract
        self.forecast.setCurrentIndex(max(0, self.forecast.findData(row.forecast)))
        self.likelihood.setValue(-1 if row.likelihood is None else row.likelihood)
        self.next_step.setText(row.next_step or "")
        if line.reading is None:
            self.detail.setText(
                f"<b>{row.contract_name}</b>: {_status(line).lower()}; history is kept."
            )
            return
        reading = line.reading
        marks = " · ".join(
            f"{'✓' if mark.day <= self.ctx.today else '○'} {mark.offset}d {mark.day:%-d %b}"
            for mark in reading.checkpoints
        )
        flag = (
            f" <b style='color:{style.TONE_COLOURS['lost']}'>Past a checkpoint without a "
            "forecast call.</b>"
            if reading.needs_call
            else ""
        )
        self.detail.setText(
            f"<b>{row.contract_name}</b> renews on <b>{reading.renewal_on:%-d %B %Y}</b> "
            f"({reading.days_to_renewal} days); notice deadline "
            f"<b>{reading.notice_on:%-d %B %Y}</b>. Checkpoints: {marks}. "
            f"120-day touch: {TOUCH_TEXT[reading.touch_rule].lower()}.{flag}"
        )

    def save_forecast(self) -> None:
        line = self.selected()
        if line is None:
            return
        likelihood = self.likelihood.value()
        forecast = self.forecast.currentData()
        command = SetForecastCommand(
            self.ctx,
            line.contract.contract_id,
            ForecastCategory(forecast) if forecast else None,
            None if likelihood < 0 else likelihood,
            self.next_step.text(),
        )
        push_edit(self.ctx, command, self)

    def record_outcome(self) -> None:
        line = self.selected()
        if line is None or line.reading is None:
            return
        request = ask_outcome(self, line)
        if request is None:
            return
        command = RecordOutcomeCommand(self.ctx, line.contract.contract_id, request)
        if not push_edit(self.ctx, command, self):
            return
        # Go on with the new term: its renewal is the next one to work on.
        if command.result is not None and command.result.new_contract_id is not None:
            self.select_contract(command.result.new_contract_id)

    # --- contracts: add, edit, delete; the renewal's recorded details ------------------

    def _contract_values(self, line: ContractLine) -> dict[str, object] | None:
        with self.ctx.store.read() as session:
            rows = work_items.list_items(session, "contract", line.contract.account_id)
        return next((r for r in rows if r["id"] == line.contract.contract_id), None)

    def add_contract(self) -> None:
        """A new contract of this account (a sub-account's are added on its own tab)."""
        from app.views.account.sections import CONTRACTS

        if self.account_id is None:
            return
        values = ask_new_item(self, self.ctx, CONTRACTS, self.account_id)
        if values is None:
            return
        command = CreateItemCommand(
            self.ctx,
            "contract",
            {**values, "account_id": self.account_id},
            f"add {values.get('name') or 'contract'}",
        )
        if push_edit(self.ctx, command, self):
            self.select_contract(command.item_id)

    def edit_contract(self) -> None:
        """Edit the selected contract, whichever account of the family it belongs to."""
        from app.views.account.sections import CONTRACTS

        line = self.selected()
        values = None if line is None else self._contract_values(line)
        if line is not None and values is not None:
            edit_item(self, self.ctx, CONTRACTS, values)

    def delete_contract(self) -> None:
        from app.views.account.sections import CONTRACTS

        line = self.selected()
        if line is not None:
            row = {"id": line.contract.contract_id, "name": line.contract.contract_name}
            delete_item(self, self.ctx, CONTRACTS, row)

    def edit_renewal(self) -> None:
        """The renewal as recorded: forecast and its date, next step, outcome and reason."""
        from app.views.account import forms, sections

        line = self.selected()
        if line is None:
            return
        row = line.contract
        with self.ctx.store.read() as session:
            renewal = next(
                (
                    r
                    for r in work_items.list_items(session, "renewal", row.account_id)
                    if r["contract_id"] == row.contract_id
                ),
                None,
            )
        title = f"Renewal of {row.contract_name}"
        if renewal is None:
            values = forms.edit_form(self, title, sections.RENEWAL_FIELDS, {}, None, new=True)
            if values is None:
                return
            push_edit(
                self.ctx,
                CreateItemCommand(
                    self.ctx,
                    "renewal",
                    {**values, "contract_id": row.contract_id},
                    f"forecast renewal of {row.contract_name}",
                ),
                self,
            )
            return
        changes = forms.edit_form(self, title, sections.RENEWAL_FIELDS, renewal)
        if changes:
            push_edit(
                self.ctx,
                UpdateItemCommand(
                    self.ctx,
                    "renewal",
                    renewal["id"],
                    changes,
                    f"update renewal of {row.contract_name}",
                ),
                self,
            )

    def select_contract(self, contract_id: str) -> None:
        """Select the row of ``contract_id`` if the tab lists it."""
        for index, line in enumerate(self.model.rows()):
            if line.contract.contract_id == contract_id:
                self.table.selectRow(index)
                self._show_selected()
                return

    def _on_changed(self, changes: ChangeSet) -> None:
        shows = (
            ChangeKind.CONTRACT,
            ChangeKind.RENEWAL,
            ChangeKind.ACTIVITY,
            ChangeKind.ACCOUNT,
            ChangeKind.HEALTH,
        )
        if self.account_id is None or not changes.touches(*shows):
            return
        # A sub-account's contract, or the family itself (an account moved in or out).
        if (
            changes.book_wide
            or ChangeKind.ACCOUNT in changes.kinds
            or not self.family.isdisjoint(changes.account_ids)
        ):
            self.reload()
