"""Demo/training data: the demo taxpayers (one SoftHSM card each), invoices between them, and an accountant
(Ayşe Yılmaz, e-imza) whom Anadolu and Ege authorised as their Mali Müşavir (signed on their demo cards).

Idempotent: running it again adds only what is missing. Invoice dates are relative to today so
that a class always has invoices inside and outside the 8-day cancellation window.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Iterable, Iterator

from sqlalchemy import select

from app.authorisations import operations as authorisations
from app.cards import card_choice_from
from app.formatting import local_today
from app.gib.errors import GibError
from app.gib_access import gib_client
from app.models import Authorisation, AuthorisationRole, Invoice, Person, Taxpayer
from app.refusals import Refused
from app.signing.demo_pki import DEFAULT_DEMO_TAXPAYERS, GIB_VKN
from app.unit_of_work import unit_of_work

ETTN_NAMESPACE = uuid.UUID("6f1c2c59-5a57-4d38-9a53-4f3c0a7de0b1")

# (seller key, buyer key, number prefix, how many, first amount)
INVOICE_SERIES = [
    ("anadolu", "ege", "ANA", 10, Decimal("7840.80")),
    ("ege", "anadolu", "EGE", 8, Decimal("1250.00")),
    ("anadolu", "ayse", "ANA", 6, Decimal("480.50")),
    ("marmara", "anadolu", "MAR", 6, Decimal("23600.00")),
    ("karadeniz", "ege", "KAR", 4, Decimal("3120.75")),
]


# The office of the demo: the accountant's demo key, and who authorised her with which role.
DEMO_ACCOUNTANT = "ayse"
DEMO_CLIENTS = (("anadolu", AuthorisationRole.MALI_MUSAVIR), ("ege", AuthorisationRole.MALI_MUSAVIR))


def demo_taxpayers() -> list[tuple[str, str, str]]:
    """(key, VKN/TCKN, unvan) of every demo taxpayer but GİB itself."""
    return [(t.key, t.owner_id, t.name) for t in DEFAULT_DEMO_TAXPAYERS if t.owner_id != GIB_VKN]


def load_demo_data() -> Iterator[str]:
    messages: list[str] = []
    with unit_of_work() as work:
        by_key: dict[str, Taxpayer] = {}
        for key, identifier, name in demo_taxpayers():
            taxpayer = work.session.scalar(select(Taxpayer).where(Taxpayer.identifier == identifier))
            if taxpayer is None:
                taxpayer = Taxpayer(identifier=identifier, unvan=name)
                work.session.add(taxpayer)
                messages.append(f"Mükellef eklendi: {identifier} {name}")
            by_key[key] = taxpayer
        work.session.flush()
        added = 0
        for invoice in _demo_invoices(by_key):
            if work.session.scalar(select(Invoice.id).where(Invoice.ettn == invoice.ettn)) is None:
                work.session.add(invoice)
                added += 1
        if added or messages:
            work.record("demo_verileri_yuklendi", taxpayer_id=None, mukellef=len(messages), fatura=added)
    yield from messages
    yield from _demo_edefter(by_key["anadolu"])
    yield from _demo_authorisations(by_key)
    yield f"{added} demo fatura eklendi." if added else "Demo faturalar zaten yüklü."
    from app.archive.demo import load_demo_storage

    yield from load_demo_storage(by_key.values())
    yield from _register_at_gib(by_key.values())


def _demo_edefter(taxpayer: Taxpayer) -> Iterator[str]:
    """A month of journal entries for Anadolu Tekstil, ready for Defter Oluştur (issue 13)."""
    from app.edefter.creation.demo import load_demo_journal

    with unit_of_work() as work:
        messages = list(load_demo_journal(work.session, taxpayer, local_today().year))
    yield from messages


def _demo_authorisations(by_key: dict[str, Taxpayer]) -> Iterator[str]:
    """Anadolu and Ege authorise the demo accountant, each signing with its demo card; she has accepted.

    A pair that has any authorisation already (even one a trainer revoked) is left as it is.
    """
    demo = {t.key: t for t in DEFAULT_DEMO_TAXPAYERS}
    accountant = demo[DEMO_ACCOUNTANT]
    with unit_of_work() as work:
        person = work.session.scalar(select(Person).where(Person.identifier == accountant.owner_id))
        if person is None:
            person = Person(identifier=accountant.owner_id, name=accountant.name)
            work.session.add(person)
        done = set(work.session.scalars(select(Authorisation.taxpayer_id).where(
            Authorisation.person_identifier == accountant.owner_id)))
    granted = 0
    for key, role in DEMO_CLIENTS:
        grantor = by_key[key]
        if grantor.id in done:
            continue
        plan = authorisations.GrantPlan(accountant.owner_id, accountant.name, role, None)
        submission = str(uuid.uuid5(ETTN_NAMESPACE, f"yetki/{grantor.identifier}/{accountant.owner_id}"))
        try:
            card = card_choice_from({"surucu": "SoftHSM", "kart": demo[key].token_label})
            authorisation, _ = authorisations.grant(grantor, plan, submission, card, demo[key].pin)
            authorisations.accept(person, authorisation.id)
        except Refused as exc:
            yield f"Uyarı: {grantor.unvan} demo yetkilendirmesi yapılamadı. {exc.message}"
            return
        granted += 1
        yield f"Yetkilendirme eklendi: {grantor.unvan} → {accountant.name} ({role.label})"
    if not granted:
        yield "Demo yetkilendirmeler zaten var."


def _register_at_gib(taxpayers: Iterable[Taxpayer]) -> Iterator[str]:
    """Put the demo taxpayers into GİB's registry (the simulator), so GİB knows them."""
    client = gib_client()
    try:
        registered = 0
        for taxpayer in taxpayers:
            if client.find_taxpayer(taxpayer.identifier) is None:
                client.register_taxpayer(
                    taxpayer.identifier, taxpayer.unvan, idempotency_key=f"demo-taxpayer-{taxpayer.identifier}"
                )
                registered += 1
        yield f"{registered} demo mükellef GİB simülatörüne kaydedildi." if registered else "Demo mükellefler GİB'de kayıtlı."
    except GibError as exc:
        yield f"Uyarı: demo mükellefler GİB'e kaydedilemedi. {exc.message}"
    finally:
        client.close()


