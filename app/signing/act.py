"""One signing act: the PIN typed for it, one login, any number of signatures, then log out.

Login is per process and per token: while one session is logged in every other session of the process can use
the private key. So the act holds the process-wide PKCS#11 lock from before the login until after the logout, and
no request can sign without typing the PIN (SIGNING-NOTES.md). Before that it takes the token's lock that every
process honours (``locks.token_lock``, decision note 0014): other workers wait for their turn, or get "kart meşgul".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from lxml import etree
from pkcs11 import ObjectClass, TokenFlag
from pkcs11 import exceptions as p11

from . import certinfo
from .certinfo import CertificateInfo
from .drivers import act_in_progress, pkcs11_lock, refresh_library
from .locks import token_lock
from .errors import (
    ActClosedError,
    NoSigningKeyError,
    PinLockedError,
    UnsupportedKeyError,
    WrongPinError,
)
from .keys import TokenECKey, TokenRSAKey
from .tokens import (
    TokenCertificate,
    ca_certificates,
    find_token,
    read_certificates,
    signing_certificates,
    token_error_from,
)

log = logging.getLogger(__name__)

SUPPORTED_CURVES = ("secp256r1", "secp384r1", "secp521r1")


class SigningAct:
    """What the code inside `with signing_act(...)` signs with. Valid only inside that block."""

    def __init__(
        self,
        *,
        token_label: str,
        certificate: x509.Certificate,
        chain: list[x509.Certificate],
        token_key: pkcs11.PrivateKey,
        mechanisms: set[pkcs11.Mechanism],
    ) -> None:
        self.token_label = token_label
        self.certificate = certificate
        self.certificate_info: CertificateInfo = certinfo.from_certificate(certificate)
        self.chain = chain  # CA certificates found on the token, issuer first
        self.token_key = token_key
        self.closed = False
        public_key = certificate.public_key()
        self.key: TokenRSAKey | TokenECKey
        if isinstance(public_key, rsa.RSAPublicKey):
            self.key = TokenRSAKey(token_key, public_key, mechanisms, self._token_call)
        elif isinstance(public_key, ec.EllipticCurvePublicKey) and public_key.curve.name in SUPPORTED_CURVES:
            self.key = TokenECKey(token_key, public_key, self._token_call)
        else:
            raise UnsupportedKeyError(
                f"Karttaki anahtar türü ({certinfo.key_description_of(certificate)}) imza için desteklenmiyor; "
                "RSA veya ECDSA (P-256/P-384/P-521) anahtarlı bir sertifika kullanınız."
            )

    def _token_call(self, operation: Callable[[], bytes]) -> bytes:
        with pkcs11_lock():
            if self.closed:
                raise ActClosedError()
            try:
                return operation()
            except p11.PKCS11Error as exc:
                log.warning("token operation failed on %r: %s", self.token_label, type(exc).__name__)
                raise token_error_from(exc) from exc

    @property
    def is_ec(self) -> bool:
        return isinstance(self.key, TokenECKey)

    def sign_bytes(self, data: bytes) -> bytes:
        """A raw signature of data: RSA PKCS#1 v1.5 with SHA-256, or DER ECDSA with SHA-384 (e.g. a login challenge)."""
        if isinstance(self.key, TokenECKey):
            return self.key.sign(data, ec.ECDSA(hashes.SHA384()))
        return self.key.sign(data, PKCS1v15(), hashes.SHA256())

    def sign_enveloped(self, document: bytes | etree._Element, **options: Any) -> bytes:
        """XAdES-BES enveloped signature of the document; see app.signing.xades.sign_enveloped."""
        from .xades import sign_enveloped

        return sign_enveloped(document, self, **options)


def _issuer_chain(leaf: x509.Certificate, candidates: list[x509.Certificate]) -> list[x509.Certificate]:
    chain: list[x509.Certificate] = []
    current = leaf
    while len(chain) < len(candidates):
        issuer = next((c for c in candidates if c.subject == current.issuer and c not in chain), None)
        if issuer is None or issuer.subject == issuer.issuer:
            break  # roots are trust anchors, not part of what we send
        chain.append(issuer)
        current = issuer
    return chain


