"""GİB's yevmiye rules, checked on the elements the streaming reader hands over (decision note 0031).

The rules are those of GİB's schematron ``edefter_yevmiye.xsl`` (GIB-FORMATS §4.1) that need no more
than the element at hand and a few running values: document info, company info, each madde (balance,
numbering, dates inside the period and in order, at least two lines) and each line (numbering, the
madde's counter and date, account codes, amounts, debit/credit, document fields). Each refusal names
the rule in GİB's own Turkish words and where the file breaks it.

Not checked here (they need the whole document or a code list): the ISO 4217 currency code list of
``xbrli:unit`` and the ``decimals`` attribute of facts the reader never looks at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from lxml import etree

from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.errors import YevmiyeErrorCode as Code
from app.formats.xbrl.errors import YevmiyeReadError

RULE_PREFIX: Final = "Yevmiye dosyası GİB'in e-Defter kurallarına uymuyor"

_AMOUNT: Final = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
_UNIQUE_ID: Final = re.compile(r"YEV([0-9]{6})[0-9]{6}")
_BRANCH_CODE: Final = re.compile(r"[0-9]{4}")
_DEBIT: Final = frozenset({"D", "debit"})
_CREDIT: Final = frozenset({"C", "credit"})
# gl-gen:documentTypeItemType (XBRL GL 2006-10-25), the values GİB's XSD accepts.
DOCUMENT_TYPES: Final = frozenset({
    "check", "debit-memo", "credit-memo", "finance-charge", "invoice", "order-customer", "order-vendor",
    "payment-other", "reminder", "tegata", "voucher", "shipment", "receipt", "manual-adjustment", "other",
})
_NEEDS_NUMBER_AND_DATE: Final = {"invoice": "'invoice' (fatura)", "check": "'check' (çek)", "other": "'other'"}

_ENTRY_DETAIL = ns.cor("entryDetail")
_ENTERED_BY = ns.cor("enteredBy")
_ENTERED_DATE = ns.cor("enteredDate")
_ENTRY_NUMBER = ns.cor("entryNumber")
_COUNTER = ns.cor("entryNumberCounter")
_TOTAL_DEBIT = ns.bus("totalDebit")
_TOTAL_CREDIT = ns.bus("totalCredit")
_LINE_NUMBER = ns.cor("lineNumber")
_LINE_COUNTER = ns.cor("lineNumberCounter")
_ACCOUNT = ns.cor("account")
_MAIN_ID = ns.cor("accountMainID")
_MAIN_DESCRIPTION = ns.cor("accountMainDescription")
_SUB = ns.cor("accountSub")
_SUB_ID = ns.cor("accountSubID")
_SUB_DESCRIPTION = ns.cor("accountSubDescription")
_AMOUNT_TAG = ns.cor("amount")
_DEBIT_CREDIT = ns.cor("debitCreditCode")
_POSTING_DATE = ns.cor("postingDate")
_DOCUMENT_TYPE = ns.cor("documentType")
_DOCUMENT_TYPE_DESCRIPTION = ns.cor("documentTypeDescription")
_DOCUMENT_NUMBER = ns.cor("documentNumber")
_DOCUMENT_DATE = ns.cor("documentDate")
_DOCUMENT_REFERENCE = ns.cor("documentReference")
_PAYMENT_METHOD = ns.bus("paymentMethod")
_MEASURABLE = ns.bus("measurable")
_AMOUNT_CURRENCY = ns.muc("amountCurrency")
_ORIGINAL_AMOUNT = ns.muc("amountOriginalAmount")
_ORIGINAL_RATE_DATE = ns.muc("amountOriginalExchangeRateDate")
_ORIGINAL_CURRENCY = ns.muc("amountOriginalCurrency")
_ORIGINAL_RATE = ns.muc("amountOriginalExchangeRate")
_RARE = frozenset({_MEASURABLE, _AMOUNT_CURRENCY, _ORIGINAL_AMOUNT, _ORIGINAL_CURRENCY})


def _text(element: etree._Element | None) -> str | None:
    """The element's text, stripped; None when the element is absent."""
    if element is None:
        return None
    return (element.text or "").strip()


