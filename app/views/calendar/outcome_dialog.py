"""One renewal's outcome and new terms, asked in a dialog (tests replace ``ask_outcome``)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.models.enums import RenewalOutcome
from app.services.labels import label_of
from app.services.money import minor_digits, to_major, to_minor
from app.services.renewal_dates import Terms, add_months, term_months
from app.services.renewals import LOSS_REASONS, OutcomeRequest
from app.views.calendar.contract_lines import ContractLine
from app.views.date_edit import day_picker
from app.views.dialogs import form_dialog


class OutcomeDialog(QDialog):
    """Outcome and new terms of one renewal."""

    def __init__(self, line: ContractLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = line.contract
        self.setWindowTitle(f"Record the renewal of {row.contract_name}")
        self.outcome = QComboBox()
        for outcome in RenewalOutcome:
            self.outcome.addItem(label_of(outcome), outcome)
        self.value = QDoubleSpinBox()
        self.value.setRange(0, 1e11)
        self.value.setDecimals(minor_digits(row.currency))
        self.value.setGroupSeparatorShown(True)
        self.value.setSuffix(f" {row.currency}")
        self.value.setValue(float(to_major(row.value_minor, row.currency)))
        self._currency = row.currency
        start = row.end_date + timedelta(days=1)
        end = add_months(start, term_months(row.terms)) - timedelta(days=1)
        self.start = day_picker(start)
        self.end = day_picker(end)
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
        rows = (
            ("Outcome", self.outcome),
            ("New annual value", self.value),
            ("New term starts", self.start),
            ("New term ends", self.end),
            ("Notice period", self.notice),
            ("", self.auto_renew),
            ("Churn / downsell reason", self.reason_code),
            ("Notes", self.reason),
        )
        form_dialog(self, rows)
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
            terms=Terms(
                date(start.year(), start.month(), start.day()),
                date(end.year(), end.month(), end.day()),
                self.notice.value(),
                self.auto_renew.isChecked(),
            ),
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
