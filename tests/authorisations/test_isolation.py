"""A person authorised by A and not by B can neither see nor touch B's records: every GET and POST route of the
app, walked from its URL map with the ids of B's records, answers 404/403 and never shows B's data (SPEC E5, E8).
The same walk for A's own card login. A route with an id the walk does not know fails the test: add B's record."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.db import utcnow
from app.formatting import local_today
from app.models import (
    AccountingContract,
    AuditEvent,
    Authorisation,
    CancellationRequest,
    CancellationStatus,
    EdefterBranch,
    Job,
    YevmiyeVerification,
)
from tests.authorisations.conftest import draft_from
from tests.fixtures.persons import log_client_in, person_of

SECRET_CONTRACT = {
    "musavir_turu": "SMMM", "unvan": "SMMM", "adi_soyadi": "Kemal Gizlioğlu", "aciklama": "Muhasebe hizmetleri",
    "cesit": "Muhasebe Hizmet Sözleşmesi", "sozlesme_tarihi": "2023-12-15", "sozlesme_no": "GZL/77",
}
SECRET_BRANCH = {"sube_kodu": "0777", "sube_adi": "Gizlişube"}


@dataclass
class RecordsOfB:
    ids: dict[str, object]  # URL argument name -> one of B's records
    markers: list[str]  # text only B's pages would show
    taxpayer_id: int


@pytest.fixture
def records_of_b(app, party, invoice_factory, db_session, grant) -> RecordsOfB:
    """Ege (B) with one record of each kind, made through its own card's login (in a browser of its own);
    nothing shared with Anadolu."""
    ege, marmara = party("ege"), party("marmara")
    invoice = invoice_factory(ege, marmara, number=f"GZL{local_today().year}000000777")
    client = app.test_client()
    log_client_in(app, client, person_of(db_session, ege.taxpayer))
    confirm = client.post("/FaturaIptal/talep", data=ege.card(islem_sahibi="SATICI", fatura_no=invoice.number,
                                                              tutar=f"{invoice.payable_amount:.2f}"))
    assert client.post("/FaturaIptal/talep/onayla",
                       data={"taslak": draft_from(confirm), "sifre": ege.token.pin}).status_code == 303
    assert client.post("/edefter/sozlesmeler", data=SECRET_CONTRACT).status_code == 303
    assert client.post("/edefter/subeler", data=SECRET_BRANCH).status_code == 303
    client.post("/yonetim/kontrol")  # a background job of Ege's (GİB is unreachable in tests: it fails)
    verification = YevmiyeVerification(
        taxpayer_id=ege.taxpayer.id, unique_id="YEVGIZLI0001", period_start=date(2024, 1, 1),
        period_end=date(2024, 1, 31), entry_count=1, first_entry_counter=1, last_entry_counter=77,
        last_entry_number="77", last_line_number="154", signature_status="unsigned", signature_message="-",
        file_name="gizli-yevmiye.xml", file_size=1, sha256="0" * 64, in_zip=False,
    )
    db_session.add(verification)
    db_session.commit()
    stranger = person_of(db_session, party("karadeniz").taxpayer)  # any person; only the id matters here
    stranger.identifier, stranger.name = "10000000146", "Gizli Yetkili"
    db_session.commit()
    authorisation_id = grant(ege, stranger, "goruntuleme", accepted=False)
    with app.test_request_context():  # Hizmet Aktivasyonu: labels of Ege's (SPEC C2)
        from app.integrator.operations import add_labels

        label_id = add_labels(ege.taxpayer, "efatura", "gizli", "gizlifirma.com.tr")[0].id
    from app.models.service import RequestAction, ServiceRequest

    service_request = ServiceRequest(taxpayer_id=ege.taxpayer.id, submission_id=str(uuid.uuid4()),
                                     action=RequestAction.ACMA, product="efatura", document=b"<gizli/>",
                                     certificate_serial="GIZLI")
    db_session.add(service_request)
    from app.models import ArchivedDocument, ArchiveImport  # Belge Saklama: an upload and a stored document of Ege's

    archive_import = ArchiveImport(taxpayer_id=ege.taxpayer.id, filename="gizli.zip", sha256="0" * 64, size=1)
    db_session.add(archive_import)
    db_session.flush()
    stored = ArchivedDocument(
        taxpayer_id=ege.taxpayer.id, product="efatura", document_type="fatura", ettn=str(uuid.uuid4()),
        number=invoice.number, issue_date=local_today(), sender_identifier=ege.taxpayer.identifier,
        sender_name="Ege Gıda", receiver_identifier="2578041931", receiver_name="Marmara", outgoing=True,
        filename="gizli.xml", sha256="0" * 64, size=1, signer_identifier=ege.taxpayer.identifier,
        signer_name="Ege Gıda", certificate_serial="GIZLI", charged=1, import_id=archive_import.id)
    db_session.add(stored)
    from decimal import Decimal  # e-Defter > Yevmiye Kayıtları: a period of Ege's with a madde, and an API key

    from app.models import ApiKey, ApiKeyScope, JournalBatch, JournalEntry, JournalLine, JournalPeriod, JournalSource

    journal = JournalPeriod(taxpayer_id=ege.taxpayer.id, branch_code="", year=2024, month=2, entry_count=1, line_count=1)
    db_session.add(journal)
    db_session.flush()
    batch = JournalBatch(period_id=journal.id, source=JournalSource.API, actor="API anahtarı: Gizli", entry_count=1,
                         line_count=1)
    db_session.add(batch)
    db_session.flush()
    entry = JournalEntry(period_id=journal.id, batch_id=batch.id, entry_number="GIZLI-1", entry_date=date(2024, 2, 1),
                         entered_by="Gizli", comment="Gizli madde")
    db_session.add(entry)
    db_session.flush()
    db_session.add(JournalLine(period_id=journal.id, entry_id=entry.id, line_no=1, account_main_id="100",
                               account_main_description="GİZLİKASA", amount=Decimal("1.00"), side="D"))
    api_key = ApiKey(taxpayer_id=ege.taxpayer.id, name="Gizli anahtar", scope=ApiKeyScope.WRITE, prefix="ebp_gizli00000",
                     secret_hash="0" * 64, created_by="Gizli", rate_window_count=0)
    db_session.add(api_key)
    from app.models import DefterCreation, DefterFile, DefterFileKind  # Defter Oluştur: a created file of Ege's

    creation = DefterCreation(taxpayer_id=ege.taxpayer.id, period_id=journal.id, max_part_bytes=1024)
    db_session.add(creation)
    db_session.flush()
    defter_file = DefterFile(taxpayer_id=ege.taxpayer.id, creation_id=creation.id, kind=list(DefterFileKind)[0],
                             part_index=0, file_name=f"{ege.taxpayer.identifier}-202402-Y-000000.xml",
                             unique_id="YEVGIZLI0002")
    db_session.add(defter_file)
    db_session.flush()
    from app.models import DefterSubmission, SubmissionState  # GİB'e Gönderim: Ege's approved berat

    submission = DefterSubmission(taxpayer_id=ege.taxpayer.id, period_id=journal.id, creation_id=creation.id,
                                  file_id=defter_file.id, kind=DefterFileKind.YEVMIYE_BERAT, part_index=0,
                                  state=SubmissionState.APPROVED, idempotency_key="gizli-gonderim", attempts=1,
                                  requested_by="Gizli", approved_file_name="GIB-GIZLI.xml", approved_key="0" * 64)
    db_session.add(submission)
    from app.models.edefter_archive import (  # e-Defter Arşivi: an upload and an archived file of Ege's
        ArchiveKind, ArchiveOrigin, EdefterArchiveEntry, EdefterArchiveUpload)

    archive_upload = EdefterArchiveUpload(taxpayer_id=ege.taxpayer.id, filename="gizli-defter.zip", sha256="0" * 64,
                                          size=1)
    db_session.add(archive_upload)
    db_session.flush()
    archive_entry = EdefterArchiveEntry(taxpayer_id=ege.taxpayer.id, kind=ArchiveKind.YEVMIYE,
                                        origin=ArchiveOrigin.UPLOAD, year=2023, month=12, file_name="gizli-defter.xml",
                                        sha256="0" * 64, size=1, last_entry_counter=9, upload_id=archive_upload.id)
    db_session.add(archive_entry)
    db_session.commit()
    request = db_session.scalars(select(CancellationRequest).where(CancellationRequest.invoice_id == invoice.id)).one()
    b_job_id = db_session.scalars(select(Job.id).where(Job.taxpayer_id == ege.taxpayer.id)).one()
    return RecordsOfB(
        ids={
            "request_id": request.id,
            "which": "talep",
            "contract_id": db_session.scalars(select(AccountingContract.id)).one(),
            "branch_id": db_session.scalars(select(EdefterBranch.id)).one(),
            "verification_id": verification.id,
            "job_id": db_session.scalars(select(Job.id).where(Job.taxpayer_id == ege.taxpayer.id)).one(),
            "kayit": db_session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.taxpayer_id == ege.taxpayer.id)),
            "authorisation_id": authorisation_id,
            "label_id": label_id,
            "hizmetler.request_id": service_request.id,  # the same argument name, another kind of record
            "import_id": archive_import.id,
            "document_id": stored.id,
            "dogrulama.kind": "saklanan-belge",  # İmza Doğrulama: B's stored document's report
            "dogrulama.object_id": stored.id,
            "period_id": journal.id,  # a JournalPeriod of Ege's (Yevmiye Kayıtları, Defter Oluştur)
            "key_id": api_key.id,
            "file_id": defter_file.id,
            "submission_id": submission.id,
            "upload_id": archive_upload.id,
            "entry_id": archive_entry.id,
            "egitim.class_id": 1,  # training classes are the trainer's, never a taxpayer's: refused for A anyway
            "egitim.job_id": b_job_id,
        },
        markers=[ege.taxpayer.identifier, "Ege Gıda", invoice.number, "Kemal Gizlioğlu", "Gizlişube", "YEVGIZLI0001",
                 "Gizli Yetkili", "gizlifirma.com.tr", "GİZLİKASA", "Gizli anahtar"],
        taxpayer_id=ege.taxpayer.id,
    )


def shown(response) -> str:
    """What the page shows, less the card list: the cards in the reader (all demo cards sit in one SoftHSM) are
    hardware, not anyone's records."""
    page = re.sub(r'<select id="kart".*?</select>', "", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def state_of_b(db_session, b: RecordsOfB) -> tuple:
    db_session.expire_all()
    return (
        db_session.get(CancellationRequest, b.ids["request_id"]).status,
        db_session.scalar(select(func.count()).select_from(AccountingContract)),
        db_session.scalar(select(func.count()).select_from(EdefterBranch)),
        db_session.get(Authorisation, b.ids["authorisation_id"]).revoked_at,
        db_session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.taxpayer_id == b.taxpayer_id)),
    )


