"""Opening and closing labels (etiket): GİB's HR-XML `ProcessUserAccount` / `CancelUserAccount`.

One `UserAccount` per label: the taxpayer (UserID), its role (GB Gönderici Birim / PK Posta Kutusu),
the alias (WorkScopeCode) and the service code (UserOptionCode: 1–4 e-Fatura, 51–54 e-İrsaliye;
GIB-FORMATS §3, §6). A future activation date travels as the account's `validFrom` attribute.

The other services of GİB's catalogue (Saklama, e-Arşiv, e-SMM, e-MM, e-Adisyon, …) are opened with the
same document but carry no role and no alias: their `UserAccount` has the service code alone, and
`LabelSpec.document_type` names the service by GİB's sender id (`archive`, `earchive`, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from lxml import etree

from app.formats.gib.common import (
    DS_NS,
    SIGNATURE_PLACEHOLDER_ID,
    DocumentError,
    optional_text,
    required_text,
)
from app.refusals import quoted

HR_NS = "http://www.hr-xml.org/3"
OA_NS = "http://www.openapplications.org/oagis/9"
_NSMAP = {"hr": HR_NS, "oa": OA_NS}
GIB_VKN = "3900383669"

DocumentType = Literal["Invoice", "DespatchAdvice"]
Role = Literal["GB", "PK"]
Action = Literal["open", "close"]

# The services whose labels have a role (GB/PK) and an alias, listed in GİB's registered-user list.
DOCUMENT_TYPES: tuple[str, ...] = ("Invoice", "DespatchAdvice")
ROLES: tuple[str, ...] = ("GB", "PK")
ROLE_NAMES = {"GB": "Gönderici Birim", "PK": "Posta Kutusu"}
_WORK_SCOPE_NAMES = {"GB": "Gönderici Birim Etiketi", "PK": "Posta Kutusu Birimi Etiketi"}
# UserOptionCode per service: KAMU / ÖZEL / VUK507-KAMU / VUK507-ÖZEL (Özel Entegrasyon Kılavuzu §5,
# GIB-FORMATS §6). The key is the document type for e-Fatura / e-İrsaliye and GİB's sender id otherwise.
SERVICE_CODES: dict[str, tuple[int, ...]] = {
    "Invoice": (1, 2, 3, 4),
    "archive": (11, 12, 13, 14),
    "earchive": (21, 22, 23, 24),
    "archive_earchive": (31, 32, 33, 34),
    "DespatchAdvice": (51, 52, 53, 54),
    "archive_edespatch": (61, 62, 63, 64),
    "esevoucher": (71, 72, 73, 74),
    "epreceipt": (81, 82, 83, 84),
    "esevoucher_archive": (91, 92, 93, 94),
    "epreceipt_archive": (101, 102, 103, 104),
    "echeck": (151, 152),
}
_OPTION_CODES = SERVICE_CODES

# GİB's alias rule (e-Fatura schematron, WorkScopeCode) and the names GİB keeps for itself (GIB-FORMATS §3).
ALIAS_PATTERN = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:([A-Za-z0-9()+,\-.:=@;$_!*]|%[0-9A-Fa-f]{2})+$")
RESERVED_ALIASES = frozenset(
    name.casefold()
    for name in (
        "usergb", "GIB", "archive", "earchive", "archive_earchive", "eticket", "edespatch", "esevoucher",
        "epreceipt", "esevoucher_archive", "epreceipt_archive", "erevenue", "echeck", "eexchangecert",
        "ebreceipt", "einsurancecomm",
    )
)  # fmt: skip


def has_roles(service: str) -> bool:
    """Whether the service's labels carry a role and an alias (e-Fatura, e-İrsaliye)."""
    return service in DOCUMENT_TYPES


def alias_local_part(alias: str) -> str:
    """'defaultpk' of 'urn:mail:defaultpk@firma.com.tr' (the part GİB's reserved names are compared with)."""
    return alias.split(":")[-1].split("@")[0] if alias.startswith("urn:") else alias