def _filled(value: str | None, at_least: int = 1) -> bool:
    """normalize-space(value) has ``at_least`` characters (for 1 and 2, the stripped length says the same)."""
    return value is not None and len(value.strip()) >= at_least


class _Rule(Exception):
    """A broken rule found inside a line's checks; the line's caller adds where it is (built only then)."""

    def __init__(self, rule: str, found: str | None = None, code: Code = Code.GIB_RULE) -> None:
        super().__init__(rule)
        self.rule, self.found, self.code = rule, found, code

    def at(self, where: str) -> YevmiyeReadError:
        return broken(self.rule, where=where, found=self.found, code=self.code)


def broken(rule: str, *, where: str | None = None, found: str | None = None, code: Code = Code.GIB_RULE) -> YevmiyeReadError:
    """A refusal naming GİB's rule (its schematron text), where it is broken and what the file has."""
    message = f"{RULE_PREFIX}" + (f" — {where}" if where else "") + f": {rule}"
    if found:
        message += f" Dosyada: {found}."
    return YevmiyeReadError(code, message)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


# --- document info and company info (once per file) ----------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    unique_id: str
    creation: date
    default_currency: bool  # gl-muc:defaultCurrency is given (needed by lines that name a currency)


def check_document_info(fields: dict[str, str | None]) -> Period:
    """gl-cor:documentInfo of a yevmiye (entriesType already checked): uniqueID, period, dates, source."""
    def required(tag: str, name: str) -> str:
        value = fields.get(tag)
        if value is None or not value.strip():
            raise broken(f"{name} zorunlu bir elemandır.", code=Code.MISSING_FIELD)
        return value.strip()

    unique_id = required(ns.cor("uniqueID"), "gl-cor:uniqueID")
    creation_text = required(ns.cor("creationDate"), "gl-cor:creationDate")
    start_text = required(ns.cor("periodCoveredStart"), "gl-cor:periodCoveredStart")
    end_text = required(ns.cor("periodCoveredEnd"), "gl-cor:periodCoveredEnd")
    start, end, creation = _date(start_text), _date(end_text), _date(creation_text)
    for value, name, text in ((start, "periodCoveredStart", start_text), (end, "periodCoveredEnd", end_text),
                              (creation, "creationDate", creation_text)):
        if value is None:
            raise broken(f"gl-cor:{name} geçerli bir tarih (YYYY-AA-GG) olmalıdır.", found=text[:40])
    assert start is not None and end is not None and creation is not None
    if end < start:
        raise broken("gl-cor:periodCoveredEnd elemanı gl-cor:periodCoveredStart elemanından büyük ve ya eşit olmalıdır.",
                     found=f"{start_text} – {end_text}")
    if start.year != end.year:
        raise broken("gl-cor:periodCoveredStart elemanındaki yıl bilgisi ile periodCoveredEnd elemanındaki yıl bilgisi "
                     "aynı olmalıdır.", found=f"{start_text} – {end_text}")
    if start.month != end.month:
        raise broken("gl-cor:periodCoveredStart elemanındaki ay bilgisi ile periodCoveredEnd elemanındaki ay bilgisi "
                     "aynı olmalıdır.", found=f"{start_text} – {end_text}")
    if creation < end:
        raise broken("gl-cor:creationDate elemanı gl-cor:periodCoveredEnd elemanından büyük veya eşit olmalıdır.",
                     found=f"creationDate {creation_text}, periodCoveredEnd {end_text}")
    if not unique_id.startswith("YEV"):
        raise broken("gl-cor:uniqueID elemanı yevmiye defteri için 'YEV' değeri ile başlamalıdır.",
                     found=unique_id[:40], code=Code.UNIQUE_ID)
    match = _UNIQUE_ID.fullmatch(unique_id)
    if match is None:
        raise broken("gl-cor:uniqueID elemanı 15 karakterden oluşmalıdır: 'YEV', dönemin yılı ve ayı (YYYYAA) ve 6 "
                     "haneli parça numarası.", found=unique_id[:40], code=Code.UNIQUE_ID)
    if match.group(1) != f"{start:%Y%m}":
        raise broken("gl-cor:uniqueID elemanındaki dönem bilgisi ile gl-cor:periodCoveredStart elemanındaki dönem "
                     "bilgisi aynı olmalıdır.", found=f"uniqueID {unique_id}, periodCoveredStart {start_text}",
                     code=Code.UNIQUE_ID)
    if not _filled(fields.get(ns.bus("sourceApplication"))):
        raise broken("gl-bus:sourceApplication zorunlu bir elemandır ve değeri boşluk olmamalıdır.")
    return Period(start, end, unique_id, creation, fields.get(ns.muc("defaultCurrency")) is not None)


