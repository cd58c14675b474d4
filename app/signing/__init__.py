"""Signing core: PKCS#11 tokens, XAdES-BES signatures, certificate information, demo PKI. No Flask here.

Typical use (one PIN entry, any number of signatures):

    from app.signing import signing_act, verify_signed_xml
    with signing_act(module_path, token_label, pin, expected_owner_id=vkn) as act:
        signed = act.sign_enveloped(document_bytes)
"""

from .act import SigningAct, signing_act
from .certinfo import CertificateInfo, check_validity, from_certificate
from .drivers import DEFAULT_DRIVERS, SOFTHSM_MODULE, available_drivers, module_path_for, use_softhsm_conf
from .errors import SigningError
from .tokens import TokenInfo, list_tokens
from .verify import VerificationResult, verify_signed_xml
from .xades import sign_enveloped

__all__ = [
    "DEFAULT_DRIVERS",
    "SOFTHSM_MODULE",
    "CertificateInfo",
    "SigningAct",
    "SigningError",
    "TokenInfo",
    "VerificationResult",
    "available_drivers",
    "check_validity",
    "from_certificate",
    "list_tokens",
    "module_path_for",
    "sign_enveloped",
    "signing_act",
    "use_softhsm_conf",
    "verify_signed_xml",
]
