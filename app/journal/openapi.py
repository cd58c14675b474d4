"""The OpenAPI 3.1 description of /api/v1, built from the same field table the intake checks
(``app.journal.fields``) and the limits of ``app.journal.api_body``: what is documented is what is enforced."""

from __future__ import annotations

from typing import Any

from app.journal.api_body import MAX_ENTRIES, MAX_LINES_PER_ENTRY
from app.journal.fields import ENTERED_BY, ENTRY_COMMENT, ENTRY_DATE, ENTRY_NUMBER, LINE_FIELDS, Field
from app.models import JournalPeriodState, SubmissionState

PROBLEM = "application/problem+json"


def _property(field: Field) -> dict[str, Any]:
    if field.kind == "amount":
        return {"description": field.description,
                "oneOf": [{"type": "string", "maxLength": field.max_length, "examples": ["1234.56", "1.234,56"]},
                          {"type": "number", "minimum": 0}]}
    schema: dict[str, Any] = {"type": "string", "maxLength": field.max_length, "description": field.description}
    if field.kind == "date":
        schema["format"] = "date"
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": _ref("Problem")}}}


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


COMMON_ERRORS = {
    "401": _problem("API anahtarı yok, geçersiz, iptal edilmiş ya da süresi dolmuş (çerez kabul edilmez)."),
    "403": _problem("Anahtarın yetki kapsamı bu işleme yetmiyor."),
    "404": _problem("Mükellef, dönem ya da kayıt bulunamadı (başka mükellefin kayıtları da görünmez)."),
    "429": _problem("Anahtar başına dakikalık istek sınırı aşıldı (Retry-After başlığına bakınız)."),
}


def _operation(summary: str, description: str, responses: dict[str, Any], scope: str, **extra: Any) -> dict[str, Any]:
    return {"summary": summary, "description": f"{description}\n\nGereken yetki: `{scope}`.",
            "responses": {**responses, **COMMON_ERRORS}, **extra}


