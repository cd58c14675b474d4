"""Configuration: defaults overridden by ``PORTAL_*`` environment variables.

Every setting has one name; the environment variable is that name with the
``PORTAL_`` prefix (``PORTAL_DATABASE_URL`` sets ``DATABASE_URL``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "PORTAL_"


class ConfigError(RuntimeError):
    """The portal cannot start with this configuration."""


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on", "evet"}


def _as_int(value: str) -> int:
    return int(value.strip())


def _as_float(value: str) -> float:
    return float(value.strip())


# name -> (default, converter for the environment's text)
SETTINGS: dict[str, tuple[Any, Any]] = {
    "SECRET_KEY": (None, str),
    # "production" (secret key required), "demo" (a key is generated and kept
    # under instance/), "training" (demo plus the trainer's Eğitim pages, note 0130) or "test".
    "MODE": ("production", str),
    # Training room: VKN/TCKN of the people whose card opens the Eğitim pages (comma separated). Empty in demo
    # or training mode: the demo accountant's e-imza (34721590854). Never used in production mode.
    "TRAINERS": ("", str),
    "DATABASE_URL": (None, str),
    "INSTANCE_PATH": (None, str),
    "SESSION_LIFETIME_MINUTES": (30, _as_int),
    # Where GİB's services answer; empty means the embedded simulator.
    "GIB_URL": ("", str),
    "GIB_CONNECT_TIMEOUT": (3, _as_int),
    "GIB_READ_TIMEOUT": (15, _as_int),
    # Longest a whole GİB call may take (connecting, every read, retries of a GET): a GİB that trickles bytes
    # is cut here instead of holding the worker thread for minutes.
    "GIB_TOTAL_TIMEOUT": (20, _as_float),
    # Largest difference from GİB's clock that still allows creating e-Defter for declaration.
    "CLOCK_TOLERANCE_SECONDS": (60, _as_int),
    # Card drivers offered on the forms: "Name=/path/lib.so;Name2=/path2.so".
    "CARD_DRIVERS": ("SoftHSM=/usr/lib/softhsm/libsofthsm2.so;Akis=/usr/lib/libakisp11.so", str),
    "SOFTHSM2_CONF": ("", str),
    # Card locks honoured by every worker process (decision note 0014): their folder (empty = <instance>/card-locks;
    # instances sharing one card reader must name the same folder) and the longest wait for a busy card.
    "CARD_LOCK_DIR": (None, str),
    "CARD_LOCK_TIMEOUT_SECONDS": (20, _as_float),
    # PEM files of the CAs whose certificates may sign ("Kamu SM" in an office).
    "TRUST_ANCHORS": ("", str),
    "MAX_UPLOAD_MB": (512, _as_int),
    # Largest yevmiye file read for "Yevmiye Numarası Doğrulama" (it is streamed, never held in memory). The
    # limit in force is the smaller of this and MAX_UPLOAD_MB (the request carrying the file); see finish().
    "EDEFTER_YEVMIYE_MAX_MB": (512, _as_int),
    # e-Defter creation (issue 13): a new defter part starts before a file would pass this size (GİB: 200 MB);
    # tests set a few KB. A folder with GİB's compiled schematron (edefter_yevmiye.xsl, …): files are also
    # checked against it before signing (needs the saxonche package).
    "EDEFTER_PART_MAX_KB": (200 * 1024, _as_int),
    "EDEFTER_SCHEMATRON_DIR": ("", str),
    # e-Defter Arşivi (issue 14): a folder with GİB's edefter.xsd (and what it imports); uploaded files are then
    # validated against it while they stream (decision note 0160). Empty: the XSD check is skipped and said so.
    "EDEFTER_XSD_DIR": ("", str),
    # Sending berats/DR to GİB (issue 14): automatic tries of a file GİB could not be reached for (backoff 1, 2,
    # 4 … minutes, at most EDEFTER_SEND_MAX_DELAY_MINUTES apart), then it is marked Hata (decision note 0150).
    "EDEFTER_SEND_MAX_ATTEMPTS": (8, _as_int),
    "EDEFTER_SEND_MAX_DELAY_MINUTES": (60, _as_int),
    # Defter Dönemleri and the daily job: a berat deadline this many days away (or fewer) is "near" (note 0141).
    "BERAT_WARNING_DAYS": (7, _as_int),
    # Demo/training only: an imported invoice without a signature becomes the uploader's own (seen by nobody
    # else, never cancellable) instead of being refused (decision note 0053). Refused in production.
    "ACCEPT_UNSIGNED_INVOICES": (False, _as_bool),
    "CANCELLATION_WINDOW_DAYS": (8, _as_int),
    # Sanal Ba/Bs: a counterparty's monthly total is reported from this many TL on (Ba/Bs forms: 5.000 TL).
    "BABS_THRESHOLD_TL": (5000, _as_int),
    # Background jobs (Huey): empty = SQLite file instance/jobs.sqlite3; "redis://host:6379/0" = Redis;
    # "sqlite:////path/jobs.sqlite3" = that file; "immediate" = run in the caller (tests).
    "JOBS_URL": ("", str),
    "JOBS_QUEUE": ("ebelge", str),  # queue name: several portals may share one Redis
    "JOBS_MAX_ATTEMPTS": (3, _as_int),  # takes of one job: GİB away, a killed worker
    "JOBS_RETRY_DELAY_SECONDS": (15, _as_int),
    "JOBS_HEARTBEAT_SECONDS": (10, _as_int),
    "JOBS_STALE_SECONDS": (120, _as_int),  # no heartbeat for this long: the worker is taken for dead
    "SECURE_COOKIES": (False, _as_bool),
    # Content-addressed file store (e-Defter parts, archives); empty means <instance>/storage.
    "STORAGE_PATH": (None, str),
    # Belge Saklama: checkers of an import's documents — a thread of the job and N-1 spawned processes of ~55 MB
    # each (0 = one per core, 1 = only the job's own process; decision note 0095).
    "ARCHIVE_CHECK_WORKERS": (0, _as_int),
    # Kontör: warn when a balance falls under this many units/MB (0 = under 10 % of the usable packages).
    "KONTOR_WARNING_LEVEL": (0, _as_int),
    # /api/v1: requests per minute and key (counted in the database, shared by every worker); 0 = no limit.
    "API_RATE_LIMIT_PER_MINUTE": (120, _as_int),
    # Yevmiye Kayıtları upload: a file larger than this is imported by a background job with a progress bar.
    "JOURNAL_INLINE_UPLOAD_KB": (1024, _as_int),
}


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return the portal's settings: defaults < environment < explicit overrides."""
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    for name, (default, convert) in SETTINGS.items():
        raw = environ.get(ENV_PREFIX + name)
        settings[name] = convert(raw) if raw not in (None, "") else default
    settings.update(overrides or {})
    return settings


