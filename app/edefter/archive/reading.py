"""One e-Defter file's checks before any transaction (decision note 0160): read safely, kind, owner, period,
branch, GİB's XSD and the signature. Files of any size are streamed from disk: memory stays bounded.

- the prolog is scanned before a parser sees a byte (``app.formats.xbrl.source``): no DOCTYPE, so no entities;
- defter, berat and DR are read with one ``iterparse`` pass that also validates against GİB's edefter.xsd as it
  goes (libxml2 validates the SAX stream: no tree is kept), every element dropped as it ends (all but the few
  header groups read here), so even a file of millions of unknown elements stays flat without the XSD;
- the XAdES signature is verified by the streaming verifier, the signer being the taxpayer;
- a yevmiye the taxpayer signed is read once more by the core reader (GİB's yevmiye rules, where its numbering
  stands): a file nobody proved never reaches that second, heavier read;
- GİB's approved berat (a small wrapper, note 0022) is parsed whole: GİB's seal (signer = GİB), the taxpayer's
  berat inside it (signature, XSD, owner).
"""

from __future__ import annotations

import re
import threading
from typing import Any
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography import x509
from lxml import etree

from app.edefter.archive.rules import FileRefused, too_big
from app.formats.gib.approved_berat import ROOT_TAG as APPROVED_ROOT
from app.formats.gib.approved_berat import read_approved_berat
from app.formats.gib.common import DocumentError
from app.formats.gib.user_account import GIB_VKN
from app.formats.safe_xml import SAFE_PARSER_OPTIONS, XmlInputError, make_parser, parse_untrusted
from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.source import open_xml_source
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary
from app.models.edefter_archive import ArchiveKind

APPROVED_MAX_BYTES = 2 * 1024 * 1024  # GİB's wrapper holds one berat (a few KB) in base64; it is parsed whole
_UNIQUE_ID = re.compile(r"^(YEV|KEB|EDR)(\d{4})(\d{2})(\d{6})$")
_PREFIX = {ArchiveKind.YEVMIYE: "YEV", ArchiveKind.KEBIR: "KEB", ArchiveKind.YEVMIYE_BERAT: "YEV",
           ArchiveKind.KEBIR_BERAT: "KEB", ArchiveKind.DEFTER_RAPORU: "EDR"}
_ROOTS = {"defter", "berat", "defterraporu", "GibOnayliBerat"}
_NOTED = frozenset((ns.xbrli("identifier"), ns.cor("documentInfo"), ns.cor("entityInformation")))
# The header groups _note reads through their children: these children stay until the group ends.
_KEEP_CHILDREN = frozenset((ns.cor("documentInfo"), ns.cor("entityInformation"), ns.bus("organizationIdentifiers")))
MAX_HEADER_ELEMENTS = 10_000  # a real header has a few dozen; more is a file built to fill memory
_PARSER_OPTIONS = {**SAFE_PARSER_OPTIONS, "remove_comments": True, "remove_pis": True}
_XSD_REASON = "Dosya GİB'in e-Defter şemasına (edefter.xsd) uymuyor"
_DONEM = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
FIRST_YEAR = 2000  # e-Defter began in 2011; an earlier "period" is a broken or hostile file
XSD_SKIPPED = "GİB XSD denetimi yapılmadı (portalda GİB'in e-Defter şema dosyaları tanımlı değil)"


@dataclass(frozen=True)
class Context:
    """What the checks need to know, gathered once per upload (no database here)."""

    owner_id: str  # the taxpayer's VKN/TCKN
    branch_codes: frozenset[str]  # the taxpayer's branches (Firma Ayarları)
    anchors: list[x509.Certificate]
    today: date
    max_bytes: int
    xsd_dir: str = ""
    expected: tuple[int, int] | None = None  # (year, month) the user said the files are of


@dataclass(frozen=True)
class Examined:
    """A file that passed every check."""

    kind: ArchiveKind
    year: int
    month: int
    branch_code: str
    part: int
    unique_id: str
    size: int
    signer_identifier: str
    signer_name: str
    certificate_serial: str
    signing_time: datetime | None
    checks: str
    last_entry_counter: int | None = None


@dataclass
class _Facts:
    root: str = ""
    owner_id: str | None = None
    entries_type: str = ""
    unique_id: str = ""
    start: str = ""
    branch_code: str = ""


# --- GİB's schema ------------------------------------------------------------------------------------------------

_schemas = threading.local()  # lxml schemas are not shared across threads


