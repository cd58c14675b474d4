"""Every "no" the simulator says: a GİB-style code, Turkish text and the HTTP status it travels with.

Codes 11xx carry the names of GİB's e-Fatura system-response codes (Ek-2 Sistem Yanıtı v1.5) where the
meaning matches; 2xxx (registry, labels), 3xxx (e-Defter) and 9xxx (the HTTP API itself) are the
simulator's own, since GİB publishes none for these services.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RefusalKind:
    code: str
    http_status: int
    summary: str


class Refusal(Exception):
    """Raised by an operation to refuse a request; the API turns it into {"error": {code, message}}."""

    def __init__(self, kind: RefusalKind, detail: str = "") -> None:
        self.kind = kind
        self.message = f"{kind.summary} {detail}".strip()
        super().__init__(self.message)


UNREADABLE_DOCUMENT = RefusalKind("1140", 400, "Doküman ayrıştırılamadı.")
MALFORMED_DOCUMENT = RefusalKind("1160", 400, "Belge beklenen yapıda değil.")
SIGNER_ID_MISSING = RefusalKind("1161", 400, "İmza sahibinin VKN/TCKN bilgisi alınamadı.")
SIGNATURE_CHECK_UNAVAILABLE = RefusalKind("1175", 503, "İmza yetkisi kontrol edilemedi.")
SIGNER_NOT_AUTHORISED = RefusalKind("1176", 403, "İmza sahibi yetkisiz.")
INVALID_SIGNATURE = RefusalKind("1177", 400, "Geçersiz imza.")
SYSTEM_ERROR = RefusalKind("1195", 500, "Sistem hatası.")

INVALID_TAXPAYER_ID = RefusalKind("2001", 400, "Geçersiz VKN/TCKN.")
TAXPAYER_NOT_FOUND = RefusalKind("2002", 404, "Mükellef kaydı bulunamadı.")
APPLICATION_NOT_FOUND = RefusalKind("2003", 404, "e-Fatura başvurusu bulunamadı.")
APPLICATION_EXISTS = RefusalKind("2004", 409, "Bu mükellefin e-Fatura başvurusu zaten var.")
WRONG_METHOD = RefusalKind("2005", 400, "Yararlanma yöntemi kabul edilmedi.")
INVALID_REGISTRY_ENTRY = RefusalKind("2006", 400, "Mükellef bilgileri geçersiz.")

ALIAS_ALREADY_REGISTERED = RefusalKind("2101", 409, "Etiket zaten kayıtlı.")
ALIAS_RESERVED = RefusalKind("2102", 400, "Bu etiket adı GİB tarafından ayrılmıştır, kullanılamaz.")
ALIAS_MALFORMED = RefusalKind("2103", 400, "Etiket biçimi geçersiz.")
ACTIVATION_DATE_PAST = RefusalKind("2105", 400, "Aktivasyon tarihi geçmiş bir gün olamaz.")
NO_APPLICATION_FOR_LABEL = RefusalKind(
    "2106",
    409,
    "e-Fatura başvurusu olmayan mükellef için etiket açılamaz; önce 'GİB e-Fatura Başvuru Bilgileri' imzalanmalıdır.",
)
ALIAS_NOT_OPEN = RefusalKind("2107", 409, "Etiket kapatılamadı.")
LABEL_REQUEST_NOT_FOUND = RefusalKind("2108", 404, "Etiket talebi bulunamadı.")
NOT_A_REGISTERED_USER = RefusalKind("2201", 404, "Kayıtlı kullanıcı bulunamadı.")

BERAT_PREVIOUS_PERIOD_MISSING = RefusalKind("3002", 409, "Önceki dönemin beratları onaylanmadan bu dönem gönderilemez.")
BERAT_ALREADY_APPROVED = RefusalKind("3003", 409, "Bu berat daha önce onaylanmıştır, tekrar gönderilemez.")
BERAT_PREVIOUS_PART_MISSING = RefusalKind(
    "3004", 409, "Önceki defter parçasının beratı onaylanmadan bu parça gönderilemez."
)
BERAT_PERIOD_NOT_OVER = RefusalKind("3005", 409, "Dönem henüz bitmedi; beratı dönem sonundan sonra gönderiniz.")
BERAT_NOT_FOUND = RefusalKind("3006", 404, "Onaylı berat bulunamadı.")
BERAT_BEFORE_START = RefusalKind("3008", 409, "e-Defter başlangıç döneminden önceki bir dönem için berat gönderilemez.")
REPORT_BERATS_MISSING = RefusalKind(
    "3009", 409, "Defter raporu, aynı döneme ait yevmiye ve kebir beratları onaylanmadan gönderilemez."
)
REPORT_ALREADY_RECEIVED = RefusalKind("3010", 409, "Bu döneme ait defter raporu daha önce alınmıştır.")
BAD_PACKAGE = RefusalKind("3011", 400, "Gönderilen paket (zip) kabul edilmedi.")
NAME_MISMATCH = RefusalKind("3012", 400, "Dosya adı, dosyanın içeriğiyle (VKN, dönem, tür, parça) uyuşmuyor.")
SEAL_UNAVAILABLE = RefusalKind("3007", 503, "GİB mali mührü şu anda kullanılamıyor; berat onaylanamadı.")

IDEMPOTENCY_KEY_REUSED = RefusalKind(
    "9001", 422, "Bu işlem anahtarı (Idempotency-Key) başka bir istek için kullanılmış."
)
UNKNOWN_ADDRESS = RefusalKind("9002", 404, "Bilinmeyen servis adresi.")
METHOD_NOT_ALLOWED = RefusalKind("9003", 405, "Bu adres bu istek yöntemini kabul etmez.")
REQUEST_TOO_LARGE = RefusalKind("9004", 413, "Gönderilen belge çok büyük.")
BAD_REQUEST = RefusalKind("9005", 400, "İstek okunamadı.")
CONCURRENT_DUPLICATE = RefusalKind(
    "9006", 409, "Aynı işlem aynı anda iki kez gönderildi; işlemin durumunu sorgulayıp gerekirse tekrar deneyiniz."
)
