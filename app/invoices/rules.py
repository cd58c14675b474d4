"""What an imported invoice must satisfy beyond the UBL-TR format (decision note 0041 leaves these here)."""

from __future__ import annotations

from app.formats.ubl import InvoiceData
from app.identifiers import InvalidIdentifier, kind_of_identifier
from app.refusals import Refused

NAME_LENGTH = 250  # Invoice.sender_name / receiver_name
_WORD_BOUNDARY_SEARCH = 40  # how far back a cut may move to end on a whole word


class InvoiceRefused(Refused):
    """One invoice is not imported; ``message`` says why in Turkish."""


def check_invoice(taxpayer_identifier: str, invoice: InvoiceData) -> None:
    """Both parties' identifiers pass their check digits, and the importer is one of the parties."""
    for role, party in (("gönderen", invoice.sender), ("alıcı", invoice.receiver)):
        try:
            kind_of_identifier(party.identifier)
        except InvalidIdentifier as exc:
            raise InvoiceRefused(f"{invoice.number} numaralı faturada {role} {party.scheme} hatalı: {exc.message}") from None
    if taxpayer_identifier not in (invoice.sender.identifier, invoice.receiver.identifier):
        raise InvoiceRefused(
            f"{invoice.number} numaralı fatura başka bir mükellefin faturası (gönderen {invoice.sender.identifier}, "
            f"alıcı {invoice.receiver.identifier}). Yalnızca gönderdiğiniz veya size gelen faturaları yükleyebilirsiniz."
        )
    check_number_year(invoice)


def check_number_year(invoice: InvoiceData) -> None:
    """The 4 digits after the series are the invoice's year (UBL-TR Fatura guide §2.3.5): they match the date."""
    year = int(invoice.number[3:7])  # the reader checked the number's shape
    if year != invoice.issue_date.year:
        raise InvoiceRefused(
            f"{invoice.number} numaralı faturanın numarasındaki yıl ({year}) fatura tarihinin "
            f"({invoice.issue_date:%d.%m.%Y}) yılı değil; fatura numarasındaki yıl faturanın düzenlendiği yıl olmalıdır."
        )


def ettn_taken_message(invoice: InvoiceData) -> str:
    return f"{invoice.number} numaralı faturanın ETTN'si ({invoice.ettn}) başka bir faturada kullanılmış; fatura alınmadı."


def number_taken_message(invoice: InvoiceData) -> str:
    return (
        f"{invoice.sender.identifier} gönderenin {invoice.number} numaralı faturası farklı bir ETTN ile zaten kayıtlı; "
        "aynı fatura numarası iki faturada kullanılamaz."
    )


def unsigned_copy_message(invoice: InvoiceData) -> str:
    return (
        f"{invoice.number} numaralı faturanın imzasız bir kopyası başka bir mükellef tarafından yüklenmiş; "
        "faturanın satıcı tarafından imzalanmış hâlini yükleyiniz."
    )


def fit_name(name: str, limit: int = NAME_LENGTH) -> str:
    """A party name that fits the column: whitespace collapsed; a longer one cut on a word and marked with "…"."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit - _WORD_BOUNDARY_SEARCH:
        cut = cut[:space]
    return cut.rstrip(" ,.;-") + "…"
