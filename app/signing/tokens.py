"""Finding tokens and the certificates on them (no PIN needed), and mapping PKCS#11 failures to SigningError."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pkcs11
from cryptography import x509
from pkcs11 import Attribute, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11

from . import certinfo
from .certinfo import CertificateInfo
from .drivers import get_library, pkcs11_lock, refresh_library
from .errors import PinLockedError, SigningError, TokenError, TokenNotFoundError, TokenRemovedError
from .locks import listing_lock

log = logging.getLogger(__name__)

# Failures that mean the card left the reader (or SoftHSM lost its token directory) while we were using it.
TOKEN_GONE_ERRORS: tuple[type[p11.PKCS11Error], ...] = (
    p11.DeviceRemoved,
    p11.TokenNotPresent,
    p11.SessionClosed,
    p11.SessionHandleInvalid,
    p11.ObjectHandleInvalid,
    p11.KeyHandleInvalid,
    p11.DeviceError,
    p11.GeneralError,
)


class AmbiguousTokenError(TokenNotFoundError):
    code = "token_ambiguous"
    default_message = "Birden fazla akıllı kart takılı. Lütfen imzada kullanılacak kartı seçiniz."


@dataclass(frozen=True)
class TokenCertificate:
    object_id: bytes  # CKA_ID, shared with the private key
    certificate: x509.Certificate

    @property
    def info(self) -> CertificateInfo:
        return certinfo.from_certificate(self.certificate)


@dataclass(frozen=True)
class TokenInfo:
    label: str
    serial: str
    manufacturer: str
    model: str
    module_path: str
    certificates: tuple[CertificateInfo, ...]  # the signing (end-entity) certificates, best first
    pin_count_low: bool
    pin_final_try: bool
    pin_locked: bool

    @property
    def signing_certificate(self) -> CertificateInfo | None:
        return self.certificates[0] if self.certificates else None


def token_error_from(exc: p11.PKCS11Error) -> SigningError:
    """A SigningError for a PKCS#11 failure during an act (after the token was found and opened)."""
    if isinstance(exc, p11.PinLocked):
        return PinLockedError()
    if isinstance(exc, TOKEN_GONE_ERRORS + (p11.NoSuchKey,)):
        return TokenRemovedError()
    return TokenError(type(exc).__name__)


def present_tokens(library: pkcs11.lib) -> list[pkcs11.Token]:
    """Initialised tokens in the module's slots; a slot that fails is skipped, not fatal."""
    tokens = []
    for slot in library.get_slots(token_present=True):
        try:
            token = slot.get_token()
        except p11.PKCS11Error as exc:
            log.info("slot %s skipped: %s", slot.slot_id, type(exc).__name__)
            continue
        if token.flags & TokenFlag.TOKEN_INITIALIZED:
            tokens.append(token)
    return tokens


def _tokens_or_refresh(module_path: str) -> list[pkcs11.Token]:
    try:
        return present_tokens(get_library(module_path))
    except p11.PKCS11Error as exc:
        # After a token vanished SoftHSM answers GeneralError for everything until it is initialised again.
        log.info("PKCS#11 slot list failed (%s); re-initialising %s", type(exc).__name__, module_path)
        return present_tokens(refresh_library(module_path))


def find_token(module_path: str, token_label: str | None) -> pkcs11.Token:
    """The token with this label (or the only one present when label is None). Hold pkcs11_lock()."""
    for attempt in range(2):
        tokens = refresh_and_list(module_path) if attempt else _tokens_or_refresh(module_path)
        matching = [t for t in tokens if token_label is None or t.label == token_label]
        if len(matching) == 1:
            return matching[0]
        if len(matching) > 1:
            raise AmbiguousTokenError()
    raise TokenNotFoundError()


def refresh_and_list(module_path: str) -> list[pkcs11.Token]:
    """Re-initialise the module (a newly inserted SoftHSM token shows up only then) and list the tokens."""
    try:
        return present_tokens(refresh_library(module_path))
    except p11.PKCS11Error as exc:
        raise TokenError(type(exc).__name__) from exc


def read_certificates(session: pkcs11.Session) -> list[TokenCertificate]:
    """Every X.509 certificate object on the token (public objects: no login needed)."""
    found = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            der = obj[Attribute.VALUE]
            object_id = obj[Attribute.ID]
            found.append(TokenCertificate(object_id, x509.load_der_x509_certificate(der)))
        except (p11.PKCS11Error, ValueError) as exc:
            log.info("certificate object skipped: %s", type(exc).__name__)
    return found


def signing_certificates(certificates: list[TokenCertificate]) -> list[TokenCertificate]:
    """End-entity certificates that can sign, best first: mali mühür or non-repudiation (qualified) ones lead."""

    def rank(entry: TokenCertificate) -> int:
        cert = entry.certificate
        info = certinfo.from_certificate(cert)
        if info.kind == certinfo.KIND_MALI_MUHUR:
            return 0
        return 1 if "İnkâr" in info.usage_text else 2

    candidates = [c for c in certificates if not certinfo.is_ca(c.certificate) and certinfo.can_sign(c.certificate)]
    return sorted(candidates, key=rank)


def ca_certificates(certificates: list[TokenCertificate]) -> list[x509.Certificate]:
    return [c.certificate for c in certificates if certinfo.is_ca(c.certificate)]


def _describe(module_path: str, token: pkcs11.Token) -> TokenInfo:
    certificates: list[TokenCertificate] = []
    try:
        with token.open() as session:
            certificates = read_certificates(session)
    except p11.PKCS11Error as exc:
        log.info("token %r could not be read: %s", token.label, type(exc).__name__)
    flags = token.flags
    return TokenInfo(
        label=token.label,
        serial=token.serial.decode("ascii", "replace"),
        manufacturer=token.manufacturer_id,
        model=token.model,
        module_path=module_path,
        certificates=tuple(c.info for c in signing_certificates(certificates)),
        pin_count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
        pin_final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY),
        pin_locked=bool(flags & TokenFlag.USER_PIN_LOCKED),
    )


def list_tokens(module_path: str, *, refresh: bool = True) -> list[TokenInfo]:
    """The tokens present for a driver and their signing certificates, read without a PIN.

    refresh=True re-initialises the module first so that newly inserted (SoftHSM) tokens show up; it is skipped
    automatically while a signing act of this process is open. Waits while another process acts on one of the
    driver's tokens (a token being logged into is invisible to others: decision note 0014).
    """
    with listing_lock(module_path), pkcs11_lock():
        tokens = refresh_and_list(module_path) if refresh else _tokens_or_refresh(module_path)
        return [_describe(module_path, token) for token in tokens]
