"""The office's home: a mali müşavir logs in once and sees every client that authorised them with what waits
for it; each row leads into that client (a recorded switch)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import event, select

from app.db import utcnow
from app.models import Job, JobStatus
from app.models.service import LabelStatus, ServiceLabel
from tests.authorisations.conftest import acting_url, draft_from, markup, text


def row_of(page: str, name: str) -> str:
    rows = re.findall(r"<tr id=\"satir-\d+\">.*?</tr>", page, flags=re.S)
    found = [r for r in rows if name in r]
    assert len(found) == 1, f"no single row for {name}"
    return " ".join(re.sub(r"<[^>]+>", " ", found[0]).split())


def test_the_office_home_shows_what_waits_for_each_client(app, client, login_as, party, accountant, grant,
                                                          invoice_factory, db_session):
    anadolu, ege, marmara = party("anadolu"), party("ege"), party("marmara")
    _, ayse_person = accountant
    # Marmara asks Anadolu to cancel an invoice delivered 3 days ago: 5 of the 8 days are left.
    invoice = invoice_factory(marmara, anadolu, delivered_days_ago=3)
    login_as(marmara.taxpayer)
    confirm = client.post("/FaturaIptal/talep", data=marmara.card(islem_sahibi="SATICI", fatura_no=invoice.number,
                                                                  tutar=f"{invoice.payable_amount:.2f}"))
    assert client.post("/FaturaIptal/talep/onayla",
                       data={"taslak": draft_from(confirm), "sifre": marmara.token.pin}).status_code == 303
    # Ege has its e-Defter contract but no settings, and a job that failed yesterday.
    login_as(ege.taxpayer)
    assert client.post("/edefter/sozlesmeler", data={
        "musavir_turu": "SMMM", "unvan": "SMMM", "adi_soyadi": "Ayşe Yılmaz", "aciklama": "Muhasebe hizmetleri",
        "cesit": "Muhasebe Hizmet Sözleşmesi", "sozlesme_tarihi": "2023-12-15", "sozlesme_no": "2023/9",
    }).status_code == 303
    db_session.add(Job(taxpayer_id=ege.taxpayer.id, kind="gib_baglanti_kontrolu", title="GİB Bağlantı Kontrolü",
                       status=JobStatus.HATA, error="GİB'e ulaşılamadı.", finished_at=utcnow() - timedelta(days=1)))
    db_session.commit()
    db_session.add(ServiceLabel(taxpayer_id=ege.taxpayer.id, product="efatura", kind="PK",
                                alias="urn:mail:defaultpk@ege.com.tr", status=LabelStatus.ONAY_BEKLIYOR,
                                requested_at=utcnow()))
    db_session.commit()
    grant(anadolu, ayse_person, "mali_musavir")
    grant(ege, ayse_person, "muhasebe_personeli", valid_until=(utcnow() + timedelta(days=30)).date())
    grant(marmara, ayse_person, "goruntuleme", accepted=False)

    login_as(ayse_person)
    home = client.get("/")
    page = markup(home)
    assert "Mükelleflerim" in page
    anadolu_row = row_of(page, "Anadolu Tekstil")
    assert "Mali Müşavir" in anadolu_row and "1 talep onay bekliyor" in anadolu_row
    assert "En yakın süre: 5 gün kaldı" in anadolu_row and "Firma ayarları eksik" in anadolu_row
    ege_row = row_of(page, "Ege Gıda")
    assert "Muhasebe Personeli" in ege_row and "tarihine kadar" in ege_row
    assert "Firma ayarları eksik" in ege_row and "Sözleşme bilgisi eksik" not in ege_row
    assert "1 iş tamamlanamadı" in ege_row and "1 etiket GİB onayı bekliyor" in ege_row
    assert "etiket GİB onayı bekliyor" not in anadolu_row
    own_row = row_of(page, "Ayşe Yılmaz")
    assert "Kendi kartı" in own_row
    assert "Marmara" not in " ".join(re.findall(r"<table class=\"list\" id=\"ofis-tablosu\">.*?</table>", page, re.S))
    assert "Kabulünüzü bekleyen yetkiler" in text(home) and "Marmara Bilişim" in text(home)

    # Each waiting item leads into that client, on that page (and the switch is recorded).
    form = re.search(rf'<form id="mukellef-{anadolu.taxpayer.id}".*?</form>', page, re.S).group(0)
    assert 'name="mukellef" value="%d"' % anadolu.taxpayer.id in form
    opened = client.post("/firma-sec", data={"mukellef": anadolu.taxpayer.id, "sonraki": "/FaturaIptal/talepler"})
    assert opened.headers["Location"] == acting_url(anadolu.taxpayer.id, "/FaturaIptal/talepler")
    assert invoice.number in text(client.get(opened.headers["Location"]))

    # Accepting from the home page brings the client into the table.
    marmara_offer = re.search(r'action="(/yetkilerim/\d+/kabul)"', page).group(1)
    accepted = client.post(marmara_offer, data={"donus": "ana-sayfa"})
    assert accepted.headers["Location"] == "/"
    assert "Görüntüleme" in row_of(markup(client.get("/")), "Marmara Bilişim")


def test_the_office_home_reads_a_fixed_number_of_queries(app, client, login_as, party, accountant, grant):
    _, ayse_person = accountant
    login_as(ayse_person)
    engine = app.extensions["ebelge.db"].engine

    def count() -> int:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    grant(party("anadolu"), ayse_person)
    with_two = count()
    grant(party("ege"), ayse_person)
    grant(party("marmara"), ayse_person)
    assert count() == with_two


def test_the_office_home_names_each_clients_berat_deadline(app, client, login_as, party, accountant, grant):
    from tests.edefter.conftest import settings_form

    anadolu = party("anadolu")
    _, ayse_person = accountant
    login_as(anadolu.taxpayer)
    assert client.post("/edefter/firma-ayarlari", data=settings_form(ilk_gecis_tarihi="2024-04-01")).status_code == 303
    grant(anadolu, ayse_person, "mali_musavir")
    login_as(ayse_person)
    row = row_of(client.get("/").get_data(as_text=True), "Anadolu Tekstil")
    assert "berat süresi geçti" in row  # nothing was ever sent since April 2024
