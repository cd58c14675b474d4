"""The verification report of one signed XML document.

The verdict is the portal's own verification (``app.signing.verify.verify_signed_xml``: signature, chain to the
trust anchors at the signing time, key usage, owner) — the same one every import and act relies on. Beside it the
report lists each check as a person or an auditor wants to see it: every reference's digest, the signature value,
the XAdES SigningCertificate and SignedProperties, the certificate chain and which anchor it ends at. Those
details explain the verdict; they never override it (decision note 0092).
"""

from __future__ import annotations

import hashlib
from base64 import b64decode
from dataclasses import dataclass, field
from datetime import datetime, timezone

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding
from flask import current_app
from lxml import etree

from app.cards import trust_anchors
from app.formats.safe_xml import XmlInputError, parse_untrusted
from app.signing import certinfo
from app.signing.placement import DS_NS, XADES_NS, c14n_without_signature
from app.signing.verify import embedded_certificates, parse_signing_time, verify_signed_xml
from app.storage import file_store

MAX_REPORT_BYTES = 10 * 1024 * 1024  # documents held in memory for a report (e-Defter parts: decision note 0092)

_DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": hashes.SHA256,
    "http://www.w3.org/2000/09/xmldsig#sha1": hashes.SHA1,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashes.SHA512,
}
_SIGNATURES = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": ("rsa", hashes.SHA256),
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": ("rsa", hashes.SHA1),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", hashes.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", hashes.SHA512),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": ("ec", hashes.SHA256),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ec", hashes.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ec", hashes.SHA512),
}
_EXCLUSIVE = ("http://www.w3.org/2001/10/xml-exc-c14n#", "http://www.w3.org/2001/10/xml-exc-c14n#WithComments")
_INDICATIONS = {
    "ok": ("TOTAL_PASSED", "GEÇERLİ"),
    "tampered": ("TOTAL_FAILED", "GEÇERSİZ"),
    "invalid_signature": ("TOTAL_FAILED", "GEÇERSİZ"),
    "not_enveloped": ("TOTAL_FAILED", "GEÇERSİZ"),
    "no_signature": ("TOTAL_FAILED", "İMZASIZ"),
    "malformed": ("TOTAL_FAILED", "OKUNAMADI"),
    "invalid": ("TOTAL_FAILED", "OKUNAMADI"),
}


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, whether it passed (None: could not be checked), the detail."""

    name: str
    passed: bool | None
    detail: str = ""

    @property
    def label(self) -> str:
        return {True: "Başarılı", False: "Başarısız", None: "Kontrol edilemedi"}[self.passed]


@dataclass(frozen=True)
class CertificateLine:
    role: str  # "İmzalayan", "Ara sertifika", "Güven çapası"
    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    fingerprint: str


@dataclass(frozen=True)
class Report:
    title: str
    created_at: datetime
    document_sha256: str
    document_size: int
    ok: bool
    code: str
    message: str  # the verdict sentence, Turkish
    indication: str  # TOTAL_PASSED / TOTAL_FAILED / INDETERMINATE (DSS)
    verdict: str  # GEÇERLİ / GEÇERSİZ / BELİRSİZ …
    signer_name: str = ""
    signer_id: str = ""
    signer_id_label: str = ""
    certificate_kind: str = ""
    issuer: str = ""
    serial: str = ""
    not_before: datetime | None = None
    not_after: datetime | None = None
    usage: str = ""
    key: str = ""
    signing_time: datetime | None = None
    anchor: str = ""  # the trust anchor the chain ends at, "" if none
    signature_method: str = ""
    chain: list[CertificateLine] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def report_for_stored(sha256: str, title: str) -> Report:
    """The report of a signed document in the file store (bytes checked against their hash as read)."""
    with file_store().open(sha256) as reader:
        data = reader.read(MAX_REPORT_BYTES + 1)
        if len(data) <= MAX_REPORT_BYTES:
            reader.readall()  # to the end, so the hash is checked
    return build_report(data, title)


def build_report(data: bytes, title: str = "İmza Doğrulama Raporu", *, expected_owner_id: str | None = None,
                 now: datetime | None = None) -> Report:
    """The report of ``data`` (any bytes: hostile or broken input gives a failed report, never an error)."""
    now = now or datetime.now(timezone.utc)
    anchors = trust_anchors()
    base = {"title": title, "created_at": now, "document_sha256": hashlib.sha256(data).hexdigest(),
            "document_size": len(data)}
    if len(data) > MAX_REPORT_BYTES:
        return Report(**base, ok=False, code="too_large", indication="INDETERMINATE", verdict="KONTROL EDİLEMEDİ",
                      message=f"Belge bu rapor için çok büyük (en fazla {MAX_REPORT_BYTES // (1024 * 1024)} MB).")
    try:
        root = parse_untrusted(data, max_bytes=MAX_REPORT_BYTES)
    except XmlInputError as error:
        return Report(**base, ok=False, code="malformed", indication="TOTAL_FAILED", verdict="OKUNAMADI",
                      message=f"İmza geçersiz: {error.message}")
    result = verify_signed_xml(data, anchors, expected_owner_id=expected_owner_id, now=now)
    indication, verdict = _INDICATIONS.get(result.code, ("INDETERMINATE", "BELİRSİZ"))
    details = _Details(root, anchors)
    info = result.certificate_info or (certinfo.from_certificate(details.leaf) if details.leaf is not None else None)
    return Report(
        **base, ok=result.ok, code=result.code, message=result.message, indication=indication, verdict=verdict,
        signer_name=info.owner_name if info else "", signer_id=info.owner_id if info else "",
        signer_id_label=info.owner_id_label if info and info.owner_id else "",
        certificate_kind=info.kind_label if info else "", issuer=info.issuer_name if info else "",
        serial=info.serial_hex if info else "", not_before=info.not_before if info else None,
        not_after=info.not_after if info else None, usage=info.usage_text if info else "",
        key=info.key_description if info else "", signing_time=result.signing_time or details.signing_time,
        anchor=details.anchor_name, signature_method=details.signature_method, chain=details.chain,
        checks=details.checks(result.ok, result.code, result.message),
    )


class _Details:
    """The individual checks, computed from the parsed document (never trusted on their own)."""

    def __init__(self, root: etree._Element, anchors: list[x509.Certificate]) -> None:
        self.root = root
        self.signature = next(root.iter(f"{{{DS_NS}}}Signature"), None)
        self.certificates = self._certificates()
        self.leaf = next((c for c in self.certificates if not certinfo.is_ca(c)), None)
        self.anchor, self.chain = self._chain(anchors)
        self.anchor_name = self.anchor.subject.rfc4514_string() if self.anchor is not None else ""
        self.signed_properties = self._find(f".//{{{XADES_NS}}}SignedProperties")
        self.signing_time = parse_signing_time(self._text(f".//{{{XADES_NS}}}SigningTime"))
        method = self._find(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}SignatureMethod")
        self.signature_method = method.get("Algorithm", "") if method is not None else ""

    def _find(self, path: str) -> etree._Element | None:
        return self.signature.find(path) if self.signature is not None else None

    def _text(self, path: str) -> str:
        found = self._find(path)
        return (found.text or "").strip() if found is not None else ""

    def _certificates(self) -> list[x509.Certificate]:
        return embedded_certificates(self.signature) if self.signature is not None else []

    def _chain(self, anchors: list[x509.Certificate]) -> tuple[x509.Certificate | None, list[CertificateLine]]:
        if self.leaf is None:
            return None, []
        lines = [_line("İmzalayan", self.leaf)]
        current, pool = self.leaf, [c for c in self.certificates if c is not self.leaf]
        for _ in range(8):
            anchor = next((a for a in anchors if a.subject == current.issuer and _issued_by(current, a)), None)
            if anchor is not None:
                lines.append(_line("Güven çapası", anchor))
                return anchor, lines
            parent = next((c for c in pool if c.subject == current.issuer and _issued_by(current, c)), None)
            if parent is None:
                return None, lines
            lines.append(_line("Ara sertifika", parent))
            pool.remove(parent)
            current = parent
        return None, lines

    def _references(self) -> list[Check]:
        checks: list[Check] = []
        if self.signature is None:
            return checks
        for index, reference in enumerate(self.signature.iterfind(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference"), 1):
            uri = reference.get("URI")
            what = "Belgenin tamamı" if uri == "" else _reference_name(reference, uri)
            digest_method = reference.find(f"{{{DS_NS}}}DigestMethod")
            algorithm = _DIGESTS.get(digest_method.get("Algorithm", "") if digest_method is not None else "")
            expected = (reference.findtext(f"{{{DS_NS}}}DigestValue") or "").strip()
            content = self._reference_content(reference, uri)
            if algorithm is None or content is None:
                checks.append(Check(f"Özet değeri ({index}. referans: {what})", None,
                                    "Referans edilen içerik veya özet algoritması bulunamadı."))
                continue
            digest = hashes.Hash(algorithm())
            digest.update(content)
            try:
                same = digest.finalize() == b64decode(expected)
            except ValueError:
                same = False
            checks.append(Check(f"Özet değeri ({index}. referans: {what})", same,
                                f"{algorithm.name.upper()} özeti {'eşleşiyor' if same else 'eşleşmiyor'}."))
        return checks

    def _reference_content(self, reference: etree._Element, uri: str | None) -> bytes | None:
        transforms = [t.get("Algorithm", "") for t in
                      reference.iterfind(f"{{{DS_NS}}}Transforms/{{{DS_NS}}}Transform")]
        if uri == "":
            return c14n_without_signature(self.root.getroottree(), self.signature)
        if not uri or not uri.startswith("#"):
            return None
        target = next((e for e in self.root.iter() if isinstance(e.tag, str) and e.get("Id") == uri[1:]), None)
        if target is None:
            return None
        exclusive = any(t in _EXCLUSIVE for t in transforms)
        return etree.tostring(target, method="c14n", exclusive=exclusive, with_comments=False)

    def _signature_value(self) -> Check:
        name = "İmza değeri (SignatureValue)"
        if self.signature is None or self.leaf is None:
            return Check(name, None, "İmza ya da imzalayan sertifika bulunamadı.")
        signed_info = self.signature.find(f"{{{DS_NS}}}SignedInfo")
        method = _SIGNATURES.get(self.signature_method)
        value = self._text(f"{{{DS_NS}}}SignatureValue")
        if signed_info is None or method is None or not value:
            return Check(name, None, f"Desteklenmeyen imza algoritması: {self.signature_method or '-'}")
        c14n_method = signed_info.find(f"{{{DS_NS}}}CanonicalizationMethod")
        exclusive = c14n_method is not None and c14n_method.get("Algorithm") in _EXCLUSIVE
        payload = etree.tostring(signed_info, method="c14n", exclusive=exclusive, with_comments=False)
        key = self.leaf.public_key()
        try:
            raw = b64decode("".join(value.split()))
            if method[0] == "rsa" and isinstance(key, rsa.RSAPublicKey):
                key.verify(raw, payload, padding.PKCS1v15(), method[1]())
            elif method[0] == "ec" and isinstance(key, ec.EllipticCurvePublicKey):
                half = len(raw) // 2
                der = encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
                key.verify(der, payload, ec.ECDSA(method[1]()))
            else:
                return Check(name, False, "İmza algoritması sertifikanın anahtar türüyle uyuşmuyor.")
        except (InvalidSignature, ValueError):
            return Check(name, False, "İmza değeri, imzalayan sertifikanın açık anahtarıyla doğrulanamadı.")
        return Check(name, True, f"{self.signature_method.rsplit('#', 1)[-1].upper()} imza değeri doğrulandı.")

    def _signing_certificate(self) -> Check:
        name = "XAdES SigningCertificate"
        cert = self._find(f".//{{{XADES_NS}}}SigningCertificate/{{{XADES_NS}}}Cert")
        if cert is None:
            v2 = self._find(f".//{{{XADES_NS}}}SigningCertificateV2")
            return Check(name, False if v2 is None else None,
                         "SigningCertificate bulunamadı." if v2 is None else "Yalnızca SigningCertificateV2 var "
                         "(GİB XAdES 1.3.2 SigningCertificate bekler).")
        if self.leaf is None:
            return Check(name, None, "İmzalayan sertifika bulunamadı.")
        method = cert.find(f"{{{XADES_NS}}}CertDigest/{{{DS_NS}}}DigestMethod")
        algorithm = _DIGESTS.get(method.get("Algorithm", "") if method is not None else "")
        expected = (cert.findtext(f"{{{XADES_NS}}}CertDigest/{{{DS_NS}}}DigestValue") or "").strip()
        serial = (cert.findtext(f"{{{XADES_NS}}}IssuerSerial/{{{DS_NS}}}X509SerialNumber") or "").strip()
        if algorithm is None:
            return Check(name, None, "Sertifika özetinin algoritması tanınmıyor.")
        digest = hashes.Hash(algorithm())
        digest.update(self.leaf.public_bytes(Encoding.DER))
        try:
            same_digest = digest.finalize() == b64decode(expected)
        except ValueError:
            same_digest = False
        same_serial = serial == str(self.leaf.serial_number)
        passed = same_digest and same_serial
        detail = ("Sertifika özeti ve seri numarası (IssuerSerial) imzalayan sertifikayla eşleşiyor." if passed else
                  "Sertifika özeti veya seri numarası imzalayan sertifikayla eşleşmiyor.")
        return Check(name, passed, detail)

    def _signed_properties(self) -> Check:
        name = "XAdES SignedProperties"
        if self.signed_properties is None:
            return Check(name, False, "SignedProperties bulunamadı.")
        ident = self.signed_properties.get("Id", "")
        referenced = self.signature is not None and any(
            r.get("URI") == f"#{ident}" for r in self.signature.iterfind(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference"))
        return Check(name, referenced and bool(ident),
                     f"SignedProperties (Id={ident or '-'}) imzanın referansları arasında "
                     f"{'yer alıyor' if referenced else 'yok'}; imza zamanı: {self._text(f'.//{{{XADES_NS}}}SigningTime') or '-'}.")

    def checks(self, ok: bool, code: str, message: str) -> list[Check]:
        if self.signature is None:
            return [Check("İmza", False, "Belgede XML imzası (ds:Signature) bulunamadı.")]
        found = [Check("Biçim", True, "Belge güvenli biçimde okundu (DTD/varlık tanımı yok).")]
        found += self._references()
        found.append(self._signature_value())
        found.append(self._signing_certificate())
        found.append(self._signed_properties())
        trusted = code not in ("certificate_untrusted",) and self.anchor is not None
        found.append(Check("Sertifika zinciri", trusted if self.leaf is not None else None,
                           f"Zincir güven çapasına ulaşıyor: {self.anchor_name}" if self.anchor is not None
                           else "Zincir portalın güvendiği hiçbir sertifika hizmet sağlayıcısına ulaşmıyor."))
        if code in ("certificate_expired", "certificate_not_yet_valid", "signing_time_future", "no_signing_time"):
            found.append(Check("İmza zamanı ve sertifika geçerliliği", False, message))
        elif self.leaf is not None and self.signing_time is not None:
            within = certinfo.from_certificate(self.leaf).is_valid_at(self.signing_time)
            found.append(Check("İmza zamanı ve sertifika geçerliliği", within,
                               "İmza zamanı sertifikanın geçerlilik süresi içinde." if within
                               else "İmza zamanı sertifikanın geçerlilik süresi dışında."))
        if code in ("key_usage", "owner_mismatch", "certificate_owner_mismatch"):
            found.append(Check("Sertifika kullanımı / sahibi", False, message))
        found.append(Check("Sonuç", ok, message))
        return found


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _line(role: str, cert: x509.Certificate) -> CertificateLine:
    return CertificateLine(role, cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(),
                           certinfo.format_serial(cert.serial_number), cert.not_valid_before_utc,
                           cert.not_valid_after_utc, cert.fingerprint(hashes.SHA256()).hex())


def _reference_name(reference: etree._Element, uri: str | None) -> str:
    kind = reference.get("Type", "")
    if kind.endswith("#SignedProperties"):
        return "SignedProperties"
    return f"{uri}" if uri else "-"


def app_anchor_names() -> list[str]:
    """The portal's trust anchors by name (for the standalone page's note)."""
    if not current_app:
        return []
    return [anchor.subject.rfc4514_string() for anchor in trust_anchors()]
