"""Belge Saklama through the pages (jobs run in the request, immediate mode), on both databases: a signed
document is stored and charged once, refused with its reason otherwise, listed, searched and downloaded."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from app.models import ArchivedDocument, ArchiveImport, ImportVerdict, Verdict
from tests.archive import corpus
from tests.archive.conftest import activate_saklama, give_kontor, remaining, stored_count, upload, used_kontor


def _verdicts(db_session, import_id: int) -> list[ImportVerdict]:
    return list(db_session.scalars(select(ImportVerdict).where(ImportVerdict.import_id == import_id)
                                   .order_by(ImportVerdict.position)))


def _last_import(db_session, taxpayer) -> ArchiveImport:
    db_session.expire_all()
    return db_session.scalars(select(ArchiveImport).where(ArchiveImport.taxpayer_id == taxpayer.id)
                              .order_by(ArchiveImport.id.desc())).first()


def test_a_signed_invoice_is_stored_charged_once_listed_and_downloaded(app, client, db_session, login_as, anadolu, sales):
    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 10)
    login_as(anadolu.taxpayer)
    document = sales(1)[0]

    response = upload(client, "fatura.xml", document, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Saklandı" in page
    assert stored_count(db_session, anadolu.taxpayer) == 1 and remaining(db_session, anadolu.taxpayer) == 9

    listed = client.get("/yonetim/belge-saklama/?urun=efatura").get_data(as_text=True)
    stored = db_session.scalars(select(ArchivedDocument)).one()
    assert stored.number in listed and stored.receiver_name in listed and stored.outgoing
    download = client.get(f"/yonetim/belge-saklama/belge/{stored.id}")
    assert download.status_code == 200 and download.get_data() == document

    again = upload(client, "ayni-fatura.xml", document, follow_redirects=True).get_data(as_text=True)
    assert "zaten saklanıyor" in again and "kontör düşülmedi" in again
    assert stored_count(db_session, anadolu.taxpayer) == 1 and remaining(db_session, anadolu.taxpayer) == 9
    assert used_kontor(db_session, anadolu.taxpayer) == 1


def test_without_an_active_saklama_label_nothing_is_stored_or_charged(app, client, db_session, login_as, anadolu, sales):
    give_kontor(app, anadolu.taxpayer, 10)
    login_as(anadolu.taxpayer)

    page = upload(client, "fatura.xml", sales(1)[0], follow_redirects=True).get_data(as_text=True)

    assert "Saklama etiketiniz aktif değil" in page
    assert stored_count(db_session, anadolu.taxpayer) == 0 and remaining(db_session, anadolu.taxpayer) == 10


def test_an_empty_balance_refuses_with_the_seeds_sentence_and_keeps_what_was_stored(app, client, db_session, login_as,
                                                                                   anadolu, sales):
    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 2)
    login_as(anadolu.taxpayer)
    documents = sales(3)

    page = upload(client, "uc-fatura.zip", corpus.zip_bytes([(f"f{i}.xml", d) for i, d in enumerate(documents)]),
                  follow_redirects=True).get_data(as_text=True)

    verdicts = _verdicts(db_session, _last_import(db_session, anadolu.taxpayer).id)
    assert [v.verdict for v in verdicts] == [Verdict.SAKLANDI, Verdict.SAKLANDI, Verdict.REDDEDILDI]
    assert ("Kontörünüzün bitmesi halinde e-Belge Portalı ile yeni paket alımı için iletişime geçmeniz "
            "gerekmektedir.") in verdicts[2].reason
    assert "yeni paket alımı" in page
    assert stored_count(db_session, anadolu.taxpayer) == 2 and remaining(db_session, anadolu.taxpayer) == 0

    single = upload(client, "dorduncu.xml", sales(1)[0], follow_redirects=True).get_data(as_text=True)
    assert "kalmadı" in single and stored_count(db_session, anadolu.taxpayer) == 2


def test_an_expired_package_is_not_spent(app, client, db_session, login_as, anadolu, sales):
    from datetime import date, timedelta

    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 5, starts_on=date.today() - timedelta(days=400), days=30)
    login_as(anadolu.taxpayer)

    page = upload(client, "fatura.xml", sales(1)[0], follow_redirects=True).get_data(as_text=True)

    assert "yeni paket alımı" in page and stored_count(db_session, anadolu.taxpayer) == 0


def test_each_refused_member_gets_its_reason(app, client, db_session, login_as, anadolu, ege, sales, demo_pki):
    from app.formats.ubl import PartyDetails

    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 100)
    login_as(anadolu.taxpayer)
    good = sales(3)
    foreign = corpus.invoices(demo_pki, "ege", corpus.OUTSIDER, 1, prefix="EGE")[0]
    unknown = corpus.unknown_ca_invoices(PartyDetails(anadolu.taxpayer.identifier, "Anadolu"),
                                         PartyDetails(ege.taxpayer.identifier, "Ege"), 1)[0]
    members = [("iyi-1.xml", good[0]), ("degismis.xml", corpus.tampered(good[1])),
               ("bozuk-imza.xml", corpus.broken_signature(good[2])), ("yabanci.xml", foreign),
               ("bilinmeyen-sm.xml", unknown), ("saldirgan.xml", corpus.HOSTILE), ("notlar.txt", b"merhaba"),
               ("iyi-1-tekrar.xml", good[0])]

    upload(client, "karisik.zip", corpus.zip_bytes(members))

    verdicts = _verdicts(db_session, _last_import(db_session, anadolu.taxpayer).id)
    reasons = {v.filename: (v.verdict, v.reason) for v in verdicts}
    assert reasons["iyi-1.xml"][0] is Verdict.SAKLANDI
    assert "değiştirilmiş" in reasons["degismis.xml"][1]
    assert reasons["bozuk-imza.xml"][0] is Verdict.REDDEDILDI and "İmza geçersiz" in reasons["bozuk-imza.xml"][1]
    assert "bu mükellefe ait değil" in reasons["yabanci.xml"][1]
    assert "güvenilen" in reasons["bilinmeyen-sm.xml"][1]
    assert "DOCTYPE" in reasons["saldirgan.xml"][1]
    assert "XML dosyası değil" in reasons["notlar.txt"][1]
    assert reasons["iyi-1-tekrar.xml"][0] is Verdict.ZATEN_VAR
    assert stored_count(db_session, anadolu.taxpayer) == 1 and used_kontor(db_session, anadolu.taxpayer) == 1


def test_search_zip_download_and_another_taxpayers_documents(app, client, db_session, login_as, anadolu, ege, sales):
    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 100)
    login_as(anadolu.taxpayer)
    documents = sales(4)
    upload(client, "dort.zip", corpus.zip_bytes([(f"f{i}.xml", d) for i, d in enumerate(documents)]))
    rows = db_session.scalars(select(ArchivedDocument).order_by(ArchivedDocument.id)).all()

    by_number = client.get(f"/yonetim/belge-saklama/?urun=efatura&no={rows[1].number}").get_data(as_text=True)
    assert rows[1].number in by_number and rows[2].number not in by_number
    by_ettn = client.get(f"/yonetim/belge-saklama/?urun=efatura&ettn={rows[2].ettn.upper()}").get_data(as_text=True)
    assert rows[2].number in by_ettn and rows[1].number not in by_ettn
    by_party = client.get("/yonetim/belge-saklama/?urun=efatura&karsi=ege gıda").get_data(as_text=True)
    assert all(row.number in by_party for row in rows)
    nothing = client.get("/yonetim/belge-saklama/?urun=efatura&bitis=01.01.2000").get_data(as_text=True)
    assert "Bu süzgece uyan belge yok." in nothing

    archive = client.get(f"/yonetim/belge-saklama/secilenler.zip?belge={rows[0].id}&belge={rows[3].id}")
    with zipfile.ZipFile(io.BytesIO(archive.get_data())) as opened:
        contents = sorted(opened.read(name) for name in opened.namelist())
    assert contents == sorted([documents[0], documents[3]])

    login_as(ege.taxpayer)
    assert client.get(f"/yonetim/belge-saklama/belge/{rows[0].id}").status_code == 404
    assert client.get(f"/imza-dogrulama/saklanan-belge/{rows[0].id}").status_code == 404
    import_id = _last_import(db_session, anadolu.taxpayer).id
    assert client.get(f"/yonetim/belge-saklama/yukleme/{import_id}").status_code == 404
    empty = client.get(f"/yonetim/belge-saklama/secilenler.zip?belge={rows[0].id}", follow_redirects=True)
    assert "en az bir belge" in empty.get_data(as_text=True)


def test_a_broken_zip_or_a_wrong_file_is_refused_with_a_message(app, client, db_session, login_as, anadolu):
    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 5)
    login_as(anadolu.taxpayer)

    broken = upload(client, "bozuk.zip", b"PK\x03\x04 bu bir zip degil", follow_redirects=True).get_data(as_text=True)
    assert "geçerli bir .zip arşivi değil" in broken
    wrong = upload(client, "fatura.pdf", b"%PDF-1.4", follow_redirects=True).get_data(as_text=True)
    assert "Yalnızca .xml belge ya da belgelerin .zip arşivi yüklenebilir." in wrong
    assert stored_count(db_session, anadolu.taxpayer) == 0 and remaining(db_session, anadolu.taxpayer) == 5
