"""Hizmet Aktivasyonu tests: a demo taxpayer at the portal (its real SoftHSM card) and the GİB simulator on a real
socket trusting the demo CA. Operations run in an app context, as a view or a job would run them."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.cards import CardChoice
from app.integrator import approvals, operations
from app.models import AuditEvent
from app.models.service import ServiceLabel, ServiceRequest
from app.signing.demo_pki import DemoPKI
from tests.fixtures.gib import RunningSimulator, gib_seal_settings
from tests.fixtures.portal import Party

APPLICATION = {"title": "Anadolu Tekstil Sanayi ve Ticaret A.Ş.", "tax_office": "Bornova",
               "address": "Sanayi Cad. No: 1 Bornova / İzmir", "email": "muhasebe@anadolutekstil.com.tr",
               "phone": "0232 000 00 00"}
DOMAIN = "anadolutekstil.com.tr"


@pytest.fixture
def start_gib(app: Flask, gib_simulator_factory: Callable[..., RunningSimulator], demo_pki: DemoPKI):
    """Start a simulator trusting the demo CA (options: approval_delay_seconds, clock_offset_seconds, data, port)
    and point the portal at it."""

    def start(**options: Any) -> RunningSimulator:
        simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki),
                                          **options)
        app.config["GIB_URL"] = simulator.base_url
        return simulator

    return start


@pytest.fixture
def gib(start_gib) -> RunningSimulator:
    return start_gib()


@dataclass
class Desk:
    """One taxpayer working on Hizmet Aktivasyonu, through the operations the screens call."""

    app: Flask
    party: Party
    pki: DemoPKI

    @property
    def taxpayer(self):
        return self.party.taxpayer

    @property
    def card(self) -> CardChoice:
        return CardChoice("SoftHSM", self.pki.module_path, self.party.token.label)

    def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self.app.app_context():
            return function(*args, **kwargs)

    def add(self, product: str, prefix: str = "default", domain: str = DOMAIN) -> list[ServiceLabel]:
        return self.run(operations.add_labels, self.taxpayer, product, prefix, domain)

    def labels(self, product: str | None = None) -> list[ServiceLabel]:
        return self.run(operations.labels_of, self.taxpayer.id, product=product)

    def label(self, kind: str, alias_part: str = "") -> ServiceLabel:
        return next(label for label in self.labels() if label.kind == kind and alias_part in label.alias)

    def screen(self, *labels: ServiceLabel) -> operations.OpeningScreen:
        return self.run(operations.prepare_opening, self.taxpayer, [label.id for label in labels])

    def plan(self, *labels: ServiceLabel, when: date | None = None, origin: str | None = "yeni",
             application: dict[str, str] | None = None, screen: operations.OpeningScreen | None = None,
             today: date | None = None) -> operations.OpeningPlan:
        from app.formatting import local_today

        screen = screen or self.screen(*labels)
        _product, _labels, plan = self.run(
            operations.plan_opening, self.taxpayer, [label.id for label in labels], asks_origin=screen.asks_origin,
            needs_application=screen.needs_application, date_choice="tarih" if when else "hemen",
            date_text=when.isoformat() if when else "", origin=origin, application=application or APPLICATION,
            today=today or local_today())
        return plan

    def open(self, *labels: ServiceLabel, submission_id: str | None = None, pin: str | None = None,
             **plan: Any) -> ServiceRequest:
        chosen = self.plan(*labels, **plan)
        return self.run(operations.open_labels, self.taxpayer, chosen, submission_id or str(uuid.uuid4()),
                        self.card, pin or self.party.token.pin)

    def close(self, *labels: ServiceLabel, confirmed: bool = False, submission_id: str | None = None) -> ServiceRequest:
        return self.run(operations.close_labels, self.taxpayer, [label.id for label in labels],
                        submission_id or str(uuid.uuid4()), self.card, self.party.token.pin,
                        last_post_box_confirmed=confirmed)

    def check(self) -> int:
        return self.run(approvals.start_due_checks, self.taxpayer.id)

    def request(self, request_id: int) -> ServiceRequest:
        return self.run(operations.request_of, self.taxpayer.id, request_id)

    def activate(self, product: str, *kinds: str, **plan: Any) -> ServiceRequest:
        """Etiket Ekle (when the product has no labels yet) and open the given kinds (default: all main ones)."""
        if not self.labels(product):
            self.add(product)
        chosen = [label for label in self.labels(product) if (label.kind in kinds if kinds else True)]
        return self.open(*chosen, **plan)

    def audit_actions(self) -> list[str]:
        with self.app.app_context():
            from app.db import get_session

            return list(get_session().scalars(
                select(AuditEvent.action).where(AuditEvent.taxpayer_id == self.taxpayer.id).order_by(AuditEvent.id)))


@pytest.fixture
def desk(app: Flask, party: Callable[[str], Party], demo_pki: DemoPKI) -> Callable[[str], Desk]:
    return lambda key="anadolu": Desk(app, party(key), demo_pki)


def xmlsec1_verifies(signed: bytes, pki: DemoPKI, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / f"{uuid.uuid4()}.xml"
    path.write_bytes(signed)
    return subprocess.run(
        ["xmlsec1", "--verify", "--enabled-key-data", "x509", "--trusted-pem", str(pki.ca_cert_path),
         "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
         "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:KeyInfo", str(path)],
        capture_output=True, text=True, timeout=60)
