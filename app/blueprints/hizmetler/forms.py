"""Reading the Hizmet Aktivasyonu forms (HTTP only; the rules are in app.integrator)."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from app.formatting import parse_record_id

APPLICATION_FIELDS = {"title": "unvan", "tax_office": "vergi_dairesi", "address": "adres", "email": "eposta",
                      "phone": "telefon"}


def selected_ids(form: MultiDict[str, str]) -> list[int]:
    return [record_id for value in form.getlist("secim") if (record_id := parse_record_id(value))]


def application_values(form: MultiDict[str, str]) -> dict[str, str]:
    """The "GİB e-Fatura Başvuru Bilgileri" fields as typed (Yararlanma Yöntemi is not a field: it is fixed)."""
    return {name: form.get(field, "")[:1000] for name, field in APPLICATION_FIELDS.items()}


def opening_choices(form: MultiDict[str, str]) -> dict[str, Any]:
    return {"date_choice": form.get("aktivasyon", ""), "date_text": form.get("tarih", "")[:20],
            "origin": form.get("gelinen") or None, "application": application_values(form)}