def is_reserved_alias(alias: str) -> bool:
    return alias.casefold() in RESERVED_ALIASES or alias_local_part(alias).casefold() in RESERVED_ALIASES
_ROOTS: dict[Action, tuple[str, str]] = {
    "open": ("ProcessUserAccount", "Process"),
    "close": ("CancelUserAccount", "Cancel"),
}


@dataclass(frozen=True)
class LabelSpec:
    """One label to open or close."""

    document_type: str
    role: str
    alias: str


@dataclass(frozen=True)
class UserAccountRequest:
    """What the taxpayer asks GİB to do with its labels."""

    identifier: str
    title: str
    labels: tuple[LabelSpec, ...]
    created_at: datetime
    activation_date: date | None = None
    user_type: str = "OZEL"
    option_codes: dict[LabelSpec, int] = field(default_factory=dict, compare=False)


def option_code_for(document_type: str, user_type: str) -> int:
    """The UserOptionCode GİB expects for a label of this document type and user type."""
    kamu_code, ozel_code = _OPTION_CODES[document_type][:2]
    return kamu_code if user_type == "KAMU" else ozel_code


def document_type_of_option_code(code: int) -> str | None:
    for document_type, codes in _OPTION_CODES.items():
        if code in codes:
            return document_type
    return None


def build_user_account_request(request: UserAccountRequest, action: Action) -> etree._Element:
    """The unsigned ProcessUserAccount (open) or CancelUserAccount (close) with a signature placeholder."""
    root_name, verb = _ROOTS[action]
    root = etree.Element(f"{{{HR_NS}}}{root_name}", nsmap={None: HR_NS, "oa": OA_NS, "ds": DS_NS})
    root.set("releaseID", "3.0")
    area = etree.SubElement(root, f"{{{OA_NS}}}ApplicationArea")
    sender = etree.SubElement(area, f"{{{OA_NS}}}Sender")
    etree.SubElement(sender, f"{{{OA_NS}}}LogicalID").text = request.identifier
    receiver = etree.SubElement(area, f"{{{OA_NS}}}Receiver")
    etree.SubElement(receiver, f"{{{OA_NS}}}LogicalID").text = GIB_VKN
    etree.SubElement(area, f"{{{OA_NS}}}CreationDateTime").text = request.created_at.isoformat(timespec="seconds")
    signature = etree.SubElement(area, f"{{{OA_NS}}}Signature")
    etree.SubElement(signature, f"{{{DS_NS}}}Signature").set("Id", SIGNATURE_PLACEHOLDER_ID)
    data_area = etree.SubElement(root, f"{{{HR_NS}}}DataArea")
    etree.SubElement(data_area, f"{{{OA_NS}}}{verb}")
    for label in request.labels:
        data_area.append(_user_account(request, label))
    return root


def _user_account(request: UserAccountRequest, label: LabelSpec) -> etree._Element:
    account = etree.Element(f"{{{HR_NS}}}UserAccount")
    if request.activation_date is not None:
        account.set("validFrom", request.activation_date.isoformat())
    etree.SubElement(account, f"{{{HR_NS}}}UserID").text = request.identifier
    person = etree.SubElement(account, f"{{{HR_NS}}}PersonName")
    etree.SubElement(person, f"{{{HR_NS}}}FormattedName").text = request.title
    if has_roles(label.document_type):  # the other services are the service code alone
        role = etree.SubElement(account, f"{{{HR_NS}}}UserRole")
        etree.SubElement(role, f"{{{HR_NS}}}RoleCode").text = label.role
        etree.SubElement(role, f"{{{HR_NS}}}RoleName").text = ROLE_NAMES.get(label.role, label.role)
        scope = etree.SubElement(account, f"{{{HR_NS}}}AuthorizedWorkScope")
        etree.SubElement(scope, f"{{{HR_NS}}}WorkScopeCode").text = label.alias
        etree.SubElement(scope, f"{{{HR_NS}}}WorkScopeName").text = _WORK_SCOPE_NAMES.get(label.role, label.role)
    configuration = etree.SubElement(account, f"{{{HR_NS}}}AccountConfiguration")
    code = request.option_codes.get(label) or option_code_for(label.document_type, request.user_type)
    etree.SubElement(configuration, f"{{{HR_NS}}}UserOptionCode").text = str(code)
    return account