def routes_with(app, b: RecordsOfB, acting_ids: dict[str, int]) -> list[tuple[str, str, str]]:
    """(method, url, what) for every GET/POST route: under each acting prefix, and bare."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api."):
            continue  # /api/v1 takes Bearer keys, never this session: its isolation is tests/journal/test_api.py's
        record_args = set(rule.arguments) - {"mukellef_id"} - set(rule.defaults or {})  # defaults name no record
        area = rule.endpoint.split(".")[0]
        ids = {name: b.ids.get(f"{area}.{name}", b.ids.get(name)) for name in record_args}
        unknown = sorted(name for name, value in ids.items() if value is None)
        assert not unknown, f"{rule.rule}: add one of B's records for {unknown} to records_of_b"
        url = rule.rule
        for name in record_args:
            url = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(ids[name]), url)
        prefixes = acting_ids.items() if "mukellef_id" in rule.arguments else [("bare", None)]
        for who, taxpayer_id in prefixes:
            if who == "A" and not record_args:
                continue  # A's own page with no record in its address: not B's record (checked for markers below)
            target = re.sub(r"<(?:[^:<>]+:)?mukellef_id>", str(taxpayer_id), url) if taxpayer_id else url
            for method in ("GET", "POST"):
                if method in rule.methods and (record_args or taxpayer_id == acting_ids["B"]):
                    found.append((method, target, f"{who} {rule.endpoint}"))
    return found


FORM = {"secim": "", "karar": "onay", "mukellef": "", "sube_kodu": "0001", "sube_adi": "X"}


def walk(client, app, b: RecordsOfB, acting_ids: dict[str, int], allowed: tuple[int, ...]) -> int:
    form = {**FORM, "secim": str(b.ids["request_id"]), "mukellef": str(b.taxpayer_id)}
    walked = 0
    for method, url, what in routes_with(app, b, acting_ids):
        response = client.open(url, method=method, data=form if method == "POST" else None)
        assert response.status_code in allowed, f"{method} {url} ({what}) answered {response.status_code}"
        leaked = [marker for marker in b.markers if marker in shown(response)]
        assert not leaked, f"{method} {url} ({what}) shows B's {leaked}"
        walked += 1
    return walked


def own_pages_show_nothing_of_b(client, app, b: RecordsOfB, prefix: str) -> None:
    for rule in app.url_map.iter_rules():
        if ("GET" in rule.methods and rule.rule.startswith("/mukellef/")
                and set(rule.arguments) - set(rule.defaults or {}) == {"mukellef_id"}):
            response = client.get(prefix + rule.rule.split(">", 1)[1])
            assert response.status_code in (200, 303, 403, 404), rule.rule  # 303: a result page without its result
            leaked = [marker for marker in b.markers if marker in shown(response)]
            assert not leaked, f"{rule.rule} shows B's {leaked}"


def test_accountant_of_a_reaches_nothing_of_b(app, client, party, accountant, grant, records_of_b, db_session):
    anadolu = party("anadolu")
    _, ayse_person = accountant
    grant(anadolu, ayse_person, "mali_musavir")
    before = state_of_b(db_session, records_of_b)
    log_client_in(app, client, ayse_person)
    acting_ids = {"A": anadolu.taxpayer.id, "B": records_of_b.taxpayer_id}
    # Under B's prefix and under A's with B's ids: 404 (403 where the role is refused first). Bare addresses do not
    # say whom they act for: a person with several taxpayers is sent to Firma Seç (302) or told so (400).
    walked = walk(client, app, records_of_b, acting_ids, allowed=(302, 400, 403, 404))
    assert walked > 60
    for url in [f"/mukellef/{records_of_b.taxpayer_id}/hesabim", f"/mukellef/{records_of_b.taxpayer_id}/FaturaIptal/talepler"]:
        assert client.get(url).status_code == 404
    assert client.post("/firma-sec", data={"mukellef": records_of_b.taxpayer_id}).status_code == 404
    done = f"/mukellef/{anadolu.taxpayer.id}/FaturaIptal/talep/sonuc?talep={records_of_b.ids['request_id']}"
    assert client.get(done).status_code == 404  # an id in the query string too
    own_pages_show_nothing_of_b(client, app, records_of_b, f"/mukellef/{anadolu.taxpayer.id}")
    assert state_of_b(db_session, records_of_b) == before


def test_a_companys_own_login_reaches_nothing_of_b(app, client, party, records_of_b, db_session):
    anadolu = party("anadolu")
    before = state_of_b(db_session, records_of_b)
    log_client_in(app, client, person_of(db_session, anadolu.taxpayer))
    acting_ids = {"A": anadolu.taxpayer.id, "B": records_of_b.taxpayer_id}
    # One taxpayer: bare addresses act for A, so B's records in them are simply not found.
    assert walk(client, app, records_of_b, acting_ids, allowed=(403, 404)) > 60
    own_pages_show_nothing_of_b(client, app, records_of_b, f"/mukellef/{anadolu.taxpayer.id}")
    assert state_of_b(db_session, records_of_b) == before
