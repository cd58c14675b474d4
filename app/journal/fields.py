"""The fields of a journal line and entry: one table for the spreadsheet columns, the API's JSON and its OpenAPI
description, so what the readers accept, what the rules check and what the documentation says cannot drift apart.

The names are the spreadsheet's column headers (GIB-FORMATS §4.1 gives the XBRL-GL element each one becomes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Field:
    name: str  # column header (case-insensitive) and JSON key
    label: str  # how a Turkish message names it
    max_length: int
    description: str
    required: bool = False
    kind: str = "text"  # text | amount | date


ENTRY_NUMBER: Final = Field("madde_no", "madde no", 50, "Yevmiye madde (fiş) numarası → gl-cor:entryNumber.", True)
ENTRY_DATE: Final = Field("tarih", "tarih", 10, "Madde tarihi (YYYY-AA-GG; dosyada GG.AA.YYYY de olur), dönemin "
                          "içinde olmalı → gl-cor:enteredDate.", True, "date")
ENTERED_BY: Final = Field("giren", "kaydı giren", 100, "Kaydı giren kişi → gl-cor:enteredBy (boşsa gönderen).")
ENTRY_COMMENT: Final = Field("aciklama", "açıklama", 500, "Madde açıklaması → gl-cor:entryComment.")

LINE_FIELDS: Final = (
    Field("hesap_kodu", "hesap kodu", 4, "Ana hesap kodu, 3 ya da 4 karakter (ör. 100) → gl-cor:accountMainID.", True),
    Field("hesap_adi", "hesap adı", 250, "Ana hesap adı (ör. KASA) → gl-cor:accountMainDescription.", True),
    Field("alt_hesap_kodu", "alt hesap kodu", 50, "Alt hesap kodu, ana hesap koduyla başlar (ör. 100.01) → "
          "gl-cor:accountSubID."),
    Field("alt_hesap_adi", "alt hesap adı", 250, "Alt hesap adı; alt hesap kodu varsa zorunlu → "
          "gl-cor:accountSubDescription."),
    Field("borc", "borç", 30, "Borç tutarı (1.234,56 ya da 1234.56; en fazla 2 ondalık). Bir satırda borç ya da "
          "alacaktan yalnızca biri dolu olur → gl-cor:amount, debitCreditCode D.", kind="amount"),
    Field("alacak", "alacak", 30, "Alacak tutarı → gl-cor:amount, debitCreditCode C.", kind="amount"),
    Field("belge_turu", "belge türü", 40, "GİB'in belge türü: invoice, check, voucher, receipt, shipment, "
          "order-vendor, order-customer, other (ya da fatura, çek, senet, makbuz, irsaliye, satıcı siparişi, "
          "müşteri siparişi, diğer) → gl-cor:documentType."),
    Field("belge_aciklamasi", "belge açıklaması", 100, "Belge türü 'other' (diğer) ise zorunlu: belgenin adı → "
          "gl-cor:documentTypeDescription."),
    Field("belge_no", "belge no", 50, "Belge numarası; fatura, çek ve diğer için zorunlu → gl-cor:documentNumber."),
    Field("belge_tarihi", "belge tarihi", 10, "Belge tarihi; fatura, çek ve diğer için zorunlu → "
          "gl-cor:documentDate.", kind="date"),
    Field("odeme_sekli", "ödeme şekli", 100, "Ödeme şekli (ör. NAKİT, BANKA) → gl-bus:paymentMethod."),
    Field("aciklama", "açıklama", 500, "Satır açıklaması → gl-cor:detailComment."),
)
LINE_FIELD_NAMES: Final = tuple(field.name for field in LINE_FIELDS)
FIELDS_BY_NAME: Final = {field.name: field for field in (ENTRY_NUMBER, ENTRY_DATE, ENTERED_BY, *LINE_FIELDS)}

# The spreadsheet: one row per line; the madde's number and date repeat on each of its rows.
SHEET_COLUMNS: Final = ("madde_no", "tarih", "hesap_kodu", "hesap_adi", "alt_hesap_kodu", "alt_hesap_adi", "borc",
                        "alacak", "belge_turu", "belge_no", "belge_tarihi", "odeme_sekli", "aciklama")
SHEET_OPTIONAL_COLUMNS: Final = ("belge_aciklamasi", "giren")
SHEET_REQUIRED_COLUMNS: Final = ("madde_no", "tarih", "hesap_kodu", "hesap_adi", "borc", "alacak")