def _identifier_groups(element: etree._Element) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for group in element.iterchildren(ns.bus("organizationIdentifiers")):
        description = (group.findtext(ns.bus("organizationDescription")) or "").strip()
        groups.setdefault(description, []).append((group.findtext(ns.bus("organizationIdentifier")) or "").strip())
    return groups


def check_entity_information(element: etree._Element, owner_id: str | None) -> None:
    """gl-cor:entityInformation: contact, name, branch pair, address, web site, NACE, fiscal year, accountants."""
    def child(tag: str) -> etree._Element | None:
        return element.find(tag)

    def require(condition: bool, rule: str) -> None:
        if not condition:
            raise broken(rule)

    phone = child(ns.bus("entityPhoneNumber"))
    require(phone is not None, "gl-bus:entityPhoneNumber zorunlu bir elemandır.")
    require(_filled(phone.findtext(ns.bus("phoneNumber"))),  # type: ignore[union-attr]
            "gl-bus:phoneNumber zorunlu bir elemandır ve değeri boşluk olmamalıdır.")
    email = child(ns.bus("entityEmailAddressStructure"))
    require(email is not None, "gl-bus:entityEmailAddressStructure zorunlu bir elemandır.")
    require(_filled(email.findtext(ns.bus("entityEmailAddress"))),  # type: ignore[union-attr]
            "gl-bus:entityEmailAddressStructure elemanı içerisinde gl-bus:entityEmailAddress zorunlu bir elemandır ve "
            "değeri boşluk olmamalıdır.")
    groups = _identifier_groups(element)
    require(bool(groups), "gl-bus:organizationIdentifiers zorunlu bir elemandır.")
    company, person = groups.get("Kurum Unvanı", []), groups.get("Adı Soyadı", [])
    if owner_id is not None and len(owner_id) == 10:
        require(len(company) == 1, "gl-bus:organizationDescription değeri 'Kurum Unvanı' olan bir tane "
                                   "gl-bus:organizationIdentifiers elemanı bulunmalıdır.")
    if owner_id is not None and len(owner_id) == 11:
        require(len(person) == 1, "gl-bus:organizationDescription değeri 'Adı Soyadı' olan bir tane "
                                  "gl-bus:organizationIdentifiers elemanı bulunmalıdır.")
    require((len(company) == 1) != (len(person) == 1),
            "gl-bus:organizationDescription değeri 'Kurum Unvanı' veya 'Adı Soyadı' olan yalnızca bir tane "
            "gl-bus:organizationIdentifiers elemanı bulunmalıdır.")
    for name, values in (("Kurum Unvanı", company), ("Adı Soyadı", person)):
        if len(values) == 1:
            require(_filled(values[0], 2), f"gl-bus:organizationDescription değeri '{name}' olan "
                                           "gl-bus:organizationIdentifiers elemanının gl-bus:organizationIdentifier "
                                           "eleman değeri en az iki karakter olmalıdır.")
    branch_codes, branch_names = groups.get("Şube No", []), groups.get("Şube Adı", [])
    require(len(branch_codes) < 2 and len(branch_names) < 2, "Şube no veya şube adı birden fazla olamaz.")
    require(len(branch_codes) == len(branch_names), "Şube no ve şube adı birlikte bulunmalıdır.")
    if branch_codes:
        require(_BRANCH_CODE.fullmatch(branch_codes[0]) is not None, "Şube no 4 haneli sayısal bir değer olmalıdır.")
        require(_filled(branch_names[0], 2), "Şube adı değeri en az iki karakter olmalıdır.")
    address = child(ns.bus("organizationAddress"))
    require(address is not None, "gl-bus:organizationAddress zorunlu bir elemandır.")
    for part in ("organizationBuildingNumber", "organizationAddressStreet", "organizationAddressCity",
                 "organizationAddressZipOrPostalCode", "organizationAddressCountry"):
        require(address.find(ns.bus(part)) is not None,  # type: ignore[union-attr]
                f"gl-bus:organizationAddress elemanı içerisindeki gl-bus:{part} zorunlu bir elemandır.")
    website = child(ns.bus("entityWebSite"))
    require(website is not None, "gl-bus:entityWebSite zorunlu bir elemandır.")
    require(website.find(ns.bus("webSiteURL")) is not None,  # type: ignore[union-attr]
            "gl-bus:entityWebSite elemanı içerisindeki gl-bus:webSiteURL zorunlu bir elemandır.")
    require(_filled(element.findtext(ns.bus("businessDescription"))),
            "gl-bus:businessDescription zorunlu bir elemandır ve değeri boşluk olmamalıdır.")
    year_start_text, year_end_text = element.findtext(ns.bus("fiscalYearStart")), element.findtext(ns.bus("fiscalYearEnd"))
    require(year_start_text is not None, "gl-bus:fiscalYearStart zorunlu bir elemandır.")
    require(year_end_text is not None, "gl-bus:fiscalYearEnd zorunlu bir elemandır.")
    year_start, year_end = _date(year_start_text), _date(year_end_text)
    if year_start is None or year_end is None or year_end <= year_start:
        raise broken("gl-bus:fiscalYearEnd elemanı gl-bus:fiscalYearStart elemanından büyük olmalıdır.",
                     found=f"{(year_start_text or '').strip()[:20]} – {(year_end_text or '').strip()[:20]}")
    accountants = list(element.iterchildren(ns.bus("accountantInformation")))
    require(bool(accountants), "gl-bus:accountantInformation zorunlu bir elemandır.")
    for accountant in accountants:
        require(_filled(accountant.findtext(ns.bus("accountantName"))),
                "gl-bus:accountantInformation elemanı içerisindeki gl-bus:accountantName zorunlu bir elemandır ve "
                "değeri boşluk olmamalıdır.")
        require(_filled(accountant.findtext(ns.bus("accountantEngagementTypeDescription"))),
                "gl-bus:accountantInformation elemanı içerisindeki gl-bus:accountantEngagementTypeDescription zorunlu "
                "bir elemandır ve değeri boşluk olmamalıdır.")


