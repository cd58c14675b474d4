"""Spreadsheet readers: CSV and XLSX rows → ``RawEntry`` values, streamed (decision note 0102).

One row per journal line; the madde's rows follow each other and repeat its madde no and date. Header names are
matched case-insensitively and without Turkish accents ("Borç" is ``borc``, "Hesap Adı" is ``hesap_adi``).
CSV: UTF-8 with or without BOM, ``;`` or ``,`` separated (whichever the header uses). XLSX: the first sheet, read
with openpyxl's read-only (streaming) mode; a formula is read as the text of the formula, never evaluated.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from datetime import date, datetime
from typing import IO, Any, Callable, Iterator, Sequence

from app.journal.fields import SHEET_COLUMNS, SHEET_OPTIONAL_COLUMNS, SHEET_REQUIRED_COLUMNS
from app.journal.intake import RawEntry
from app.journal.problems import JournalRefused, RowPlace
from app.journal.rules import fold, read_date

KNOWN_COLUMNS = frozenset(SHEET_COLUMNS) | frozenset(SHEET_OPTIONAL_COLUMNS)
_HEAD_FIELDS = ("madde_no", "tarih", "giren")
MAX_XLSX_UNPACKED = 2 * 1024**3  # what the zip may unpack to, in all
MAX_XLSX_RATIO = 200  # unpacked / packed: a zip bomb goes far above what spreadsheets reach
CSV_FIELD_LIMIT = 10_000


def column_name(header: object) -> str:
    text = "" if header is None else str(header)
    return fold(text.lstrip("\ufeff")).replace(" ", "_").replace("-", "_")


def _columns(header: Sequence[object]) -> list[str | None]:
    names = [column_name(cell) for cell in header]
    unknown = [str(cell)[:40] for cell, name in zip(header, names) if name and name not in KNOWN_COLUMNS]
    if unknown:
        raise JournalRefused(
            f"Dosyanın başlık satırında tanınmayan sütun var: {', '.join(unknown[:5])}. Sütunlar: "
            f"{'; '.join(SHEET_COLUMNS)} (isteğe bağlı: {'; '.join(SHEET_OPTIONAL_COLUMNS)}).")
    duplicates = sorted({name for name in names if name and names.count(name) > 1})
    if duplicates:
        raise JournalRefused(f"Dosyanın başlık satırında aynı sütun iki kez var: {', '.join(duplicates)}.")
    missing = [name for name in SHEET_REQUIRED_COLUMNS if name not in names]
    if missing:
        raise JournalRefused(f"Dosyanın ilk satırı sütun başlıkları olmalıdır; eksik sütun: {', '.join(missing)}. "
                             f"Sütunlar: {'; '.join(SHEET_COLUMNS)}. Örnek dosyayı indirip bakabilirsiniz.")
    return [name or None for name in names]


def group_rows(rows: Iterator[tuple[int, Sequence[Any]]], columns: list[str | None]) -> Iterator[RawEntry]:
    """Rows (row number, cells) → one RawEntry per run of rows with the same madde no."""
    current: RawEntry | None = None
    current_date: object = None
    current_day: object = None
    width = len(columns)
    for row_number, cells in rows:
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        values = {name: cell for name, cell in zip(columns, cells) if name is not None}
        place = RowPlace(row_number, _shown(values.get("madde_no")))
        extra = [cell for cell in cells[width:] if cell not in (None, "")]
        number = _shown(values.get("madde_no"))
        day = values.get("tarih")
        if current is None or not number or number != current.place.entry_number:
            if current is not None:
                yield current
            current = RawEntry({name: values.get(name) for name in _HEAD_FIELDS}, place, [])
            current.head["aciklama"] = None
            current_day, current_date = day, _date_key(day)
        elif day != current_day and _date_key(day) != current_date:
            current.problems.append(place.problem("Aynı maddenin satırlarında tarih farklı olamaz; madde tek "
                                                  "tarihlidir.", "tarih"))
        if extra:
            current.problems.append(place.problem(f"Satırda başlıktakinden fazla sütun var ({len(cells)} sütun, "
                                                  f"başlıkta {width})."))
        current.lines.append((values, place))
    if current is not None:
        yield current


def _shown(value: object) -> str | None:
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else str(value)
    return text or None


def _date_key(value: object) -> object:
    found = read_date(value)
    return found if found is not None else (value.strip() if isinstance(value, str) else value)


class CsvSource:
    """A CSV file's entries; ``position`` (bytes read) tells a job how far it is."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.position = 0

    def _text(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        pending = ""
        while True:
            chunk = self.binary.read(1024 * 1024)
            self.position += len(chunk)
            try:
                text = pending + decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError:
                raise JournalRefused("Dosya UTF-8 kodlamasında değil. Lütfen CSV dosyasını 'CSV UTF-8' olarak "
                                     "kaydedip yeniden yükleyiniz.") from None
            # Only \n ends a row (str.splitlines would also split at U+2028, \x1c, \x85 … inside a cell).
            *lines, pending = text.split("\n")
            for line in lines:
                yield line + "\n"
            if not chunk:
                if pending:
                    yield pending
                return

    def entries(self) -> Iterator[RawEntry]:
        lines = self._text()
        first = next(lines, None)
        if first is None or not first.strip():
            raise JournalRefused("Dosya boş; ilk satır sütun başlıkları olmalıdır.")
        delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
        header = next(csv.reader([first], delimiter=delimiter))
        columns = _columns(header)

        def rows() -> Iterator[tuple[int, Sequence[Any]]]:
            reader = csv.reader(lines, delimiter=delimiter, strict=False)
            try:
                for cells in reader:
                    yield reader.line_num + 1, cells
            except csv.Error as exc:
                raise JournalRefused(f"CSV dosyası {reader.line_num + 1}. satırda okunamadı: {str(exc)[:80]}.") \
                    from None

        yield from group_rows(rows(), columns)


def _cell(value: object) -> object:
    """A spreadsheet cell as the rules read it: whole numbers without '.0', formulas as their text."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, (datetime, date)) or value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)


def check_xlsx(path_or_file: Any) -> None:
    """Refuse what is not a spreadsheet, a zip bomb, or XML with a DOCTYPE before openpyxl parses anything."""
    try:
        archive = zipfile.ZipFile(path_or_file)
    except (zipfile.BadZipFile, OSError):
        raise JournalRefused("Dosya geçerli bir XLSX (Excel) dosyası değil.") from None
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members) or 1
        if unpacked > MAX_XLSX_UNPACKED or unpacked / packed > MAX_XLSX_RATIO and unpacked > 50 * 1024**2:
            raise JournalRefused("XLSX dosyası açıldığında izin verilenden çok büyük (sıkıştırma bombası olabilir); "
                                 "dosya işlenmedi.")
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                with archive.open(member) as part:
                    start = part.read(4096)
                if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                    raise JournalRefused("XLSX dosyasında DTD/varlık tanımı var; güvenlik nedeniyle işlenmedi.")


class XlsxSource:
    """The first sheet of an XLSX file; ``position``/``size`` are rows read / the sheet's rows."""

    def __init__(self, path_or_file: Any) -> None:
        self.path_or_file = path_or_file
        self.position = 0
        self.size = 0

    def entries(self) -> Iterator[RawEntry]:
        from openpyxl import load_workbook

        check_xlsx(self.path_or_file)
        if hasattr(self.path_or_file, "seek"):
            self.path_or_file.seek(0)
        try:
            workbook = load_workbook(self.path_or_file, read_only=True, data_only=False, keep_links=False)
        except Exception:  # openpyxl raises many kinds for a broken file
            raise JournalRefused("XLSX dosyası okunamadı; dosya bozuk olabilir.") from None
        try:
            sheet = workbook.worksheets[0]
            self.size = sheet.max_row or 0
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                raise JournalRefused("Dosya boş; ilk satır sütun başlıkları olmalıdır.")
            while header and header[-1] is None:
                header = header[:-1]
            columns = _columns(header)

            def numbered() -> Iterator[tuple[int, Sequence[Any]]]:
                for number, cells in enumerate(rows, 2):
                    self.position = number
                    yield number, [_cell(cell) for cell in cells]

            yield from group_rows(numbered(), columns)
        finally:
            workbook.close()


def source_for(file_name: str, opener: Callable[[], Any]) -> CsvSource | XlsxSource:
    """The reader for a file by its extension: .csv/.txt or .xlsx."""
    lowered = file_name.lower()
    if lowered.endswith(".xlsx"):
        return XlsxSource(opener())
    if lowered.endswith((".csv", ".txt")):
        return CsvSource(opener())
    raise JournalRefused("Yalnızca CSV (.csv) ya da Excel (.xlsx) dosyası yüklenebilir.")