def _demo_invoices(by_key: dict[str, Taxpayer]) -> Iterator[Invoice]:
    today = local_today()
    sequence: dict[str, int] = {}
    for seller_key, buyer_key, prefix, count, first_amount in INVOICE_SERIES:
        seller, buyer = by_key[seller_key], by_key[buyer_key]
        for index in range(count):
            # The first of a series is today's (the seed's 7.840,80 for anadolu → ege); every third is
            # older than the window; every fifth is a commercial invoice.
            days_ago = 10 + index if index % 3 == 2 else index * 2
            issued = today - timedelta(days=days_ago)
            sequence[prefix] = sequence.get(prefix, 0) + 1
            number = f"{prefix}{issued.year}{sequence[prefix]:09d}"
            yield Invoice(
                ettn=str(uuid.uuid5(ETTN_NAMESPACE, f"{seller.identifier}/{number}")),
                number=number,
                profile_id="TICARIFATURA" if index % 5 == 4 else "TEMELFATURA",
                type_code="SATIS",
                issue_date=issued,
                sender_identifier=seller.identifier,
                sender_name=seller.unvan,
                receiver_identifier=buyer.identifier,
                receiver_name=buyer.unvan,
                payable_amount=first_amount + Decimal(index * 113) + Decimal("0.25") * index,
                currency="TRY",
                delivered_on=issued,
            )
    # İptal/İtiraz Portalı's scenario rules (guide §2) to try: a hal tipi (HKS) invoice of today, Anadolu → Ege.
    seller, buyer = by_key["anadolu"], by_key["ege"]
    number = f"HAL{today.year}000000001"
    yield Invoice(ettn=str(uuid.uuid5(ETTN_NAMESPACE, f"{seller.identifier}/{number}")), number=number,
                  profile_id="HKS", type_code="HKSSATIS", issue_date=today, sender_identifier=seller.identifier,
                  sender_name=seller.unvan, receiver_identifier=buyer.identifier, receiver_name=buyer.unvan,
                  payable_amount=Decimal("5430.20"), currency="TRY", delivered_on=today)