# --- maddeler and their lines (streamed) ----------------------------------------------------------------


class Madde:
    """The madde (entryHeader) being read: its own facts, read once when its first line ends (XBRL GL puts them
    before the lines), and the running sums of its lines. Nothing per line is kept."""

    __slots__ = ("facts", "counter", "entered_date", "entry_number", "lines", "debit", "credit", "line", "fact_count")

    def __init__(self, header: etree._Element) -> None:
        self.facts: dict[str, etree._Element] = {}
        self.line: int | None = header.sourceline  # for messages
        self.fact_count = 0  # the header's children before its first line
        for child in header:
            tag = child.tag
            if tag == _ENTRY_DETAIL:
                break  # the header's own facts come before its lines (XBRL GL's sequence)
            self.fact_count += 1
            self.facts.setdefault(tag, child)
        self.counter = _text(self.facts.get(_COUNTER))
        self.entered_date = _text(self.facts.get(_ENTERED_DATE))
        self.entry_number = _text(self.facts.get(_ENTRY_NUMBER))
        self.lines = 0
        self.debit = Decimal(0)
        self.credit = Decimal(0)

    def where(self, position: int) -> str:
        name = f"{self.counter} numaralı madde" if self.counter else "madde"
        return f"{name} (dosyadaki {position}. madde, {self.line}. satır)"


