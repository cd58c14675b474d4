"""İtiraz bildirimi (GİB guide §2, §5) on both databases: who may object in which scenario, the TTK 18/3 document,
one objection per invoice, the counterparty's acceptance or rejection, and the 15th-of-next-month limit."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import utcnow
from app.formatting import format_amount, local_today
from app.models import AuditEvent, CancellationRequest, CancellationStatus, ObjectionMethod, RequestKind
from tests.iptal.conftest import draft_from


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def objection_form(invoice, party_, role: str, **extra) -> dict:
    fields = {"islem_sahibi": role, "fatura_no": invoice.number, "tutar": format_amount(invoice.payable_amount),
              "belge_no": "Y-2026/1187", "belge_tarihi": invoice.delivered_on.isoformat(), "yontem": "noter"}
    return party_.card(**{**fields, **extra})


def object_to(client, party_, invoice, role: str, **extra):
    """Fill GİB's itiraz form, then "Onayla" with the PIN; returns (confirmation, final)."""
    confirm = client.post("/FaturaIptal/itiraz/talep", data=objection_form(invoice, party_, role, **extra))
    if confirm.status_code != 200:
        return confirm, None
    final = client.post("/FaturaIptal/itiraz/talep/onayla",
                        data={"taslak": draft_from(confirm.get_data(as_text=True)), "sifre": party_.token.pin})
    return confirm, final


def decide(client, party_, ids, decision):
    confirm = client.post("/FaturaIptal/itiraz/gelen/karar",
                          data=party_.card(karar=decision, secim=[str(i) for i in ids]))
    assert confirm.status_code == 200, text(confirm)[:400]
    return client.post("/FaturaIptal/itiraz/gelen/karar/onayla",
                       data={"taslak": draft_from(confirm.get_data(as_text=True)), "sifre": party_.token.pin})


def only_request(db_session) -> CancellationRequest:
    db_session.expire_all()
    return db_session.scalars(select(CancellationRequest)).one()


def overdue_objection(client, login_as, party, invoice_factory, db_session):
    """The buyer's objection to an invoice whose month ended long ago (its dates moved back, as a clock moved forward
    would): past the 15th of the next month. Returns (seller, buyer, invoice, request), the buyer logged in."""
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    object_to(client, buyer, invoice, "ALICI")
    stored = only_request(db_session)
    stored.invoice.issue_date = stored.invoice.delivered_on = local_today() - timedelta(days=75)
    db_session.commit()
    return seller, buyer, invoice, stored


def test_buyer_objects_and_the_seller_accepts(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    confirm, final = object_to(client, buyer, invoice, "ALICI")
    shown = text(confirm)
    assert "İmzalanacak İtiraz Talebi" in shown and "Noter Aracılığıyla" in shown and "Y-2026/1187" in shown
    assert final.status_code == 303
    done = text(client.get(final.headers["Location"]))
    assert "İtiraz talebiniz başarıyla oluşturulmuştur" in done
    assert f"{invoice.number} numaralı {format_amount(invoice.payable_amount)} tutarındaki fatura için itiraz talebi oluşturuldu." in done
    stored = only_request(db_session)
    assert (stored.kind, stored.status, stored.objection_method) == (RequestKind.ITIRAZ, CancellationStatus.PENDING,
                                                                     ObjectionMethod.NOTER)
    assert b"FaturaItirazTalebi" in stored.request_xml and b"Y-2026/1187" in stored.request_xml

    lists = text(client.get("/FaturaIptal/itiraz/talepler"))
    requested = lists[lists.index("İtiraz Ettiğiniz Faturalar"):]
    assert invoice.number in requested[:600] and "Onay Bekliyor" in requested[:600]
    iptal_lists = client.get("/FaturaIptal/talepler")
    assert iptal_lists.status_code == 200 and "İptal" in text(iptal_lists)
    assert invoice.number not in text(iptal_lists)  # the iptal lists are another list

    login_as(seller.taxpayer)
    incoming = text(client.get("/FaturaIptal/itiraz/talepler"))
    assert "Gelen Fatura İtiraz Talepleri (1 kayıt)" in incoming and "Faturaya İtirazı Kabul Et" in incoming
    result = decide(client, seller, [stored.id], "onay")
    page = text(client.get(result.headers["Location"]))
    assert "İşlem Başarılı" in page and "1 talep için itiraz kabul edildi." in page
    stored = only_request(db_session)
    assert stored.status is CancellationStatus.APPROVED and stored.decided_at is not None
    assert stored.invoice.cancelled_at is None  # an accepted objection does not cancel the invoice
    accepted = text(client.get("/FaturaIptal/itiraz/talepler"))
    assert "İtirazını Kabul Ettiğiniz Faturalar (1 kayıt)" in accepted
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "itiraz_talebi_onaylandi")) is not None

    login_as(buyer.taxpayer)
    mine = text(client.get("/FaturaIptal/itiraz/talepler"))
    assert "Fatura İtiraz Kabul Edildi" in mine[mine.index("İtiraz Ettiğiniz Faturalar"):]


