"""Read what "Yevmiye Numarası Doğrulama" (SPEC D4) needs from a yevmiye file of any size.

The file is streamed with lxml's iterparse; each madde (gl-cor:entryHeader) is read and then dropped,
so memory stays bounded whatever the file's size. The reader proves the file is a yevmiye of the
expected taxpayer (and branch), that its madde numbers run without gaps, and returns where the
numbering stands at its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from lxml import etree

from app.formats.safe_xml import SAFE_PARSER_OPTIONS, UnsafeXmlError, ensure_no_doctype
from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.errors import YevmiyeErrorCode as Code
from app.formats.xbrl.errors import YevmiyeReadError
from app.formats.xbrl.source import DEFAULT_MAX_BYTES, Source, open_xml_source


class _AnyBranch:
    def __repr__(self) -> str:
        return "ANY_BRANCH"


ANY_BRANCH: Final = _AnyBranch()
"""Default of ``expected_branch_code``: accept the file whether or not it names a branch."""

_IDENTIFIER = ns.xbrli("identifier")
_DOCUMENT_INFO = ns.cor("documentInfo")
_ENTITY_INFORMATION = ns.cor("entityInformation")
_ENTRY_HEADER = ns.cor("entryHeader")
_ENTRY_DETAIL = ns.cor("entryDetail")
_COUNTER = ns.cor("entryNumberCounter")
_ENTRY_NUMBER = ns.cor("entryNumber")
_LINE_NUMBER = ns.cor("lineNumber")
_ORGANIZATION_IDENTIFIERS = ns.bus("organizationIdentifiers")
_WATCHED_TAGS = (_IDENTIFIER, _DOCUMENT_INFO, _ENTITY_INFORMATION, _ENTRY_HEADER, _ENTRY_DETAIL, ns.SIGNATURE)
_ROOT_LOCAL_NAMES = {"defter", "berat", "defterraporu"}

# The project's hardened options (no DTD, no entities, no network, libxml2's limits kept), and
# comments/PIs dropped as they come since nothing here reads them.
PARSER_OPTIONS: Final = {**SAFE_PARSER_OPTIONS, "remove_comments": True, "remove_pis": True}


@dataclass(frozen=True)
class YevmiyeSummary:
    """Where the previous integrator's yevmiye numbering stands at the end of the uploaded file."""

    owner_id: str  # VKN/TCKN from xbrli:identifier
    branch_code: str | None
    branch_name: str | None
    entries_type: str  # always "journal"
    unique_id: str  # e.g. YEV202403000001
    period_start: date
    period_end: date
    creation_date: date | None
    entry_count: int
    first_entry_counter: int
    last_entry_counter: int  # the last gl-cor:entryNumberCounter (yevmiye madde numarası)
    last_entry_number: str  # the last gl-cor:entryNumber (fiş numarası)
    last_line_number: str  # gl-cor:lineNumber of the last entryDetail
    has_signature: bool  # a filled ds:Signature (with a SignatureValue) follows the xbrl
    in_zip: bool

    @property
    def next_entry_counter(self) -> int:
        return self.last_entry_counter + 1


def _missing(what: str) -> YevmiyeReadError:
    return YevmiyeReadError(Code.MISSING_FIELD, f"Yevmiye dosyasında {what} bulunamadı.")


def _parse_date(text: str | None, what: str) -> date:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        raise _missing(f"geçerli bir {what}") from None


def _parse_counter(text: str | None, position: int) -> int:
    value = (text or "").strip()
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number != number.to_integral_value():
        raise _missing(f"{position}. maddenin madde numarası (gl-cor:entryNumberCounter)")
    return int(number)


