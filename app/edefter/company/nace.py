"""İşletme Faaliyet Konusu as a NACE Rev.2 code (decision 0060).

Accepted: a class ``dd.dd`` (e.g. 62.01) or Türkiye's six-digit activity code ``dd.dd.dd`` (e.g.
47.11.01, the NACE class plus two national digits, as GİB's tax offices list them). The division
(first two digits) must be one NACE Rev.2 has; it also names the section (A–U) shown beside the code.
"""

from __future__ import annotations

import re

NACE_PATTERN = re.compile(r"^(\d{2})\.\d{2}(?:\.\d{2})?$")
_UNDOTTED = re.compile(r"^\d{4}(\d{2})?$")

# Section letter → (first division, last division, Turkish title). Divisions in no section do not exist.
SECTIONS: tuple[tuple[str, int, int, str], ...] = (
    ("A", 1, 3, "Tarım, ormancılık ve balıkçılık"),
    ("B", 5, 9, "Madencilik ve taş ocakçılığı"),
    ("C", 10, 33, "İmalat"),
    ("D", 35, 35, "Elektrik, gaz, buhar ve iklimlendirme üretimi ve dağıtımı"),
    ("E", 36, 39, "Su temini; kanalizasyon, atık yönetimi ve iyileştirme faaliyetleri"),
    ("F", 41, 43, "İnşaat"),
    ("G", 45, 47, "Toptan ve perakende ticaret; motorlu kara taşıtlarının ve motosikletlerin onarımı"),
    ("H", 49, 53, "Ulaştırma ve depolama"),
    ("I", 55, 56, "Konaklama ve yiyecek hizmeti faaliyetleri"),
    ("J", 58, 63, "Bilgi ve iletişim"),
    ("K", 64, 66, "Finans ve sigorta faaliyetleri"),
    ("L", 68, 68, "Gayrimenkul faaliyetleri"),
    ("M", 69, 75, "Mesleki, bilimsel ve teknik faaliyetler"),
    ("N", 77, 82, "İdari ve destek hizmet faaliyetleri"),
    ("O", 84, 84, "Kamu yönetimi ve savunma; zorunlu sosyal güvenlik"),
    ("P", 85, 85, "Eğitim"),
    ("Q", 86, 88, "İnsan sağlığı ve sosyal hizmet faaliyetleri"),
    ("R", 90, 93, "Kültür, sanat, eğlence, dinlence ve spor"),
    ("S", 94, 96, "Diğer hizmet faaliyetleri"),
    ("T", 97, 98, "Hanehalklarının işveren olarak faaliyetleri"),
    ("U", 99, 99, "Ülke dışı örgüt ve temsilciliklerin faaliyetleri"),
)

FORMAT_HINT = "NACE Rev.2 kodu: 62.01 ya da 47.11.01 biçiminde"


class NaceCodeError(ValueError):
    """Not a NACE Rev.2 code; ``str(exc)`` is the Turkish message."""


def section_of(code: str) -> tuple[str, str] | None:
    """(letter, title) of the section a code's division belongs to, None for a division NACE lacks."""
    division = int(code[:2])
    for letter, first, last, title in SECTIONS:
        if first <= division <= last:
            return letter, title
    return None


def normalise_nace(text: str) -> str:
    """Return the code in dotted form; raise NaceCodeError with the reason."""
    code = "".join((text or "").split())
    if not code:
        raise NaceCodeError("İşletme faaliyet konusu (NACE kodu) boş olamaz.")
    if _UNDOTTED.match(code):  # 620100 → 62.01.00, as some lists print it
        code = ".".join(code[i : i + 2] for i in range(0, len(code), 2))
    match = NACE_PATTERN.match(code)
    if match is None:
        raise NaceCodeError(f"'{text.strip()[:20]}' geçerli bir NACE kodu değil; {FORMAT_HINT} yazınız.")
    if section_of(code) is None:
        raise NaceCodeError(f"NACE Rev.2'de {match.group(1)} numaralı bir bölüm (division) yok.")
    return code
