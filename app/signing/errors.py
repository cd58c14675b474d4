"""Signing errors with a short code (for logs, audit rows, tests) and a Turkish message for a person in an office."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app.refusals import Refused

_ISTANBUL = ZoneInfo("Europe/Istanbul")


def format_local_time(moment: datetime) -> str:
    """A moment as the portals show it: 29-01-2020 14:02:48, Istanbul time."""
    return moment.astimezone(_ISTANBUL).strftime("%d-%m-%Y %H:%M:%S")


class SigningError(Refused):
    """Base class: everything app/signing raises on purpose."""

    code = "signing_error"
    default_message = "İmza işlemi tamamlanamadı."


class DriverNotConfiguredError(SigningError):
    code = "driver_unknown"
    default_message = "Seçilen kart sürücüsü tanımlı değil. Lütfen listeden kartınızın işlemcisini seçiniz."


class DriverMissingError(SigningError):
    code = "driver_missing"
    default_message = (
        "Kart sürücüsü (PKCS#11 kütüphanesi) bu bilgisayarda bulunamadı. "
        "Kart sürücüsünün kurulu olduğunu ve doğru sürücüyü seçtiğinizi kontrol ediniz."
    )


class TokenNotFoundError(SigningError):
    code = "token_not_found"
    default_message = (
        "Akıllı kart bulunamadı. Kartın okuyucuya takılı olduğunu ve doğru kart sürücüsünü seçtiğinizi kontrol ediniz."
    )


class TokenRemovedError(SigningError):
    code = "token_removed"
    default_message = "İşlem sırasında akıllı kart okuyucudan çıkarıldı. Kartı takıp işlemi yeniden başlatınız."


class WrongPinError(SigningError):
    code = "wrong_pin"
    default_message = "Girdiğiniz şifre (PIN) hatalı."

    def __init__(self, message: str | None = None, *, final_try: bool = False, count_low: bool = False) -> None:
        self.final_try = final_try
        self.count_low = count_low
        if message is None:
            message = self.default_message
            if final_try:
                message += " Son deneme hakkınız kaldı: bir kez daha hatalı girerseniz kartınız bloke olur."
            elif count_low:
                message += " Kalan deneme hakkınız azaldı; kart birkaç hatalı denemeden sonra bloke olur."
            message += " Şifre otomatik olarak yeniden denenmez."
        super().__init__(message)


class PinLockedError(SigningError):
    code = "pin_locked"
    default_message = (
        "Kartınızın şifresi (PIN) çok sayıda hatalı giriş nedeniyle bloke olmuştur. "
        "Blokeyi kaldırmak için sertifika hizmet sağlayıcınıza (Kamu SM) başvurunuz."
    )


class CertificateExpiredError(SigningError):
    code = "certificate_expired"

    def __init__(self, not_after: datetime) -> None:
        self.not_after = not_after
        super().__init__(
            f"Sertifikanızın geçerlilik süresi {format_local_time(not_after)} tarihinde dolmuştur. "
            "Yeni sertifika için sertifika hizmet sağlayıcınıza başvurunuz."
        )


class CertificateNotYetValidError(SigningError):
    code = "certificate_not_yet_valid"

    def __init__(self, not_before: datetime) -> None:
        self.not_before = not_before
        super().__init__(
            f"Sertifikanız henüz geçerli değil: geçerlilik {format_local_time(not_before)} tarihinde başlıyor. "
            "Bilgisayarın saatini de kontrol ediniz."
        )


class CertificateOwnerMismatchError(SigningError):
    code = "certificate_owner_mismatch"

    def __init__(self, owner_id: str, expected_owner_id: str) -> None:
        self.owner_id = owner_id
        self.expected_owner_id = expected_owner_id
        super().__init__(
            f"Karttaki sertifika {owner_id or 'bilinmeyen'} vergi / TC kimlik numaralı mükellefe aittir; "
            f"bu işlem {expected_owner_id} numaralı mükellef adına yapılıyor. Doğru kartı takınız."
        )


class UntrustedCertificateError(SigningError):
    code = "certificate_untrusted"
    default_message = "Sertifika güvenilen bir sertifika hizmet sağlayıcısı tarafından verilmemiş."


class NoSigningKeyError(SigningError):
    code = "no_signing_key"
    default_message = "Kartta imzalamaya uygun bir sertifika ve anahtar bulunamadı."


class UnsupportedKeyError(SigningError):
    code = "key_unsupported"
    default_message = "Karttaki anahtarın türü bu sürümde imza için desteklenmiyor."


class TokenError(SigningError):
    """Any other failure reported by the card or its driver."""

    code = "token_error"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"Akıllı kart ile işlem yapılamadı ({detail}). Kartı çıkarıp takarak yeniden deneyiniz.")


class ActClosedError(SigningError):
    code = "act_closed"
    default_message = "İmza oturumu kapandı. İmzalamak için şifrenizi (PIN) yeniden giriniz."


class CardBusyError(SigningError):
    """Another request (maybe in another worker process) kept the card longer than the configured wait."""

    code = "card_busy"
    default_message = (
        "Akıllı kart şu anda başka bir işlemde kullanılıyor (kart meşgul). "
        "Lütfen birkaç saniye sonra tekrar deneyiniz; kartı çıkarmayınız."
    )
