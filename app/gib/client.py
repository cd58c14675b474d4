"""The portal's only way to GİB: a small HTTP client with timeouts, safe retries and plain errors.

- Every call has a total deadline (`total_timeout`, PORTAL_GIB_TOTAL_TIMEOUT): connecting, sending, every read
  and the retries of a GET together. The per-read timeout alone would let a GİB that sends a byte every few
  seconds hold the caller for minutes; at the deadline the call's sockets are shut and `GibTimeout` is raised.
- GET calls are retried a few times on connection failures and 502/503/504 (not after a read
  timeout), within the deadline. POST/PUT are retried only when the connection could not even be made (nothing
  reached GİB); once sent they are never repeated by the client.
- Every state-changing call must be given an `Idempotency-Key` (there is no default): the id of the
  portal's own "pending" record, so that sending the same act again (after a timeout, a crash, a
  double click, a retried job) is applied once at GİB and answered with the first result.
- Failures raise `app.gib.errors.GibError` subclasses whose message a page can show as is.
No Flask imports: this module is used from operations, CLI commands and tests alike.
"""

from __future__ import annotations

import base64
import io
import logging
import socket
import threading
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TypeVar

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from app.formats.gib.edefter_package import zip_file
from app.gib.errors import GibBadResponse, GibError, GibRejected, GibServiceUnavailable, GibTimeout, GibUnavailable