def gib_schema(xsd_dir: str) -> etree.XMLSchema | None:
    """GİB's edefter.xsd from the configured folder (None when none is configured); loaded once per thread."""
    if not xsd_dir:
        return None
    cache: dict[str, etree.XMLSchema] = getattr(_schemas, "cache", None) or {}
    _schemas.cache = cache
    if xsd_dir not in cache:
        path = Path(xsd_dir) / "edefter.xsd"
        if not path.is_file():
            raise FileRefused(f"GİB'in XSD dosyası bulunamadı ({path}); PORTAL_EDEFTER_XSD_DIR ayarını düzeltiniz.")
        cache[xsd_dir] = etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))
    return cache[xsd_dir]


# --- the checks ---------------------------------------------------------------------------------------------------


def examine(path: Path, context: Context) -> Examined:
    """Every check of one file on disk; FileRefused with the Turkish reason when one fails."""
    size = path.stat().st_size
    if size > context.max_bytes:
        raise FileRefused(too_big(size, context.max_bytes))
    try:
        with open_xml_source(path, max_bytes=context.max_bytes) as xml:
            root_name = xml.root_name.rpartition(":")[2]
            in_zip = xml.in_zip
    except XmlInputError as error:
        raise FileRefused(error.message) from None
    if in_zip:
        raise FileRefused("Zip içinde zip kabul edilmez; e-Defter dosyalarını tek bir .zip arşivinde yükleyiniz.")
    if root_name not in _ROOTS:
        raise FileRefused("Dosya bir e-Defter dosyası (yevmiye, kebir, berat, defter raporu ya da GİB onaylı berat) "
                          "değil.")
    if root_name == "GibOnayliBerat":
        return _examine_approved(path, size, context)
    schema = gib_schema(context.xsd_dir)
    facts = _scan(path, schema, context.max_bytes)
    kind = _kind_of(facts)
    year, month, part = _period_of(facts, kind)
    _check_owner(facts.owner_id, context.owner_id)
    _check_period(year, month, context)
    _check_branch(facts.branch_code, context)
    # The signature before the core's yevmiye reader: only what the taxpayer signed is read a second time.
    signer = _verify(path, context.anchors, context.owner_id)
    last_counter = None
    if kind is ArchiveKind.YEVMIYE:  # GİB's yevmiye rules and where its numbering stands (the core reader)
        try:
            summary = read_yevmiye_summary(path, max_bytes=context.max_bytes, expected_owner_id=context.owner_id)
        except XmlInputError as error:
            raise FileRefused(error.message) from None
        last_counter = summary.last_entry_counter
    xsd = "GİB XSD'sine uygun" if schema is not None else XSD_SKIPPED
    rules = ", GİB yevmiye kuralları" if kind is ArchiveKind.YEVMIYE else ""
    return Examined(kind, year, month, facts.branch_code, part, facts.unique_id[:40], size, *signer,
                    checks=f"İmza geçerli (mükellefin imzası){rules}; {xsd}.", last_entry_counter=last_counter)


def _scan(path: Path, schema: etree.XMLSchema | None, max_bytes: int) -> _Facts:
    """One streaming pass: the facts of the header, every element validated against ``schema`` when given."""
    facts = _Facts()
    options = dict(_PARSER_OPTIONS)
    if schema is not None:
        options["schema"] = schema
    etree.clear_error_log()
    try:
        with open_xml_source(path, max_bytes=max_bytes) as xml:
            facts.root = xml.root_name.rpartition(":")[2]
            kept = 0
            for _, element in etree.iterparse(xml.stream, events=("end",), **options):
                if element.tag in _NOTED:
                    _note(facts, element)
                parent = element.getparent()
                if parent is None:
                    continue
                if parent.tag in _KEEP_CHILDREN:
                    kept += 1
                    if kept > MAX_HEADER_ELEMENTS:
                        raise FileRefused("Dosyanın başlık bilgileri olağan dışı büyük; e-Defter dosyası olarak "
                                          "okunmadı.")
                    continue
                # Every other element (a madde, its lines, a kebir account, anything a hostile file repeats) is
                # validated as it streams and dropped as it ends with its earlier siblings: memory stays flat
                # whatever the file holds, even without GİB's XSD to refuse what does not belong.
                element.clear()
                while element.getprevious() is not None:
                    del parent[0]
    except XmlInputError as error:
        raise FileRefused(error.message) from None
    except etree.XMLSyntaxError as error:
        reason = _syntax_reason(error)
        if schema is not None:
            # A broken or hostile file is refused as that, not as a schema breach (libxml2 stops at the first
            # schema error, before a later parse error; on a stream it may even lose the parse error's entry).
            _scan(path, None, max_bytes)
            if not reason.startswith(_XSD_REASON):
                reason = f"{_XSD_REASON}."
        raise FileRefused(reason) from None
    return facts


