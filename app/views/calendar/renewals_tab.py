"""An account's Renewals tab: its contracts and its sub-accounts', with roll-up totals; adding,
editing and deleting contracts, the forecast call, the renewal's details and its outcome."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.models.enums import ForecastCategory
from app.services import dates_text, work_items
from app.services.renewal_pipeline import family_renewals, rollup_renewals
from app.services.renewal_rows import NO_CALL
from app.services.renewals import checkpoint_offsets
from app.views.account.item_edits import ask_new_item, delete_item, edit_item
from app.views.account.items import add_item_keys
from app.views.account.tabs import AccountView
from app.views.account_edits import CreateItemCommand, UpdateItemCommand
from app.views.calendar import style
from app.views.calendar.commands import RecordOutcomeCommand, SetForecastCommand
from app.views.calendar.contract_lines import (
    TOUCH_TEXT,
    ContractLine,
    contract_columns,
    rollup_details,
    rollup_text,
    status_text,
)
from app.views.calendar.outcome_dialog import ask_outcome
from app.views.calendar.table_model import SnapshotTableModel
from app.views.context import AppContext
from app.views.dialogs import button_row
from app.views.rich_text import unbroken
from app.views.table_base import ColumnFit, read_only_list
from app.views.undo import push_edit


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
        # Names elide, the term (in the contract's tooltip) and the notice date (in the line
        # below the table) hide before a column goes past the table's edge.
        self.column_fit = ColumnFit(self.table, names=(0, 1), optional=(2, 5), middle=(0, 1))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
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
        self.forecast.addItem(style.TONE_LABELS[NO_CALL], None)
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
        self.column_fit.fit()
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
                f"<b>{html.escape(row.contract_name)}</b>: {status_text(line).lower()}; "
                "history is kept."
            )
            return
        reading = line.reading
        marks = " · ".join(
            unbroken(
                f"{'✓' if mark.day <= self.ctx.today else '○'} {mark.offset}d "
                f"{dates_text.short_day(mark.day)}"
            )
            for mark in reading.checkpoints
        )
        flag = (
            f" <b style='color:{style.TONE_COLOURS['lost']}'>Past a checkpoint without a "
            "forecast call.</b>"
            if reading.needs_call
            else ""
        )
        self.detail.setText(
            f"<b>{html.escape(row.contract_name)}</b> renews on "
            f"<b>{dates_text.day(reading.renewal_on)}</b> "
            f"({reading.days_to_renewal} days); notice deadline "
            f"<b>{dates_text.day(reading.notice_on)}</b>. Checkpoints: {marks}. "
            f"{unbroken(f'120-day touch: {TOUCH_TEXT[reading.touch_rule].lower()}.')}{flag}"
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