class LineChecker:
    """Checks each gl-cor:entryDetail as it ends and adds it to its madde; keeps the file's line numbering."""

    def __init__(self) -> None:
        self.previous_line_number: int | None = None
        self.default_currency = False

    def check(self, element: etree._Element, madde: Madde, position: int) -> str:
        """Check one line; return its gl-cor:lineNumber."""
        try:
            return self._check(element, madde)
        except _Rule as rule:
            raise rule.at(f"{madde.where(position)}, {element.sourceline}. satırdaki kalem") from None

    def _check(self, element: etree._Element, madde: Madde) -> str:
        # One pass over the line's children, in XBRL GL's order; reading each tag once is most of the cost.
        line = counter = account = amount = side = posting = kind = number = reference = payment = None
        description: str | None = None
        has_date = rare = False
        for child in element:
            tag = child.tag
            if tag == _LINE_NUMBER:
                line = child.text or ""
            elif tag == _LINE_COUNTER:
                counter = child
            elif tag == _ACCOUNT:
                if account is None:
                    account = child
            elif tag == _AMOUNT_TAG:
                amount = child
            elif tag == _DEBIT_CREDIT:
                side = child.text or ""
            elif tag == _POSTING_DATE:
                posting = child.text or ""
            elif tag == _DOCUMENT_TYPE:
                kind = child.text or ""
            elif tag == _DOCUMENT_NUMBER:
                number = child.text or ""
            elif tag == _DOCUMENT_REFERENCE:
                reference = child.text or ""
            elif tag == _DOCUMENT_DATE:
                has_date = True
            elif tag == _PAYMENT_METHOD:
                payment = child.text or ""
            elif tag == _DOCUMENT_TYPE_DESCRIPTION:
                description = child.text or ""
            elif tag in _RARE:
                rare = True
        if line is None:
            raise _Rule("gl-cor:lineNumber zorunlu bir elemandır.")
        line = line.strip()
        self._check_line_number(line)
        if counter is None:
            raise _Rule("gl-cor:lineNumberCounter zorunlu bir elemandır.")
        counter_text = (counter.text or "").strip()
        if madde.counter is not None and counter_text != madde.counter:
            raise _Rule("gl-cor:lineNumberCounter elemanının değeri bir üst düzeydeki gl-cor:entryNumberCounter "
                        "elemanının değerine eşit olmalıdır.",
                        f"lineNumberCounter {counter_text[:20]}, entryNumberCounter {madde.counter}")
        if counter.get("decimals", "INF") != "INF":
            raise _decimals_rule(counter)
        _check_account(account)
        value = _check_amount(amount)
        if side is None:
            raise _Rule("gl-cor:debitCreditCode zorunlu bir elemandır.")
        side = side.strip()
        if side in _DEBIT:
            madde.debit += value
        elif side in _CREDIT:
            madde.credit += value
        else:
            raise _Rule("gl-cor:debitCreditCode 'D' (borç) ya da 'C' (alacak) olmalıdır.", side[:20])
        if posting is None:
            raise _Rule("gl-cor:postingDate zorunlu bir elemandır.")
        posting = posting.strip()
        if madde.entered_date is not None and posting != madde.entered_date:
            raise _Rule("gl-cor:postingDate elemanının değeri bir üst düzeydeki gl-cor:enteredDate elemanının değerine "
                        "eşit olmalıdır.", f"postingDate {posting[:20]}, enteredDate {madde.entered_date}")
        if kind is not None or number is not None or has_date or description is not None:
            _check_document(kind, number, has_date, description)
        if reference is not None and madde.entry_number is not None and reference.strip() != madde.entry_number:
            raise _Rule("gl-cor:documentReference elemanının değeri bir üst düzeydeki gl-cor:entryNumber elemanının "
                        "değerine eşit olmalıdır.",
                        f"documentReference {reference.strip()[:30]}, entryNumber {madde.entry_number[:30]}")
        if payment is not None and not payment.strip():
            raise _Rule("gl-bus:paymentMethod elemanı var ise değeri boşluk olmamalıdır.")
        if rare:
            self._check_rare(element, {child.tag: child for child in element}, value)
        madde.lines += 1
        return line

    def _check_line_number(self, text: str) -> None:
        try:
            number = int(text)
        except ValueError:
            raise _Rule("gl-cor:lineNumber müteselsil bir değere sahip olmalıdır.", text[:20] or "boş") from None
        previous = self.previous_line_number
        if previous is not None and number != previous + 1:
            raise _Rule("gl-cor:lineNumber müteselsil bir değere sahip olmalıdır.",
                        f"{previous} numaralı satırdan sonra {number}", Code.COUNTER_GAP)
        self.previous_line_number = number

    def _check_rare(self, element: etree._Element, fields: dict[str, etree._Element], amount: Decimal) -> None:
        """The multi-currency and gl-bus:measurable rules (lines rarely carry these)."""
        if _AMOUNT_CURRENCY in fields and not self.default_currency:
            raise _Rule("gl-muc:amountCurrency olması durumunda gl-muc:defaultCurrency elemanı da bulunmalıdır.")
        if _ORIGINAL_AMOUNT in fields and _ORIGINAL_RATE_DATE not in fields:
            raise _Rule("gl-muc:amountOriginalAmount elemanı olması durumunda gl-muc:amountOriginalExchangeRateDate "
                        "elemanı da bulunmalıdır.")
        if _ORIGINAL_AMOUNT in fields and _ORIGINAL_CURRENCY not in fields:
            raise _Rule("gl-muc:amountOriginalAmount elemanı olması durumunda gl-muc:amountOriginalCurrency elemanı "
                        "da bulunmalıdır.")
        if _ORIGINAL_CURRENCY in fields and _ORIGINAL_RATE not in fields:
            raise _Rule("gl-muc:amountOriginalCurrency elemanı olması durumunda gl-muc:amountOriginalExchangeRate "
                        "elemanı da bulunmalıdır.")
        measurables = list(element.iterchildren(_MEASURABLE))
        if len(measurables) > 1:
            raise _Rule("En fazla 1 adet gl-bus:measurable elemanı olabilir.")
        if measurables:
            _check_measurable(measurables[0], amount)


