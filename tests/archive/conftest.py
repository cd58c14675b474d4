"""Belge Saklama fixtures: a demo taxpayer with an active Saklama label and a kontör package, signed documents."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.formats.ubl import PartyDetails
from app.models import ArchivedDocument, KontorMovement, KontorPackage, LabelStatus, ServiceLabel
from app.models.kontor import KontorUnit, MovementKind
from tests.archive import corpus
from tests.fixtures.portal import Party


def activate_saklama(session, taxpayer, product: str = "efatura", kind: str = "efatura_saklama") -> ServiceLabel:
    """The product's Saklama label as Hizmet Aktivasyonu leaves it once GİB approved it."""
    label = ServiceLabel(taxpayer_id=taxpayer.id, product=product, kind=kind,
                         alias=f"urn:mail:saklama@{taxpayer.identifier}.com.tr", status=LabelStatus.AKTIF)
    session.add(label)
    session.commit()
    return label


def give_kontor(app, taxpayer, quantity: int, *, days: int = 365, unit: KontorUnit = KontorUnit.ADET,
                starts_on: date | None = None) -> KontorPackage:
    from app.kontor.operations import load_package

    with app.app_context():
        return load_package(taxpayer.identifier, quantity, (starts_on or date.today()) + timedelta(days=days),
                            unit=unit, starts_on=starts_on)


def upload(client: FlaskClient, filename: str, data: bytes, **kwargs):
    response = client.post("/yonetim/belge-saklama/yukle", data={"dosya": (io.BytesIO(data), filename)},
                           content_type="multipart/form-data", **kwargs)
    response.request.input_stream.close()
    return response


def stored_count(session, taxpayer) -> int:
    return session.scalar(select(func.count()).select_from(ArchivedDocument)
                          .where(ArchivedDocument.taxpayer_id == taxpayer.id))


def used_kontor(session, taxpayer) -> int:
    return session.scalar(select(func.coalesce(func.sum(KontorMovement.amount), 0)).where(
        KontorMovement.taxpayer_id == taxpayer.id, KontorMovement.kind == MovementKind.KULLANIM))


def remaining(session, taxpayer) -> int:
    session.expire_all()
    return session.scalar(select(func.coalesce(func.sum(KontorPackage.remaining), 0))
                          .where(KontorPackage.taxpayer_id == taxpayer.id))


@pytest.fixture
def anadolu(party, db_session) -> Party:
    return party("anadolu")


@pytest.fixture
def ege(party) -> Party:
    return party("ege")


@pytest.fixture
def sales(demo_pki) -> Callable[[int], list[bytes]]:
    """Anadolu's invoices to Ege, signed on Anadolu's card."""
    made = iter(range(1, 10_000_000, 1000))

    def make(count: int) -> list[bytes]:
        ege = demo_pki.token("ege")
        return corpus.invoices(demo_pki, "anadolu", PartyDetails(ege.owner_id, ege.owner_name), count,
                               start=next(made))

    return make


@pytest.fixture(scope="session")
def big_corpus(demo_pki, tmp_path_factory) -> tuple[bytes, dict[str, int]]:
    """A 10,000-member zip: 300 good invoices of Anadolu to Ege and duplicates of them, documents of two other
    companies, a changed byte, broken signatures, a CA nobody trusts, hostile XML; cached for the session."""
    folder = tmp_path_factory.mktemp("saklama-corpus")
    ege = demo_pki.token("ege")
    buyer = PartyDetails(ege.owner_id, ege.owner_name)
    good = corpus.invoices(demo_pki, "anadolu", buyer, 300, prefix="GOD")
    spoiled = corpus.invoices(demo_pki, "anadolu", buyer, 150, prefix="BOZ")
    foreign = corpus.invoices(demo_pki, "ege", corpus.OUTSIDER, 50, prefix="EGE")
    unknown = corpus.unknown_ca_invoices(PartyDetails("4821307561", "Anadolu Tekstil"), buyer, 20)
    members: list[tuple[str, bytes]] = [(f"iyi/{n}.xml", d) for n, d in enumerate(good)]
    members += [(f"tekrar/{n}.xml", good[n % 300]) for n in range(6000)]
    members += [(f"yabanci/{n}.xml", foreign[n % 50]) for n in range(1000)]
    members += [(f"degismis/{n}.xml", corpus.tampered(spoiled[n % 100])) for n in range(1000)]
    members += [(f"bozuk-imza/{n}.xml", corpus.broken_signature(spoiled[100 + n % 50])) for n in range(500)]
    members += [(f"bilinmeyen/{n}.xml", unknown[n % 20]) for n in range(500)]
    members += [(f"saldirgan/{n}.xml", corpus.HOSTILE) for n in range(700)]
    assert len(members) == 10_000
    data = corpus.zip_bytes(members)
    (folder / "on-bin.zip").write_bytes(data)
    return data, {"saklandi": 300, "zaten": 6000, "reddedildi": 3700}


@pytest.fixture(scope="session")
def distinct_corpus(demo_pki) -> bytes:
    """3,000 distinct good invoices in one zip (long enough to kill a worker in the middle of it)."""
    ege = demo_pki.token("ege")
    documents = corpus.invoices(demo_pki, "anadolu", PartyDetails(ege.owner_id, ege.owner_name), 3000, prefix="KIL")
    return corpus.zip_bytes([(f"{n}.xml", d) for n, d in enumerate(documents)])
