"""GİB's registered-user list (`UserList`, NewUserList.xsd): one zip for PK labels, one for GB labels.

A label is listed once its activation time has come; a closed label stays listed with its
`DeletionTime`, so senders learn it no longer receives (docs/decisions/0023). Times are Istanbul
local time without a zone, as in GİB's files.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.formats.gib.user_account import DOCUMENT_TYPES
from app.gib.simulator import refusals
from app.gib.simulator.clock import ISTANBUL
from app.gib.simulator.models import Alias, Taxpayer
from app.gib.simulator.refusals import Refusal
from app.gib.simulator.registry import get_taxpayer

LIST_FILES = {"PK": "newUserPkList", "GB": "newUserGbList"}


@dataclass(frozen=True)
class ListedUser:
    taxpayer: Taxpayer
    aliases: list[Alias]  # visible now, oldest first

    @property
    def first_creation_time(self) -> datetime:
        return min(alias.created_at for alias in self.aliases)

    @property
    def account_type(self) -> str:
        return max(self.aliases, key=lambda alias: alias.created_at).account_type


def gib_time(moment: datetime) -> str:
    return moment.astimezone(ISTANBUL).replace(tzinfo=None).isoformat(timespec="seconds")


def visible_aliases(taxpayer: Taxpayer, now: datetime, role: str | None = None) -> list[Alias]:
    """Aliases that have been activated by now (closed ones included), optionally of one role.

    Only e-Fatura and e-İrsaliye labels are listed; services without a role (Saklama, e-Arşiv, …) are not.
    """
    return [
        alias
        for alias in taxpayer.aliases
        if alias.document_type in DOCUMENT_TYPES
        and alias.created_at <= now
        and (alias.deleted_at is None or alias.deleted_at > alias.created_at)
        and (role is None or alias.role == role)
    ]


def listed_users(session: Session, now: datetime, role: str | None = None) -> Iterator[ListedUser]:
    query = select(Taxpayer).options(selectinload(Taxpayer.aliases)).order_by(Taxpayer.identifier)
    for taxpayer in session.scalars(query):
        aliases = visible_aliases(taxpayer, now, role)
        if aliases:
            yield ListedUser(taxpayer=taxpayer, aliases=aliases)


def lookup_user(session: Session, identifier: str, now: datetime) -> ListedUser:
    """The taxpayer's entry in the list (both roles); Refusal when it has no listed label."""
    taxpayer = get_taxpayer(session, identifier)
    aliases = visible_aliases(taxpayer, now)
    if not aliases:
        raise Refusal(refusals.NOT_A_REGISTERED_USER, f"{identifier} numaralı mükellefin e-Fatura etiketi yok.")
    return ListedUser(taxpayer=taxpayer, aliases=aliases)


def build_user_list(users: Iterator[ListedUser], now: datetime) -> bytes:
    root = etree.Element("UserList")
    for user in users:
        root.append(_user_element(user, now))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _user_element(user: ListedUser, now: datetime) -> etree._Element:
    element = etree.Element("User")
    etree.SubElement(element, "Identifier").text = user.taxpayer.identifier
    etree.SubElement(element, "Title").text = user.taxpayer.title
    etree.SubElement(element, "Type").text = user.taxpayer.user_type
    etree.SubElement(element, "FirstCreationTime").text = gib_time(user.first_creation_time)
    etree.SubElement(element, "AccountType").text = user.account_type
    documents = etree.SubElement(element, "Documents")
    for document_type in DOCUMENT_TYPES:
        aliases = [alias for alias in user.aliases if alias.document_type == document_type]
        if not aliases:
            continue
        document = etree.SubElement(documents, "Document", type=document_type)
        for alias in aliases:
            entry = etree.SubElement(document, "Alias")
            etree.SubElement(entry, "Name").text = alias.name
            etree.SubElement(entry, "CreationTime").text = gib_time(alias.created_at)
            if alias.deleted_at is not None and alias.deleted_at <= now:
                etree.SubElement(entry, "DeletionTime").text = gib_time(alias.deleted_at)
    return element


def user_list_zip(session: Session, role: str, now: datetime) -> tuple[str, bytes]:
    """(zip file name, zip bytes) of the PK or GB list, e.g. newUserPkListxml.zip with newUserPkList.xml."""
    base = LIST_FILES[role]
    xml = build_user_list(listed_users(session, now, role), now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{base}.xml", xml)
    return f"{base}xml.zip", buffer.getvalue()
