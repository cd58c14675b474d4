"""Preparing a class (issue 18): companies with valid VKNs, cards that sign, paired invoices, e-Defter settings, a
month of journal, kontör, GİB registration, and a handout listing every trainee. Both databases."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from app.cards import trust_anchors
from app.db import utcnow
from app.formats import portal
from app.identifiers import is_valid_vkn
from app.models import (
    EdefterSettings,
    Invoice,
    JournalEntry,
    JournalLine,
    JournalPeriod,
    KontorPackage,
    Taxpayer,
    Trainee,
    TrainingClass,
)
from app.signing.act import signing_act
from app.signing.drivers import SOFTHSM_MODULE
from app.signing.verify import verify_signed_xml
from tests.training.helpers import prepare, trainees


def test_a_class_of_three_is_ready_to_work(app, trainer_client, db_session, training_simulator):
    training_class = prepare(trainer_client, db_session, 3)
    people = trainees(db_session, training_class)
    assert [t.position for t in people] == [1, 2, 3]
    vkns = [t.identifier for t in people]
    assert all(is_valid_vkn(v) for v in vkns) and len(set(vkns)) == 3
    assert [db_session.get(Taxpayer, t.taxpayer_id).unvan for t in people] == [t.unvan for t in people]
    assert all(re.search(r"(A\.Ş\.|Ltd\. Şti\.)$", t.unvan) for t in people)
    # 1↔2 are a pair; the odd one out (3) trades with 1.
    assert [t.partner_identifier for t in people] == [vkns[1], vkns[0], vkns[0]]

    # Each card logs in to its own company: it signs, and the signature verifies against the portal's anchors.
    with app.app_context():
        anchors = trust_anchors()
        for trainee in people:
            with signing_act(SOFTHSM_MODULE, trainee.token_label, trainee.card_pin,
                             expected_owner_id=trainee.identifier) as act:
                signed = act.sign_enveloped(portal.login_document("egitim-deneme", utcnow()))
            result = verify_signed_xml(signed, anchors, expected_owner_id=trainee.identifier)
            assert result.ok, result.message

    # Invoices both ways between partners, inside and outside the 8-day window.
    invoices = db_session.scalars(select(Invoice).where(Invoice.sender_identifier.in_(vkns))).all()
    by_pair = defaultdict(list)
    for invoice in invoices:
        by_pair[(invoice.sender_identifier, invoice.receiver_identifier)].append(invoice)
    assert set(by_pair) == {(vkns[0], vkns[1]), (vkns[1], vkns[0]), (vkns[2], vkns[0])}
    with app.app_context():
        from app.formatting import local_today

        today = local_today()
    for pair, sent in by_pair.items():
        ages = sorted((today - i.delivered_on).days for i in sent)
        assert ages == [0, 2, 3, 12], pair
        assert {i.profile_id for i in sent} == {"TEMELFATURA", "TICARIFATURA"}
        assert all(i.number[3:7] == str(i.issue_date.year) for i in sent)

    ids = [t.taxpayer_id for t in people]
    assert db_session.scalar(select(func.count()).select_from(EdefterSettings)
                             .where(EdefterSettings.taxpayer_id.in_(ids))) == 3
    # A month of balanced journal entries per company.
    for taxpayer_id in ids:
        period = db_session.scalars(select(JournalPeriod).where(JournalPeriod.taxpayer_id == taxpayer_id)).one()
        assert period.entry_count == 10
        for entry in db_session.scalars(select(JournalEntry).where(JournalEntry.period_id == period.id)):
            lines = db_session.scalars(select(JournalLine).where(JournalLine.entry_id == entry.id)).all()
            debit = sum((l.amount for l in lines if l.side == "D"), Decimal(0))
            credit = sum((l.amount for l in lines if l.side == "C"), Decimal(0))
            assert debit == credit > 0
            assert entry.entry_date.month == period.month
    # A kontör package each, and GİB (the simulator, over HTTP) knows every company.
    assert db_session.scalar(select(func.count()).select_from(KontorPackage)
                             .where(KontorPackage.taxpayer_id.in_(ids))) == 3
    for trainee in people:
        known = training_simulator.client.find_taxpayer(trainee.identifier)
        assert known is not None and known.title == trainee.unvan


def test_a_trainee_logs_in_with_the_card_on_the_handout(app, trainer_client, client, db_session):
    training_class = prepare(trainer_client, db_session, 2)
    trainee = trainees(db_session, training_class)[0]
    client.post("/giris/cikis")
    client.get("/giris/")  # the page keeps the challenge the card signs
    response = client.post("/giris/", data={"surucu": "SoftHSM", "kart": trainee.token_label, "sifre": trainee.card_pin})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:1500]
    home = client.get("/").get_data(as_text=True)
    assert trainee.unvan in home


def test_handout_lists_every_trainee_as_html_and_pdf(app, trainer_client, db_session):
    training_class = prepare(trainer_client, db_session, 4)
    people = trainees(db_session, training_class)
    page = trainer_client.get(f"/egitim/sinif/{training_class.id}/el-notlari").get_data(as_text=True)
    assert page.count('class="handout"') == 4
    for trainee in people:
        section = page.split(f'id="el-notu-{trainee.position}"')[1].split("</section>")[0]
        for expected in (trainee.identifier, trainee.token_label, trainee.card_pin, trainee.partner_identifier):
            assert expected in section
    fresh = db_session.scalars(select(Invoice).where(Invoice.sender_identifier == people[0].identifier)
                               .order_by(Invoice.issue_date.desc(), Invoice.number)).first()
    assert fresh.number in page  # the exercise names the invoice to cancel

    pdf = trainer_client.get(f"/egitim/sinif/{training_class.id}/el-notlari.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    body = pdf.get_data()
    assert body.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", body)) == 4


def test_a_class_size_that_is_not_a_number_changes_nothing(app, trainer_client, db_session):
    for bad in ("", "abc", "1", "61", "-3", "２０", "1e3"):
        response = trainer_client.post("/egitim/sinif", data={"ad": "X", "kisi": bad})
        assert response.status_code == 422
        assert "Kursiyer sayısı 2 ile 60 arasında olmalıdır." in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(TrainingClass)) == 0
    assert db_session.scalar(select(func.count()).select_from(Trainee)) == 0


def test_the_same_form_sent_twice_prepares_one_class(app, trainer_client, db_session):
    page = trainer_client.get("/egitim/").get_data(as_text=True)
    submission = re.search(r'name="gonderim" value="([^"]+)"', page).group(1)
    first = trainer_client.post("/egitim/sinif", data={"ad": "Çift", "kisi": "2", "gonderim": submission})
    second = trainer_client.post("/egitim/sinif", data={"ad": "Çift", "kisi": "2", "gonderim": submission})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db_session.scalar(select(func.count()).select_from(TrainingClass)) == 1
    assert db_session.scalar(select(func.count()).select_from(Trainee)) == 2