def _decimals_rule(element: etree._Element) -> _Rule:
    return _Rule("Belge içerisindeki 'decimals' nitelikleri 'INF' değerini almalıdır.",
                 f"decimals=\"{(element.get('decimals') or '')[:20]}\"")


def _check_decimals(element: etree._Element, where: str) -> None:
    if element.get("decimals", "INF") != "INF":
        raise _decimals_rule(element).at(where)


def _check_measurable(measurable: etree._Element, amount: Decimal) -> None:
    values = {child.tag: (child.text or "").strip() for child in measurable}
    for name in ("measurableCode", "measurableCodeDescription", "measurableQuantity", "measurableQualifier",
                 "measurableUnitOfMeasure", "measurableCostPerUnit"):
        if ns.bus(name) not in values:
            raise _Rule(f"gl-bus:{name} elemanı zorunludur.")
    for name, expected in (("measurableCode", "NT"), ("measurableCodeDescription", "Maddi Olmayan Kalemler"),
                           ("measurableQualifier", "Fon"), ("measurableUnitOfMeasure", "Adet")):
        if values[ns.bus(name)] != expected:
            raise _Rule(f"gl-bus:{name} elemanının değeri \"{expected}\" olmalıdır.")
    try:
        product = Decimal(values[ns.bus("measurableCostPerUnit")]) * Decimal(values[ns.bus("measurableQuantity")])
    except ArithmeticError:
        product = None
    if product != amount:
        raise _Rule("gl-bus:measurableCostPerUnit * gl-bus:measurableQuantity = gl-cor:amount olmalıdır.")


def _check_account(account: etree._Element | None) -> None:
    if account is None:
        raise _Rule("gl-cor:account zorunlu bir elemandır.")
    main_id = main_description = sub = None
    for child in account:
        tag = child.tag
        if tag == _MAIN_ID:
            main_id = (child.text or "").strip()
        elif tag == _MAIN_DESCRIPTION:
            main_description = child
        elif tag == _SUB:
            sub = child
    if main_id is None or len(" ".join(main_id.split())) not in (3, 4):
        raise _Rule("gl-cor:account elemanı içerisinde gl-cor:accountMainID zorunlu bir elemandır ve 3 ya da 4 "
                    "karakter olmalıdır.", (main_id or "")[:20] or None)
    if main_description is None:
        raise _Rule("gl-cor:account elemanı içerisinde gl-cor:accountMainDescription zorunlu bir elemandır.")
    if sub is not None:
        sub_id = sub_description = None
        for child in sub:
            if child.tag == _SUB_ID:
                sub_id = (child.text or "").strip()
            elif child.tag == _SUB_DESCRIPTION:
                sub_description = child
        if sub_id is None:
            raise _Rule("gl-cor:accountSub elemanı içerisinde gl-cor:accountSubID zorunlu bir elemandır.")
        if sub_description is None:
            raise _Rule("gl-cor:accountSub elemanı içerisinde gl-cor:accountSubDescription zorunlu bir elemandır.")
        if not sub_id.startswith(main_id):
            raise _Rule("gl-cor:accountSubID (alt hesap numarası) elemanı gl-cor:accountMainID (ana hesap numarası) "
                        "değeri ile başlamalıdır.", f"{main_id} / {sub_id[:30]}")


