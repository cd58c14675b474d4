"""GİB's code lists and patterns for the invoice fields we read and write.

Source: e-FaturaPaketi schematron (UBL-TR_Codelist.xml, UBL-TR_Common_Schematron.xml), 2026-03 release.
"""

from __future__ import annotations

import re
from typing import Final

# ProfileIDTypeGoruntuleme: the e-Fatura profiles plus EARSIVFATURA.
PROFILE_IDS: Final = frozenset(
    {
        "TICARIFATURA", "TEMELFATURA", "YOLCUBERABERFATURA", "IHRACAT", "EARSIVFATURA", "OZELFATURA",
        "KAMU", "HKS", "ENERJI", "ILAC_TIBBICIHAZ", "YATIRIMTESVIK", "IDIS",
    }
)  # fmt: skip
INVOICE_TYPE_CODES: Final = frozenset(
    {
        "SATIS", "IADE", "TEVKIFAT", "TEVKIFATIADE", "ISTISNA", "OZELMATRAH", "IHRACKAYITLI", "SGK",
        "KOMISYONCU", "HKSSATIS", "HKSKOMISYONCU", "KONAKLAMAVERGISI", "SARJ", "SARJANLIK",
        "TEKNOLOJIDESTEK", "YTBSATIS", "YTBIADE", "YTBISTISNA", "YTBTEVKIFAT", "YTBTEVKIFATIADE",
    }
)  # fmt: skip

# InvoiceIDCheck: 3 letters/digits, the year (20xx), a 9-digit sequence.
INVOICE_NUMBER: Final = re.compile(r"[A-Z0-9]{3}20[0-9]{2}[0-9]{9}")
# UUIDCheck.
ETTN: Final = re.compile(r"[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}")
# decimalCheck as XML Schema's decimal allows it: at most 15 digits before the point, 2 after.
AMOUNT: Final = re.compile(r"[0-9]{1,15}(\.[0-9]{1,2})?")
CURRENCY: Final = re.compile(r"[A-Z]{3}")
# Identifier lengths by schemeID (PartyIdentificationTCKNVKNCheck); check digits are not GİB's XML rule.
IDENTIFIER_LENGTHS: Final[dict[str, int]] = {"VKN": 10, "TCKN": 11}
EARLIEST_ISSUE_YEAR: Final = 2005