def _drop_failed_login_session(module_path: str) -> None:
    # python-pkcs11 leaves the session of a failed C_Login open; re-initialising closes it.
    refresh_library(module_path)


def _login(module_path: str, token: pkcs11.Token, pin: str) -> pkcs11.Session:
    """Log in once with the PIN typed for this act. A wrong PIN is never retried."""
    try:
        return token.open(user_pin=pin)
    except p11.PinIncorrect:
        flags = _current_flags(token)
        _drop_failed_login_session(module_path)
        if flags & TokenFlag.USER_PIN_LOCKED:
            raise PinLockedError() from None
        raise WrongPinError(
            final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY), count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW)
        ) from None
    except (p11.PinInvalid, p11.PinLenRange):
        _drop_failed_login_session(module_path)
        raise WrongPinError("Girdiğiniz şifre (PIN) kartın kabul ettiği biçimde değil. Şifreyi kontrol ediniz.") from None
    except p11.PKCS11Error as exc:
        _drop_failed_login_session(module_path)
        raise token_error_from(exc) from None


def _current_flags(token: pkcs11.Token) -> TokenFlag:
    try:
        return token.slot.get_token().flags
    except p11.PKCS11Error:
        return TokenFlag(0)


def _logout(module_path: str, session: pkcs11.Session) -> None:
    try:
        session.close()  # C_Logout + C_CloseSession
    except p11.PKCS11Error as exc:
        log.info("logout failed (%s); re-initialising %s", type(exc).__name__, module_path)
        refresh_library(module_path)  # closes every session, so nothing stays logged in


def _choose_certificate(certificates: list[TokenCertificate]) -> TokenCertificate:
    candidates = signing_certificates(certificates)
    if not candidates:
        raise NoSigningKeyError()
    return candidates[0]


def _find_private_key(session: pkcs11.Session, object_id: bytes) -> pkcs11.PrivateKey:
    keys = list(session.get_objects({pkcs11.Attribute.CLASS: ObjectClass.PRIVATE_KEY, pkcs11.Attribute.ID: object_id}))
    if not keys:
        raise NoSigningKeyError()
    return keys[0]


@contextmanager
def signing_act(
    module_path: str,
    token_label: str | None,
    pin: str,
    *,
    expected_owner_id: str | None = None,
    check_validity: bool = True,
    at: datetime | None = None,
) -> Iterator[SigningAct]:
    """Open the token, check its certificate, log in with the PIN, yield a SigningAct, and always log out.

    The certificate is checked BEFORE the PIN is used: owner (when expected_owner_id is given) and validity at `at`
    (default now). token_label None means "the only token present". Raises SigningError subclasses only
    (CardBusyError when another process keeps the card past the configured wait).
    """
    if not pin:
        raise WrongPinError("Şifre (PIN) girilmedi.")
    with token_lock(module_path, token_label), pkcs11_lock():
        token = find_token(module_path, token_label)
        if token.flags & TokenFlag.USER_PIN_LOCKED:
            raise PinLockedError()
        try:
            with token.open() as public_session:
                certificates = read_certificates(public_session)
        except p11.PKCS11Error as exc:
            raise token_error_from(exc) from exc
        chosen = _choose_certificate(certificates)
        if expected_owner_id is not None:
            certinfo.check_owner(chosen.certificate, expected_owner_id)
        if check_validity:
            certinfo.check_validity(chosen.certificate, at)

        session = _login(module_path, token, pin)
        act: SigningAct | None = None
        try:
            with act_in_progress():
                try:
                    token_key = _find_private_key(session, chosen.object_id)
                    mechanisms = set(token.slot.get_mechanisms())
                except p11.PKCS11Error as exc:
                    raise token_error_from(exc) from exc
                act = SigningAct(
                    token_label=token.label,
                    certificate=chosen.certificate,
                    chain=_issuer_chain(chosen.certificate, ca_certificates(certificates)),
                    token_key=token_key,
                    mechanisms=mechanisms,
                )
                log.info("signing act opened on %r (certificate %s)", token.label, act.certificate_info.serial_hex)
                yield act
        finally:
            if act is not None:
                act.closed = True
            _logout(module_path, session)
