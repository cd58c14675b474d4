"""CSV and XLSX intake on both databases (through ``flask edefter import`` and the upload operation): separators,
BOM, Turkish and dotted amounts, every refusal named by row with nothing stored, formulas kept as text."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.models import JournalEntry, JournalLine, JournalPeriod, JournalPeriodState

HEADER = ["madde_no", "tarih", "hesap_kodu", "hesap_adi", "alt_hesap_kodu", "alt_hesap_adi", "borc", "alacak",
          "belge_turu", "belge_no", "belge_tarihi", "odeme_sekli", "aciklama"]


def row(number: str, day: str, account: str, name: str, debit: str = "", credit: str = "", sub: str = "",
        sub_name: str = "", kind: str = "", doc_no: str = "", doc_date: str = "", pay: str = "", comment: str = ""):
    return [number, day, account, name, sub, sub_name, debit, credit, kind, doc_no, doc_date, pay, comment]


GOOD_ROWS = [
    row("1", "03.11.2026", "100", "KASA", debit="1.180,00", pay="NAKİT"),
    row("1", "03.11.2026", "600", "YURT İÇİ SATIŞLAR", credit="1.000,00", kind="Fatura", doc_no="A1",
        doc_date="03.11.2026"),
    row("1", "03.11.2026", "391", "HESAPLANAN KDV", credit="180,00", sub="391.01", sub_name="KDV %18"),
    row("2", "2026-11-30", "770", "GENEL YÖNETİM GİDERLERİ", debit="12500.5"),
    row("2", "2026-11-30", "102", "BANKALAR", credit="12500.50", kind="ÇEK", doc_no="Ç-1", doc_date="2026-11-30"),
]


def write_csv(path: Path, rows, separator: str = ";", bom: bool = True, header=HEADER) -> Path:
    text = "\n".join(separator.join(cells) for cells in [header, *rows]) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def run_import(app, vkn: str, path: Path, period: str = "2026-11"):
    return app.test_cli_runner().invoke(args=["edefter", "import", vkn, period, str(path)])


def counts(db_session) -> tuple[int, int]:
    db_session.expire_all()
    return (db_session.scalar(select(func.count()).select_from(JournalEntry)),
            db_session.scalar(select(func.count()).select_from(JournalLine)))


@pytest.mark.parametrize(("separator", "bom"), [(";", True), (",", False)])
def test_csv_with_either_separator_and_either_amount_form(app, company, db_session, tmp_path, separator, bom):
    rows = GOOD_ROWS
    if separator == ",":  # dotted amounts: a Turkish decimal comma would split the cell
        rows = [r[:6] + [{"1.180,00": "1180.00", "1.000,00": "1000", "180,00": "180"}.get(c, c) for c in r[6:8]]
                + r[8:] for r in GOOD_ROWS]
    result = run_import(app, company.identifier, write_csv(tmp_path / "k.csv", rows, separator, bom))
    assert result.exit_code == 0, result.output
    assert "2 madde (5 satır) 2026-11 dönemine alındı" in result.output
    lines = db_session.scalars(select(JournalLine).order_by(JournalLine.id)).all()
    assert [str(line.amount) for line in lines] == ["1180.00", "1000.00", "180.00", "12500.50", "12500.50"]
    assert [line.document_type for line in lines] == [None, "invoice", None, None, "check"]
    period = db_session.scalars(select(JournalPeriod)).one()
    assert (period.entry_count, period.line_count) == (2, 5)


REFUSALS = [
    ([row("1", "03.11.2026", "100", "KASA", debit="10"), row("1", "03.11.2026", "600", "SATIŞ", credit="9")],
     "2. satır (madde no 1): Maddenin borç toplamı (10,00) alacak toplamına (9,00) eşit değil."),
    ([row("1", "03.11.2026", "100", "KASA", debit="10")], "2. satır (madde no 1): Madde en az iki satırdan"),
    ([row("1", "01.12.2026", "100", "KASA", debit="10"), row("1", "01.12.2026", "600", "SATIŞ", credit="10")],
     "2. satır, tarih sütunu (madde no 1): Madde tarihi 01.12.2026 dönemin dışında"),
    ([row("1", "03.11.2026", "100", "KASA", debit="0"), row("1", "03.11.2026", "600", "SATIŞ", credit="0")],
     "2. satır, borc sütunu (madde no 1): Tutar sıfırdan büyük olmalıdır"),
    ([row("1", "03.11.2026", "100", "KASA", debit="10,005"), row("1", "03.11.2026", "600", "SATIŞ", credit="10")],
     "2. satır, borc sütunu (madde no 1): Borç: Tutar en fazla iki ondalık basamak içerebilir."),
    ([row("1", "03.11.2026", "100", "KASA", debit="on lira"), row("1", "03.11.2026", "600", "SATIŞ", credit="10")],
     "'on lira' geçerli bir tutar değil"),
    ([row("1", "03.11.2026", "100", "KASA", debit="10", kind="dekont"),
      row("1", "03.11.2026", "600", "SATIŞ", credit="10")],
     "2. satır, belge_turu sütunu (madde no 1): Belge türü 'dekont' GİB'in listesinde yok"),
    ([row("1", "03.11.2026", "100", "KASA", debit="10", kind="invoice", doc_date="03.11.2026"),
      row("1", "03.11.2026", "600", "SATIŞ", credit="10")],
     "2. satır, belge_no sütunu (madde no 1): Belge türü fatura (invoice) olan satırda belge no zorunludur"),
    ([row("1", "03.11.2026", "100", "KASA", debit="10", kind="çek", doc_no="Ç1"),
      row("1", "03.11.2026", "600", "SATIŞ", credit="10")],
     "2. satır, belge_tarihi sütunu (madde no 1): Belge türü çek (check) olan satırda belge tarihi zorunludur"),
    ([row("1", "03.11.2026", "10000", "KASA", debit="10"), row("1", "03.11.2026", "600", "SATIŞ", credit="10")],
     "2. satır, hesap_kodu sütunu (madde no 1): Hesap kodu en fazla 4 karakter olabilir (5 karakter)."),
    ([row("1", "03.11.2026", "10", "KASA", debit="10"), row("1", "03.11.2026", "600", "SATIŞ", credit="10")],
     "2. satır, hesap_kodu sütunu (madde no 1): Hesap kodu 3 ya da 4 karakter olmalıdır ('10')."),
    ([row("1", "03.11.2026", "100", "KASA", debit="10", sub="101.01", sub_name="X"),
      row("1", "03.11.2026", "600", "SATIŞ", credit="10")],
     "2. satır, alt_hesap_kodu sütunu (madde no 1): Alt hesap kodu ana hesap koduyla başlamalıdır"),
    ([row("1", "03.11.2026", "100", "KASA", debit="10"), row("1", "03.11.2026", "600", "SATIŞ", credit="10"),
      row("2", "03.11.2026", "100", "KASA", debit="10"), row("2", "03.11.2026", "600", "SATIŞ", credit="10"),
      row("1", "03.11.2026", "100", "KASA", debit="1"), row("1", "03.11.2026", "600", "SATIŞ", credit="1")],
     "6. satır, madde_no sütunu (madde no 1): Madde no 1 bu gönderimde iki kez geçiyor"),
]


@pytest.mark.parametrize(("rows", "expected"), REFUSALS, ids=lambda v: v if isinstance(v, str) else "")
def test_each_refusal_names_its_row_and_stores_nothing(app, company, db_session, tmp_path, rows, expected):
    good = [row("9", "04.11.2026", "100", "KASA", debit="5"), row("9", "04.11.2026", "600", "SATIŞ", credit="5")]
    result = run_import(app, company.identifier, write_csv(tmp_path / "k.csv", good + rows))
    assert result.exit_code == 1
    shifted = expected.replace("2. satır", "4. satır").replace("6. satır", "8. satır")
    assert "hiçbir kayıt alınmadı" in result.output
    assert shifted in result.output, result.output
    assert counts(db_session) == (0, 0)


def test_a_second_upload_over_a_created_period_is_refused(app, company, db_session, tmp_path):
    path = write_csv(tmp_path / "k.csv", GOOD_ROWS)
    assert run_import(app, company.identifier, path).exit_code == 0
    period = db_session.scalars(select(JournalPeriod)).one()
    period.state = JournalPeriodState.CREATED
    db_session.commit()
    again = run_import(app, company.identifier, write_csv(tmp_path / "l.csv", [[c if i else "5" for i, c in
                                                                                 enumerate(r)] for r in GOOD_ROWS]))
    assert again.exit_code == 1 and "e-Defter oluşturulmuş" in again.output
    assert counts(db_session) == (2, 5)


def test_files_that_are_not_the_format_are_refused(app, company, db_session, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(";".join(HEADER).encode() + b"\n1;03.11.2026;100;KASA;;;1;;;;;;A\xe7\xfdklama\n")
    assert "UTF-8 kodlamasında değil" in run_import(app, company.identifier, latin).output
    missing = write_csv(tmp_path / "m.csv", [], header=HEADER[:6])
    assert "eksik sütun: borc, alacak" in run_import(app, company.identifier, missing).output
    unknown = write_csv(tmp_path / "u.csv", [], header=[*HEADER, "tutar"])
    assert "tanınmayan sütun var: tutar" in run_import(app, company.identifier, unknown).output
    other = tmp_path / "k.pdf"
    other.write_bytes(b"%PDF")
    assert "Yalnızca CSV" in run_import(app, company.identifier, other).output
    assert "bulunamadı" in run_import(app, "1111111111", write_csv(tmp_path / "k.csv", GOOD_ROWS)).output
    assert counts(db_session) == (0, 0)


def test_headers_are_case_and_accent_insensitive(app, company, db_session, tmp_path):
    header = ["Madde No", "TARİH", "Hesap Kodu", "Hesap Adı", "Alt Hesap Kodu", "Alt Hesap Adı", "Borç", "Alacak",
              "Belge Türü", "Belge No", "Belge Tarihi", "Ödeme Şekli", "Açıklama"]
    result = run_import(app, company.identifier, write_csv(tmp_path / "k.csv", GOOD_ROWS, header=header))
    assert result.exit_code == 0, result.output


def _xlsx(path: Path, rows) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for cells in rows:
        sheet.append(cells)
    workbook.save(path)
    return path


def test_xlsx_cells_numbers_dates_and_formulas(app, company, db_session, tmp_path):
    day = datetime(2026, 11, 3)
    rows = [[1, day, 100, "KASA", None, None, 1180, None, None, None, None, "NAKİT", "=HYPERLINK(\"http://x\",\"y\")"],
            [1, day, 600, "SATIŞLAR", "600.01", "Yurt içi", None, 1000.5, "invoice", "A-1", day, None, None],
            [1, day, "391", "KDV", None, None, None, "179,50", None, None, None, None, "=1+1"]]
    result = run_import(app, company.identifier, _xlsx(tmp_path / "k.xlsx", rows))
    assert result.exit_code == 0, result.output
    lines = db_session.scalars(select(JournalLine).order_by(JournalLine.id)).all()
    assert [line.account_main_id for line in lines] == ["100", "600", "391"]
    assert [str(line.amount) for line in lines] == ["1180.00", "1000.50", "179.50"]
    assert lines[0].comment == "=HYPERLINK(\"http://x\",\"y\")" and lines[2].comment == "=1+1"  # text, never evaluated
    formula_amount = [[2, day, 100, "KASA", None, None, "=SUM(A1:A2)", None] + [None] * 5,
                      [2, day, 600, "SATIŞ", None, None, None, 5] + [None] * 5]
    refused = run_import(app, company.identifier, _xlsx(tmp_path / "f.xlsx", formula_amount))
    assert refused.exit_code == 1 and "2. satır, borc sütunu (madde no 2)" in refused.output


def test_hostile_xlsx_is_refused(app, company, tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (60 * 1024 * 1024) + b"/>")
    assert "sıkıştırma bombası" in run_import(app, company.identifier, bomb).output
    doctype = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(doctype, "w") as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    assert "DTD" in run_import(app, company.identifier, doctype).output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert "geçerli bir XLSX" in run_import(app, company.identifier, broken).output


def test_upload_operation_reads_a_bom_csv(app, company, db_session):
    from app.journal.upload import upload

    text = "\ufeff" + ";".join(HEADER) + "\n" + "\n".join(";".join(r) for r in GOOD_ROWS)
    with app.test_request_context():
        outcome = upload(company, "2026-11", io.BytesIO(text.encode()), "kasim.csv", "Test")
    assert outcome.result is not None and outcome.result.line_count == 5


def test_a_line_separator_inside_a_cell_does_not_split_the_row(app, company, db_session, tmp_path):
    rows = [r[:12] + ["Peşin\u2028satış\x1cnot"] for r in GOOD_ROWS]
    result = run_import(app, company.identifier, write_csv(tmp_path / "k.csv", rows))
    assert result.exit_code == 0, result.output
    assert counts(db_session) == (2, 5)