__all__ = [
    "BeratApproval",
    "ClockReading",
    "EDEFTER_SERVICE",
    "EdefterFileAnswer",
    "EFaturaApplication",
    "GibBadResponse",
    "GibClient",
    "GibError",
    "GibRejected",
    "GibTime",
    "GibTimeout",
    "GibUnavailable",
    "Label",
    "LabelRequestStatus",
    "PeriodBerats",
    "RegisteredUser",
    "SeedAlias",
    "Taxpayer",
    "UserListFile",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

IDEMPOTENCY_HEADER = "Idempotency-Key"
EDEFTER_SERVICE = "GİB e-Defter servisine"
LABEL_PENDING = "Onay Bekliyor"
LABEL_ACTIVE = "Hizmet Aktifleştirilmiştir"
LABEL_CLOSED = "Hizmet Kapatılmıştır"
# GİB's "no such record" answers, which the lookups below turn into None.
_TAXPAYER_NOT_FOUND = "2002"
_APPLICATION_NOT_FOUND = "2003"
_NOT_A_REGISTERED_USER = "2201"


# ---- what GİB answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GibTime:
    now: datetime  # aware
    offset_seconds: float


@dataclass(frozen=True)
class ClockReading:
    gib_time: datetime
    local_time: datetime

    @property
    def skew(self) -> timedelta:
        """How far the local clock is behind GİB's (negative: ahead)."""
        return self.gib_time - self.local_time


@dataclass(frozen=True)
class EFaturaApplication:
    identifier: str
    title: str
    method: str
    tax_office: str
    email: str
    received_at: datetime


@dataclass(frozen=True)
class Taxpayer:
    identifier: str
    title: str
    user_type: str  # OZEL | KAMU
    registered_at: datetime
    efatura_application: EFaturaApplication | None


@dataclass(frozen=True)
class Label:
    document_type: str  # Invoice | DespatchAdvice
    role: str  # GB | PK
    alias: str
    account_type: str  # GIBPORTAL | ENTEGRASYON | OZELENTEGRASYON
    created_at: datetime  # when it became (or becomes) active
    deleted_at: datetime | None
    active: bool


@dataclass(frozen=True)
class LabelRequestStatus:
    request_id: str
    identifier: str
    action: str  # open | close
    status: str  # Onay Bekliyor | Hizmet Aktifleştirilmiştir | Hizmet Kapatılmıştır
    received_at: datetime
    activation_date: date | None
    effective_at: datetime
    labels: tuple[Label, ...]

    @property
    def is_pending(self) -> bool:
        return self.status == LABEL_PENDING

    @property
    def is_active(self) -> bool:
        return self.status == LABEL_ACTIVE


@dataclass(frozen=True)
class RegisteredUser:
    identifier: str
    title: str
    user_type: str
    account_type: str
    first_creation_time: datetime
    aliases: tuple[Label, ...]

    def active_aliases(self, role: str | None = None, document_type: str = "Invoice") -> list[Label]:
        return [
            label
            for label in self.aliases
            if label.active and label.document_type == document_type and (role is None or label.role == role)
        ]


@dataclass(frozen=True)
class UserListFile:
    role: str  # PK | GB
    filename: str  # e.g. newUserPkListxml.zip
    content: bytes  # the zip as GİB serves it

    def xml(self) -> bytes:
        """The UserList XML inside the zip."""
        with zipfile.ZipFile(io.BytesIO(self.content)) as archive:
            return archive.read(archive.namelist()[0])


@dataclass(frozen=True)
class BeratApproval:
    identifier: str
    period: str  # YYYY-MM
    kind: str  # YB | KB
    part: int
    approved_at: datetime
    filename: str  # GIB-<VKN>-YYYYMM-YB-NNNNNN.xml
    approved_berat: bytes | None = field(default=None, repr=False)  # GİB-sealed XML


@dataclass(frozen=True)
class EdefterFileAnswer:
    """GİB's answer to a zipped berat (``approval``, with the sealed berat) or DR (``acceptance_id``)."""

    kind: str  # YB | KB | DR
    filename: str
    received_at: datetime
    approval: BeratApproval | None = None
    acceptance_id: str | None = None


@dataclass(frozen=True)
class PeriodBerats:
    identifier: str
    period: str
    yevmiye_sent: bool
    kebir_sent: bool
    complete: bool
    berats: tuple[BeratApproval, ...]


@dataclass(frozen=True)
class SeedAlias:
    """A label the taxpayer already has elsewhere (demo data for the simulator's registry)."""

    document_type: str
    role: str
    alias: str
    account_type: str = "GIBPORTAL"
    integrator: str = ""


# ---- the total deadline ---------------------------------------------------------------------------
#
# requests/urllib3 only know per-socket-operation timeouts. A call's connections register with the deadline of
# the call running in their thread; when it passes, a timer shuts their sockets, which ends any blocked read or
# write at once, and a connection opened after it is shut as soon as it connects.

_current = threading.local()


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._connections: list[HTTPConnection] = []

    def remaining(self) -> float:
        return self.ends_at - time.monotonic()

    def watch(self, connection: HTTPConnection) -> None:
        with self._lock:
            if connection not in self._connections:
                self._connections.append(connection)
            if self.expired:
                _shut(connection)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                _shut(connection)


def _shut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's method, also under TLS
    except OSError:
        pass  # already closed


def _watch(connection: HTTPConnection) -> None:
    deadline: _Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(connection)


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        _watch(self)
        super().connect()
        _watch(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _watch(self)  # a kept-alive connection reused by a later call
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        _watch(self)
        super().connect()
        _watch(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _watch(self)
        super().request(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections (direct or through a proxy) register with the call's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


# ---- the client ---------------------------------------------------------------------------------


class GibClient:
    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 20.0,
        total_timeout: float = 20.0,
        get_retries: int = 2,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if total_timeout <= 0:
            raise ValueError("total_timeout must be positive")
        self.base_url = base_url.rstrip("/")
        # This host's clock as the portal sees it (the training offset applied, note 0130); the host's by default.
        self.clock = clock or (lambda: datetime.now(UTC))
        self.timeout = (connect_timeout, read_timeout)
        self.total_timeout = total_timeout
        self.session = session or requests.Session()
        retry = Retry(
            total=get_retries,
            connect=get_retries,
            read=False,  # a slow GİB is reported, not waited for again (the user would wait 3x the timeout)
            status=get_retries,
            backoff_factor=0.2,
            backoff_max=2,
            status_forcelist=(502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
            respect_retry_after_header=False,  # "Retry-After: 600" would sleep past any deadline
        )
        adapter = _DeadlineAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    # -- time

    def time(self) -> GibTime:
        payload = self._get_json("/api/v1/time")
        return _read(lambda: GibTime(now=_time(payload["now"]), offset_seconds=float(payload["offset_seconds"])))

    def clock_reading(self) -> ClockReading:
        """GİB's time next to this host's, taken around the call (half the round trip is allowed for)."""
        sent = self.clock()
        gib_time = self.time().now
        received = self.clock()
        return ClockReading(gib_time=gib_time, local_time=sent + (received - sent) / 2)

    # -- training room (a simulator started with --training; decision note 0131)

    def move_training_clock(self, offset_seconds: float, *, idempotency_key: str) -> GibTime:
        """Make GİB's (the training simulator's) clock follow the portal's training offset."""
        payload = self._send("PUT", "/api/v1/training/clock", idempotency_key, json_body={"offset_seconds": offset_seconds})
        return _read(lambda: GibTime(now=_time(payload["now"]), offset_seconds=float(payload["training_offset_seconds"])))

    def reset_training_taxpayers(self, identifiers: Iterable[str], *, idempotency_key: str) -> int:
        """Make the training simulator forget these taxpayers; returns how many it knew."""
        payload = self._send("POST", "/api/v1/training/reset", idempotency_key, json_body={"identifiers": list(identifiers)})
        return _read(lambda: int(payload["forgotten"]))

    # -- registry and e-Fatura application

    def find_taxpayer(self, identifier: str) -> Taxpayer | None:
        payload = self._get_json_or_none(f"/api/v1/taxpayers/{identifier}", {_TAXPAYER_NOT_FOUND})
        return None if payload is None else _read(lambda: _taxpayer(payload))

    def register_taxpayer(
        self,
        identifier: str,
        title: str,
        *,
        user_type: str = "OZEL",
        aliases: Iterable[SeedAlias] = (),
        idempotency_key: str,
    ) -> Taxpayer:
        """Demo/training data: put a taxpayer (and labels it has elsewhere) into the simulator's registry."""
        body = {
            "title": title,
            "user_type": user_type,
            "aliases": [asdict(alias) for alias in aliases],
        }
        payload = self._send("PUT", f"/api/v1/taxpayers/{identifier}", idempotency_key, json_body=body)
        return _read(lambda: _taxpayer(payload))

    def efatura_application(self, identifier: str) -> EFaturaApplication | None:
        """The taxpayer's e-Fatura application at GİB, or None when it has none (SPEC C5)."""
        payload = self._get_json_or_none(
            f"/api/v1/efatura-applications/{identifier}", {_TAXPAYER_NOT_FOUND, _APPLICATION_NOT_FOUND}
        )
        return None if payload is None else _read(lambda: _application(payload))

    def submit_efatura_application(
        self, signed_xml: bytes, *, idempotency_key: str
    ) -> EFaturaApplication:
        payload = self._send("POST", "/api/v1/efatura-applications", idempotency_key, xml_body=signed_xml)
        return _read(lambda: _application(payload))

    # -- labels

    def open_labels(self, signed_xml: bytes, *, idempotency_key: str) -> LabelRequestStatus:
        """Send a signed ProcessUserAccount; the answer is usually pending ("Onay Bekliyor")."""
        payload = self._send("POST", "/api/v1/label-openings", idempotency_key, xml_body=signed_xml)
        return _read(lambda: _label_request(payload))

    def label_request(self, request_id: str) -> LabelRequestStatus:
        """Poll an activation: pending until GİB approves, then "Hizmet Aktifleştirilmiştir"."""
        payload = self._get_json(f"/api/v1/label-requests/{request_id}")
        return _read(lambda: _label_request(payload))

    def close_labels(self, signed_xml: bytes, *, idempotency_key: str) -> LabelRequestStatus:
        payload = self._send("POST", "/api/v1/label-closings", idempotency_key, xml_body=signed_xml)
        return _read(lambda: _label_request(payload))

    # -- registered-user list

    def registered_user(self, identifier: str) -> RegisteredUser | None:
        """The taxpayer's entry in GİB's registered-user list, or None when it has no label."""
        payload = self._get_json_or_none(f"/api/v1/users/{identifier}", {_TAXPAYER_NOT_FOUND, _NOT_A_REGISTERED_USER})
        return None if payload is None else _read(lambda: _registered_user(payload))

    def user_list(self, role: Literal["PK", "GB"]) -> UserListFile:
        response = self._request("GET", f"/api/v1/user-list/{role.lower()}.zip")
        self._raise_for_refusal(response)
        if not zipfile.is_zipfile(io.BytesIO(response.content)):
            raise GibBadResponse(response.status_code, "kullanıcı listesi zip değil")
        disposition = response.headers.get("Content-Disposition", "")
        filename = disposition.split("filename=")[-1].strip('"') if "filename=" in disposition else f"{role}.zip"
        return UserListFile(role=role, filename=filename, content=response.content)

    # -- e-Defter

    def submit_berat(self, signed_xml: bytes, *, idempotency_key: str) -> BeratApproval:
        """Send a signed yevmiye/kebir berat; the answer carries GİB's sealed (approved) berat."""
        payload = self._send("POST", "/api/v1/edefter/berats", idempotency_key, xml_body=signed_xml)
        return _read(lambda: _berat(payload))

    def submit_edefter_file(self, file_name: str, signed_xml: bytes, *, idempotency_key: str) -> EdefterFileAnswer:
        """Send one signed berat (YB/KB) or DR, zipped as GİB names it (``VKN-YYYYMM-YB-000001.zip`` holding the
        ``.xml``). The same key for a retry of the same file: GİB answers it once, never approving it twice."""
        zip_name = file_name.removesuffix(".xml") + ".zip"
        body = zip_file(file_name, signed_xml)
        try:
            response = self._request("POST", f"/api/v1/edefter/files/{zip_name}", data=body,
                                     headers=self._key_header(idempotency_key) | {"Content-Type": "application/zip"})
        except GibUnavailable as exc:
            raise GibServiceUnavailable(self.base_url, EDEFTER_SERVICE) from exc
        payload = self._json(response)
        return _read(lambda: _file_answer(payload))

    def period_berats(self, identifier: str, period: str) -> PeriodBerats:
        """Which berats of the period (YYYY-MM) GİB has approved ("were last period's berats sent?")."""
        payload = self._get_json(f"/api/v1/edefter/periods/{identifier}/{period}")
        return _read(lambda: _period(payload))

    def approved_berat(self, filename: str) -> bytes:
        response = self._request("GET", f"/api/v1/edefter/approved-berats/{filename}")
        self._raise_for_refusal(response)
        if not response.content.lstrip().startswith(b"<"):
            raise GibBadResponse(response.status_code, "onaylı berat XML değil")
        return response.content

    # -- plumbing

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = f"{self.base_url}{path}"
        deadline = _Deadline(self.total_timeout)
        # Per-operation timeouts never reach past the deadline; the timer cuts whatever still runs at it.
        timeout = (min(self.timeout[0], self.total_timeout), min(self.timeout[1], self.total_timeout))
        timer = threading.Timer(self.total_timeout, deadline.expire)
        timer.daemon = True
        outer = getattr(_current, "deadline", None)
        _current.deadline = deadline
        timer.start()
        try:
            response = self.session.request(method, url, timeout=timeout, **kwargs)
        except requests.exceptions.RequestException as exc:
            if deadline.expired or deadline.remaining() <= 0:
                log.warning("GİB çağrısı toplam süre sınırında kesildi (%s s): %s %s", self.total_timeout, method, url)
                raise GibTimeout(self.total_timeout) from exc
            raise self._failure(method, url, exc) from exc
        finally:
            timer.cancel()
            _current.deadline = outer
        log.debug("GİB %s %s -> %s", method, path, response.status_code)
        return response

    def _failure(self, method: str, url: str, exc: requests.exceptions.RequestException) -> GibError:
        """The Turkish error for a failed call that did not reach the total deadline."""
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            log.warning("GİB bağlantısı zaman aşımı: %s %s", method, url)
            return GibUnavailable(self.base_url)
        if isinstance(exc, requests.exceptions.Timeout):
            log.warning("GİB yanıtı zaman aşımı: %s %s", method, url)
            return GibTimeout(min(self.timeout[1], self.total_timeout))
        if isinstance(exc, requests.exceptions.ConnectionError):
            log.warning("GİB'e bağlanılamadı: %s %s (%s)", method, url, type(exc).__name__)
        else:
            log.warning("GİB isteği başarısız: %s %s (%s)", method, url, type(exc).__name__)
        return GibUnavailable(self.base_url)

    def _send(
        self,
        method: str,
        path: str,
        idempotency_key: str,
        *,
        xml_body: bytes | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        if not idempotency_key or not idempotency_key.strip():
            # A key made up here would differ on every retry, and GİB would apply the act twice.
            raise ValueError("GİB'e durum değiştiren her çağrı, işlemin kendi kaydına bağlı bir Idempotency-Key taşımalıdır.")
        headers = {IDEMPOTENCY_HEADER: idempotency_key}
        if xml_body is not None:
            headers["Content-Type"] = "application/xml"
            response = self._request(method, path, data=xml_body, headers=headers)
        else:
            response = self._request(method, path, json=json_body, headers=headers)
        return self._json(response)

    @staticmethod
    def _key_header(idempotency_key: str) -> dict[str, str]:
        if not idempotency_key or not idempotency_key.strip():
            raise ValueError("GİB'e durum değiştiren her çağrı, işlemin kendi kaydına bağlı bir Idempotency-Key taşımalıdır.")
        return {IDEMPOTENCY_HEADER: idempotency_key}

    def _get_json(self, path: str) -> dict[str, Any]:
        return self._json(self._request("GET", path))

    def _get_json_or_none(self, path: str, absent_codes: set[str]) -> dict[str, Any] | None:
        try:
            return self._get_json(path)
        except GibRejected as exc:
            if exc.code in absent_codes:
                return None
            raise

    def _raise_for_refusal(self, response: requests.Response) -> None:
        if response.status_code >= 400:
            self._json(response)  # raises GibRejected, or GibBadResponse when the body is not GİB's error
            raise GibBadResponse(response.status_code, "hata durumunda başarı yanıtı")

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            payload = response.json()
        except ValueError as exc:
            raise GibBadResponse(response.status_code, f"JSON değil: {response.text[:200]!r}") from exc
        if not isinstance(payload, dict):
            raise GibBadResponse(response.status_code, "JSON nesnesi değil")
        error = payload.get("error")
        if response.status_code >= 400 or error is not None:
            if isinstance(error, dict) and error.get("code") and error.get("message"):
                raise GibRejected(str(error["code"]), str(error["message"]), response.status_code)
            raise GibBadResponse(response.status_code, f"hata yanıtı okunamadı: {response.text[:200]!r}")
        return payload


# ---- reading GİB's JSON into the dataclasses --------------------------------------------------------


def _read(build: Callable[[], T]) -> T:
    """Build a result; a missing or mistyped field means GİB's answer is not what was agreed."""
    try:
        return build()
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GibBadResponse(200, f"yanıtta eksik/hatalı alan: {exc!r}") from exc


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"saat dilimi yok: {value}")
    return moment


def _optional_time(value: str | None) -> datetime | None:
    return _time(value) if value else None


def _application(payload: dict[str, Any]) -> EFaturaApplication:
    return EFaturaApplication(
        identifier=payload["identifier"],
        title=payload["title"],
        method=payload["method"],
        tax_office=payload["tax_office"],
        email=payload["email"],
        received_at=_time(payload["received_at"]),
    )


def _taxpayer(payload: dict[str, Any]) -> Taxpayer:
    application = payload["efatura_application"]
    return Taxpayer(
        identifier=payload["identifier"],
        title=payload["title"],
        user_type=payload["user_type"],
        registered_at=_time(payload["registered_at"]),
        efatura_application=_application(application) if application else None,
    )


def _label(payload: dict[str, Any]) -> Label:
    return Label(
        document_type=payload["document_type"],
        role=payload["role"],
        alias=payload["alias"],
        account_type=payload["account_type"],
        created_at=_time(payload["created_at"]),
        deleted_at=_optional_time(payload["deleted_at"]),
        active=bool(payload["active"]),
    )


def _label_request(payload: dict[str, Any]) -> LabelRequestStatus:
    activation = payload["activation_date"]
    return LabelRequestStatus(
        request_id=payload["request_id"],
        identifier=payload["identifier"],
        action=payload["action"],
        status=payload["status"],
        received_at=_time(payload["received_at"]),
        activation_date=date.fromisoformat(activation) if activation else None,
        effective_at=_time(payload["effective_at"]),
        labels=tuple(_label(item) for item in payload["labels"]),
    )


def _registered_user(payload: dict[str, Any]) -> RegisteredUser:
    return RegisteredUser(
        identifier=payload["identifier"],
        title=payload["title"],
        user_type=payload["user_type"],
        account_type=payload["account_type"],
        first_creation_time=_time(payload["first_creation_time"]),
        aliases=tuple(_label(item) for item in payload["aliases"]),
    )


def _berat(payload: dict[str, Any]) -> BeratApproval:
    encoded = payload.get("approved_berat")
    return BeratApproval(
        identifier=payload["identifier"],
        period=payload["period"],
        kind=payload["kind"],
        part=int(payload["part"]),
        approved_at=_time(payload["approved_at"]),
        filename=payload["filename"],
        approved_berat=base64.b64decode(encoded, validate=True) if encoded else None,
    )


def _file_answer(payload: dict[str, Any]) -> EdefterFileAnswer:
    if payload["kind"] == "DR":
        return EdefterFileAnswer(kind="DR", filename=payload["filename"], received_at=_time(payload["received_at"]),
                                 acceptance_id=str(payload["acceptance_id"]))
    approval = _berat(payload)
    return EdefterFileAnswer(kind=approval.kind, filename=approval.filename, received_at=approval.approved_at,
                             approval=approval)


def _period(payload: dict[str, Any]) -> PeriodBerats:
    return PeriodBerats(
        identifier=payload["identifier"],
        period=payload["period"],
        yevmiye_sent=bool(payload["yevmiye_sent"]),
        kebir_sent=bool(payload["kebir_sent"]),
        complete=bool(payload["complete"]),
        berats=tuple(_berat(item) for item in payload["berats"]),
    )