def read_user_account_request(root: etree._Element) -> tuple[Action, UserAccountRequest]:
    """Whether the document opens or closes labels, and which; DocumentError when it is malformed."""
    action = _action_of(root)
    accounts = root.findall("hr:DataArea/hr:UserAccount", _NSMAP)
    if not accounts:
        raise DocumentError("Belgede hiç 'UserAccount' (etiket) yok.")
    identifiers = {required_text(account, "hr:UserID", _NSMAP, "UserID") for account in accounts}
    if len(identifiers) != 1:
        raise DocumentError("Bir talepteki bütün etiketler aynı VKN/TCKN'ye ait olmalıdır.")
    labels: list[LabelSpec] = []
    option_codes: dict[LabelSpec, int] = {}
    for account in accounts:
        label, code = _read_label(account)
        labels.append(label)
        option_codes[label] = code
    created_text = required_text(root, "oa:ApplicationArea/oa:CreationDateTime", _NSMAP, "CreationDateTime")
    request = UserAccountRequest(
        identifier=identifiers.pop(),
        title=optional_text(accounts[0], "hr:PersonName/hr:FormattedName", _NSMAP),
        labels=tuple(labels),
        created_at=_parse_datetime(created_text, "CreationDateTime"),
        activation_date=_activation_date(accounts),
        option_codes=option_codes,
    )
    return action, request


def _action_of(root: etree._Element) -> Action:
    for action, (root_name, _verb) in _ROOTS.items():
        if root.tag == f"{{{HR_NS}}}{root_name}":
            return action
    raise DocumentError("Belge bir 'ProcessUserAccount' ya da 'CancelUserAccount' belgesi değil.")


def _read_label(account: etree._Element) -> tuple[LabelSpec, int]:
    code_text = required_text(account, "hr:AccountConfiguration/hr:UserOptionCode", _NSMAP, "UserOptionCode")
    document_type = document_type_of_option_code(int(code_text)) if code_text.isdigit() else None
    if document_type is None:
        raise DocumentError(
            f"Hizmet kodu (UserOptionCode) {quoted(code_text)} tanınmıyor: e-Fatura için 1–4, e-İrsaliye için 51–54, "
            "Saklama, e-Arşiv, e-SMM, e-MM ve e-Adisyon için GİB'in hizmet kodları olmalıdır."
        )
    if not has_roles(document_type):
        return LabelSpec(document_type=document_type, role="", alias=""), int(code_text)
    role = required_text(account, "hr:UserRole/hr:RoleCode", _NSMAP, "RoleCode")
    if role not in ROLES:
        raise DocumentError(f"Geçersiz rol {quoted(role)}: GB (Gönderici Birim) ya da PK (Posta Kutusu) olmalıdır.")
    alias = required_text(account, "hr:AuthorizedWorkScope/hr:WorkScopeCode", _NSMAP, "WorkScopeCode")
    return LabelSpec(document_type=document_type, role=role, alias=alias), int(code_text)


def _activation_date(accounts: list[etree._Element]) -> date | None:
    dates = {account.get("validFrom") for account in accounts}
    if len(dates) != 1:
        raise DocumentError("Bir talepteki bütün etiketlerin aktivasyon tarihi aynı olmalıdır.")
    text = dates.pop()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise DocumentError(f"Aktivasyon tarihi {quoted(text)} geçerli bir tarih değil.") from exc


def _parse_datetime(text: str, label: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise DocumentError(f"'{label}' geçerli bir tarih-saat değil.") from exc
