"""Read what "Yevmiye Numarası Doğrulama" (SPEC D4) needs from a yevmiye file of any size.

The file is streamed with lxml's iterparse; each line (gl-cor:entryDetail) and each madde
(gl-cor:entryHeader) is checked as it ends and then dropped, so memory stays bounded whatever the
file's size. The reader proves the file is a yevmiye of the expected taxpayer (and branch) that keeps
GİB's yevmiye rules (journal_rules.py: numbering without gaps, balanced maddeler, dates in the period
and in order, uniqueID of the period, …) and returns where the numbering stands at its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from lxml import etree

from app.formats.safe_xml import SAFE_PARSER_OPTIONS, UnsafeXmlError, ensure_no_doctype
from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.errors import YevmiyeErrorCode as Code
from app.formats.xbrl.errors import YevmiyeReadError
from app.formats.xbrl.journal_rules import (
    HeaderChecker,
    LineChecker,
    Madde,
    Period,
    broken,
    check_document_info,
    check_entity_information,
)
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


class _SummaryReader:
    """Consumes iterparse end events of the watched elements and keeps only the running facts."""

    def __init__(self, expected_owner_id: str | None, expected_branch_code: str | None | _AnyBranch) -> None:
        self.expected_owner_id = expected_owner_id
        self.expected_branch_code = expected_branch_code
        self.root_checked = False
        self.owner_id: str | None = None
        self.period: Period | None = None
        self.has_entity_information = False
        self.branch_code: str | None = None
        self.branch_name: str | None = None
        self.entry_count = 0
        self.first_counter: int | None = None
        self.last_counter: int | None = None
        self.last_entry_number = ""
        self.last_line_number = ""
        self.has_signature = False
        self.madde: Madde | None = None  # the entryHeader being read, from its first line to its end
        self.lines = LineChecker()
        self.headers = HeaderChecker()

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
        self.period = check_document_info(fields)
        self.lines.default_currency = self.period.default_currency

    def on_entity_information(self, element: etree._Element) -> None:
        check_entity_information(element, self.owner_id)
        self.has_entity_information = True
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

    def on_entry_detail(self, element: etree._Element) -> None:
        madde = self.madde
        if madde is None:
            madde = self.madde = Madde(element.getparent())
            self.headers.check_continuity(madde, self.entry_count + 1)
        self.last_line_number = self.lines.check(element, madde, self.entry_count + 1)

    def drop_checked_lines(self, element: etree._Element) -> None:
        """Every 1024 lines of a madde, remove its emptied lines but the current one (the parser appends to it)."""
        madde = self.madde
        if madde is not None and madde.lines % 1024 == 0:
            header = element.getparent()
            del header[madde.fact_count:len(header) - 1]

    def on_entry_header(self, element: etree._Element) -> None:
        position = self.entry_count + 1
        if self.period is None or not self.has_entity_information:
            what = "belge bilgisi (gl-cor:documentInfo)" if self.period is None else "firma bilgisi (gl-cor:entityInformation)"
            raise broken(f"{what} zorunlu bir elemandır ve yevmiye maddelerinden önce gelmelidir.", code=Code.MISSING_FIELD)
        madde = self.madde if self.madde is not None else Madde(element)
        self.madde = None
        counter = self.headers.check(element, madde, position, self.period)
        if self.first_counter is None:
            self.first_counter = counter
        self.last_counter = counter
        self.entry_count = position
        self.last_entry_number = madde.entry_number or ""

    def on_signature(self, element: etree._Element) -> None:
        parent = element.getparent()
        if parent is not None and parent.getparent() is None:  # directly under edefter:defter
            self.has_signature = bool((element.findtext(ns.SIGNATURE_VALUE) or "").strip())

    def summary(self, in_zip: bool) -> YevmiyeSummary:
        if self.owner_id is None:
            raise _missing("mükellefin VKN/TCKN bilgisi (xbrli:identifier)")
        if self.period is None:
            raise _missing("belge bilgisi (gl-cor:documentInfo)")
        if not self.has_entity_information:
            raise broken("gl-cor:entityInformation zorunlu bir elemandır.", code=Code.MISSING_FIELD)
        if self.first_counter is None or self.last_counter is None:
            raise _missing("hiç yevmiye maddesi (gl-cor:entryHeader)")
        if self.madde is not None:  # lines after the last madde's end: not inside any entryHeader
            raise broken("gl-cor:entryDetail elemanları bir gl-cor:entryHeader içinde olmalıdır.")
        period = self.period
        return YevmiyeSummary(
            owner_id=self.owner_id,
            branch_code=self.branch_code,
            branch_name=self.branch_name,
            entries_type="journal",
            unique_id=period.unique_id,
            period_start=period.start,
            period_end=period.end,
            creation_date=period.creation,
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
                    reader.on_entry_detail(element)
                    # The line is checked and counted: empty it now, and drop the emptied lines now and then,
                    # so even a madde of a million lines stays small.
                    element.clear()
                    reader.drop_checked_lines(element)
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
