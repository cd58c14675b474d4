"""Why an uploaded yevmiye file was refused: a code for programs, a Turkish message for people."""

from __future__ import annotations

from enum import StrEnum

from app.formats.safe_xml import XmlInputError


class YevmiyeErrorCode(StrEnum):
    NOT_XML = "not_xml"
    BROKEN_XML = "broken_xml"
    HOSTILE_XML = "hostile_xml"
    NOT_EDEFTER = "not_edefter"
    KEBIR = "kebir"
    BERAT = "berat"
    MISSING_FIELD = "missing_field"
    COUNTER_GAP = "counter_gap"
    # GİB's yevmiye rules (schematron edefter_yevmiye.xsl), app/formats/xbrl/journal_rules.py
    UNBALANCED = "unbalanced"  # a madde's debit and credit (totals or lines) differ
    UNIQUE_ID = "unique_id"  # gl-cor:uniqueID is not YEV + the period + 6 digits
    DATE_ORDER = "date_order"  # a madde dated before the one above it
    OUT_OF_PERIOD = "out_of_period"  # a madde dated outside periodCoveredStart..End
    GIB_RULE = "gib_rule"  # another rule of GİB's schematron
    BAD_ZIP = "bad_zip"
    ZIP_WITHOUT_XML = "zip_without_xml"
    ZIP_WITH_MANY_XML = "zip_with_many_xml"
    TOO_BIG = "too_big"
    OTHER_OWNER = "other_owner"
    OTHER_BRANCH = "other_branch"


class YevmiyeReadError(XmlInputError):
    """The file cannot serve as the previous integrator's yevmiye; ``message`` tells the user why."""

    def __init__(self, code: YevmiyeErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
