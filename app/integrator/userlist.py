"""Kayıtlı Kullanıcı Listesi (SPEC C8): GİB's registered-user list, downloaded at most once an hour as GİB asks
integrators (GIB-FORMATS §3), kept in the file store and in a table the page searches.

The page never calls GİB: it reads the last copy and, when that is older than an hour (or there is none), queues
a download job. The job downloads the PK and GB zips, stores them, reads them as a stream and replaces the table
in one unit of work, so a search sees either the old list or the new one, never half of it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from app.db import get_session, utcnow
from app.formats.gib.common import DocumentError
from app.formats.gib.user_list import ListedUser, read_user_list
from app.gib.client import UserListFile
from app.gib_access import gib_client
from app.integrator.rules import ServiceRefused
from app.jobs import JobContext, JobKind, submit
from app.models.job import Job, JobStatus
from app.models.service import RegisteredUserAlias, UserListDownload
from app.storage import file_store
from app.unit_of_work import release_reads, unit_of_work

USER_LIST_KIND = "kullanici_listesi_indirme"
TITLE = "Kayıtlı Kullanıcı Listesi İndirme"
REFRESH_INTERVAL = timedelta(hours=1)
MAX_ZIP_BYTES = 512 * 1024 * 1024
MAX_RESULTS = 50
_LOWER = str.maketrans("İIĞÜŞÖÇ", "iığüşöç")


def search_key(text: str) -> str:
    """Lower case the Turkish way (İ→i, I→ı), spaces collapsed: what the title search compares."""
    return " ".join(text.translate(_LOWER).lower().split())


def latest_download() -> UserListDownload | None:
    return get_session().scalars(
        select(UserListDownload).order_by(UserListDownload.downloaded_at.desc(), UserListDownload.id.desc())
        .limit(1).execution_options(populate_existing=True)
    ).first()


def refresh_due(now: datetime | None = None) -> bool:
    latest = latest_download()
    return latest is None or (now or utcnow()) - latest.downloaded_at >= REFRESH_INTERVAL


def active_download() -> Job | None:
    """A download waiting or running (for any taxpayer: the list is GİB's, the same for all)."""
    return get_session().scalars(
        select(Job).where(Job.kind == USER_LIST_KIND, Job.status.in_((JobStatus.BEKLIYOR, JobStatus.CALISIYOR)))
        .order_by(Job.id.desc()).execution_options(populate_existing=True)
    ).first()


def start_refresh(taxpayer_id: int) -> Job | None:
    """Queue a download when the copy is older than an hour; None when it is fresh (GİB's hourly rule)."""
    running = active_download()
    if running is not None:
        return running
    latest = latest_download()
    if latest is not None and utcnow() - latest.downloaded_at < REFRESH_INTERVAL:
        return None
    # One download after each copy (and after each failed try): a double click or two tabs queue it once.
    after = latest.id if latest is not None else 0
    failed = get_session().scalar(select(func.count(Job.id)).where(
        Job.kind == USER_LIST_KIND, Job.taxpayer_id == taxpayer_id, Job.status == JobStatus.HATA)) or 0
    return submit(USER_LIST_KIND, taxpayer_id, TITLE, {}, idempotency_key=f"kullanici-listesi-{after}-{failed}")


def minutes_until_refresh(now: datetime | None = None) -> int:
    latest = latest_download()
    if latest is None:
        return 0
    left = REFRESH_INTERVAL - ((now or utcnow()) - latest.downloaded_at)
    return max(0, int(left.total_seconds() // 60) + 1)


# --- the job ------------------------------------------------------------------------------------------


def download_user_list(job: JobContext) -> dict[str, Any]:
    """The handler: both zips from GİB, into the store, then into the table (skipped when fresh)."""
    if not refresh_due():
        latest = latest_download()
        return {"atlandi": True, "indirme_zamani": latest.downloaded_at.isoformat() if latest else None}
    release_reads()
    client = gib_client()
    try:
        job.progress(10, "GİB'den PK (posta kutusu) listesi indiriliyor…")
        pk = client.user_list("PK")
        job.progress(40, "GİB'den GB (gönderici birim) listesi indiriliyor…")
        gb = client.user_list("GB")
    finally:
        client.close()
    job.progress(60, "Listeler saklanıyor…")
    store = file_store()
    stored = {item.role: store.put(io.BytesIO(item.content), max_bytes=MAX_ZIP_BYTES) for item in (pk, gb)}
    job.progress(70, "Kayıtlı kullanıcılar okunuyor…")
    with unit_of_work() as work:
        download = UserListDownload(
            downloaded_at=utcnow(), pk_filename=pk.filename, pk_sha256=stored["PK"].sha256, pk_size=stored["PK"].size,
            gb_filename=gb.filename, gb_sha256=stored["GB"].sha256, gb_size=stored["GB"].size)
        work.session.add(download)
        work.session.flush()
        work.session.execute(delete(RegisteredUserAlias).where(RegisteredUserAlias.download_id != download.id))
        users, aliases = _load(work.session, download.id, (pk, gb))
        download.user_count, download.alias_count = users, aliases
        work.record("kullanici_listesi_indirildi", taxpayer_id=None, object_type="kullanici_listesi",
                    object_id=download.id, kullanici=users, etiket=aliases, pk_dosyasi=pk.filename,
                    gb_dosyasi=gb.filename)
    return {"kullanici": users, "etiket": aliases, "indirme_zamani": download.downloaded_at.isoformat()}


def _users_in(listing: UserListFile) -> Iterator[ListedUser]:
    with zipfile.ZipFile(io.BytesIO(listing.content)) as archive:
        names = [name for name in archive.namelist() if name.lower().endswith(".xml")]
        if not names:
            raise ServiceRefused(f"GİB'in {listing.filename} dosyasında kullanıcı listesi (XML) yok.")
        with archive.open(names[0]) as stream:
            try:
                yield from read_user_list(stream)
            except DocumentError as exc:
                raise ServiceRefused(f"GİB'in {listing.filename} dosyası okunamadı: {exc.detail}") from exc


def _load(session: Any, download_id: int, listings: tuple[UserListFile, ...]) -> tuple[int, int]:
    identifiers: set[str] = set()
    count = 0
    for listing in listings:
        batch: list[dict[str, Any]] = []
        for user in _users_in(listing):
            identifiers.add(user.identifier)
            for alias in user.aliases:
                batch.append({
                    "download_id": download_id, "identifier": user.identifier, "title": user.title[:250],
                    "search_title": search_key(user.title)[:250], "user_type": user.user_type[:10],
                    "account_type": user.account_type[:20], "first_creation_time": user.first_creation_time,
                    "document_type": alias.document_type[:20], "role": listing.role, "alias": alias.name[:250],
                    "creation_time": alias.creation_time, "deletion_time": alias.deletion_time,
                })
            if len(batch) >= 1000:
                session.execute(RegisteredUserAlias.__table__.insert(), batch)
                count += len(batch)
                batch = []
        if batch:
            session.execute(RegisteredUserAlias.__table__.insert(), batch)
            count += len(batch)
    return len(identifiers), count


USER_LIST = JobKind(USER_LIST_KIND, download_user_list, retry_when_gib_away=False)


# --- searching -------------------------------------------------------------------------------------------


@dataclass
class RegisteredUser:
    identifier: str
    title: str
    user_type: str
    account_type: str
    first_creation_time: datetime | None
    aliases: list[RegisteredUserAlias] = field(default_factory=list)

    def of_role(self, role: str) -> list[RegisteredUserAlias]:
        return [alias for alias in self.aliases if alias.role == role]


def search(text: str) -> tuple[list[RegisteredUser], bool]:
    """Users whose VKN/TCKN starts with, or whose title contains, the text; (users, more than shown)."""
    text = text.strip()
    if not text:
        return [], False
    query = select(RegisteredUserAlias.identifier)
    if text.isdigit():
        query = query.where(RegisteredUserAlias.identifier.startswith(text, autoescape=True))
    else:
        query = query.where(RegisteredUserAlias.search_title.contains(search_key(text), autoescape=True))
    identifiers = list(get_session().scalars(
        query.group_by(RegisteredUserAlias.identifier).order_by(RegisteredUserAlias.identifier)
        .limit(MAX_RESULTS + 1)
    ))
    more = len(identifiers) > MAX_RESULTS
    identifiers = identifiers[:MAX_RESULTS]
    rows = get_session().scalars(
        select(RegisteredUserAlias).where(RegisteredUserAlias.identifier.in_(identifiers))
        .order_by(RegisteredUserAlias.identifier, RegisteredUserAlias.role, RegisteredUserAlias.document_type,
                  RegisteredUserAlias.creation_time, RegisteredUserAlias.id)
    )
    users: dict[str, RegisteredUser] = {}
    for row in rows:
        user = users.setdefault(row.identifier, RegisteredUser(row.identifier, row.title, row.user_type,
                                                               row.account_type, row.first_creation_time))
        user.aliases.append(row)
    return list(users.values()), more


def total_users() -> int:
    return get_session().scalar(select(func.count(func.distinct(RegisteredUserAlias.identifier)))) or 0
