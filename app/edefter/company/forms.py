"""Reading a posted form field by field, with one Turkish message per field that is wrong or missing.

The screens re-render with 422 and every message beside its field (decision 0004), so a reader keeps
going after the first mistake and ``done()`` raises them all at once.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime
from typing import Mapping, TypeVar

E = TypeVar("E", bound=enum.Enum)

_TURKISH_DATE = re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})")  # fullmatch, ASCII digits


class FormInvalid(Exception):
    """The form has mistakes: ``errors`` maps field names to their messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def parse_date(text: str) -> date | None:
    """2024-01-31 (what a date input sends) or 31.01.2024 (what people type); None when neither."""
    text = text.strip()
    match = _TURKISH_DATE.fullmatch(text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None


class FieldReader:
    def __init__(self, form: Mapping[str, str]) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def error(self, name: str, message: str) -> None:
        """Keep the first message of a field: it names what to fix first."""
        self.errors.setdefault(name, message)

    def raw(self, name: str) -> str:
        return " ".join((self.form.get(name) or "").split())

    def text(self, name: str, label: str, *, max_length: int, min_length: int = 1) -> str:
        value = self.raw(name)
        if not value:
            self.error(name, f"{label} boş olamaz.")
        elif len(value) < min_length:
            self.error(name, f"{label} en az {min_length} karakter olmalıdır.")
        elif len(value) > max_length:
            self.error(name, f"{label} en fazla {max_length} karakter olabilir.")
        return value

    def date(self, name: str, label: str) -> date | None:
        text = self.raw(name)
        if not text:
            self.error(name, f"{label} boş olamaz.")
            return None
        value = parse_date(text)
        if value is None:
            self.error(name, f"{label} geçerli bir tarih değil (GG.AA.YYYY).")
        return value

    def choice(self, name: str, label: str, enum_class: type[E]) -> E | None:
        try:
            return enum_class(self.form.get(name, ""))
        except ValueError:
            self.error(name, f"{label} seçiniz.")
            return None

    def integer(self, name: str, label: str, low: int, high: int) -> int | None:
        text = self.raw(name)
        # The length first: int() of thousands of digits raises instead of answering (and is slow).
        if not (text.isascii() and text.isdigit()) or len(text) > 18 or not low <= int(text) <= high:
            self.error(name, f"{label} {low} ile {high} arasında bir tam sayı olmalıdır.")
            return None
        return int(text)

    def flag(self, name: str) -> bool:
        return self.form.get(name) in ("1", "on", "evet", "true")

    def done(self) -> None:
        if self.errors:
            raise FormInvalid(self.errors)