def finish(settings: dict[str, Any], instance_path: Path) -> dict[str, Any]:
    """Fill the values that depend on others and refuse unsafe combinations."""
    mode = settings["MODE"]
    if mode not in {"production", "demo", "training", "test"}:
        raise ConfigError(f"PORTAL_MODE '{mode}' tanınmıyor: production, demo, training veya test olmalı.")
    if not settings["SECRET_KEY"]:
        if mode == "production":
            raise ConfigError(
                "PORTAL_SECRET_KEY tanımlı değil. Oturumların güvenliği için en az 32 karakterlik "
                "gizli bir anahtar verin, örneğin: "
                "export PORTAL_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
            )
        settings["SECRET_KEY"] = _instance_secret(instance_path) if mode in ("demo", "training") else "test-only"
    if mode in ("demo", "training"):
        # The demo command provisions the training room's cards and CA here (python -m app.signing.demo_pki).
        demo_pki = instance_path / "demo-pki"
        settings["SOFTHSM2_CONF"] = settings["SOFTHSM2_CONF"] or str(demo_pki / "softhsm2.conf")
        settings["TRUST_ANCHORS"] = settings["TRUST_ANCHORS"] or str(demo_pki / "ca" / "root.pem")
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'ebelge.sqlite3'}"
    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    settings["STORAGE_PATH"] = str(settings["STORAGE_PATH"] or instance_path / "storage")
    settings["CARD_LOCK_DIR"] = str(settings["CARD_LOCK_DIR"] or instance_path / "card-locks")
    settings["TESTING"] = mode == "test" or settings.get("TESTING", False)
    if settings["ACCEPT_UNSIGNED_INVOICES"] and mode == "production":
        raise ConfigError(
            "PORTAL_ACCEPT_UNSIGNED_INVOICES yalnızca demo ve test kipinde açılabilir: gerçek bir kurulumda imzasız "
            "faturalar kabul edilmez."
        )
    settings["MAX_CONTENT_LENGTH"] = settings["MAX_UPLOAD_MB"] * 1024 * 1024
    # The yevmiye arrives in one request: a request limit below the yevmiye limit is the one in force.
    request_binds = settings["MAX_UPLOAD_MB"] < settings["EDEFTER_YEVMIYE_MAX_MB"]
    settings.setdefault("EDEFTER_YEVMIYE_LIMIT_SETTING",
                        "PORTAL_MAX_UPLOAD_MB" if request_binds else "PORTAL_EDEFTER_YEVMIYE_MAX_MB")
    settings.setdefault("EDEFTER_YEVMIYE_MAX_BYTES",
                        min(settings["MAX_UPLOAD_MB"], settings["EDEFTER_YEVMIYE_MAX_MB"]) * 1024 * 1024)
    settings["PERMANENT_SESSION_LIFETIME"] = settings["SESSION_LIFETIME_MINUTES"] * 60
    settings["SESSION_COOKIE_HTTPONLY"] = True
    settings["SESSION_COOKIE_SAMESITE"] = "Lax"
    settings["SESSION_COOKIE_SECURE"] = settings["SECURE_COOKIES"]
    settings["WTF_CSRF_TIME_LIMIT"] = None  # tied to the session, which expires on its own
    return settings


def _instance_secret(instance_path: Path) -> str:
    """A demo install keeps one generated key so that all workers share it."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        import secrets

        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def card_drivers(value: str) -> dict[str, str]:
    """Parse ``Name=/path.so;Other=/other.so`` into an ordered mapping."""
    drivers: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in value.split(";"))):
        name, _, path = item.partition("=")
        if name.strip() and path.strip():
            drivers[name.strip()] = path.strip()
    return drivers
