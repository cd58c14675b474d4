"""The downloadable sample and template spreadsheets of the upload page (the columns of ``fields.SHEET_COLUMNS``)."""

from __future__ import annotations

import csv
import io
from datetime import date

from app.journal.fields import SHEET_COLUMNS
from app.journal.rules import PeriodBounds


def sample_rows(bounds: PeriodBounds) -> list[list[str]]:
    """Three balanced maddeler of the month: a cash sale with its invoice, a purchase by cheque, rent by bank."""
    day = lambda n: date(bounds.year, bounds.month, n).strftime("%d.%m.%Y")  # noqa: E731
    return [
        ["1", day(3), "100", "KASA", "", "", "1.180,00", "", "", "", "", "NAKİT", "Peşin satış"],
        ["1", day(3), "600", "YURT İÇİ SATIŞLAR", "600.01", "Tekstil satışları", "", "1.000,00", "fatura",
         f"ANA{bounds.year}000000001", day(3), "", "Peşin satış"],
        ["1", day(3), "391", "HESAPLANAN KDV", "391.01", "KDV %18", "", "180,00", "", "", "", "", "Peşin satış"],
        ["2", day(10), "153", "TİCARİ MALLAR", "", "", "5.000,00", "", "fatura", "EGE2026000000042", day(9), "",
         "Mal alışı"],
        ["2", day(10), "191", "İNDİRİLECEK KDV", "", "", "900,00", "", "", "", "", "", "Mal alışı"],
        ["2", day(10), "103", "VERİLEN ÇEKLER VE ÖDEME EMİRLERİ", "", "", "", "5.900,00", "çek", "CK-000731", day(10),
         "ÇEK", "Mal alışı"],
        ["3", day(28), "770", "GENEL YÖNETİM GİDERLERİ", "770.01", "Kira gideri", "12500.00", "", "", "", "", "",
         "Kasım kirası"],
        ["3", day(28), "102", "BANKALAR", "102.01", "Vadesiz TL hesabı", "", "12500.00", "", "", "", "BANKA",
         "Kasım kirası"],
    ]


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 with a BOM (so Excel reads the Turkish letters), ';' separated as Turkish Excel writes it."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(SHEET_COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    """The same as an XLSX workbook (every cell text: nothing a spreadsheet would evaluate)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Yevmiye")
    sheet.append(list(SHEET_COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
