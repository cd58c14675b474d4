"""GİB's registered-user list: zipped PK and GB lists in the UserList format, valid against NewUserList.xsd."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from app.gib.client import GibClient, SeedAlias
from app.signing.demo_pki import DemoPKI
from tests.fixtures.gib import RunningSimulator, new_key, sign_as
from tests.gib.documents import ANADOLU_VKN, GB, PK, application, label_request

USER_LIST_XSD = Path("/work/shared/gib/efatura-paketi/xsd/Userlist/NewUserList.xsd")
EGE_VKN = "6132704183"


@pytest.fixture(scope="module")
def user_list_schema() -> etree.XMLSchema:
    if not USER_LIST_XSD.is_file():
        pytest.skip(f"GİB's NewUserList.xsd is not on this machine ({USER_LIST_XSD}); schema check skipped")
    return etree.XMLSchema(etree.parse(str(USER_LIST_XSD)))


@pytest.fixture
def listed(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> GibClient:
    """Anadolu with GB+PK opened here (PK later closed); Ege with a GİB Portal PK and an e-İrsaliye PK."""
    client = gib_simulator_pki.client
    client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())
    client.open_labels(sign_as(demo_pki, "anadolu", label_request(GB, PK)), idempotency_key=new_key())
    client.close_labels(sign_as(demo_pki, "anadolu", label_request(PK, action="close")), idempotency_key=new_key())
    client.register_taxpayer(
        EGE_VKN,
        "Ege Gıda Dağıtım Limited Şirketi",
        aliases=[
            SeedAlias("Invoice", "PK", "urn:mail:defaultpk@egegida.com.tr"),
            SeedAlias("DespatchAdvice", "PK", "urn:mail:irsaliyepk@egegida.com.tr"),
        ], idempotency_key=new_key()
    )
    return client


def users_by_id(xml: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(xml)
    return {user.findtext("Identifier"): user for user in root.findall("User")}


def test_pk_and_gb_lists_validate_against_gibs_schema(listed: GibClient, user_list_schema: etree.XMLSchema) -> None:
    for role in ("PK", "GB"):
        document = etree.fromstring(listed.user_list(role).xml())
        assert user_list_schema.validate(document), user_list_schema.error_log


def test_pk_list_is_a_zip_named_as_gibs(listed: GibClient) -> None:
    pk_list = listed.user_list("PK")

    assert pk_list.filename == "newUserPkListxml.zip"
    users = users_by_id(pk_list.xml())
    assert set(users) == {ANADOLU_VKN, EGE_VKN}
    ege = users[EGE_VKN]
    assert ege.findtext("Title") == "Ege Gıda Dağıtım Limited Şirketi"
    assert ege.findtext("AccountType") == "GIBPORTAL"
    assert ege.findtext("Type") == "OZEL"
    assert [d.get("type") for d in ege.findall("Documents/Document")] == ["Invoice", "DespatchAdvice"]


def test_closed_pk_label_is_listed_with_its_deletion_time(listed: GibClient) -> None:
    anadolu = users_by_id(listed.user_list("PK").xml())[ANADOLU_VKN]

    aliases = anadolu.findall("Documents/Document/Alias")
    assert [alias.findtext("Name") for alias in aliases] == [PK.alias]
    assert aliases[0].findtext("DeletionTime")
    assert aliases[0].findtext("CreationTime") <= aliases[0].findtext("DeletionTime")


def test_gb_list_holds_only_gb_labels(listed: GibClient) -> None:
    users = users_by_id(listed.user_list("GB").xml())

    assert set(users) == {ANADOLU_VKN}
    names = [alias.findtext("Name") for alias in users[ANADOLU_VKN].iter("Alias")]
    assert names == [GB.alias]
    assert users[ANADOLU_VKN].findtext("AccountType") == "OZELENTEGRASYON"


def test_pending_labels_are_not_listed_yet(gib_simulator_factory, demo_pki: DemoPKI) -> None:
    from tests.fixtures.gib import gib_seal_settings

    simulator = gib_simulator_factory(
        trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki), approval_delay_seconds=60
    )
    client = simulator.client
    client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())
    client.open_labels(sign_as(demo_pki, "anadolu", label_request(GB, PK)), idempotency_key=new_key())

    assert users_by_id(client.user_list("PK").xml()) == {}
    assert client.registered_user(ANADOLU_VKN) is None


def test_empty_list_is_still_a_valid_user_list(gib_client: GibClient, user_list_schema: etree.XMLSchema) -> None:
    document = etree.fromstring(gib_client.user_list("GB").xml())

    assert document.tag == "UserList" and len(document) == 0
    assert user_list_schema.validate(document)


def test_unknown_list_type_is_refused(gib_simulator: RunningSimulator) -> None:
    import requests

    response = requests.get(f"{gib_simulator.base_url}/api/v1/user-list/xx.zip", timeout=5)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "9002"