def _note(facts: _Facts, element: etree._Element) -> None:
    tag = element.tag
    if tag == ns.xbrli("identifier"):
        facts.owner_id = facts.owner_id or (element.text or "").strip()
    elif tag == ns.cor("documentInfo") and not facts.unique_id:
        facts.entries_type = (element.findtext(ns.cor("entriesType")) or "").strip()
        facts.unique_id = (element.findtext(ns.cor("uniqueID")) or "").strip()
        facts.start = (element.findtext(ns.cor("periodCoveredStart")) or "").strip()
    elif tag == ns.cor("entityInformation"):
        for group in element.iterchildren(ns.bus("organizationIdentifiers")):
            if (group.findtext(ns.bus("organizationDescription")) or "").strip() == "Şube No":
                facts.branch_code = (group.findtext(ns.bus("organizationIdentifier")) or "").strip()


def _schema_reason(entry: Any) -> str:
    """GİB's XSD refused the file: where, in Turkish (libxml2's own text is English)."""
    element = re.search(r"Element '(?:\{[^}]*\})?([^']+)'", entry.message or "")
    where = f"{entry.line}. satırdaki <{element.group(1)[:60]}> öğesi" if element else f"{entry.line}. satır"
    return f"{_XSD_REASON}: {where} şemada bu yerde beklenmiyor ya da değeri geçersiz."


def _syntax_reason(error: etree.XMLSyntaxError) -> str:
    entries = [e for e in error.error_log if e.level >= etree.ErrorLevels.ERROR]
    first = entries[0] if entries else None
    message = first.message if first is not None else str(error.msg or "")
    if first is not None and first.domain_name == "SCHEMASV":
        return _schema_reason(first)
    if "entity" in message.lower():
        return "Dosya tanımsız bir varlık (entity) başvurusu içeriyor; güvenlik nedeniyle okunmadı."
    line = first.line if first is not None else error.lineno
    return f"Dosya bozuk ya da yarıda kesilmiş: XML yapısı {line}. satırda bozuluyor."


def _kind_of(facts: _Facts) -> ArchiveKind:
    if facts.root == "defterraporu":
        return ArchiveKind.DEFTER_RAPORU
    by_type = {("defter", "journal"): ArchiveKind.YEVMIYE, ("defter", "ledger"): ArchiveKind.KEBIR,
               ("berat", "journal"): ArchiveKind.YEVMIYE_BERAT, ("berat", "ledger"): ArchiveKind.KEBIR_BERAT}
    kind = by_type.get((facts.root, facts.entries_type))
    if kind is None:
        raise FileRefused(f"Defterin türü (gl-cor:entriesType '{facts.entries_type[:40]}') tanınmadı: journal "
                          "(yevmiye) ya da ledger (kebir) olmalıdır.")
    return kind


def _period_of(facts: _Facts, kind: ArchiveKind) -> tuple[int, int, int]:
    match = _UNIQUE_ID.match(facts.unique_id)
    if match is None or match.group(1) != _PREFIX[kind]:
        raise FileRefused(f"Defter numarası (gl-cor:uniqueID) '{facts.unique_id[:40]}' {_PREFIX[kind]}YYYYAA000001 "
                          "biçiminde olmalıdır.")
    year, month, part = int(match.group(2)), int(match.group(3)), int(match.group(4))
    if not 1 <= month <= 12 or year < FIRST_YEAR:
        raise FileRefused(f"Defter numarasındaki dönem ({month:02d}/{year:04d}) geçersiz.")
    if not facts.start.startswith(f"{year:04d}-{month:02d}"):
        raise FileRefused(f"Defter numarasındaki dönem ({month:02d}/{year}) ile dönem başlangıcı "
                          f"({facts.start[:10] or 'yok'}) uyuşmuyor.")
    return year, month, part


def _check_owner(found: str | None, own: str) -> None:
    if not found:
        raise FileRefused("Dosyada mükellefin VKN/TCKN bilgisi (xbrli:identifier) bulunamadı.")
    if found != own:
        raise FileRefused(f"Bu dosya başka bir mükellefe ait (VKN/TCKN {found[:11]}); yalnızca {own} numaralı "
                          "mükellefin defterleri arşivlenebilir.")


