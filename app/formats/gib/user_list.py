"""Reading GİB's registered-user list (`UserList`, NewUserList.xsd; GIB-FORMATS §3) as a stream.

The list GİB publishes is large (every e-Fatura user with every alias), so it is read element by element with
iterparse and each `User` is dropped once read. Times in the file are Istanbul local time without a zone; they
come back timezone-aware (UTC).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO
from zoneinfo import ZoneInfo

from lxml import etree

from app.formats.gib.common import DocumentError
from app.formats.safe_xml import SAFE_PARSER_OPTIONS, ensure_no_doctype

ISTANBUL = ZoneInfo("Europe/Istanbul")


@dataclass(frozen=True)
class ListedAlias:
    document_type: str  # Invoice | DespatchAdvice
    name: str
    creation_time: datetime | None
    deletion_time: datetime | None


@dataclass(frozen=True)
class ListedUser:
    identifier: str
    title: str
    user_type: str  # KAMU | OZEL
    account_type: str  # GIBPORTAL | ENTEGRASYON | OZELENTEGRASYON
    first_creation_time: datetime | None
    aliases: tuple[ListedAlias, ...]


def gib_time(text: str | None) -> datetime | None:
    """'2014-04-01T00:00:00' (Istanbul, no zone) as an aware UTC datetime; None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise DocumentError(f"Kullanıcı listesinde geçersiz zaman: '{text}'.") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ISTANBUL)
    return moment.astimezone(UTC)


def _text(element: etree._Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def _user(element: etree._Element) -> ListedUser:
    aliases = []
    for document in element.iterfind("Documents/Document"):
        for alias in document.iterfind("Alias"):
            aliases.append(ListedAlias(
                document_type=document.get("type", ""),
                name=_text(alias, "Name"),
                creation_time=gib_time(alias.findtext("CreationTime")),
                deletion_time=gib_time(alias.findtext("DeletionTime")),
            ))
    identifier = _text(element, "Identifier")
    if not identifier:
        raise DocumentError("Kullanıcı listesinde 'Identifier' alanı olmayan bir kullanıcı var.")
    return ListedUser(
        identifier=identifier,
        title=_text(element, "Title"),
        user_type=_text(element, "Type"),
        account_type=_text(element, "AccountType"),
        first_creation_time=gib_time(element.findtext("FirstCreationTime")),
        aliases=tuple(aliases),
    )


def read_user_list(stream: IO[bytes]) -> Iterator[ListedUser]:
    """Each `User` of a UserList XML stream; DocumentError when the file is not a user list."""
    events = etree.iterparse(stream, events=("start", "end"), **SAFE_PARSER_OPTIONS)
    checked = False
    try:
        for event, element in events:
            if not checked:
                ensure_no_doctype(element.getroottree())
                if element.tag != "UserList":
                    raise DocumentError("Dosya bir GİB kullanıcı listesi (UserList) değil.")
                checked = True
            if event == "end" and element.tag == "User":
                yield _user(element)
                parent = element.getparent()
                element.clear()
                if parent is not None:
                    parent.remove(element)
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"Kullanıcı listesi okunamadı: {exc.msg}") from exc
