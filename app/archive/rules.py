"""Belge Saklama's rules: what may be stored for whom, the bounds of an upload and the Turkish reasons."""

from __future__ import annotations

from app.formats.safe_xml import format_size
from app.formats.stored_document import DOCUMENT_TYPES
from app.integrator import catalogue
from app.refusals import Refused

# The database parts are imported where they are used: the checking processes of an import (decision note 0095)
# import this module for its limits and sentences and should not load SQLAlchemy and every model for that.

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # one document
MAX_MEMBERS = 200_000  # members of one zip
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024  # a zip's members unpacked, as declared (zipfile enforces the declaration)
PRODUCTS = ("efatura", "earsiv", "eirsaliye", "esmm", "emm")


def clean_name(name: str, limit: int = 250) -> str:
    """A file name fit for a page and any database: no control characters, no unpaired surrogates, bounded."""
    if name.isascii() and name.isprintable():  # nearly every name: nothing to take out
        printable = name
    else:
        printable = "".join(ch for ch in name if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)
    return printable.replace("\\", "/")[-limit:]


class ArchiveRefused(Refused):
    """An upload or a request Belge Saklama cannot take."""


def product_name(code: str) -> str:
    found = catalogue.product(code)
    return found.name if found is not None else code


def storage_kind(product: str) -> str | None:
    found = catalogue.product(product)
    if found is None:
        return None
    return next((kind.code for kind in found.kinds if kind.storage), None)


def active_storage_products(taxpayer_id: int) -> set[str]:
    """Products whose Saklama label the taxpayer has active now."""
    from sqlalchemy import select

    from app.db import get_session
    from app.models import LabelStatus, ServiceLabel

    kinds = {storage_kind(product): product for product in PRODUCTS}
    rows = get_session().scalars(
        select(ServiceLabel.kind).where(ServiceLabel.taxpayer_id == taxpayer_id, ServiceLabel.status == LabelStatus.AKTIF,
                                        ServiceLabel.kind.in_([k for k in kinds if k]))
    )
    return {kinds[kind] for kind in rows}


def opening_origin(taxpayer_id: int, product: str) -> str | None:
    """Where the taxpayer came from when it opened the product (decides how e-Arşiv Saklama is charged)."""
    from sqlalchemy import select

    from app.db import get_session
    from app.models import ServiceRequest
    from app.models.service import RequestAction

    return get_session().scalar(
        select(ServiceRequest.origin).where(ServiceRequest.taxpayer_id == taxpayer_id, ServiceRequest.product == product,
                                            ServiceRequest.action == RequestAction.ACMA, ServiceRequest.origin.is_not(None))
        .order_by(ServiceRequest.id.desc()).limit(1)
    )


def label_inactive(product: str) -> str:
    return (f"{product_name(product)} Saklama etiketiniz aktif değil; bu ürünün belgeleri saklanamaz. Yönetim > Hizmet "
            "Aktivasyonu ekranından Saklama etiketini açınız.")


def not_xml(name: str) -> str:
    return f"'{clean_name(name, 100)}' bir XML dosyası değil; yalnızca imzalı .xml belgeler saklanır."


def too_big(size: int) -> str:
    return f"Belge çok büyük ({format_size(size)}); bir belge en fazla {format_size(MAX_DOCUMENT_BYTES)} olabilir."


def not_a_party(sender: str, receiver: str, own: str) -> str:
    return (f"Belge bu mükellefe ait değil: gönderen ({sender}) ya da alıcı ({receiver}) {own} olmalıdır; "
            "belge saklanmadı.")


UNSIGNED = "Belge imzasız; yalnızca gönderenin mali mühür ya da e-imzasıyla imzalanmış belgeler saklanır."


def other_content(ettn: str) -> str:
    return f"Bu ETTN ({ettn}) ile farklı içerikte bir belge zaten saklanıyor; belge saklanmadı."


DUPLICATE = "Bu belge (aynı ETTN ve aynı içerik) zaten saklanıyor; kontör düşülmedi."