def _check_amount(element: etree._Element | None) -> Decimal:
    if element is None:
        raise _Rule("gl-cor:amount zorunlu bir elemandır.")
    text = (element.text or "").strip()
    if _AMOUNT.fullmatch(text) is None:
        raise _Rule("gl-cor:amount virgülden sonra 2 haneden fazla olamaz (ör. 1180.00).", text[:30] or "boş")
    amount = Decimal(text)
    if not amount:
        raise _Rule("gl-cor:amount elemanı 0'dan büyük bir değer almalıdır.", text)
    if element.get("decimals", "INF") != "INF":
        raise _decimals_rule(element)
    return amount


def _check_document(kind: str | None, number: str | None, has_date: bool, description: str | None) -> None:
    if kind is None:
        if number is not None:
            raise _Rule("gl-cor:documentNumber elemanı olması durumunda gl-cor:documentType elemanı bulunmalıdır.")
        if has_date:
            raise _Rule("gl-cor:documentDate elemanı olması durumunda gl-cor:documentType elemanı bulunmalıdır.")
        return
    kind = kind.strip()
    if kind not in DOCUMENT_TYPES:
        raise _Rule("gl-cor:documentType XBRL GL'nin belge türlerinden biri olmalıdır (invoice, check, voucher, "
                    "receipt, shipment, order-vendor, order-customer, other, …).", kind[:30] or "boş")
    if kind == "other" and not _filled(description):
        raise _Rule("gl-cor:documentType eleman değerinin 'other' olması durumunda gl-cor:documentTypeDescription "
                    "zorunlu bir elemandır ve bu elemanın değeri boşluk olmamalıdır.")
    if kind in _NEEDS_NUMBER_AND_DATE and (not _filled(number) or not has_date):
        raise _Rule(f"gl-cor:documentType elemanının değeri {_NEEDS_NUMBER_AND_DATE[kind]} olması durumunda "
                    "gl-cor:documentNumber ve gl-cor:documentDate elemanları da olmalıdır.")


