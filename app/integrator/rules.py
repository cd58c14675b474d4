"""What may be added, opened and closed (SPEC C2–C8), each "no" with a Turkish message naming the rule.

Pure functions on the catalogue and label rows; the operations call them before signing and again inside
their unit of work, on rows read under lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.formats.gib.user_account import ALIAS_PATTERN, RESERVED_ALIASES, alias_local_part
from app.identifiers import InvalidIdentifier, kind_of_identifier
from app.integrator.catalogue import BY_CODE, KINDS, LabelKind, Product
from app.models.service import LabelStatus, ServiceLabel
from app.refusals import Refused, quoted

_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIVE = (LabelStatus.ONAY_BEKLIYOR, LabelStatus.AKTIF)
ALIAS_RULE = (
    "Etiket, GİB'in etiket kuralına uygun bir URN olmalıdır (urn:mail:önek@alanadi.com.tr): yalnızca İngilizce harfler, "
    "rakamlar ve ( ) + , - . : = @ ; $ _ ! * karakterleri kullanılabilir; Türkçe karakter ve boşluk kullanılamaz."
)


class ServiceRefused(Refused):
    """A rule of Hizmet Aktivasyonu says no; the message names the rule."""


class LastPostBoxWarning(ServiceRefused):
    """Closing the last PK label while GB stays open: allowed only once the person has read this warning."""


def product_or_refuse(code: str) -> Product:
    product = BY_CODE.get(code)
    if product is None:
        raise ServiceRefused("Bilinmeyen ürün. Lütfen Hizmet Aktivasyonu sayfasından bir ürün seçiniz.")
    return product


def kind_of(label: ServiceLabel) -> LabelKind:
    return KINDS[label.kind]


# --- Etiket Ekle (C2) ---------------------------------------------------------------------------


def _reserved_message(name: str) -> str:
    return (f"{quoted(name)} GİB tarafından ayrılmış bir addır (usergb, GIB, archive, earchive, edespatch, esevoucher, "
            "epreceipt, echeck, …); etiket adında kullanılamaz. Başka bir Etiket Ön Eki seçiniz.")


def build_aliases(product: Product, prefix: str, domain: str) -> list[tuple[LabelKind, str]]:
    """The product's labels for "Etiket Ön Eki" + "Şirket Alan Adı", e.g. urn:mail:defaultpk@firma.com.tr."""
    prefix, domain = prefix.strip(), domain.strip().lower()
    if not prefix:
        raise ServiceRefused("Etiket Ön Eki giriniz (örneğin default).")
    if not domain:
        raise ServiceRefused("Şirket Alan Adı giriniz (örneğin firma.com.tr).")
    if "@" in prefix or ":" in prefix:
        raise ServiceRefused("Etiket Ön Eki '@' ve ':' karakterlerini içeremez; bunlar etiketin yapısında kullanılır.")
    if not _DOMAIN.match(domain):
        raise ServiceRefused(f"{quoted(domain)} geçerli bir alan adı değil. Şirket Alan Adı firma.com.tr biçiminde "
                             "olmalıdır; Türkçe karakter ve boşluk kullanılamaz.")
    if prefix.casefold() in RESERVED_ALIASES:
        raise ServiceRefused(_reserved_message(prefix))
    built = []
    for kind in product.kinds:
        alias = f"urn:mail:{prefix}{kind.suffix}@{domain}"
        if not ALIAS_PATTERN.match(alias):
            raise ServiceRefused(f"{quoted(alias, 120)} etiketi oluşturulamadı. {ALIAS_RULE}")
        if alias_local_part(alias).casefold() in RESERVED_ALIASES:
            raise ServiceRefused(_reserved_message(alias_local_part(alias)))
        if len(alias) > 250:
            raise ServiceRefused("Etiket en fazla 250 karakter olabilir; daha kısa bir önek veya alan adı giriniz.")
        built.append((kind, alias))
    return built


