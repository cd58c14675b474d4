"""Each refusal before creating or signing a period, what survives a removed card, and numbering across months."""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree
from sqlalchemy import select

from app.drafts import make_draft
from app.models import DefterCreation, DefterFileKind, JournalPeriodState, YevmiyeVerification
from app.models.defter_file import CreationState
from tests.edefter_creation.conftest import text_of
from tests.edefter_creation.test_creation import NS, create, download, files_of, sign
from tests.fixtures.gib import gib_seal_settings, new_key


def _creation(db_session, period_id: int) -> DefterCreation | None:  # type: ignore[no-untyped-def]
    db_session.expire_all()
    return db_session.scalar(select(DefterCreation).where(DefterCreation.period_id == period_id))


def _send_berats(client, gib, db_session, period_id: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for row in files_of(db_session, period_id):
        if row.kind in (DefterFileKind.YEVMIYE_BERAT, DefterFileKind.KEBIR_BERAT):
            gib.submit_berat(download(client, period_id, row, tmp_path).read_bytes(), idempotency_key=new_key())


def test_numbering_continues_across_months_once_gib_has_the_previous_berats(
        client, company, gib, journal, small_parts, db_session, tmp_path):  # type: ignore[no-untyped-def]
    january = journal(company.taxpayer.id, 2024, 1, 30)
    february = journal(company.taxpayer.id, 2024, 2, 20)
    create(client, january.period.id)
    sign(client, january.period.id, company.card(), company.token.pin)

    refused = create(client, february.period.id)
    assert refused.status_code == 422
    assert "GİB'e göre 01/2024 dönemine ait yevmiye ve kebir beratları gönderilmemiş" in text_of(refused)
    assert _creation(db_session, february.period.id) is None

    _send_berats(client, gib, db_session, january.period.id, tmp_path)
    assert "01/2024 döneminin son yevmiye maddesi 30" in text_of(client.get(f"/defter/{february.period.id}"))
    assert create(client, february.period.id).status_code == 303
    assert sign(client, february.period.id, company.card(), company.token.pin).status_code == 303
    counters: list[int] = []
    lines: list[int] = []
    for row in files_of(db_session, february.period.id):
        if row.kind is DefterFileKind.YEVMIYE:
            root = etree.parse(str(download(client, february.period.id, row, tmp_path))).getroot()
            counters += [int(c) for c in root.xpath("//gl-cor:entryNumberCounter/text()", namespaces=NS)]
            lines += [int(n) for n in root.xpath("//gl-cor:lineNumber/text()", namespaces=NS)]
    assert counters == list(range(31, 51))
    assert lines == list(range(91, 151))


def test_months_are_created_in_order(client, company, gib, journal):  # type: ignore[no-untyped-def]
    march = journal(company.taxpayer.id, 2024, 3, 5)
    refused = create(client, march.period.id)
    assert refused.status_code == 422
    assert "Dönemler sırayla oluşturulur: 02/2024 dönemi oluşturulup imzalanmadan 03/2024 dönemi oluşturulamaz" in text_of(refused)


def test_a_verified_yevmiye_continues_the_numbering(client, company, gib, journal, db_session, tmp_path):  # type: ignore[no-untyped-def]
    from datetime import date

    db_session.add(YevmiyeVerification(
        taxpayer_id=company.taxpayer.id, branch_id=None, branch_code=None, branch_name=None,
        unique_id="YEV202402000001", period_start=date(2024, 2, 1), period_end=date(2024, 2, 29), entry_count=412,
        first_entry_counter=1, last_entry_counter=412, last_entry_number="F-412", last_line_number="1236",
        signature_status="valid", signature_message="İmza geçerli", signer_serial="01", file_name="y.xml",
        file_size=1, sha256="0" * 64, in_zip=False))
    db_session.commit()
    march = journal(company.taxpayer.id, 2024, 3, 4)
    assert "Yevmiye Numarası Doğrulama" in text_of(client.get(f"/defter/{march.period.id}"))
    assert create(client, march.period.id).status_code == 303
    sign(client, march.period.id, company.card(), company.token.pin)
    yevmiye = next(r for r in files_of(db_session, march.period.id) if r.kind is DefterFileKind.YEVMIYE)
    assert (yevmiye.first_entry_counter, yevmiye.last_entry_counter) == (413, 416)
    assert (yevmiye.first_line_number, yevmiye.last_line_number) == (1237, 1248)


def test_a_clock_far_from_gibs_stops_creation_naming_the_difference(
        app, client, company, journal, gib_simulator_factory, demo_pki):  # type: ignore[no-untyped-def]
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki),
                                      clock_offset_seconds=2 * 3600 + 5 * 60)
    app.config["GIB_URL"] = simulator.base_url
    january = journal(company.taxpayer.id, 2024, 1, 3)
    refused = create(client, january.period.id)
    assert refused.status_code == 422
    assert re.search(r"Bilgisayarınızın saati GİB saatinden 2 saat (5 dakika|4 dakika 5\d saniye) geride",
                     text_of(refused))


