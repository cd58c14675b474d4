"""The trainee's handout: one page per trainee (card, PIN, VKN, partner, the exercises in the seed's steps).

The same pages render as HTML for printing (``egitim/el_notlari.html``) and as a PDF (fpdf2, DejaVu Sans for the
Turkish letters, streamed to the response as bytes; a class of 60 is a few hundred kilobytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import clock
from app.formatting import format_amount, format_month
from app.models import TrainingClass
from app.training import records
from app.training.roster import TraineePlan, plan_class

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class HandoutPage:
    position: int
    unvan: str
    identifier: str
    token_label: str
    pin: str
    partner_identifier: str
    partner_unvan: str
    steps: tuple[tuple[str, tuple[str, ...]], ...]  # (exercise title, its steps)


def _invoice(plan: TraineePlan, slot: int, today: date) -> tuple[str, str]:
    days_ago = records.INVOICE_SLOTS[slot][0]
    issued = date.fromordinal(today.toordinal() - days_ago)
    return f"{plan.invoice_prefix}{issued.year}{slot + 1:09d}", format_amount(records.invoice_amount(plan, slot))


def _steps(plan: TraineePlan, partner: TraineePlan, today: date) -> tuple[tuple[str, tuple[str, ...]], ...]:
    fresh_no, fresh_amount = _invoice(plan, 0, today)
    old_no, old_amount = _invoice(plan, 2, today)
    trade_no, _ = _invoice(plan, 3, today)
    year, month = records.journal_month(today)
    return (
        ("1. Giriş", (
            "Giriş sayfasında Akıllı kartınızın işlemcisi: SoftHSM seçiniz.",
            f"Kart: {plan.token_label}, Şifre: {plan.pin} yazıp Giriş'e tıklayınız.",
        )),
        ("2. Fatura iptal talebi", (
            "İptal/İtiraz Portalı → Fatura iptal talebi oluşturmak için tıklayınız.",
            f"Fatura No: {fresh_no}, Ödenecek Tutar: {fresh_amount}, İşlem Sahibi: Satıcı, Talep Oluştur.",
            "Sertifika bilgilerini kontrol edip PIN'inizi yazınız ve Onayla'ya tıklayınız.",
        )),
        ("3. Gelen talebi onaylama", (
            f"Eşiniz ({partner.unvan}) size kestiği faturanın iptalini ister.",
            "İptal/İtiraz Portalı → size gelen talepler: talebi seçip Fatura İptal Et, PIN, Onayla.",
        )),
        ("4. 8 günlük süre", (
            f"{old_no} numaralı faturanın ({old_amount}) iptalini isteyiniz: süre geçtiği için reddedilir.",
            "Eğitmen saati 8 gün ileri aldığında onaylanmamış talepler artık onaylanamaz.",
        )),
        ("5. İtiraz", (
            f"{trade_no} numaralı ticari fatura için itiraz bildiriniz (noter, belge numarası ve tarihi).",
            "Eşinizin itirazını Faturaya İtirazı Kabul Et ya da Talebi Reddet ile cevaplayınız.",
        )),
        ("6. Hizmet aktivasyonu", (
            "Yönetim → Hizmet Aktivasyonu: Etiket Ekle, etiketleri seçip Aç.",
            "Seçtiğim Tarihte Aktive Edilsin: eğitmenin söyleyeceği tarihi seçiniz, Evet, PIN, Tamam.",
            "Eğitmen saati o tarihe getirdiğinde durum Hizmet Aktifleştirilmiştir olur.",
        )),
        ("7. e-Defter", (
            "e-Defter → Firma İşlemleri: Firma Ayarları ve Sözleşme Ayarları hazırdır, kontrol ediniz.",
            f"{format_month(year, month)} dönemi için 10 yevmiye maddesi yüklüdür: e-Defter oluşturup GİB'e gönderiniz.",
        )),
    )


def pages(training_class: TrainingClass) -> list[HandoutPage]:
    """The class's handout pages; the invoice numbers are those of the class as prepared or last reset (its records
    were dated from that day by the portal's clock)."""
    today = training_class.started_at.astimezone(clock.ISTANBUL).date()
    plans = plan_class(training_class.id, training_class.trainee_count)
    return [
        HandoutPage(plan.position, plan.unvan, plan.identifier, plan.token_label, plan.pin,
                    plans[plan.partner_position - 1].identifier, plans[plan.partner_position - 1].unvan,
                    _steps(plan, plans[plan.partner_position - 1], today))
        for plan in plans
    ]


def pdf(training_class: TrainingClass, portal_url: str) -> bytes:
    """The handout as a PDF: one A4 page per trainee."""
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.set_title(f"{training_class.name} - el notları")
    document.set_creator("e-Belge Portalı")
    document.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    document.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    document.set_auto_page_break(auto=True, margin=15)
    width = document.epw if hasattr(document, "epw") else 180
    for page in pages(training_class):
        document.add_page()
        document.set_font("DejaVu", "B", 15)
        document.multi_cell(width, 8, f"{training_class.name} — Kursiyer {page.position}", new_x="LMARGIN", new_y="NEXT")
        document.set_font("DejaVu", "", 10)
        document.multi_cell(width, 5, "Eğitim amaçlıdır; gerçek işlemlerde geçersizdir.", new_x="LMARGIN", new_y="NEXT")
        document.ln(3)
        for label, value in (("Firma", page.unvan), ("VKN", page.identifier), ("Kart", page.token_label),
                             ("PIN (Şifre)", page.pin), ("Eşinizin VKN'si", f"{page.partner_identifier} "
                                                                           f"({page.partner_unvan})"),
                             ("Portal", portal_url)):
            document.set_font("DejaVu", "B", 11)
            document.cell(42, 7, label)
            document.set_font("DejaVu", "", 11)
            document.multi_cell(width - 42, 7, value, new_x="LMARGIN", new_y="NEXT")
        for title, steps in page.steps:
            document.ln(2)
            document.set_font("DejaVu", "B", 12)
            document.multi_cell(width, 7, title, new_x="LMARGIN", new_y="NEXT")
            document.set_font("DejaVu", "", 10)
            for step in steps:
                document.multi_cell(width, 5, f"• {step}", new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())
