"""e-Defter Arşivi fixtures: a company with Firma Ayarları, real signed period files made by the creation code
(Defter Oluştur, demo card), GİB's approved berats from the simulator, MB kontör, and GİB's XSD folder."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.edefter.archive.operations import UPLOAD
from app.jobs.engine import EXTENSION as JOBS
from app.models import DefterFileKind, KontorMovement, KontorPackage
from app.models.edefter_archive import EdefterArchiveEntry
from app.models.kontor import KontorUnit, MovementKind
from tests.edefter_creation.conftest import company, gib, journal, small_parts  # noqa: F401
from tests.edefter_creation.test_creation import create, files_of, sign
from tests.fixtures.gib import new_key

XSD_DIR = Path(__file__).resolve().parents[3] / "shared" / "gib" / "edefter" / "xsd"


@dataclass(frozen=True)
class PeriodFile:
    kind: DefterFileKind
    part_index: int
    file_name: str
    data: bytes


@dataclass(frozen=True)
class SignedPeriod:
    files: list[PeriodFile]
    approved: dict[str, bytes]  # GİB-…-YB-….xml → GİB's sealed berat

    def of(self, kind: DefterFileKind) -> list[PeriodFile]:
        return [f for f in self.files if f.kind is kind]

    def one(self, kind: DefterFileKind) -> PeriodFile:
        return self.of(kind)[0]


# Signed files are made once per session (the demo tokens are the session's): any later test, on either database,
# uploads the same bytes.
_MADE: dict[str, SignedPeriod] = {}


@pytest.fixture(autouse=True)
def archive_app(request: pytest.FixtureRequest) -> None:
    """GİB's XSD folder configured (skipped where absent) and the archive's job kind known to the engine (the
    lead registers it in app.jobs.kinds; harmless when already there). Tests without the app stay unparametrised."""
    if not (XSD_DIR / "edefter.xsd").exists():
        pytest.skip(f"GİB's e-Defter XSD is not on this machine ({XSD_DIR})")
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    app.config["EDEFTER_XSD_DIR"] = str(XSD_DIR)
    app.extensions[JOBS].kinds.setdefault(UPLOAD.name, UPLOAD)


@pytest.fixture
def signed_period(client: FlaskClient, company, gib, journal, small_parts, db_session, app):  # type: ignore[no-untyped-def]  # noqa: F811
    """January 2024 of Anadolu Tekstil created and signed on the Defter Oluştur pages (yevmiye in 2 parts or more,
    kebir, berats, DR), and GİB's approved berat of every berat from the simulator."""
    key = company.taxpayer.identifier
    if key in _MADE:
        return _MADE[key]
    month = journal(company.taxpayer.id, 2024, 1, 40)
    assert create(client, month.period.id).status_code == 303
    assert sign(client, month.period.id, company.card(), company.token.pin).status_code == 303
    from app.storage import file_store

    files = []
    with app.app_context():
        for row in files_of(db_session, month.period.id):
            assert row.signed_key is not None, row.file_name
            with file_store().open(row.signed_key) as reader:
                files.append(PeriodFile(row.kind, row.part_index, row.file_name, reader.read()))
    approved = {}
    for item in files:
        if item.kind in (DefterFileKind.YEVMIYE_BERAT, DefterFileKind.KEBIR_BERAT):
            approval = gib.submit_berat(item.data, idempotency_key=new_key())
            assert approval.approved_berat is not None
            approved[approval.filename] = approval.approved_berat
    made = SignedPeriod(files, approved)
    _MADE[key] = made
    return made


def give_mb(app: Flask, taxpayer, quantity: int) -> KontorPackage:  # type: ignore[no-untyped-def]
    from app.kontor.operations import load_package

    with app.app_context():
        return load_package(taxpayer.identifier, quantity, date.today() + timedelta(days=365), unit=KontorUnit.MB)


def upload(client: FlaskClient, filename: str, data: bytes, period: str = ""):  # type: ignore[no-untyped-def]
    response = client.post("/edefter-arsivi/yukle", data={"dosya": (io.BytesIO(data), filename), "donem": period},
                           content_type="multipart/form-data")
    response.request.input_stream.close()
    return response


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def entries(session, taxpayer) -> list[EdefterArchiveEntry]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(EdefterArchiveEntry).where(EdefterArchiveEntry.taxpayer_id == taxpayer.id)
                                .order_by(EdefterArchiveEntry.id)))


def used_mb(session, taxpayer) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.coalesce(func.sum(KontorMovement.amount), 0)).where(
        KontorMovement.taxpayer_id == taxpayer.id, KontorMovement.kind == MovementKind.KULLANIM,
        KontorMovement.unit == KontorUnit.MB))


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    from tests.edefter.conftest import text_of

    return text_of(response)

