"""UBL-TR 1.2.1 invoices: safe reading (single XML, GİB envelope, zip upload) and writing."""

from app.formats.ubl.model import InvoiceData, Party
from app.formats.ubl.reader import InvoiceFormatError, read_invoice, read_invoices, read_signed_invoices
from app.formats.ubl.upload import AcceptedFile, RejectedFile, UploadError, UploadResult, read_invoice_upload
from app.formats.ubl.writer import LineItem, NewInvoice, PartyDetails, build_invoice, compute_totals, signature_id

__all__ = [
    "AcceptedFile",
    "InvoiceData",
    "InvoiceFormatError",
    "LineItem",
    "NewInvoice",
    "Party",
    "PartyDetails",
    "RejectedFile",
    "UploadError",
    "UploadResult",
    "build_invoice",
    "compute_totals",
    "read_invoice",
    "read_invoice_upload",
    "read_invoices",
    "read_signed_invoices",
    "signature_id",
]
