"""JSON shapes of the simulator's answers (documented in docs/admin/gib-connection.md)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.gib.simulator.edefter import PeriodStatus
from app.gib.simulator.labels import aliases_of_request, request_status
from app.gib.simulator.models import Alias, Berat, DefterReport, EFaturaApplication, LabelRequest, Taxpayer
from app.gib.simulator.userlist import ListedUser


def iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with an explicit offset, or None."""
    return moment.isoformat(timespec="seconds") if moment is not None else None


def application_json(application: EFaturaApplication | None) -> dict[str, Any] | None:
    if application is None:
        return None
    return {
        "identifier": application.taxpayer.identifier,
        "title": application.taxpayer.title,
        "method": application.method,
        "tax_office": application.tax_office,
        "email": application.email,
        "received_at": iso(application.received_at),
        "signer_serial": application.signer_serial,
    }


def taxpayer_json(taxpayer: Taxpayer) -> dict[str, Any]:
    return {
        "identifier": taxpayer.identifier,
        "title": taxpayer.title,
        "user_type": taxpayer.user_type,
        "registered_at": iso(taxpayer.registered_at),
        "efatura_application": application_json(taxpayer.application),
    }


def alias_json(alias: Alias, now: datetime) -> dict[str, Any]:
    return {
        "document_type": alias.document_type,
        "role": alias.role,
        "alias": alias.name,
        "account_type": alias.account_type,
        "created_at": iso(alias.created_at),
        "deleted_at": iso(alias.deleted_at) if alias.deleted_at is not None and alias.deleted_at <= now else None,
        "active": alias.is_active(now),
    }


def label_request_json(session: Session, label_request: LabelRequest, now: datetime) -> dict[str, Any]:
    return {
        "request_id": label_request.id,
        "identifier": label_request.taxpayer.identifier,
        "action": label_request.action,
        "status": request_status(label_request, now),
        "received_at": iso(label_request.received_at),
        "activation_date": label_request.activation_date.isoformat() if label_request.activation_date else None,
        "effective_at": iso(label_request.effective_at),
        "labels": [alias_json(alias, now) for alias in aliases_of_request(session, label_request)],
    }


def listed_user_json(user: ListedUser, now: datetime) -> dict[str, Any]:
    return {
        "identifier": user.taxpayer.identifier,
        "title": user.taxpayer.title,
        "user_type": user.taxpayer.user_type,
        "account_type": user.account_type,
        "first_creation_time": iso(user.first_creation_time),
        "aliases": [alias_json(alias, now) for alias in user.aliases],
    }


def berat_json(berat: Berat, *, with_file: bool) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "identifier": berat.taxpayer.identifier,
        "period": berat.period,
        "kind": berat.kind,
        "part": berat.part,
        "approved_at": iso(berat.approved_at),
        "filename": berat.filename,
    }
    if with_file:
        payload["approved_berat"] = base64.b64encode(berat.approved_berat).decode("ascii")
    return payload


def period_status_json(status: PeriodStatus) -> dict[str, Any]:
    return {
        "identifier": status.identifier,
        "period": status.period,
        "yevmiye_sent": status.yevmiye_sent,
        "kebir_sent": status.kebir_sent,
        "complete": status.complete,
        "berats": [berat_json(berat, with_file=False) for berat in status.berats],
    }


def report_json(report: DefterReport) -> dict[str, Any]:
    return {
        "identifier": report.taxpayer.identifier,
        "period": report.period,
        "kind": "DR",
        "filename": report.filename,
        "received_at": iso(report.received_at),
        "acceptance_id": report.acceptance_id,
    }
