"""Field specs and their validation: what a form asks, how text becomes a value, and why not."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from app.services.date_words import parse_typed_date
from app.services.money import format_amount, parse_amount
from app.services.touchpoint_time import duration_text, parse_duration
from app.views.locale_text import number_separators


def parse_date(text: str, today: date | None = None) -> date:
    """A typed date: ISO, day-first numbers, month names or words (``app.services.date_words``).

    Forms use ``DateLineEdit``, which reads the locale's order; this is the same rule for
    callers without a locale.
    """
    return parse_typed_date(text, today or date.today(), "dmy")


@dataclass(frozen=True)
class FieldSpec:
    """One form field.

    ``kind``: text, multiline, date, datetime (a date and an optional time of day), money,
    int, duration (minutes, typed as 45, 1:30 or 1h 30m), enum, choice, bool or people.
    ``enum``: the StrEnum of an ``enum`` field; ``choices``: ``(ctx, account_id) ->
    [(value, label)]`` for ``choice`` and ``people`` fields.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    enum: type[StrEnum] | None = None
    choices: Callable[[Any, str], Sequence[tuple[Any, str]]] | None = None
    minimum: int | None = None
    maximum: int | None = None
    placeholder: str = ""
    default: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_text(self, value: Any, currency: str = "USD") -> str:
        """The editable text of a value (money in ``currency``'s own precision)."""
        if value is None:
            return ""
        if self.kind == "money":
            decimal, group = number_separators()
            return format_amount(int(value), currency, decimal=decimal, group=group)
        if self.kind == "date":
            return value.isoformat() if isinstance(value, date) else str(value)
        if self.kind == "duration":
            return duration_text(int(value))
        return str(value)

    def check_given(self, given: bool) -> None:
        """Raise the sentence shown next to a required field left empty."""
        if not given and self.required:
            raise ValueError(f"{self.label} is required.")

    def parse(self, text: str, currency: str = "USD") -> Any:
        """Text to value; raises ValueError with the sentence shown next to the field."""
        stripped = text.strip()
        if not stripped:
            self.check_given(False)
            return 0 if self.kind == "money" else None
        if self.kind == "date":
            return parse_date(stripped)
        if self.kind == "money":
            decimal, group = number_separators()
            return parse_amount(stripped, currency, decimal=decimal, group=group)
        if self.kind == "duration":
            return parse_duration(stripped)
        if self.kind == "int":
            if not re.fullmatch(r"-?\d+", stripped.replace(",", "")):
                raise ValueError("Enter a whole number.")
            number = int(stripped.replace(",", ""))
            if self.minimum is not None and number < self.minimum:
                raise ValueError(f"Enter {self.minimum} or more.")
            if self.maximum is not None and number > self.maximum:
                raise ValueError(f"Enter {self.maximum} or less.")
            return number
        if self.kind == "currency":
            if not re.fullmatch(r"[A-Za-z]{3}", stripped):
                raise ValueError("Use a three-letter currency code such as EUR.")
            return stripped.upper()
        return stripped