class _SummaryReader:
    """Consumes iterparse end events of the watched elements and keeps only the running facts."""

    def __init__(self, expected_owner_id: str | None, expected_branch_code: str | None | _AnyBranch) -> None:
        self.expected_owner_id = expected_owner_id
        self.expected_branch_code = expected_branch_code
        self.root_checked = False
        self.owner_id: str | None = None
        self.document: dict[str, str | None] | None = None
        self.branch_code: str | None = None
        self.branch_name: str | None = None
        self.entry_count = 0
        self.first_counter: int | None = None
        self.last_counter: int | None = None
        self.last_entry_number = ""
        self.last_line_number = ""
        self.has_signature = False

    def check_root(self, element: etree._Element) -> None:
        tree = element.getroottree()
        try:
            ensure_no_doctype(tree)  # source.py refused a DOCTYPE already; this covers any other route
        except UnsafeXmlError as error:
            raise YevmiyeReadError(Code.HOSTILE_XML, error.message) from None
        root_tag = tree.getroot().tag
        if root_tag == ns.BERAT:
            raise _berat_error()
        if root_tag != ns.DEFTER:
            raise YevmiyeReadError(Code.NOT_EDEFTER, "Dosya bir e-Defter yevmiye defteri değil.")
        self.root_checked = True

    def on_identifier(self, element: etree._Element) -> None:
        owner = (element.text or "").strip()
        if not (owner.isascii() and owner.isdigit() and len(owner) in (10, 11)):
            raise _missing("10 haneli VKN ya da 11 haneli TCKN (xbrli:identifier)")
        if self.expected_owner_id is not None and owner != self.expected_owner_id:
            raise YevmiyeReadError(
                Code.OTHER_OWNER,
                f"Bu yevmiye defteri başka bir mükellefe ait (VKN/TCKN {owner}); "
                f"yalnızca {self.expected_owner_id} numaralı mükellefin defteri yüklenebilir.",
            )
        self.owner_id = owner

    def on_document_info(self, element: etree._Element) -> None:
        fields = {child.tag: child.text for child in element}
        entries_type = (fields.get(ns.cor("entriesType")) or "").strip()
        if entries_type == "ledger":
            raise YevmiyeReadError(
                Code.KEBIR, "Yüklenen dosya bir kebir (büyük defter); lütfen yevmiye defterini yükleyin."
            )
        if entries_type != "journal":
            raise YevmiyeReadError(Code.NOT_EDEFTER, "Dosya bir yevmiye defteri değil (gl-cor:entriesType 'journal' değil).")
        self.document = fields

    def on_entity_information(self, element: etree._Element) -> None:
        for group in element.iterchildren(_ORGANIZATION_IDENTIFIERS):
            description = (group.findtext(ns.bus("organizationDescription")) or "").strip()
            value = (group.findtext(ns.bus("organizationIdentifier")) or "").strip()
            if description == "Şube No":
                self.branch_code = value
            elif description == "Şube Adı":
                self.branch_name = value
        self._check_branch()

    def _check_branch(self) -> None:
        expected = self.expected_branch_code
        if isinstance(expected, _AnyBranch) or expected == self.branch_code:
            return
        if expected is None:
            message = f"Bu yevmiye defteri {self.branch_code} kodlu şubeye ait; şubesiz defter bekleniyordu."
        elif self.branch_code is None:
            message = f"Bu yevmiye defteri şubesiz; {expected} kodlu şubenin defteri bekleniyordu."
        else:
            message = f"Bu yevmiye defteri {self.branch_code} kodlu şubeye ait; {expected} kodlu şubenin defteri bekleniyordu."
        raise YevmiyeReadError(Code.OTHER_BRANCH, message)

    def on_entry_header(self, element: etree._Element) -> None:
        position = self.entry_count + 1
        counter = _parse_counter(element.findtext(_COUNTER), position)
        previous = self.last_counter
        if previous is not None and counter != previous + 1:
            raise YevmiyeReadError(
                Code.COUNTER_GAP,
                f"Yevmiye madde numaraları kesintisiz değil: {previous} numaralı maddeden sonra {counter} numaralı "
                f"madde geliyor (dosyadaki {position}. madde, {element.sourceline}. satır).",
            )
        if previous is None:
            self.first_counter = counter
        self.last_counter = counter
        self.entry_count = position
        self.last_entry_number = (element.findtext(_ENTRY_NUMBER) or "").strip()
        last_child = element[-1] if len(element) else None
        if last_child is not None and last_child.tag == _ENTRY_DETAIL:
            self.last_line_number = (last_child.findtext(_LINE_NUMBER) or "").strip()

    def on_signature(self, element: etree._Element) -> None:
        parent = element.getparent()
        if parent is not None and parent.getparent() is None:  # directly under edefter:defter
            self.has_signature = bool((element.findtext(ns.SIGNATURE_VALUE) or "").strip())

    def summary(self, in_zip: bool) -> YevmiyeSummary:
        if self.owner_id is None:
            raise _missing("mükellefin VKN/TCKN bilgisi (xbrli:identifier)")
        if self.document is None:
            raise _missing("belge bilgisi (gl-cor:documentInfo)")
        if self.first_counter is None or self.last_counter is None:
            raise _missing("hiç yevmiye maddesi (gl-cor:entryHeader)")
        fields = self.document
        unique_id = (fields.get(ns.cor("uniqueID")) or "").strip()
        if not unique_id:
            raise _missing("defter kimliği (gl-cor:uniqueID)")
        creation = fields.get(ns.cor("creationDate"))
        return YevmiyeSummary(
            owner_id=self.owner_id,
            branch_code=self.branch_code,
            branch_name=self.branch_name,
            entries_type="journal",
            unique_id=unique_id,
            period_start=_parse_date(fields.get(ns.cor("periodCoveredStart")), "dönem başlangıcı (periodCoveredStart)"),
            period_end=_parse_date(fields.get(ns.cor("periodCoveredEnd")), "dönem sonu (periodCoveredEnd)"),
            creation_date=None if creation is None else _parse_date(creation, "oluşturma tarihi (creationDate)"),
            entry_count=self.entry_count,
            first_entry_counter=self.first_counter,
            last_entry_counter=self.last_counter,
            last_entry_number=self.last_entry_number,
            last_line_number=self.last_line_number,
            has_signature=self.has_signature,
            in_zip=in_zip,
        )