def test_seller_objects_and_the_buyer_rejects(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, profile="HKS")
    login_as(seller.taxpayer)
    _, final = object_to(client, seller, invoice, "SATICI")
    assert final.status_code == 303
    login_as(buyer.taxpayer)
    decide(client, buyer, [only_request(db_session).id], "red")
    assert only_request(db_session).status is CancellationStatus.REJECTED
    lists = text(client.get("/FaturaIptal/itiraz/talepler"))
    assert "Reddettiğiniz İtiraz Talepleri (1 kayıt)" in lists
    login_as(seller.taxpayer)
    mine = text(client.get("/FaturaIptal/itiraz/talepler"))
    assert "Talep Reddedildi" in mine[mine.index("İtiraz Ettiğiniz Faturalar"):]


@pytest.mark.parametrize("profile, role", [("TEMELFATURA", "ALICI"), ("TEMELFATURA", "SATICI"), ("HKS", "ALICI"),
                                           ("HKS", "SATICI"), ("TICARIFATURA", "ALICI"), ("TICARIFATURA", "SATICI"),
                                           ("KAMU", "SATICI")])
def test_scenarios_that_allow_an_objection(client, login_as, party, invoice_factory, db_session, profile, role):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, profile=profile)
    who = seller if role == "SATICI" else buyer
    login_as(who.taxpayer)
    _, final = object_to(client, who, invoice, role)
    assert final is not None and final.status_code == 303
    stored = only_request(db_session)
    # KAMU: the seller's objection needs no approval of the buyer (guide §2): nothing waits for the buyer
    expected = CancellationStatus.NOTIFIED if profile == "KAMU" else CancellationStatus.PENDING
    assert stored.status is expected
    login_as((buyer if role == "SATICI" else seller).taxpayer)
    incoming = text(client.get("/FaturaIptal/itiraz/talepler"))
    assert ("(0 kayıt)" if profile == "KAMU" else "(1 kayıt)") in incoming[incoming.index("Gelen Fatura İtiraz"):][:60]


@pytest.mark.parametrize("profile, role, words", [
    ("KAMU", "ALICI", "yalnızca satıcı yapabilir"),
    ("IHRACAT", "SATICI", "itiraz talebi oluşturulamaz"),
    ("EARSIVFATURA", "ALICI", "itiraz talebi oluşturulamaz"),
])
def test_scenarios_that_refuse_an_objection(client, login_as, party, invoice_factory, db_session, profile, role, words):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, profile=profile)
    who = seller if role == "SATICI" else buyer
    login_as(who.taxpayer)
    refused, _ = object_to(client, who, invoice, role)
    assert refused.status_code == 422
    page = text(refused)
    assert words in page and "Lütfen sayfayı yenileyip tekrar deneyiniz." in page  # GİB's error page
    assert db_session.scalars(select(CancellationRequest)).first() is None


