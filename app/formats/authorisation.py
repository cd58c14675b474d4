"""The yetkilendirme document a taxpayer's card signs: who may act for the taxpayer, with which role, until when.

GİB publishes no format for an integrator's authorisations; this is the portal's own, in the namespace of
its other small documents (``app.formats.portal``), signed enveloped (XAdES-BES) like them.
"""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from app.formats.portal import NS


def authorisation_document(
    *,
    document_id: str,
    grantor_identifier: str,
    grantor_name: str,
    person_identifier: str,
    person_name: str,
    role_code: str,
    role_name: str,
    scope: str,
    valid_until: date | None,
    moment: datetime,
) -> bytes:
    """A "Yetkilendirme Belgesi": the taxpayer lets the person act for it with a role."""
    root = etree.Element(f"{{{NS}}}YetkilendirmeBelgesi", nsmap={None: NS})
    fields = [
        ("BelgeNo", document_id),
        ("YetkiVerenVknTckn", grantor_identifier),
        ("YetkiVerenUnvan", grantor_name),
        ("YetkiliTckn", person_identifier),
        ("YetkiliAdiSoyadi", person_name),
        ("Rol", role_code),
        ("RolAdi", role_name),
        ("Kapsam", scope),
        ("BaslangicZamani", moment.isoformat()),
        ("BitisTarihi", valid_until.isoformat() if valid_until else "SURESIZ"),
    ]
    for name, value in fields:
        etree.SubElement(root, f"{{{NS}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
