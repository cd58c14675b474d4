"""Roles, checked in one place before any view: Mali Müşavir signs with the client's card, Muhasebe Personeli
prepares but cannot sign, Görüntüleme cannot post at all. The audit names the person and the card."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.models import AuditEvent, CancellationRequest, CancellationStatus, EdefterBranch
from tests.authorisations.conftest import acting_url, draft_from, text


def incoming_request(client, login_as, seller, buyer, invoice_factory, db_session) -> CancellationRequest:
    """The seller (its own card's login) asks the buyer to cancel a fresh invoice."""
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    confirm = client.post("/FaturaIptal/talep", data=seller.card(islem_sahibi="SATICI", fatura_no=invoice.number,
                                                                 tutar=f"{invoice.payable_amount:.2f}"))
    assert confirm.status_code == 200, text(confirm)[:400]
    final = client.post("/FaturaIptal/talep/onayla", data={"taslak": draft_from(confirm), "sifre": seller.token.pin})
    assert final.status_code == 303
    return db_session.scalars(select(CancellationRequest).where(CancellationRequest.invoice_id == invoice.id)).one()


def test_mali_musavir_approves_with_the_clients_card_and_the_audit_names_both(
        client, login_as, party, accountant, grant, invoice_factory, db_session):
    anadolu, ege = party("anadolu"), party("ege")
    ayse, ayse_person = accountant
    request = incoming_request(client, login_as, ege, anadolu, invoice_factory, db_session)
    grant(anadolu, ayse_person, "mali_musavir")
    login_as(ayse_person)
    base = acting_url(anadolu.taxpayer.id, "/FaturaIptal")

    lists = text(client.get(base + "/talepler"))
    assert request.invoice.number in lists
    assert "Bu işlem Anadolu Tekstil Sanayi ve Ticaret A.Ş. (VKN 4821307561) adına imzalanır" in lists

    # Her own e-imza is not Anadolu's: refused before the PIN.
    refused = client.post(base + "/gelen/karar", data=ayse.card(karar="onay", secim=[str(request.id)]))
    assert refused.status_code == 303 and refused.headers["Location"].startswith(base)
    assert ("Karttaki sertifika 34721590854 vergi / TC kimlik numaralı mükellefe aittir; bu işlem 4821307561"
            in text(client.get(refused.headers["Location"])))

    confirm = client.post(base + "/gelen/karar", data=anadolu.card(karar="onay", secim=[str(request.id)]))
    page = text(confirm)
    assert confirm.status_code == 200 and "İmza için kullanacağınız sertifika" in page
    assert "yalnızca bu mükellefin mali mührü kabul edilir" in page and anadolu.token.owner_id in page
    signed = client.post(base + "/gelen/karar/onayla", data={"taslak": draft_from(confirm), "sifre": anadolu.token.pin})
    assert signed.status_code == 303 and signed.headers["Location"].startswith(base)
    result = text(client.get(signed.headers["Location"]))  # GİB's result page: heading, then what was done
    assert "İşlem Başarılı" in result and "1 talep iptal edildi." in result

    db_session.expire_all()
    decided = db_session.get(CancellationRequest, request.id)
    assert decided.status is CancellationStatus.APPROVED and decided.decided_by_taxpayer_id == anadolu.taxpayer.id
    entry = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "iptal_talebi_onaylandi")).one()
    assert entry.taxpayer_id == anadolu.taxpayer.id
    assert entry.actor == "34721590854 Ayşe Yılmaz"  # the person who acted
    assert entry.certificate_serial == decided.decision_certificate_serial  # the company's card
    history = text(client.get(acting_url(anadolu.taxpayer.id, "/hesabim/islem-gecmisi")))
    assert "34721590854 Ayşe Yılmaz" in history and entry.certificate_serial in history


def test_muhasebe_personeli_prepares_but_cannot_sign(client, login_as, party, accountant, grant, invoice_factory,
                                                      db_session):
    anadolu, ege = party("anadolu"), party("ege")
    _, ayse_person = accountant
    request = incoming_request(client, login_as, ege, anadolu, invoice_factory, db_session)
    grant(anadolu, ayse_person, "muhasebe_personeli")
    login_as(ayse_person)
    base = acting_url(anadolu.taxpayer.id, "")

    assert request.invoice.number in text(client.get(base + "/FaturaIptal/talepler"))
    added = client.post(base + "/edefter/subeler", data={"sube_kodu": "0001", "sube_adi": "İzmir"})
    assert added.status_code == 303
    branch = db_session.scalars(select(EdefterBranch)).one()
    assert branch.taxpayer_id == anadolu.taxpayer.id
    entry = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "edefter_sube_eklendi")).one()
    assert entry.actor == "34721590854 Ayşe Yılmaz" and entry.taxpayer_id == anadolu.taxpayer.id

    for method, path, data in [
        ("get", "/FaturaIptal/talep", None),
        ("post", "/FaturaIptal/talep", anadolu.card(islem_sahibi="SATICI", fatura_no=request.invoice.number, tutar="1")),
        ("post", "/FaturaIptal/gelen/karar", anadolu.card(karar="onay", secim=[str(request.id)])),
        ("post", "/FaturaIptal/gelen/karar/onayla", {"taslak": "x", "sifre": anadolu.token.pin}),
    ]:
        response = getattr(client, method)(base + path, data=data)
        assert response.status_code == 403, path
        assert "Muhasebe Personeli yetkisiyle mükellefin imzası gereken işlemler yapılamaz" in text(response)
    db_session.expire_all()
    assert db_session.get(CancellationRequest, request.id).status is CancellationStatus.PENDING


def test_goruntuleme_reads_every_page_and_posts_nothing(app, client, login_as, party, accountant, grant, db_session):
    anadolu = party("anadolu")
    _, ayse_person = accountant
    grant(anadolu, ayse_person, "goruntuleme")
    login_as(ayse_person)
    for path in ("/FaturaIptal/talepler", "/faturalar/", "/edefter/", "/edefter/sozlesmeler", "/islemler/",
                 "/yonetim/", "/hesabim/islem-gecmisi"):
        assert client.get(acting_url(anadolu.taxpayer.id, path)).status_code == 200, path
    # A pending label's row refreshes itself for a viewer too (no such label here: not found, not forbidden).
    poll = client.get(acting_url(anadolu.taxpayer.id, "/yonetim/hizmet-aktivasyonu/etiket/999999/durum"))
    assert poll.status_code == 404
    entries_before = db_session.scalar(select(func.count()).select_from(AuditEvent))
    posts = [rule for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and rule.rule.startswith("/mukellef/")]
    assert len(posts) >= 15
    for rule in posts:
        path = re.sub(r"<(?:\w+:)?mukellef_id>", str(anadolu.taxpayer.id), rule.rule)
        path = re.sub(r"<(?:int:)?\w+>", "1", path)
        response = client.post(path, data={"sube_kodu": "0002", "sube_adi": "Bursa", "secim": "1", "karar": "onay"})
        assert response.status_code == 403, path
        page = text(response)
        assert "Görüntüleme yetkisiyle" in page or "yalnızca mükellef kendi mali mührü" in page, path
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == entries_before