@pytest.mark.parametrize("profile, role, allowed", [
    ("TEMELFATURA", "SATICI", True), ("TEMELFATURA", "ALICI", True), ("HKS", "SATICI", True), ("HKS", "ALICI", True),
    ("TICARIFATURA", "SATICI", False), ("TICARIFATURA", "ALICI", False), ("KAMU", "SATICI", False),
    ("KAMU", "ALICI", False),
])
def test_scenarios_that_allow_a_cancellation(client, login_as, party, invoice_factory, request_cancellation,
                                             db_session, profile, role, allowed):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, profile=profile)
    who = seller if role == "SATICI" else buyer
    login_as(who.taxpayer)
    confirm, final = request_cancellation(who, invoice, role=role)
    if allowed:
        assert final.status_code == 303
    else:
        assert confirm.status_code == 422 and final is None
        assert ("RED uygulama yanıtı" if profile == "TICARIFATURA" else "satıcı itiraz bildiriminde") in text(confirm)


def test_an_invoice_is_objected_to_once(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    assert object_to(client, buyer, invoice, "ALICI")[1].status_code == 303
    login_as(seller.taxpayer)
    decide(client, seller, [only_request(db_session).id], "red")
    # neither party may object again, even after a rejection
    for who, role in ((buyer, "ALICI"), (seller, "SATICI")):
        login_as(who.taxpayer)
        again, _ = object_to(client, who, invoice, role, belge_no="Y-2026/2000")
        assert again.status_code == 422
        assert "daha önce itiraz edilmiştir" in text(again)
    assert len(db_session.scalars(select(CancellationRequest)).all()) == 1


def test_a_withdrawn_objection_can_be_made_again(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    object_to(client, buyer, invoice, "ALICI")
    first = only_request(db_session)
    asked = client.post("/FaturaIptal/itiraz/talepler/sil", data={"secim": [str(first.id)]})
    assert "silmek istediğinize emin misiniz" in text(asked)
    client.post("/FaturaIptal/itiraz/talepler/sil", data={"secim": [str(first.id)], "onay": "evet"})
    assert object_to(client, buyer, invoice, "ALICI")[1].status_code == 303


@pytest.mark.parametrize("field, value, message", [
    ("belge_no", "", "İtiraz Belge Numarası giriniz."),
    ("belge_tarihi", "31.02.2026", "geçerli bir tarih değil"),
    ("yontem", "", "İtiraz Yöntemi seçiniz"),
    ("yontem", "faks", "İtiraz Yöntemi seçiniz"),
    ("islem_sahibi", "", "İşlem Sahibini Seçiniz"),
])
def test_a_badly_typed_field_stays_on_the_form(client, login_as, party, invoice_factory, db_session, field, value,
                                               message):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    form = objection_form(invoice, buyer, "ALICI")
    form[field] = value
    response = client.post("/FaturaIptal/itiraz/talep", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in html.unescape(page) and 'id="talep-formu"' in page
    assert 'value="Y-2026/1187"' in page or field == "belge_no"  # what was typed stays


@pytest.mark.parametrize("days_after_delivery, message", [
    (9, "gün içinde olmalıdır"),  # TTK 21/2: eight days from receipt
    (-400, "fatura tarihinden"),
])
def test_the_objection_document_date_is_checked(client, login_as, party, invoice_factory, db_session,
                                                days_after_delivery, message):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, delivered_days_ago=12)
    login_as(buyer.taxpayer)
    on = invoice.delivered_on + timedelta(days=days_after_delivery)
    refused, _ = object_to(client, buyer, invoice, "ALICI", **{"belge_tarihi": on.strftime("%d.%m.%Y")})
    assert refused.status_code == 422 and message in text(refused)


def test_a_future_document_date_is_refused(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, delivered_days_ago=0)
    login_as(buyer.taxpayer)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    refused, _ = object_to(client, buyer, invoice, "ALICI", belge_tarihi=tomorrow)
    assert refused.status_code == 422 and "bugünden sonra olamaz" in text(refused)


def test_acceptance_after_the_15th_of_next_month_is_refused(client, login_as, party, invoice_factory, db_session):
    seller, buyer, invoice, stored = overdue_objection(client, login_as, party, invoice_factory, db_session)
    mine = text(client.get("/FaturaIptal/itiraz/talepler"))
    assert "Süresinde Onaylanmadı" in mine[mine.index("İtiraz Ettiğiniz Faturalar"):]
    login_as(seller.taxpayer)
    result = decide(client, seller, [stored.id], "onay")
    page = text(client.get(result.headers["Location"]))
    assert "süresinde kabul edilmediği için artık kabul edilemez" in page and "İşlem Yapılamadı" in page
    assert only_request(db_session).status is CancellationStatus.PENDING


def test_no_objection_after_the_15th_of_next_month(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, delivered_days_ago=75)
    login_as(buyer.taxpayer)
    refused, final = object_to(client, buyer, invoice, "ALICI")
    assert final is None and refused.status_code == 422
    assert "bu süre geçtiği için itiraz talebi oluşturulamaz" in text(refused)
    db_session.expire_all()
    assert db_session.scalars(select(CancellationRequest)).all() == []


def test_wrong_role_names_the_right_one(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    refused, _ = object_to(client, buyer, invoice, "SATICI")
    assert refused.status_code == 422
    assert 'faturada satıcı değil, alıcı olarak yer alıyorsunuz. İşlem Sahibi olarak "Alıcı" seçiniz.' in text(refused)


def test_geri_on_the_confirmation_keeps_the_typed_values(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    confirm = client.post("/FaturaIptal/itiraz/talep", data=objection_form(invoice, buyer, "ALICI"))
    back = html.unescape(re.search(r'<a class="btn btn-light" href="([^"]+)">Geri</a>', confirm.get_data(as_text=True)).group(1))
    form = client.get(back).get_data(as_text=True)
    for typed in (f'value="{invoice.number}"', f'value="{format_amount(invoice.payable_amount)}"', 'value="Y-2026/1187"',
                  'value="noter" selected', 'value="ALICI" selected', f'value="{invoice.delivered_on.isoformat()}"'):
        assert typed in form, typed


def test_a_stranger_sees_no_objection(client, login_as, party, invoice_factory, db_session):
    seller, buyer, stranger = party("anadolu"), party("ege"), party("marmara")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    object_to(client, buyer, invoice, "ALICI")
    stored = only_request(db_session)
    login_as(stranger.taxpayer)
    assert client.get(f"/FaturaIptal/talep/{stored.id}/talep.xml").status_code == 404
    assert client.get(f"/FaturaIptal/itiraz/talep/sonuc?talep={stored.id}").status_code == 404
    lists = client.get("/FaturaIptal/itiraz/talepler")
    assert lists.status_code == 200 and "İtiraz Ettiğiniz Faturalar" in text(lists)
    assert invoice.number not in text(lists)
    refused, _ = object_to(client, stranger, invoice, "ALICI")
    assert refused.status_code == 422 and "bulunamadı" in text(refused)


def test_an_overdue_objection_cannot_be_withdrawn(client, login_as, party, invoice_factory, db_session):
    """Past the 15th of the next month the objection counts as not accepted, for good: the list, the delete question
    and the message all call it "Süresinde Onaylanmadı", and it stays."""
    seller, buyer, invoice, stored = overdue_objection(client, login_as, party, invoice_factory, db_session)
    asked = client.post("/FaturaIptal/itiraz/talepler/sil", data={"secim": [str(stored.id)]})
    assert invoice.number not in text(asked)  # not offered for deletion
    done = client.post("/FaturaIptal/itiraz/talepler/sil", data={"secim": [str(stored.id)], "onay": "evet"})
    page = text(client.get(done.headers["Location"]))
    assert "'Süresinde Onaylanmadı' durumunda olduğu için silinemez" in page
    assert only_request(db_session).status is CancellationStatus.PENDING


def test_the_iptal_list_cannot_delete_an_objection(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    object_to(client, buyer, invoice, "ALICI")
    objection = only_request(db_session)
    asked = client.post("/FaturaIptal/talepler/sil", data={"secim": [str(objection.id)]})
    assert invoice.number not in text(asked)
    client.post("/FaturaIptal/talepler/sil", data={"secim": [str(objection.id)], "onay": "evet"})
    assert only_request(db_session).status is CancellationStatus.PENDING
    client.post("/FaturaIptal/itiraz/talepler/sil", data={"secim": [str(objection.id)], "onay": "evet"})
    assert only_request(db_session).status is CancellationStatus.DELETED
