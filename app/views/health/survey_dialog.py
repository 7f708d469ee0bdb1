"""Recording an NPS or CSAT answer: the small dialog and the function that asks it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QSpinBox, QWidget

from app.models.enums import SurveyKind
from app.services.surveys import SurveyAnswer
from app.views.date_edit import day_picker
from app.views.dialogs import form_dialog


class SurveyDialog(QDialog):
    """Kind, score, date, respondent and comment of one survey answer."""

    def __init__(
        self, respondents: list[tuple[str, str]], today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record survey answer")
        self.kind = QComboBox()
        self.kind.addItem("NPS (0-10)", SurveyKind.NPS.value)
        self.kind.addItem("CSAT (1-5)", SurveyKind.CSAT.value)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.score = QSpinBox()
        self.when = day_picker(today)
        self.who = QComboBox()
        self.who.addItem("Unknown respondent", None)
        for sid, label in respondents:
            self.who.addItem(label, sid)
        self.comment = QLineEdit()
        rows = (
            ("Survey", self.kind),
            ("Score", self.score),
            ("Answered on", self.when),
            ("By", self.who),
            ("Comment", self.comment),
        )
        form_dialog(self, rows)
        self._kind_changed()

    def _kind_changed(self) -> None:
        if SurveyKind(self.kind.currentData()) is SurveyKind.NPS:
            self.score.setRange(0, 10)
        else:
            self.score.setRange(1, 5)

    def answer(self) -> SurveyAnswer:
        """The answer as entered."""
        return SurveyAnswer(
            SurveyKind(self.kind.currentData()),
            self.score.value(),
            self.when.date().toPython(),  # type: ignore[arg-type]
            self.who.currentData(),
            self.comment.text().strip() or None,
        )


def ask_survey_answer(
    parent: QWidget | None, respondents: list[tuple[str, str]], today: date
) -> SurveyAnswer | None:
    """Ask for one survey answer; None when cancelled. Tests replace this function."""
    dialog = SurveyDialog(respondents, today, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.answer()