def labels_to_add(product: Product, built: list[tuple[LabelKind, str]],
                  existing: Sequence[ServiceLabel]) -> list[tuple[LabelKind, str]]:
    """What "Ekle" creates: every GB/PK label (several are allowed), each other label only if none is live."""
    live = [label for label in existing if label.status is not LabelStatus.KAPATILDI]
    adding = []
    for kind, alias in built:
        if any(label.kind == kind.code and label.alias == alias for label in live):
            if kind.has_role:
                raise ServiceRefused(f"'{alias}' etiketi zaten ekli.")
            continue
        if not kind.has_role and any(label.kind == kind.code for label in live):
            continue  # one Saklama / e-Arşiv / … label per product
        adding.append((kind, alias))
    if not adding:
        raise ServiceRefused(f"{product.name} etiketleriniz zaten eklenmiş. Kapatılan bir etiketin yerine yeni "
                             "etiket ekleyebilirsiniz.")
    return adding


# --- Aç (C3–C6) -------------------------------------------------------------------------------------


def product_is_active(code: str, labels: Iterable[ServiceLabel]) -> bool:
    """A product is active when one of its main (not Saklama) labels is "Hizmet Aktifleştirilmiştir"."""
    return any(label.product == code and label.status is LabelStatus.AKTIF and not kind_of(label).storage
               for label in labels)


def _single_product(labels: Sequence[ServiceLabel], verb: str) -> Product:
    if not labels:
        raise ServiceRefused(f"{verb.capitalize()}mak istediğiniz etiketleri seçiniz.")
    products = {label.product for label in labels}
    if len(products) > 1:
        raise ServiceRefused(f"Farklı ürünlerin etiketleri birlikte {verb}ılamaz; her ürünün etiketlerini ayrı "
                             f"{verb}ınız.")
    return BY_CODE[products.pop()]


def _check_unresolved(label: ServiceLabel) -> None:
    if label.unresolved_request is not None:
        raise ServiceRefused(f"'{label.alias}' etiketi için GİB'e iletilemeyen imzalı bir talep var; önce "
                             "'Tekrar Gönder' ile o talebi gönderiniz.")


def check_opening(labels: Sequence[ServiceLabel], all_labels: Sequence[ServiceLabel]) -> Product:
    """The product whose labels are opened together; refuses what the seed and GİB do not allow (C4)."""
    product = _single_product(labels, "aç")
    for label in labels:
        _check_unresolved(label)
        if label.status is LabelStatus.ONAY_BEKLIYOR:
            raise ServiceRefused(f"'{label.alias}' etiketi zaten GİB onayı bekliyor.")
        if label.status is LabelStatus.AKTIF:
            raise ServiceRefused(f"'{label.alias}' etiketi zaten aktif.")
        if label.status is LabelStatus.KAPATILDI:
            raise ServiceRefused(f"'{label.alias}' etiketi kapatılmış; kapatılan etiket yeniden açılamaz. Etiket Ekle "
                                 "ile yeni bir etiket ekleyiniz.")
    kinds = [kind_of(label) for label in labels]
    if product.together_rule and any(k.storage for k in kinds) and any(not k.storage for k in kinds):
        raise ServiceRefused(product.together_rule)
    if product.one_at_a_time and len(labels) > 1:
        raise ServiceRefused(product.one_at_a_time)
    for needed in product.needs:
        if not product_is_active(needed, all_labels):
            raise ServiceRefused(product.needs_message)
    return product


def activation_date(choice: str, text: str, today: date) -> date | None:
    """ "Hemen Aktive Edilsin" (None) or "Seçtiğim Tarihte Aktive Edilsin" with a date that is not in the past."""
    if choice == "hemen":
        return None
    if choice != "tarih":
        raise ServiceRefused("Aktivasyon tarihini seçiniz: Hemen Aktive Edilsin ya da Seçtiğim Tarihte Aktive Edilsin.")
    text = text.strip()
    if not text:
        raise ServiceRefused("Seçtiğim Tarihte Aktive Edilsin için takvimden aktivasyon tarihini seçiniz.")
    try:
        chosen = date.fromisoformat(text) if "-" in text else date(*map(int, reversed(text.split("."))))
    except (TypeError, ValueError, OverflowError):
        raise ServiceRefused("Aktivasyon tarihi GG.AA.YYYY biçiminde geçerli bir tarih olmalıdır.") from None
    if chosen < today:
        raise ServiceRefused(f"Aktivasyon tarihi geçmiş bir gün olamaz ({chosen:%d.%m.%Y}); bugün veya ileri bir "
                             "tarih seçiniz.")
    return None if chosen == today else chosen