def _berat_error() -> YevmiyeReadError:
    return YevmiyeReadError(Code.BERAT, "Yüklenen dosya bir berat; lütfen beratı değil yevmiye defterini yükleyin.")


def _syntax_error(error: etree.XMLSyntaxError) -> YevmiyeReadError:
    # iterparse's exception may only say "no element found"; the first fatal entry of its log says why.
    first = next(iter(error.error_log.filter_from_fatals()), None)
    message, line = (first.message, first.line) if first is not None else (str(error.msg or ""), error.lineno)
    if "entity" in message.lower():
        # An entity reference that no declaration allows (&xxe;): refused like a DOCTYPE.
        return YevmiyeReadError(Code.HOSTILE_XML, "Dosya tanımsız bir varlık (entity) başvurusu içeriyor; okunmadı.")
    return YevmiyeReadError(
        Code.BROKEN_XML, f"Dosya bozuk ya da yarıda kesilmiş: XML yapısı {line}. satırda bozuluyor."
    )


def _check_root_name(root_name: str) -> None:
    """Refuse before parsing when the root element's name alone shows the file is no e-Defter."""
    local = root_name.rpartition(":")[2]
    if local == "berat":
        raise _berat_error()
    if local not in _ROOT_LOCAL_NAMES:
        raise YevmiyeReadError(Code.NOT_EDEFTER, "Dosya bir e-Defter yevmiye defteri değil.")


def read_yevmiye_summary(
    source: Source,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    expected_owner_id: str | None = None,
    expected_branch_code: str | None | _AnyBranch = ANY_BRANCH,
) -> YevmiyeSummary:
    """Stream a yevmiye (plain XML, or the one XML in a zip) and return its :class:`YevmiyeSummary`.

    ``source``: a path or a binary file object (a zip must be seekable). ``expected_owner_id``: the
    VKN/TCKN the file must belong to. ``expected_branch_code``: a 4-digit Şube No the file must carry,
    None for an unbranched file, or ANY_BRANCH (default) to accept either.
    Raises :class:`YevmiyeReadError` whose ``code`` says what is wrong and ``message`` says it in Turkish.
    """
    reader = _SummaryReader(expected_owner_id, expected_branch_code)
    handlers = {
        _IDENTIFIER: reader.on_identifier,
        _DOCUMENT_INFO: reader.on_document_info,
        _ENTITY_INFORMATION: reader.on_entity_information,
        _ENTRY_HEADER: reader.on_entry_header,
        ns.SIGNATURE: reader.on_signature,
    }
    with open_xml_source(source, max_bytes=max_bytes) as xml:
        _check_root_name(xml.root_name)
        etree.clear_error_log()  # iterparse reports into this thread's shared log: drop older parses' entries
        events = etree.iterparse(xml.stream, events=("end",), tag=_WATCHED_TAGS, **PARSER_OPTIONS)
        try:
            for _, element in events:
                if not reader.root_checked:
                    reader.check_root(element)
                tag = element.tag
                if tag == _ENTRY_DETAIL:
                    # Keep only the madde's latest line, so even a madde of a million lines stays small.
                    previous = element.getprevious()
                    if previous is not None and previous.tag == _ENTRY_DETAIL:
                        element.getparent().remove(previous)
                    continue
                handlers[tag](element)
                if tag == _ENTRY_HEADER:
                    # Drop the madde just read and every earlier sibling: memory stays flat.
                    element.clear()
                    parent = element.getparent()
                    while element.getprevious() is not None:
                        del parent[0]
            root = events.root
        except etree.XMLSyntaxError as error:
            raise _syntax_error(error) from None
        if not reader.root_checked and root is not None:
            reader.check_root(root)
        return reader.summary(xml.in_zip)