class HeaderChecker:
    """Checks each gl-cor:entryHeader when it ends, against its lines' sums and the maddeler before it."""

    def __init__(self) -> None:
        self.previous_counter: int | None = None
        self.previous_date: date | None = None
        self.previous_date_text = ""

    def check(self, element: etree._Element, madde: Madde, position: int, period: Period) -> int:
        """Check one madde; return its entryNumberCounter. A header fact written after the lines is not seen
        (XBRL GL's sequence puts them first) and is reported as missing."""
        facts = madde.facts
        where = madde.where(position)
        entered_by = _text(facts.get(_ENTERED_BY))
        if entered_by is None:
            raise broken("gl-cor:enteredBy zorunlu bir elemandır.", where=where)
        if not _filled(entered_by, 2):
            raise broken("gl-cor:enteredBy elemanı en az iki karakter olmalıdır.", where=where)
        entered = self._check_date(madde.entered_date, period, where)
        counter = self._check_counter(facts.get(_COUNTER), position, where)
        self._check_totals(facts, madde, where)
        if madde.lines < 2:
            raise broken("gl-cor:entryHeader elemanı en az iki gl-cor:entryDetail elemanı içermelidir.", where=where,
                         found=f"{madde.lines} kalem")
        self.previous_date, self.previous_date_text = entered, madde.entered_date or ""
        return counter

    def _check_date(self, text: str | None, period: Period, where: str) -> date:
        if text is None:
            raise broken("gl-cor:enteredDate zorunlu bir elemandır.", where=where)
        entered = _date(text)
        if entered is None:
            raise broken("gl-cor:enteredDate geçerli bir tarih (YYYY-AA-GG) olmalıdır.", where=where, found=text[:30])
        if not period.start <= entered <= period.end:
            raise broken(f"gl-cor:enteredDate elemanın değeri {period.start.isoformat()} ile {period.end.isoformat()} "
                         "değerleri arasında olmalıdır.", where=where, found=text[:30], code=Code.OUT_OF_PERIOD)
        if self.previous_date is not None and entered < self.previous_date:
            raise broken("Yevmiye defteri tarihe göre sıralı olmalıdır.", where=where,
                         found=f"{self.previous_date_text} tarihli maddeden sonra {text[:30]}", code=Code.DATE_ORDER)
        return entered

    def check_continuity(self, madde: Madde, position: int) -> None:
        """Called when a madde's first line ends: a gap in the numbering is named before its lines' faults."""
        if madde.counter is not None:
            self._continues(madde.counter, position, madde.line)

    def _continues(self, text: str, position: int, line: int | None) -> int:
        try:
            counter = int(text)
        except ValueError:
            raise YevmiyeReadError(
                Code.MISSING_FIELD,
                f"Yevmiye dosyasında {position}. maddenin madde numarası (gl-cor:entryNumberCounter) bulunamadı.",
            ) from None
        previous = self.previous_counter
        if previous is not None and counter != previous + 1:
            raise YevmiyeReadError(
                Code.COUNTER_GAP,
                f"Yevmiye madde numaraları kesintisiz değil: {previous} numaralı maddeden sonra {counter} numaralı "
                f"madde geliyor (dosyadaki {position}. madde, {line}. satır). GİB kuralı: "
                "gl-cor:entryNumberCounter müteselsil bir değere sahip olmalıdır.",
            )
        return counter

    def _check_counter(self, element: etree._Element | None, position: int, where: str) -> int:
        if element is None:
            raise broken("gl-cor:entryNumberCounter zorunlu bir elemandır.", where=where)
        counter = self._continues((element.text or "").strip(), position, element.getparent().sourceline)
        _check_decimals(element, where)
        self.previous_counter = counter
        return counter

    @staticmethod
    def _check_totals(facts: dict[str, etree._Element], madde: Madde, where: str) -> None:
        totals: list[Decimal] = []
        for tag, name in ((_TOTAL_DEBIT, "totalDebit"), (_TOTAL_CREDIT, "totalCredit")):
            element = facts.get(tag)
            if element is None:
                raise broken(f"gl-bus:{name} zorunlu bir elemandır.", where=where)
            text = (element.text or "").strip()
            if _AMOUNT.fullmatch(text) is None:
                raise broken(f"gl-bus:{name} virgülden sonra 2 haneden fazla olamaz.", where=where, found=text[:30] or "boş")
            _check_decimals(element, where)
            totals.append(Decimal(text))
        debit, credit = totals
        if debit != credit:
            raise broken("gl-bus:totalDebit elemanının değeri gl-bus:totalCredit elemanının değerine eşit olmalıdır.",
                         where=where, found=f"borç {debit}, alacak {credit}", code=Code.UNBALANCED)
        if debit != madde.debit:
            raise broken("gl-bus:totalDebit değeri, gl-cor:entryDetail elemanı içerisindeki gl-cor:debitCreditCode "
                         "değeri 'D' ve ya 'debit' olan gl-cor:amount değerlerinin toplamına eşit olmalıdır.",
                         where=where, found=f"totalDebit {debit}, borç kalemleri toplamı {madde.debit}",
                         code=Code.UNBALANCED)
        if credit != madde.credit:
            raise broken("gl-bus:totalCredit değeri, gl-cor:entryDetail elemanı içerisindeki gl-cor:debitCreditCode "
                         "değeri 'C' ve ya 'credit' olan gl-cor:amount değerlerinin toplamına eşit olmalıdır.",
                         where=where, found=f"totalCredit {credit}, alacak kalemleri toplamı {madde.credit}",
                         code=Code.UNBALANCED)
