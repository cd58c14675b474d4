"""Fixtures for e-Defter Firma İşlemleri: demo taxpayers, a valid settings form, yevmiye files written by the core."""

from __future__ import annotations

import html
import io
import re
import zipfile
from typing import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.formats.xbrl.model import Branch
from app.formats.xbrl.samples import sample_company, sample_document, sample_entries, write_yevmiye_file
from app.models import AuditEvent, YevmiyeVerification
from app.signing.demo_pki import DemoPKI
from tests.fixtures.defter import sign_defter
from tests.fixtures.pkcs11 import session_pki


def settings_form(**changes: str) -> dict[str, str]:
    """A settings form that passes every check (Anadolu Tekstil in İzmir); ``changes`` override fields."""
    form = {
        "donem_turu": "takvim",
        "donem_baslangic": "2024-01-01",
        "donem_bitis": "2024-12-31",
        "ilk_gecis_tarihi": "2024-04-01",
        "kurulus_tarihi": "2009-05-12",
        "berat_donemi": "aylik",
        "bolme_boyutu": "200",
        "gib_basvuru": "1",
        "unvan": "Anadolu Tekstil Sanayi ve Ticaret A.Ş.",
        "bina_no": "12/A",
        "cadde_sokak": "Atatürk Caddesi",
        "il": "İzmir",
        "posta_kodu": "35210",
        "ulke": "Türkiye",
        "telefon": "0232 123 45 67",
        "eposta": "muhasebe@anadolutekstil.com.tr",
        "web_sitesi": "www.anadolutekstil.com.tr",
        "nace_kodu": "13.20",
        "nace_aciklama": "Dokuma",
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


SMMM_CONTRACT = {
    "musavir_turu": "SMMM", "unvan": "SMMM", "adi_soyadi": "Mehmet Demir", "aciklama": "Muhasebe hizmetleri",
    "cesit": "Muhasebe Hizmet Sözleşmesi", "sozlesme_tarihi": "2023-12-15", "sozlesme_no": "2023/118",
}


@pytest.fixture
def save_settings(client: FlaskClient) -> Callable[..., object]:
    def save(**changes: str):
        response = client.post("/edefter/firma-ayarlari", data=settings_form(**changes))
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    return save


@pytest.fixture
def anadolu(login_as, party, save_settings):  # type: ignore[no-untyped-def]
    """Anadolu Tekstil logged in, its Firma Ayarları saved."""
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    save_settings()
    return anadolu


def yevmiye_bytes(owner_id: str, *, count: int = 5, first_counter: int = 1, month: int = 3, year: int = 2024,
                  branch: Branch | None = None) -> bytes:
    """An unsigned yevmiye of ``count`` maddeler for March 2024 (by default), written by the portal's writer."""
    document = sample_document(year, month)
    buffer = io.BytesIO()
    write_yevmiye_file(buffer, sample_company(owner_id, branch=branch), document,
                       sample_entries(document, count, first_counter=first_counter), first_entry_counter=first_counter)
    return buffer.getvalue()


def signed_yevmiye_bytes(owner_id: str, *, signer: str | None = None,
                         change: Callable[[bytes], bytes] | None = None, **options) -> bytes:  # type: ignore[no-untyped-def]
    """``yevmiye_bytes`` signed on the demo card of its owner (or of ``signer``, a demo key or VKN/TCKN);
    ``change`` edits the document before it is signed (a genuinely signed file that breaks a rule)."""
    document = yevmiye_bytes(owner_id, **options)
    if change is not None:
        document = change(document)
    return sign_defter(document, session_pki(), signer or owner_id)


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def signed_yevmiye(demo_pki: DemoPKI) -> Callable[..., bytes]:
    """Yevmiye files signed with a demo taxpayer's card, made once per session and shared."""
    made: dict[tuple, bytes] = {}

    def make(key: str, *, signer: str | None = None, count: int = 12, first_counter: int = 88,
             month: int = 3) -> bytes:
        cache_key = (key, signer, count, first_counter, month)
        if cache_key not in made:
            owner = demo_pki.token(key)
            document = yevmiye_bytes(owner.owner_id, count=count, first_counter=first_counter, month=month)
            made[cache_key] = sign_defter(document, demo_pki, signer or key)
        return made[cache_key]

    return make


@pytest.fixture
def upload(client: FlaskClient) -> Callable[..., object]:
    """Post a file to "Yevmiye Numarası Doğrulama" (optionally for a branch id)."""

    def post(data: bytes, name: str = "yevmiye.xml", *, branch_id: int | None = None, headers: dict | None = None):
        form = {"dosya": (io.BytesIO(data), name), "sube": "" if branch_id is None else str(branch_id)}
        response = client.post("/edefter/yevmiye-dogrulama", data=form, content_type="multipart/form-data",
                               headers=headers or {})
        response.request.input_stream.close()  # the test client spools a large body to a file of its own
        return response

    return post


def count_rows(db_session, model) -> int:  # type: ignore[no-untyped-def]
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


def verification_count(db_session) -> int:  # type: ignore[no-untyped-def]
    return count_rows(db_session, YevmiyeVerification)


def audit_count(db_session) -> int:  # type: ignore[no-untyped-def]
    return count_rows(db_session, AuditEvent)


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    """The page's markup, entities decoded and whitespace collapsed (messages wrap over lines in templates)."""
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """What the page says: its text without tags, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())

