"""Where a journal batch breaks a rule: the Turkish reason and the place (a file's row and column, or the JSON
pointer of an API body's entry and line), so a refusal names every bad line and nothing is half-imported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.refusals import Refused

MAX_PROBLEMS = 200  # a file with a wrong column breaks every row: the first ones say enough


@dataclass(frozen=True)
class Problem:
    message: str
    where: str = ""  # "12. satır, borç" / "3. madde (madde no 17), 2. satır"
    pointer: str | None = None  # RFC 6901 pointer into the API body: /maddeler/2/satirlar/1/borc
    row: int | None = None  # the file's row (the header is row 1)
    column: str | None = None

    @property
    def text(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"detail": self.message}
        if self.where:
            shown["yer"] = self.where
        if self.pointer is not None:
            shown["pointer"] = self.pointer
        if self.row is not None:
            shown["satir"] = self.row
        if self.column is not None:
            shown["sutun"] = self.column
        return shown


class Place:
    """The place of one line (or of an entry, ``line`` None) in what arrived; makes its problems."""

    def problem(self, message: str, field: str | None = None) -> Problem:
        raise NotImplementedError


@dataclass(frozen=True)
class RowPlace(Place):
    """A spreadsheet row (one journal line); an entry is placed at its first row."""

    row: int
    entry_number: str | None = None

    def problem(self, message: str, field: str | None = None) -> Problem:
        where = f"{self.row}. satır"
        if field is not None:
            where += f", {field} sütunu"
        if self.entry_number:
            where += f" (madde no {self.entry_number[:50]})"
        return Problem(message, where, row=self.row, column=field)


@dataclass(frozen=True)
class JsonPlace(Place):
    """An entry (``line`` None) or a line of an API body."""

    entry: int
    line: int | None = None
    entry_number: str | None = None

    def problem(self, message: str, field: str | None = None) -> Problem:
        pointer = f"/maddeler/{self.entry}"
        where = f"{self.entry + 1}. madde"
        if self.entry_number:
            where += f" (madde no {self.entry_number[:50]})"
        if self.line is not None:
            pointer += f"/satirlar/{self.line}"
            where += f", {self.line + 1}. satır"
        if field is not None:
            pointer += "/" + field.replace("~", "~0").replace("/", "~1")  # RFC 6901
            where += f", {field}"
        return Problem(message, where, pointer=pointer)


class JournalRefused(Refused):
    """A batch (or an act on a period) refused; ``problems`` names each bad line when there are any."""

    status = 422

    def __init__(self, message: str, problems: list[Problem] | None = None, more: int = 0,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.more = more  # problems found past MAX_PROBLEMS
        if status is not None:
            self.status = status


class PeriodNotFound(JournalRefused):
    status = 404
