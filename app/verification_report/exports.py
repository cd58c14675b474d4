"""The report as a downloadable XML (shaped after the DSS simple report) and as a PDF with Turkish characters.

The PDF embeds DejaVu Sans from Debian's fonts-dejavu-core (``scripts/setup.sh`` installs it); without the font
the PDF is refused with a Turkish message rather than written with broken letters.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from lxml import etree
from lxml.builder import ElementMaker

from app.refusals import Refused
from app.verification_report.report import Report

NAMESPACE = "urn:ebelge-portal:imza-dogrulama:1"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_TURKEY = ZoneInfo("Europe/Istanbul")


def _local(moment: datetime | None) -> str:
    return moment.astimezone(_TURKEY).strftime("%d.%m.%Y %H:%M:%S") if moment else "-"


def _clean(value: str) -> str:
    """Text an XML document and the PDF font can carry (a hostile certificate may hold control characters)."""
    return "".join(ch for ch in value if ch in "\t\n\r" or 0x20 <= ord(ch) < 0xD800 or 0xE000 <= ord(ch) < 0xFFFE)


def _cleaned(report: Report) -> Report:
    def strings(item: object) -> object:
        changes = {f.name: _clean(getattr(item, f.name)) for f in fields(item) if isinstance(getattr(item, f.name), str)}
        return replace(item, **changes)

    return replace(strings(report), chain=[strings(line) for line in report.chain],  # type: ignore[type-var]
                   checks=[strings(check) for check in report.checks])


def report_xml(report: Report) -> bytes:
    report = _cleaned(report)
    E = ElementMaker(namespace=NAMESPACE, nsmap={None: NAMESPACE})
    root = E.DogrulamaRaporu(
        E.Baslik(report.title),
        E.RaporZamani(report.created_at.isoformat()),
        E.Belge(E.SHA256(report.document_sha256), E.Boyut(str(report.document_size))),
        E.Sonuc(E.Indication(report.indication), E.Karar(report.verdict), E.Kod(report.code), E.Aciklama(report.message)),
        E.Imzalayan(
            E.Ad(report.signer_name), E.Kimlik(report.signer_id, tur=report.signer_id_label or "-"),
            E.SertifikaTuru(report.certificate_kind), E.Saglayici(report.issuer), E.SeriNumarasi(report.serial),
            E.GecerlilikBaslangic(report.not_before.isoformat() if report.not_before else ""),
            E.GecerlilikBitis(report.not_after.isoformat() if report.not_after else ""),
            E.KullanimAmaci(report.usage), E.Anahtar(report.key),
        ),
        E.ImzaZamani(report.signing_time.isoformat() if report.signing_time else ""),
        E.ImzaAlgoritmasi(report.signature_method),
        E.GuvenCapasi(report.anchor),
        E.Zincir(*[E.Sertifika(E.Konu(line.subject), E.Saglayici(line.issuer), E.SeriNumarasi(line.serial),
                               E.GecerlilikBaslangic(line.not_before.isoformat()),
                               E.GecerlilikBitis(line.not_after.isoformat()), E.SHA256(line.fingerprint),
                               rol=line.role) for line in report.chain]),
        E.Kontroller(*[E.Kontrol(E.Ad(check.name), E.Sonuc(check.label), E.Ayrinti(check.detail),
                                 basarili="" if check.passed is None else str(check.passed).lower())
                       for check in report.checks]),
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class FontMissing(Refused):
    default_message = ("PDF raporu için DejaVu Sans yazı tipi bu sunucuda kurulu değil (Debian paketi "
                       "fonts-dejavu-core). Raporu XML olarak indirebilirsiniz.")


def report_pdf(report: Report) -> bytes:
    report = _cleaned(report)
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not regular.exists() or not bold.exists():
        raise FontMissing()
    pdf = FPDF(format="A4")
    pdf.set_title(report.title)
    pdf.set_creator("e-Belge Portalı")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, f"Rapor zamanı: {_local(report.created_at)} · Belge SHA-256: {report.document_sha256} "
                         f"({report.document_size} bayt)", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 13)
    pdf.set_text_color(0, 110, 40) if report.ok else pdf.set_text_color(170, 0, 0)
    pdf.multi_cell(0, 7, f"Sonuç: {report.verdict} ({report.indication})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, report.message, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _section(pdf, "İmzalayan")
    for label, value in [("Adı / Unvanı", report.signer_name), (report.signer_id_label or "VKN/TCKN", report.signer_id),
                         ("Sertifika türü", report.certificate_kind), ("Sağlayıcı", report.issuer),
                         ("Seri Numarası", report.serial), ("Geçerlilik Başlangıç", _local(report.not_before)),
                         ("Geçerlilik Bitiş", _local(report.not_after)), ("Kullanım Amacı", report.usage),
                         ("Anahtar", report.key), ("İmza zamanı", _local(report.signing_time)),
                         ("İmza algoritması", report.signature_method), ("Güven çapası", report.anchor or "-")]:
        _pair(pdf, label, value or "-")
    _section(pdf, "Sertifika zinciri")
    for line in report.chain:
        _pair(pdf, line.role, f"{line.subject} (seri {line.serial}, {_local(line.not_before)} – {_local(line.not_after)})")
    _section(pdf, "Kontroller")
    for check in report.checks:
        _pair(pdf, f"{check.name}: {check.label}", check.detail or "-")
    return bytes(pdf.output())


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)


def _pair(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("DejaVu", "B", 9)
    pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
