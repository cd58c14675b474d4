"""Demo PKI for training rooms and tests: a "Kamu SM"-like CA and one SoftHSM2 token per demo taxpayer.

The CA keys are software keys (they are the trust anchors, like Kamu SM's root). Every taxpayer key is generated
ON its token (sensitive, not extractable); the certificate is stored on the token beside it.

    python -m app.signing.demo_pki instance/demo-pki

Running it again reuses what exists. It sets SOFTHSM2_CONF in this process's environment.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

from . import certinfo
from .certinfo import KIND_E_IMZA, KIND_MALI_MUHUR
from .drivers import SOFTHSM_MODULE, pkcs11_lock, use_softhsm_conf
from .tokens import read_certificates, refresh_and_list, signing_certificates

log = logging.getLogger(__name__)

DEMO_SO_PIN = "12345678"  # security officer PIN of every demo token (only needed to re-initialise a token)
GIB_VKN = "3900383669"  # Gelir İdaresi Başkanlığı's own VKN

CA_DIR = "ca"
TOKENS_DIR = "tokens"
CONF_NAME = "softhsm2.conf"
ROOT_NAME = "Demo Kamu SM Kök Sertifika Hizmet Sağlayıcısı - S1"
MALI_MUHUR_CA_NAME = "Mali Mühür Elektronik Sertifika Hizmet Sağlayıcısı - S2"  # CN ≤ 64 bytes
NES_CA_NAME = "Nitelikli Elektronik Sertifika Hizmet Sağlayıcısı - S1"
CA_ORGANIZATION = "Demo Kamu Sertifikasyon Merkezi"
CA_UNIT = "Eğitim amaçlıdır, gerçek işlemlerde geçersizdir"


@dataclass(frozen=True)
class DemoTaxpayer:
    key: str  # short handle used by tests and demo data
    owner_id: str  # VKN (company) or TCKN (person)
    name: str
    kind: str  # certinfo.KIND_MALI_MUHUR | certinfo.KIND_E_IMZA
    pin: str
    expired: bool = False
    key_type: str = "rsa"  # "rsa" (RSA-2048) | "ec" (P-384, Kamu SM's newer mali mühür)
    # Valid since this many days ago: a training room moves its clock back as well as forward (note 0133).
    valid_days_before: int = 1

    @property
    def token_label(self) -> str:
        return f"{'MM' if self.kind == KIND_MALI_MUHUR else 'EIMZA'}-{self.owner_id}"


DEFAULT_DEMO_TAXPAYERS: tuple[DemoTaxpayer, ...] = (
    DemoTaxpayer("anadolu", "4821307561", "Anadolu Tekstil Sanayi ve Ticaret A.Ş.", KIND_MALI_MUHUR, "111111"),
    DemoTaxpayer("ege", "6132704183", "Ege Gıda Dağıtım Limited Şirketi", KIND_MALI_MUHUR, "222222"),
    DemoTaxpayer("ayse", "34721590854", "Ayşe Yılmaz", KIND_E_IMZA, "333333"),
    DemoTaxpayer("karadeniz", "7059123645", "Karadeniz Lojistik A.Ş.", KIND_MALI_MUHUR, "444444", expired=True),
    DemoTaxpayer("marmara", "2578041931", "Marmara Bilişim Teknolojileri A.Ş.", KIND_MALI_MUHUR, "555555", key_type="ec"),
    DemoTaxpayer("gib", GIB_VKN, "Gelir İdaresi Başkanlığı", KIND_MALI_MUHUR, "999999"),
)


@dataclass(frozen=True)
class DemoToken:
    key: str
    label: str
    pin: str
    owner_id: str
    owner_name: str
    kind: str
    expired: bool
    key_type: str


@dataclass(frozen=True)
class DemoPKI:
    directory: Path
    softhsm_conf: Path
    ca_cert_path: Path  # PEM of the root: the trust anchor (xmlsec1 --trusted-pem)
    module_path: str
    tokens: tuple[DemoToken, ...]

    def token(self, key_or_owner_id: str) -> DemoToken:
        for token in self.tokens:
            if key_or_owner_id in (token.key, token.owner_id, token.label):
                return token
        raise KeyError(key_or_owner_id)

    def trust_anchors(self) -> list[x509.Certificate]:
        return x509.load_pem_x509_certificates(self.ca_cert_path.read_bytes())

    def activate(self) -> None:
        """Point SoftHSM in this process at the demo tokens."""
        use_softhsm_conf(self.softhsm_conf)


# --- certificate authority (software keys) -------------------------------------------------------------------


@dataclass(frozen=True)
class _Authority:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, CA_ORGANIZATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, CA_UNIT),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_certificate(
    common_name: str, key: rsa.RSAPrivateKey, issuer: _Authority | None, now: datetime
) -> x509.Certificate:
    subject = _name(common_name)
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # Back-dated: the CA must have been valid when the demo's expired certificate was issued and used.
        .not_valid_before(now - timedelta(days=5 * 365))
        .not_valid_after(now + timedelta(days=15 * 365 if issuer is None else 10 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # keyCertSign + cRLSign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False
        )
    )
    return builder.sign(signing_key, hashes.SHA256())


def _load_or_create_authority(
    directory: Path, stem: str, common_name: str, issuer: _Authority | None, key_size: int
) -> _Authority:
    key_path, cert_path = directory / f"{stem}.key.pem", directory / f"{stem}.pem"
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return _Authority(x509.load_pem_x509_certificate(cert_path.read_bytes()), key)
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    certificate = _ca_certificate(common_name, key, issuer, datetime.now(timezone.utc))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return _Authority(certificate, key)


def _taxpayer_certificate(
    taxpayer: DemoTaxpayer, public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey, issuer: _Authority
) -> x509.Certificate:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    if taxpayer.expired:
        not_before, not_after = now - timedelta(days=3 * 365), now - timedelta(days=30)
    else:
        not_before, not_after = now - timedelta(days=taxpayer.valid_days_before), now + timedelta(days=3 * 365)
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TR"),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, taxpayer.owner_id),
        x509.NameAttribute(NameOID.COMMON_NAME, taxpayer.name),
    ]
    if taxpayer.kind == KIND_MALI_MUHUR:
        attributes.insert(1, x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, taxpayer.name))
        key_usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
        policy_oid = certinfo.MALI_MUHUR_POLICY_OID
    else:
        key_usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        policy_oid = certinfo.NES_INDIVIDUAL_POLICY_OID
    notice = x509.UserNotice(None, "Demo sertifika: yalnızca eğitim ve test içindir.")
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(issuer.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy_oid), [notice])]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    if taxpayer.kind == KIND_MALI_MUHUR:
        eku = x509.ExtendedKeyUsage([x509.ObjectIdentifier(certinfo.MALI_MUHUR_SIGNING_EKU_OID)])
        builder = builder.add_extension(eku, critical=False)
    return builder.sign(issuer.key, hashes.SHA256())


# --- tokens (SoftHSM2) ------------------------------------------------------------------------------------------


def _write_softhsm_conf(conf_path: Path, tokens_dir: Path) -> None:
    if conf_path.exists():
        return
    conf_path.write_text(
        f"directories.tokendir = {tokens_dir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
        encoding="utf-8",
    )


def _softhsm_util(conf_path: Path, *args: str) -> None:
    env = {**os.environ, "SOFTHSM2_CONF": str(conf_path)}
    subprocess.run(["softhsm2-util", *args], env=env, check=True, capture_output=True, timeout=60)


def _generate_key_on_token(session: pkcs11.Session, taxpayer: DemoTaxpayer) -> tuple[pkcs11.PrivateKey, object]:
    """Key pair generated on the token; the private half is sensitive and never extractable."""
    label = f"{taxpayer.owner_id}SIGN0"
    private_template = {Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False, Attribute.PRIVATE: True}
    if taxpayer.key_type == "ec":
        parameters = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp384r1")}, local=True
        )
        public, private = parameters.generate_keypair(
            store=True, label=label, private_template=private_template
        )
        public_key = load_der_public_key(encode_ec_public_key(public))
    else:
        public, private = session.generate_keypair(
            KeyType.RSA, 2048, store=True, label=label, private_template=private_template
        )
        public_key = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"), int.from_bytes(public[Attribute.MODULUS], "big")
        ).public_key()
    object_id = x509.SubjectKeyIdentifier.from_public_key(public_key).digest  # CKA_ID links key and certificate
    private[Attribute.ID] = object_id
    public[Attribute.ID] = object_id
    return private, public_key


def _store_certificate(session: pkcs11.Session, cert: x509.Certificate, object_id: bytes, label: str) -> None:
    session.create_object(
        {
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: False,
            Attribute.LABEL: label,
            Attribute.ID: object_id,
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        }
    )


def _token_ready(module_path: str, label: str) -> bool | None:
    """True: token with a signing certificate; False: token exists but is incomplete; None: no such token."""
    for token in refresh_and_list(module_path):
        if token.label == label:
            with token.open() as session:
                return bool(signing_certificates(read_certificates(session)))
    return None


def _create_token(module_path: str, conf_path: Path, taxpayer: DemoTaxpayer, issuer: _Authority) -> None:
    label = taxpayer.token_label
    _softhsm_util(conf_path, "--init-token", "--free", "--label", label, "--so-pin", DEMO_SO_PIN, "--pin", taxpayer.pin)
    token = next(t for t in refresh_and_list(module_path) if t.label == label)
    with token.open(rw=True, user_pin=taxpayer.pin) as session:
        private, public_key = _generate_key_on_token(session, taxpayer)
        assert isinstance(public_key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey))
        cert = _taxpayer_certificate(taxpayer, public_key, issuer)
        _store_certificate(session, cert, private[Attribute.ID], f"{taxpayer.owner_id}SIGN0")
        ca_cert = issuer.certificate
        _store_certificate(session, ca_cert, x509.SubjectKeyIdentifier.from_public_key(ca_cert.public_key()).digest, "CA")
    log.info("demo token %s created", label)


def provision(directory: Path, taxpayers: tuple[DemoTaxpayer, ...] | list[DemoTaxpayer] = DEFAULT_DEMO_TAXPAYERS) -> DemoPKI:
    """Create (or reuse) the demo CA, the SoftHSM2 configuration and one token per taxpayer under `directory`."""
    directory = Path(directory).resolve()
    ca_dir, tokens_dir, conf_path = directory / CA_DIR, directory / TOKENS_DIR, directory / CONF_NAME
    ca_dir.mkdir(parents=True, exist_ok=True)
    tokens_dir.mkdir(parents=True, exist_ok=True)
    _write_softhsm_conf(conf_path, tokens_dir)

    root = _load_or_create_authority(ca_dir, "root", ROOT_NAME, None, 3072)
    issuers = {
        KIND_MALI_MUHUR: _load_or_create_authority(ca_dir, "mali-muhur-ca", MALI_MUHUR_CA_NAME, root, 2048),
        KIND_E_IMZA: _load_or_create_authority(ca_dir, "nes-ca", NES_CA_NAME, root, 2048),
    }
    module_path = SOFTHSM_MODULE
    use_softhsm_conf(conf_path)
    with pkcs11_lock():
        for taxpayer in taxpayers:
            state = _token_ready(module_path, taxpayer.token_label)
            if state is True:
                continue
            if state is False:
                _softhsm_util(conf_path, "--delete-token", "--token", taxpayer.token_label)
            _create_token(module_path, conf_path, taxpayer, issuers[taxpayer.kind])
        refresh_and_list(module_path)  # this process sees exactly the tokens on disk
    tokens = tuple(
        DemoToken(t.key, t.token_label, t.pin, t.owner_id, t.name, t.kind, t.expired, t.key_type) for t in taxpayers
    )
    return DemoPKI(directory, conf_path, ca_dir / "root.pem", module_path, tokens)


def _print_summary(pki: DemoPKI) -> None:
    print(f"Demo PKI: {pki.directory}")
    print(f"SOFTHSM2_CONF={pki.softhsm_conf}")
    print(f"Güvenilen kök sertifika (trust anchor): {pki.ca_cert_path}")
    print(f"Kart sürücüsü (SoftHSM): {pki.module_path}")
    print()
    # The demo cards' PINs are public training data (README's table), shown to whoever provisions them at a
    # terminal; output that goes to a file or a log (a service, a redirect) gets no PIN column at all.
    show_pins = sys.stdout.isatty()
    print(f"{'Kart etiketi':<20} {'VKN/TCKN':<12} {'Tür':<14} {'PIN' if show_pins else '':<7} Mükellef")
    for token in pki.tokens:
        kind = certinfo.KIND_LABELS[token.kind] + (" EC" if token.key_type == "ec" else "")
        note = " (sertifika süresi dolmuş)" if token.expired else ""
        shown = token.pin if show_pins else ""
        print(f"{token.label:<20} {token.owner_id:<12} {kind:<14} {shown:<7} {token.owner_name}{note}")
    if not show_pins:
        print("Demo kartlarının PIN'leri README'deki tabloda.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Demo sertifika otoritesi ve SoftHSM2 kartlarını hazırlar.")
    parser.add_argument("directory", type=Path, help="demo PKI klasörü (ör. instance/demo-pki)")
    args = parser.parse_args(argv)
    _print_summary(provision(args.directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
