"""Private keys that stay on the token, behind cryptography's key interfaces so that signxml can use them.

signxml never checks a key's type: it calls `key.sign(...)` and `key.public_key()`. These adapters send the
private operation to the token and refuse everything that would need the key material.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

import pkcs11
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature

from .errors import UnsupportedKeyError

# Runs one token operation: holds the PKCS#11 lock, checks the act is still open, maps PKCS#11 errors.
TokenCall = Callable[[Callable[[], bytes]], bytes]

# DER prefix of PKCS#1 DigestInfo per hash, for cards that sign only with CKM_RSA_PKCS (no hashing on the card).
_DIGEST_INFO_PREFIX: dict[str, bytes] = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}

_HASHING_RSA_MECHANISM: dict[str, pkcs11.Mechanism] = {
    "sha256": pkcs11.Mechanism.SHA256_RSA_PKCS,
    "sha384": pkcs11.Mechanism.SHA384_RSA_PKCS,
    "sha512": pkcs11.Mechanism.SHA512_RSA_PKCS,
}


def _refuse_export() -> NoReturn:
    raise UnsupportedKeyError("Özel anahtar kartın dışına çıkarılamaz.")


def _digest(data: bytes, algorithm: hashes.HashAlgorithm | Prehashed) -> tuple[bytes, hashes.HashAlgorithm]:
    if isinstance(algorithm, Prehashed):
        return data, algorithm._algorithm
    hasher = hashes.Hash(algorithm)
    hasher.update(data)
    return hasher.finalize(), algorithm


class TokenRSAKey(rsa.RSAPrivateKey):
    """RSA private key on a PKCS#11 token: PKCS#1 v1.5 signatures only."""

    def __init__(
        self,
        token_key: pkcs11.PrivateKey,
        public_key: rsa.RSAPublicKey,
        mechanisms: set[pkcs11.Mechanism],
        token_call: TokenCall,
    ) -> None:
        self._token_key = token_key
        self._public_key = public_key
        self._mechanisms = mechanisms
        self._token_call = token_call

    def sign(self, data: bytes, padding: Any, algorithm: hashes.HashAlgorithm | Prehashed) -> bytes:
        if not isinstance(padding, PKCS1v15):
            raise UnsupportedKeyError("Kart yalnızca PKCS#1 v1.5 RSA imzası atabilir.")
        hash_name = (algorithm._algorithm if isinstance(algorithm, Prehashed) else algorithm).name
        if hash_name not in _DIGEST_INFO_PREFIX:
            raise UnsupportedKeyError(f"{hash_name} özet algoritması desteklenmiyor.")
        hashing_mechanism = _HASHING_RSA_MECHANISM[hash_name]
        if not isinstance(algorithm, Prehashed) and hashing_mechanism in self._mechanisms:
            return self._token_call(lambda: self._token_key.sign(data, mechanism=hashing_mechanism))
        digest, _ = _digest(data, algorithm)
        digest_info = _DIGEST_INFO_PREFIX[hash_name] + digest
        return self._token_call(lambda: self._token_key.sign(digest_info, mechanism=pkcs11.Mechanism.RSA_PKCS))

    def public_key(self) -> rsa.RSAPublicKey:
        return self._public_key

    @property
    def key_size(self) -> int:
        return self._public_key.key_size

    def decrypt(self, ciphertext: bytes, padding: Any) -> bytes:
        raise UnsupportedKeyError("Bu anahtar yalnızca imza için kullanılır.")

    def private_numbers(self) -> rsa.RSAPrivateNumbers:
        _refuse_export()

    def private_bytes(self, encoding: Any, format: Any, encryption_algorithm: Any) -> bytes:
        _refuse_export()

    def __copy__(self) -> TokenRSAKey:
        return self

    def __deepcopy__(self, memo: dict) -> TokenRSAKey:
        return self


class TokenECKey(ec.EllipticCurvePrivateKey):
    """EC private key on a PKCS#11 token (Kamu SM's P-384 mali mühür): ECDSA, hashing done here."""

    def __init__(self, token_key: pkcs11.PrivateKey, public_key: ec.EllipticCurvePublicKey, token_call: TokenCall) -> None:
        self._token_key = token_key
        self._public_key = public_key
        self._token_call = token_call

    def sign(self, data: bytes, signature_algorithm: ec.EllipticCurveSignatureAlgorithm) -> bytes:
        if not isinstance(signature_algorithm, ec.ECDSA):
            raise UnsupportedKeyError("Kart yalnızca ECDSA imzası atabilir.")
        digest, _ = _digest(data, signature_algorithm.algorithm)
        raw = self._token_call(lambda: self._token_key.sign(digest, mechanism=pkcs11.Mechanism.ECDSA))
        half = len(raw) // 2  # PKCS#11 returns r || s; cryptography's interface speaks DER
        return encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))

    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self._public_key

    @property
    def curve(self) -> ec.EllipticCurve:
        return self._public_key.curve

    @property
    def key_size(self) -> int:
        return self._public_key.curve.key_size

    def exchange(self, algorithm: ec.ECDH, peer_public_key: ec.EllipticCurvePublicKey) -> bytes:
        raise UnsupportedKeyError("Bu anahtar yalnızca imza için kullanılır.")

    def private_numbers(self) -> ec.EllipticCurvePrivateNumbers:
        _refuse_export()

    def private_bytes(self, encoding: Any, format: Any, encryption_algorithm: Any) -> bytes:
        _refuse_export()

    def __copy__(self) -> TokenECKey:
        return self

    def __deepcopy__(self, memo: dict) -> TokenECKey:
        return self
