"""What can go wrong when the portal talks to GİB, each with the Turkish sentence a page shows as is."""

from __future__ import annotations

from app.refusals import Refused


class GibError(Refused):
    """Base of every GİB call failure; `message` (also `str(exc)`) is for the user."""


class GibUnavailable(GibError):
    """No connection could be made (service down, wrong address, firewall)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(
            f"GİB servisine ulaşılamıyor ({base_url}). İnternet bağlantısını ve güvenlik duvarı izinlerini "
            "kontrol edip biraz sonra tekrar deneyiniz."
        )
        self.base_url = base_url


class GibServiceUnavailable(GibUnavailable):
    """One of GİB's services (e.g. e-Defter) could not be reached; the message names it and its address (D9)."""

    def __init__(self, base_url: str, service: str) -> None:
        super().__init__(base_url)
        self.message = (
            f"{service} ulaşılamadı ({_host_port(base_url)}). İnternet bağlantısını ve güvenlik duvarında bu adrese "
            "izin verildiğini kontrol ediniz; gönderim daha sonra otomatik olarak tekrar denenecektir."
        )
        self.args = (self.message,)
        self.service = service


def _host_port(base_url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


class GibTimeout(GibError):
    """GİB accepted the connection but did not answer in time."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"GİB servisi {seconds:g} saniye içinde yanıt vermedi. Lütfen biraz sonra tekrar deneyiniz; "
            "aynı işlem tekrar gönderildiğinde GİB'de iki kez uygulanmaz."
        )
        self.seconds = seconds


class GibRejected(GibError):
    """GİB answered with a refusal: its error code and text."""

    def __init__(self, code: str, text: str, http_status: int) -> None:
        super().__init__(f"GİB isteği reddetti (hata kodu {code}): {text}")
        self.code = code
        self.text = text
        self.http_status = http_status


class GibBadResponse(GibError):
    """GİB answered with something the portal cannot read (not the agreed format)."""

    def __init__(self, http_status: int, detail: str) -> None:
        super().__init__(
            f"GİB'den anlaşılamayan bir yanıt geldi (HTTP {http_status}). Lütfen biraz sonra tekrar deneyiniz; "
            "sorun sürerse sistem yöneticinize bildiriniz."
        )
        self.http_status = http_status
        self.detail = detail  # for the log, not for the page