def _check_period(year: int, month: int, context: Context) -> None:
    if context.expected is not None and (year, month) != context.expected:
        want_year, want_month = context.expected
        raise FileRefused(f"Dosya {month:02d}/{year} dönemine ait; yükleme için {want_month:02d}/{want_year} dönemi "
                          "seçildi.")
    if date(year, month, 1) > context.today:
        raise FileRefused(f"Dosyanın dönemi ({month:02d}/{year}) henüz başlamadı; ileri tarihli defter arşivlenemez.")


def _check_branch(code: str, context: Context) -> None:
    if code and code not in context.branch_codes:
        raise FileRefused(f"Dosya {code} kodlu şubeye ait; bu şube Firma Ayarları'ndaki şubeleriniz arasında yok.")


def _verify(path: Path, anchors: list[x509.Certificate], owner_id: str) -> tuple[str, str, str, datetime | None]:
    from app.signing.stream_verify import verify_signed_file

    result = verify_signed_file(path, anchors, expected_owner_id=owner_id)
    return _signer(result, "Dosya imzasız; yalnızca imzalı e-Defter dosyaları arşivlenebilir.")


def _signer(result, unsigned: str) -> tuple[str, str, str, datetime | None]:  # type: ignore[no-untyped-def]
    if result.code == "no_signature":
        raise FileRefused(unsigned)
    if not result.ok or result.certificate_info is None:
        raise FileRefused(f"İmza doğrulanamadı: {result.message}")
    info = result.certificate_info
    return info.owner_id[:11], info.owner_name[:250], info.serial_hex[:80], result.signing_time


# --- GİB's approved berat -------------------------------------------------------------------------------------


def _examine_approved(path: Path, size: int, context: Context) -> Examined:
    from app.signing.stream_verify import verify_signed_file
    from app.signing.verify import verify_signed_xml

    if size > APPROVED_MAX_BYTES:
        raise FileRefused(too_big(size, APPROVED_MAX_BYTES))
    data = path.read_bytes()
    try:
        root = parse_untrusted(data, max_bytes=APPROVED_MAX_BYTES)
        if root.tag != APPROVED_ROOT:
            raise FileRefused("Dosya GİB onaylı berat değil.")
        approval = read_approved_berat(root)
    except XmlInputError as error:
        raise FileRefused(error.message) from None
    except DocumentError as error:
        raise FileRefused(f"GİB onaylı berat okunamadı: {error}") from None
    except ValueError:  # a date, a number or a name the wrapper must carry is not one
        raise FileRefused("GİB onaylı berat okunamadı: onay bilgilerinden biri (tarih, dönem, parça) geçersiz.") from None
    info = approval.info
    _check_owner(info.identifier, context.owner_id)
    period = _DONEM.fullmatch(info.period or "")
    if period is None or int(period.group(1)) < FIRST_YEAR:
        raise FileRefused(f"GİB onaylı beratın dönemi ('{(info.period or '')[:20]}') YYYY-AA biçiminde bir dönem "
                          "değil.")
    year, month = int(period.group(1)), int(period.group(2))
    _check_period(year, month, context)
    seal = _signer(verify_signed_file(path, context.anchors, expected_owner_id=GIB_VKN),
                   "GİB onaylı beratta GİB'in mühürü yok.")
    inner = verify_signed_xml(approval.berat, context.anchors, expected_owner_id=context.owner_id)
    if not inner.ok:
        raise FileRefused(f"GİB onaylı beratın içindeki mükellef beratının imzası doğrulanamadı: {inner.message}")
    schema = gib_schema(context.xsd_dir)
    if schema is not None:
        berat = etree.fromstring(approval.berat, make_parser())
        if not schema.validate(berat):
            raise FileRefused(f"GİB onaylı beratın içindeki berat: {_schema_reason(schema.error_log.last_error)}")
    kind = ArchiveKind.GIB_YEVMIYE_BERAT if info.kind == "YB" else ArchiveKind.GIB_KEBIR_BERAT
    xsd = "içindeki berat GİB XSD'sine uygun" if schema is not None else XSD_SKIPPED
    return Examined(kind, year, month, "", info.part, approval.approval_id[:40], size, *seal,
                    checks=f"GİB mühürü geçerli, içindeki berat mükellefçe imzalı; {xsd}.")
