"""The JSON the API answers with: the same Turkish field names the requests and the spreadsheet use."""

from __future__ import annotations

from typing import Any

from app.formatting import format_plain_amount
from app.journal.intake import BatchResult
from app.journal.queries import EntryView
from app.journal.rules import PeriodBounds
from app.models import DefterSubmission, JournalLine, JournalPeriod, JournalPeriodState


def period_json(bounds: PeriodBounds, period: JournalPeriod | None,
                submissions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    state = period.state if period else JournalPeriodState.OPEN
    shape = {"donem": f"{bounds.year}-{bounds.month:02d}", "durum": state.value, "durum_adi": state.label,
             "madde_sayisi": period.entry_count if period else 0, "satir_sayisi": period.line_count if period else 0}
    if submissions is not None:
        shape["gonderimler"] = submissions
    return shape


def submission_json(row: DefterSubmission, file_name: str) -> dict[str, Any]:
    """One berat/DR on its way to GİB and GİB's answer to it."""
    return {"dosya": file_name, "tur": row.kind.value, "durum": row.state.value, "durum_adi": row.state.label,
            "deneme": row.attempts,
            "sonraki_deneme": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
            "gib_kodu": row.gib_code, "gib_mesaji": row.gib_message, "onay_no": row.approval_no,
            "onay_zamani": row.approved_at.isoformat() if row.approved_at else None,
            "onayli_berat": row.approved_file_name, "onayli_berat_sha256": row.approved_sha256}


def batch_json(result: BatchResult) -> dict[str, Any]:
    return {"gonderim_id": result.batch_id, "donem": result.period, "madde_sayisi": result.entry_count,
            "satir_sayisi": result.line_count, "alindi": result.received_at.isoformat(), "tekrar": result.replayed}


def line_json(line: JournalLine) -> dict[str, Any]:
    amount = format_plain_amount(line.amount)
    return {"satir_no": line.line_no, "hesap_kodu": line.account_main_id, "hesap_adi": line.account_main_description,
            "alt_hesap_kodu": line.account_sub_id, "alt_hesap_adi": line.account_sub_description,
            "borc": amount if line.side == "D" else None, "alacak": amount if line.side == "C" else None,
            "belge_turu": line.document_type, "belge_aciklamasi": line.document_type_description,
            "belge_no": line.document_number,
            "belge_tarihi": line.document_date.isoformat() if line.document_date else None,
            "odeme_sekli": line.payment_method, "aciklama": line.comment}


def entry_json(view: EntryView) -> dict[str, Any]:
    entry = view.entry
    return {"id": entry.id, "madde_no": entry.entry_number, "tarih": entry.entry_date.isoformat(),
            "giren": entry.entered_by, "aciklama": entry.comment, "gonderim_id": entry.batch_id,
            "borc_toplami": format_plain_amount(view.debit), "alacak_toplami": format_plain_amount(view.credit),
            "satirlar": [line_json(line) for line in view.lines]}