def origin(product: Product, code: str | None, asked: bool) -> str | None:
    if not asked or not product.origins:
        return None
    if product.origin(code) is None:
        raise ServiceRefused(f"{product.name} hizmetini ilk kez açmadan önce nereden geçtiğinizi seçiniz.")
    return code


@dataclass(frozen=True)
class ApplicationFields:
    """"GİB e-Fatura Başvuru Bilgileri" as typed (Yararlanma Yöntemi is always Özel Entegrasyon)."""

    title: str
    tax_office: str
    address: str
    email: str
    phone: str


def application_fields(title: str, tax_office: str, address: str, email: str, phone: str) -> ApplicationFields:
    fields = ApplicationFields(" ".join(title.split()), " ".join(tax_office.split()), address.strip(),
                               email.strip(), " ".join(phone.split()))
    missing = [name for name, value in (("Unvan", fields.title), ("Vergi Dairesi", fields.tax_office),
                                        ("E-Posta", fields.email)) if not value]
    if missing:
        raise ServiceRefused(f"GİB e-Fatura Başvuru Bilgileri: işaretli alanlar zorunludur ({', '.join(missing)}).")
    if not _EMAIL.match(fields.email):
        raise ServiceRefused(f"GİB e-Fatura Başvuru Bilgileri: {quoted(fields.email)} geçerli bir e-posta adresi değil.")
    if len(fields.tax_office) > 120 or len(fields.email) > 200 or len(fields.phone) > 40 or len(fields.title) > 250:
        raise ServiceRefused("GİB e-Fatura Başvuru Bilgileri: alanlardan biri çok uzun.")
    return fields


def check_identifier(identifier: str) -> None:
    try:
        kind_of_identifier(identifier)
    except InvalidIdentifier as exc:
        raise ServiceRefused(exc.message) from exc


# --- Kapat (C8) -------------------------------------------------------------------------------------


def check_closing(labels: Sequence[ServiceLabel], all_labels: Sequence[ServiceLabel], *,
                  last_post_box_confirmed: bool) -> Product:
    product = _single_product(labels, "kapat")
    for label in labels:
        _check_unresolved(label)
        if label.status is not LabelStatus.AKTIF:
            state = "onay bekliyor" if label.status is LabelStatus.ONAY_BEKLIYOR else f"'{label.status.label}'"
            raise ServiceRefused(f"'{label.alias}' etiketi {state}; yalnızca aktif etiketler kapatılabilir.")
    closing = {label.id for label in labels}
    remaining = [label for label in all_labels if label.id not in closing and label.status in LIVE]
    _check_despatch_first(product, remaining)
    if not last_post_box_confirmed:
        _check_last_post_box(product, labels, remaining)
    return product


def _role_labels(labels: Iterable[ServiceLabel], product: str, role: str | None = None) -> list[ServiceLabel]:
    return [label for label in labels
            if label.product == product and kind_of(label).has_role and (role is None or kind_of(label).role == role)]


def _check_despatch_first(product: Product, remaining: list[ServiceLabel]) -> None:
    """e-İrsaliye labels are closed before the last e-Fatura label (Özel Entegrasyon Kılavuzu, GIB-FORMATS §3)."""
    if product.code == "efatura" and not _role_labels(remaining, "efatura") and _role_labels(remaining, "eirsaliye"):
        raise ServiceRefused("Açık e-İrsaliye etiketleriniz varken son e-Fatura etiketiniz kapatılamaz: e-İrsaliye "
                             "etiketleri e-Fatura etiketlerinden önce kapatılmalıdır. Önce e-İrsaliye etiketlerinizi "
                             "kapatınız.")


def _check_last_post_box(product: Product, closing: Sequence[ServiceLabel], remaining: list[ServiceLabel]) -> None:
    closes_pk = any(kind_of(label).role == "PK" for label in closing)
    if not closes_pk or _role_labels(remaining, product.code, "PK"):
        return
    if any(label.status is LabelStatus.AKTIF for label in _role_labels(remaining, product.code, "GB")):
        document = "e-Fatura" if product.code == "efatura" else "e-İrsaliye"
        raise LastPostBoxWarning(
            f"Bu, son {document} posta kutusu (PK) etiketiniz. Kapatırsanız GİB kayıtlı kullanıcı listesinde "
            f"posta kutunuz kalmaz ve hiç kimse size {document} gönderemez; GB etiketiniz açık kaldığı için yalnızca "
            "gönderim yapabilirsiniz."
        )