def document(server_url: str = "/api/v1") -> dict[str, Any]:
    line = {"type": "object", "additionalProperties": False,
            "required": [field.name for field in LINE_FIELDS if field.required],
            "properties": {field.name: _property(field) for field in LINE_FIELDS}}
    entry = {"type": "object", "additionalProperties": False, "required": [ENTRY_NUMBER.name, ENTRY_DATE.name,
                                                                            "satirlar"],
             "properties": {**{f.name: _property(f) for f in (ENTRY_NUMBER, ENTRY_DATE, ENTERED_BY, ENTRY_COMMENT)},
                            "satirlar": {"type": "array", "minItems": 2, "maxItems": MAX_LINES_PER_ENTRY,
                                         "items": _ref("Satir")}}}
    period = {"in": "path", "name": "donem", "required": True, "description": "Dönem: YYYY-AA (ör. 2026-11).",
              "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}}
    taxpayer = {"in": "path", "name": "vkn", "required": True,
                "description": "Anahtarın sahibi mükellefin VKN/TCKN'si.",
                "schema": {"type": "string", "pattern": "^[0-9]{10,11}$"}}
    base = "/mukellefler/{vkn}/donemler/{donem}"
    not_open = _problem("Dönem için e-Defter oluşturulmuş: kayıt eklenemez/silinemez.")
    return {
        "openapi": "3.1.0",
        "info": {"title": "e-Belge Portalı e-Defter Web Servisi", "version": "1.0.0",
                 "description": "Muhasebe programlarının yevmiye kayıtlarını gönderdiği, dönem durumunu okuduğu ve "
                                "e-Defter oluşturup imzalattığı servis. Kimlik: portaldaki 'API Anahtarları' "
                                "sayfasında oluşturulan anahtar, `Authorization: Bearer <anahtar>` başlığıyla. Hatalar "
                                "RFC 9457 problem ayrıntısıdır (Türkçe `detail`; satır hatalarında "
                                "`hatalar[].pointer`)."},
        "servers": [{"url": server_url}],
        "security": [{"apiAnahtari": []}],
        "paths": {
            "/mukellefler/{vkn}/donemler": {"parameters": [taxpayer], "get": _operation(
                "Dönemler", "Mükellefin kayıt alınan dönemleri ve durumları.",
                {"200": _json("Dönemler", "DonemListesi")}, "okuma")},
            base: {"parameters": [taxpayer, period], "get": _operation(
                "Dönem durumu", "Dönemin durumu ve madde/satır sayıları (henüz kaydı olmayan dönem 'acik' ve 0).",
                {"200": _json("Dönem", "Donem")}, "okuma")},
            base + "/maddeler": {"parameters": [taxpayer, period], "get": _operation(
                "Maddeleri listele", "Dönemin maddeleri tarih sırasıyla, satırlarıyla; sayfa başına 20.",
                {"200": _json("Maddeler", "MaddeListesi")}, "okuma", parameters=[
                    {"in": "query", "name": "sayfa", "schema": {"type": "integer", "minimum": 1}},
                    {"in": "query", "name": "ara", "description": "Madde no, hesap kodu ya da belge no.",
                     "schema": {"type": "string", "maxLength": 50}}]),
                "post": _operation(
                    "Maddeleri gönder",
                    "Bir gönderim (en fazla {0} madde) ya bütünüyle alınır ya hiç alınmaz. Aynı "
                    "`Idempotency-Key` ile tekrar: ilk gönderimin cevabı döner, ikinci kez "
                    "kaydedilmez.".format(MAX_ENTRIES),
                    {"201": _json("Gönderim alındı", "Gonderim"), "200": _json("Aynı anahtarla tekrar", "Gonderim"),
                     "400": _problem("Gövde JSON değil."), "409": not_open,
                     "413": _problem("Gövde çok büyük."),
                     "422": _problem("Kurala uymayan madde/satırlar (her biri `hatalar` içinde pointer ile).")},
                    "yazma", parameters=[{"in": "header", "name": "Idempotency-Key", "required": False,
                                          "schema": {"type": "string", "minLength": 1, "maxLength": 200}}],
                    requestBody={"required": True,
                                 "content": {"application/json": {"schema": _ref("GonderimIstegi")}}}),
                "delete": _operation(
                    "Maddeleri sil", "Dönemin (henüz e-Defter oluşturulmamış) bütün maddelerini siler.",
                    {"200": _json("Silindi", "Silme"), "409": not_open}, "yazma")},
            base + "/maddeler/{madde_id}": {"parameters": [taxpayer, period, {
                "in": "path", "name": "madde_id", "required": True, "schema": {"type": "integer", "minimum": 1}}],
                "get": _operation("Madde", "Bir madde ve satırları.", {"200": _json("Madde", "Madde")}, "okuma")},
            base + "/olustur": {"parameters": [taxpayer, period], "post": _operation(
                "e-Defter oluştur", "Dönemin yevmiye ve kebir defterlerini bir arka plan işiyle oluşturur.",
                {"202": {"description": "İş başlatıldı (is_id, durum); bitince dönemin durumu 'olusturuldu' olur."},
                 "409": _problem("Oluşturma koşulları sağlanmıyor (sıra, ayarlar, GİB, saat, durum).")}, "defter")},
            base + "/imzala": {"parameters": [taxpayer, period], "post": _operation(
                "İmzala", "Oluşturulan defterleri mali mühür/e-imza kartıyla imzalar. Yalnızca TLS üzerinden ya da "
                "aynı makineden (loopback) kabul edilir; PIN saklanmaz, kaydedilmez, kuyruğa konmaz.",
                {"200": _json("İmzalandı: dönemin yeni durumu", "Donem"),
                 "400": _problem("Gövde JSON değil."), "403": _problem("TLS ya da loopback değil."),
                 "409": _problem("Defterler henüz oluşturulmadı ya da dönem imzalanamaz."),
                 "422": _problem("Kart/PIN eksik, kart bulunamadı ya da PIN yanlış.")}, "defter",
                requestBody={"required": True, "content": {"application/json": {"schema": _ref("ImzaIstegi")}}})},
            base + "/gonder": {"parameters": [taxpayer, period], "post": _operation(
                "GİB'e gönder", "İmzalanmış dönemin yevmiye ve kebir beratlarını ve defter raporunu bir arka plan "
                "işiyle GİB'e gönderir; GİB'in onayladığı (mühürlediği) beratlar doğrulanıp saklanır ve pakete "
                "eklenir. Tekrar çağrı yalnızca hata almış ya da bekleyen dosyaları gönderir; aynı Idempotency-Key "
                "ile tekrar yeni bir gönderim başlatmaz. Dönemin durumu ve dosyaların GİB cevapları "
                "`GET .../donemler/{donem}` içinde `gonderimler` alanındadır.",
                {"202": _json("Gönderim işi başlatıldı", "GibGonderimi"),
                 "404": _problem("Dönem yok."),
                 "409": _problem("Dönem imzalanmadı ya da GİB onaylı (yeniden gönderilemez).")}, "defter",
                parameters=[{"in": "header", "name": "Idempotency-Key", "required": False,
                             "schema": {"type": "string", "minLength": 1, "maxLength": 200}}])},
            base + "/paket": {"parameters": [taxpayer, period], "get": _operation(
                "Paketi indir", "Dönemin e-Defter paketi (zip).",
                {"200": {"description": "Zip", "content": {"application/zip": {}}},
                 "409": _problem("İmzalı defter yok: paket henüz hazır değil.")}, "defter")},
        },
        "components": {
            "securitySchemes": {"apiAnahtari": {"type": "http", "scheme": "bearer",
                                                "description": "API Anahtarları sayfasında oluşturulan anahtar."}},
            "schemas": {
                "Satir": line,
                "MaddeGirdisi": entry,
                "GonderimIstegi": {"type": "object", "additionalProperties": False, "required": ["maddeler"],
                                   "properties": {"maddeler": {"type": "array", "minItems": 1, "maxItems": MAX_ENTRIES,
                                                               "items": _ref("MaddeGirdisi")}}},
                "Gonderim": {"type": "object", "properties": {
                    "gonderim_id": {"type": "integer"}, "donem": {"type": "string"},
                    "madde_sayisi": {"type": "integer"}, "satir_sayisi": {"type": "integer"},
                    "alindi": {"type": "string", "format": "date-time"}, "tekrar": {"type": "boolean"}}},
                "Donem": {"type": "object", "properties": {
                    "donem": {"type": "string"},
                    "durum": {"type": "string", "enum": [state.value for state in JournalPeriodState]},
                    "durum_adi": {"type": "string"}, "madde_sayisi": {"type": "integer"},
                    "satir_sayisi": {"type": "integer"},
                    "gonderimler": {"type": "array", "items": _ref("DosyaGonderimi")}}},
                "DosyaGonderimi": {"type": "object", "properties": {
                    "dosya": {"type": "string"}, "tur": {"type": "string", "enum": ["YB", "KB", "DR"]},
                    "durum": {"type": "string", "enum": [state.value for state in SubmissionState]},
                    "durum_adi": {"type": "string"}, "deneme": {"type": "integer"},
                    "sonraki_deneme": {"type": ["string", "null"]}, "gib_kodu": {"type": ["string", "null"]},
                    "gib_mesaji": {"type": ["string", "null"]}, "onay_no": {"type": ["string", "null"]},
                    "onay_zamani": {"type": ["string", "null"]}, "onayli_berat": {"type": ["string", "null"]},
                    "onayli_berat_sha256": {"type": ["string", "null"]}}},
                "GibGonderimi": {"type": "object", "properties": {
                    "is_id": {"type": "integer"}, "durum": {"type": "string"}, "durum_adi": {"type": "string"},
                    "donem": _ref("Donem"), "donem_adresi": {"type": "string"}}},
                "DonemListesi": {"type": "object", "properties": {"donemler": {"type": "array",
                                                                                "items": _ref("Donem")}}},
                "Madde": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "madde_no": {"type": "string"}, "tarih": {"type": "string"},
                    "giren": {"type": "string"}, "aciklama": {"type": "string"}, "gonderim_id": {"type": "integer"},
                    "satirlar": {"type": "array", "items": {"type": "object"}}}},
                "MaddeListesi": {"type": "object", "properties": {
                    "maddeler": {"type": "array", "items": _ref("Madde")}, "sayfa": {"type": "integer"},
                    "sayfa_sayisi": {"type": "integer"}, "toplam": {"type": "integer"}}},
                "Silme": {"type": "object", "properties": {"silinen_madde": {"type": "integer"},
                                                           "silinen_satir": {"type": "integer"}}},
                "ImzaIstegi": {"type": "object", "required": ["kart", "pin"], "properties": {
                    "kart": {"type": "string", "description": "Kartın etiketi (ör. MM-4821307561)."},
                    "surucu": {"type": "string", "description": "Kart sürücüsü (varsayılan SoftHSM)."},
                    "pin": {"type": "string", "description": "Kart PIN'i; saklanmaz, kaydedilmez."}}},
                "Problem": {"type": "object", "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "hatalar": {"type": "array", "items": {"type": "object", "properties": {
                        "detail": {"type": "string"}, "pointer": {"type": "string"}, "yer": {"type": "string"}}}}}},
            },
        },
    }
