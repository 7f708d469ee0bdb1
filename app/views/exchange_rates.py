"""File > Currency & Exchange Rates: the reporting currency and the rates totals convert with."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import dates_text, exchange
from app.services.exchange import Rate, RateError
from app.views.context import AppContext
from app.views.date_edit import day_picker
from app.views.dialogs import button_row
from app.views.table_base import read_only_list
from app.views.theme import error_label, show_error


class ExchangeRatesDialog(QDialog):
    """Keeps the reporting currency and one dated rate per other currency; never fetches.

    Each field says what is wrong beside it as the user types; nothing is saved until the
    input is valid. Saved changes are announced as a workspace change so totals refresh.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Currency & Exchange Rates")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Totals across currencies (Today, the renewal pipeline, the portfolio report) are "
            "shown in the reporting currency, converted with the rates you enter here. "
            "Fieldbook never fetches rates: enter each with the date you read it.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        reporting = QFormLayout()
        row = QHBoxLayout()
        self.reporting_edit = QLineEdit(self)
        self.reporting_edit.setObjectName("reporting_currency")
        self.reporting_edit.setMaxLength(3)
        self.reporting_edit.setFixedWidth(70)
        self.reporting_button = QPushButton("Use", self)
        self.reporting_button.setObjectName("use_reporting_currency")
        row.addWidget(self.reporting_edit)
        row.addWidget(self.reporting_button)
        row.addStretch(1)
        self.reporting_error = error_label(self)
        box = QVBoxLayout()
        box.addLayout(row)
        box.addWidget(self.reporting_error)
        reporting.addRow("Reporting currency", box)
        layout.addLayout(reporting)

        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Currency", "Rate", "As of"])
        read_only_list(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table, 1)
        self.missing = QLabel(self)
        self.missing.setObjectName("missing_rates")
        self.missing.setWordWrap(True)
        layout.addWidget(self.missing)

        form = QFormLayout()
        self.currency_edit = QLineEdit(self)
        self.currency_edit.setObjectName("rate_currency")
        self.currency_edit.setMaxLength(3)
        self.currency_edit.setPlaceholderText("EUR")
        self.currency_error = error_label(self)
        self.rate_edit = QLineEdit(self)
        self.rate_edit.setObjectName("rate_value")
        self.rate_edit.setPlaceholderText("1.08")
        self.rate_error = error_label(self)
        self.date_edit = day_picker(parent=self)
        self.date_edit.setObjectName("rate_date")
        today = ctx.today
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        #: The reporting currency, after the rate on its line: "equals 1.08 USD".
        self.quote_label = QLabel(self)
        for label, edit, error, after in (
            ("1 unit of", self.currency_edit, self.currency_error, None),
            ("equals", self.rate_edit, self.rate_error, self.quote_label),
        ):
            line = QHBoxLayout()
            line.addWidget(edit)
            if after is not None:
                line.addWidget(after)
            field = QVBoxLayout()
            field.addLayout(line)
            field.addWidget(error)
            form.addRow(label, field)
        form.addRow("read on", self.date_edit)
        layout.addLayout(form)

        self.save_button = QPushButton("Save rate", self)
        self.save_button.setObjectName("save_rate")
        self.remove_button = QPushButton("Remove rate", self)
        self.remove_button.setObjectName("remove_rate")
        layout.addLayout(button_row(self.save_button, self.remove_button))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.reporting_edit.textEdited.connect(lambda _t: self._check_reporting())
        self.reporting_button.clicked.connect(self._use_reporting)
        self.currency_edit.textEdited.connect(lambda _t: self._check_rate())
        self.rate_edit.textEdited.connect(lambda _t: self._check_rate())
        self.save_button.clicked.connect(self._save)
        self.remove_button.clicked.connect(self._remove)
        self.rates: list[Rate] = []
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        """Read the reporting currency, its rates and the book's currencies again."""
        with self.ctx.store.read() as session:
            self.reporting = exchange.reporting_currency(session)
            self.rates = exchange.list_rates(session, self.reporting)
            used = exchange.book_currencies(session)
        self.reporting_edit.setText(self.reporting)
        show_error(self.reporting_error, "")
        self.quote_label.setText(self.reporting)
        self.table.setRowCount(len(self.rates))
        for index, rate in enumerate(self.rates):
            cells = (
                rate.currency,
                f"1 {rate.currency} = {rate.rate} {rate.quote}",
                dates_text.day(rate.as_of),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(index, column, item)
        have = {r.currency for r in self.rates} | {self.reporting}
        missing = sorted(set(used) - have)
        self.missing.setText(
            "Every currency in the book has a rate."
            if not missing
            else f"No rate yet for {', '.join(missing)}: totals leave those amounts out."
        )
        self.remove_button.setEnabled(bool(self.table.selectedItems()))
        self._check_rate()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.remove_button.setEnabled(bool(rows))
        if rows:
            rate = self.rates[rows[0].row()]
            self.currency_edit.setText(rate.currency)
            self.rate_edit.setText(str(rate.rate))
            self.date_edit.setDate(QDate(rate.as_of.year, rate.as_of.month, rate.as_of.day))
            self._check_rate()

    # ------------------------------------------------------------ validation
    def _check_reporting(self) -> str | None:
        try:
            code = exchange.known_currency(self.reporting_edit.text())
        except RateError as exc:
            show_error(self.reporting_error, str(exc))
            self.reporting_button.setEnabled(False)
            return None
        show_error(self.reporting_error, "")
        self.reporting_button.setEnabled(code != self.reporting)
        return code

    def _check_rate(self) -> tuple[str, str] | None:
        currency, rate = self.currency_edit.text(), self.rate_edit.text()
        code = None
        message = ""
        if currency.strip():
            try:
                code = exchange.known_currency(currency)
            except RateError as exc:
                message = str(exc)
            else:
                if code == self.reporting:
                    message = f"{code} is the reporting currency; it needs no rate."
                    code = None
        show_error(self.currency_error, message)
        rate_message = ""
        if rate.strip():
            try:
                exchange.parse_rate(rate)
            except RateError as exc:
                rate_message = str(exc)
        show_error(self.rate_error, rate_message)
        ok = code is not None and bool(rate.strip()) and not rate_message
        self.save_button.setEnabled(ok)
        return (code, rate) if ok and code is not None else None

    # --------------------------------------------------------------- saving
    def _use_reporting(self) -> None:
        code = self._check_reporting()
        if code is None:
            return
        with self.ctx.store.session() as session:
            exchange.set_reporting_currency(session, code)
        self._changed()

    def _save(self) -> None:
        checked = self._check_rate()
        if checked is None:
            return
        day = self.date_edit.date()
        as_of = date(day.year(), day.month(), day.day())
        try:
            with self.ctx.store.session() as session:
                exchange.set_rate(session, checked[0], checked[1], as_of, today=self.ctx.today)
        except RateError as exc:
            show_error(self.rate_error, str(exc))
            return
        self.currency_edit.clear()
        self.rate_edit.clear()
        self._changed()

    def _remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        rate = self.rates[rows[0].row()]
        with self.ctx.store.session() as session:
            exchange.remove_rate(session, rate.currency)
        self._changed()

    def _changed(self) -> None:
        self.reload()  # the store announces the change to the other views
