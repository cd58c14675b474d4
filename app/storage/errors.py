"""What the file store raises on purpose: a short code for logs and tests, a Turkish ``.message`` for people."""

from __future__ import annotations

import errno

_OS_REASONS = {
    errno.ENOSPC: "diskte yer kalmadı",
    errno.EDQUOT: "disk kotası doldu",
    errno.EACCES: "depo klasörüne erişim izni yok",
    errno.EPERM: "depo klasörüne erişim izni yok",
    errno.EROFS: "depo salt okunur bağlanmış",
    errno.EIO: "disk okuma/yazma hatası",
    errno.EFBIG: "dosya, sistemin izin verdiği boyutu aştı",
    errno.ECONNRESET: "bağlantı koptu",
    errno.ETIMEDOUT: "bağlantı zaman aşımına uğradı",
}


def describe_os_error(exc: OSError) -> str:
    """The reason of an operating-system error in Turkish where it is a common one."""
    return _OS_REASONS.get(exc.errno or 0, f"sistem hatası: {exc.strerror or exc}")


def describe_size(size: int) -> str:
    """A byte count as the portal writes it: ``200 MB`` when whole, else ``1.048.577 bayt``."""
    mib = 1024 * 1024
    if size >= mib and size % mib == 0:
        return f"{size // mib:,} MB".replace(",", ".")
    return f"{size:,} bayt".replace(",", ".")


class StorageError(Exception):
    """Base class of the file store's refusals and failures."""

    code = "storage_error"
    default_message = "Dosya deposunda beklenmeyen bir hata oluştu."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class InvalidFileKey(StorageError):
    """The text given as a file's key is not a lowercase hexadecimal SHA-256 digest."""

    code = "invalid_key"

    def __init__(self, key: object) -> None:
        shown = repr(key) if len(repr(key)) <= 80 else repr(key)[:77] + "..."
        super().__init__(f"{shown} geçerli bir dosya özeti (64 küçük harfli onaltılık SHA-256) değil.")


class StoredFileMissing(StorageError):
    """No file with this digest is in the store."""

    code = "missing"

    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256
        super().__init__(
            f"Dosya deposunda {sha256} özetli dosya bulunamadı. Dosya silinmiş ya da depo yolu "
            "(PORTAL_STORAGE_PATH) yanlış ayarlanmış olabilir."
        )


class StoredFileCorrupted(StorageError):
    """The bytes on disk no longer hash to the file's name."""

    code = "corrupted"

    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256
        super().__init__(
            f"Dosya deposundaki {sha256} dosyası bozulmuş: içeriği kayıt edildiği hâliyle aynı değil."
        )


class FileTooLarge(StorageError):
    """A put stopped at its byte limit; nothing was stored."""

    code = "too_large"

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        super().__init__(
            f"Dosya izin verilen {describe_size(max_bytes)} sınırından büyük olduğu için kaydedilmedi."
        )


class StorageWriteError(StorageError):
    """The store could not write (disk full, no permission, I/O error); nothing was stored."""

    code = "write_failed"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"Dosya depoya yazılamadı ({reason}). Dosya kaydedilmedi; lütfen sistem yöneticinize bildiriniz."
        )


class StorageReadError(StorageError):
    """The store could not read a file it has (I/O error, no permission)."""

    code = "read_failed"

    def __init__(self, sha256: str, reason: str) -> None:
        self.sha256 = sha256
        super().__init__(f"Dosya deposundaki {sha256} dosyası okunamadı ({reason}).")