def test_settings_must_be_complete(client, login_as, party, journal):  # type: ignore[no-untyped-def]
    from tests.edefter_creation.conftest import settings_form

    ege = party("ege")
    login_as(ege.taxpayer)
    january = journal(ege.taxpayer.id, 2024, 1, 3)
    refused = create(client, january.period.id)
    assert refused.status_code == 422 and "Firma Ayarları" in text_of(refused)
    assert client.post("/edefter/firma-ayarlari", data=settings_form(unvan="Ege Kumaş Ltd. Şti.")).status_code == 303
    refused = create(client, january.period.id)
    assert refused.status_code == 422 and "Sözleşme Ayarları" in text_of(refused)


def test_an_approved_period_is_never_created_again(client, company, gib, journal, db_session):  # type: ignore[no-untyped-def]
    january = journal(company.taxpayer.id, 2024, 1, 3)
    january.period.state = JournalPeriodState.APPROVED
    db_session.commit()
    refused = create(client, january.period.id)
    assert refused.status_code == 422
    assert "GİB onaylı dönem değiştirilemez: defterleri yeniden oluşturulamaz" in text_of(refused)


def test_a_removed_card_leaves_the_period_unsigned_and_retryable(
        app, client, company, gib, journal, db_session):  # type: ignore[no-untyped-def]
    january = journal(company.taxpayer.id, 2024, 1, 6)
    create(client, january.period.id)
    with app.test_request_context():
        draft = make_draft("defter-imza", period_id=january.period.id, driver="SoftHSM", token="MM-KARTCIKARILDI")
    refused = client.post(f"/defter/{january.period.id}/onayla", data={"taslak": draft, "sifre": company.token.pin})
    assert refused.status_code == 422
    creation = _creation(db_session, january.period.id)
    assert creation is not None and creation.state is CreationState.PREPARED
    assert january.period.state is JournalPeriodState.CREATED
    assert all(row.signed_key is None for row in files_of(db_session, january.period.id))
    wrong = sign(client, january.period.id, company.card(), "000000")
    assert wrong.status_code == 422 and "şifre" in text_of(wrong).lower()
    assert sign(client, january.period.id, company.card(), company.token.pin).status_code == 303
    assert _creation(db_session, january.period.id).state is CreationState.SIGNED


def test_maddeler_breaking_gibs_rules_are_listed_and_nothing_is_signed(
        client, company, gib, journal, db_session):  # type: ignore[no-untyped-def]
    def unbalance(index: int, fields: dict) -> None:  # type: ignore[type-arg]
        if index in (2, 4):
            fields["amount"] = Decimal("1.00")

    january = journal(company.taxpayer.id, 2024, 1, 8, change=unbalance)
    create(client, january.period.id)
    page = text_of(client.get(f"/defter/{january.period.id}"))
    assert "GİB kurallarına uymayan kayıtlar" in page
    assert "Fiş F-01-3" in page and "Fiş F-01-5" in page and "eşit değil" in page
    creation = _creation(db_session, january.period.id)
    assert creation.state is CreationState.FAILED and len(creation.problems) == 2
    assert files_of(db_session, january.period.id) == []
    assert january.period.state is JournalPeriodState.OPEN


def test_another_taxpayers_period_is_invisible(client, company, login_as, party, journal):  # type: ignore[no-untyped-def]
    other = party("ege")
    theirs = journal(other.taxpayer.id, 2024, 1, 3)
    assert client.get(f"/defter/{theirs.period.id}").status_code == 404
    assert client.post(f"/defter/{theirs.period.id}/olustur").status_code == 404
    assert client.get(f"/defter/{theirs.period.id}/indir.zip").status_code == 404


def test_a_second_onayla_of_the_same_form_signs_once(client, company, gib, journal, db_session):  # type: ignore[no-untyped-def]
    january = journal(company.taxpayer.id, 2024, 1, 4)
    create(client, january.period.id)
    confirm = client.post(f"/defter/{january.period.id}/imza", data=company.card())
    draft = re.search(r'name="taslak" value="([^"]+)"', confirm.get_data(as_text=True)).group(1)
    first = client.post(f"/defter/{january.period.id}/onayla", data={"taslak": draft, "sifre": company.token.pin})
    keys = {row.id: row.signed_key for row in files_of(db_session, january.period.id)}
    second = client.post(f"/defter/{january.period.id}/onayla", data={"taslak": draft, "sifre": company.token.pin})
    assert first.status_code == second.status_code == 303
    assert {row.id: row.signed_key for row in files_of(db_session, january.period.id)} == keys


def test_a_wrong_pin_shows_the_certificate_again_beside_the_message(
        client, company, gib, journal, db_session):  # type: ignore[no-untyped-def]
    january = journal(company.taxpayer.id, 2024, 1, 3)
    create(client, january.period.id)
    wrong = sign(client, january.period.id, company.card(), "000000")
    page = text_of(wrong)
    assert wrong.status_code == 422 and "şifre" in page.lower()
    # The person retyping the PIN still sees whose certificate will sign (SPEC A2), and may try again here.
    assert "İmza için kullanacağınız sertifika" in page and company.token.owner_name in page
    assert company.token.owner_id in page and 'name="sifre"' in wrong.get_data(as_text=True)
    draft = re.search(r'name="taslak" value="([^"]+)"', wrong.get_data(as_text=True))
    assert draft is not None
    again = client.post(f"/defter/{january.period.id}/onayla", data={"taslak": draft.group(1),
                                                                     "sifre": company.token.pin})
    assert again.status_code == 303
