"""GİB's clock and taxpayer registry over a real socket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.gib.client import GibClient, GibRejected, SeedAlias
from tests.fixtures.gib import new_key

VKN = "9000068418"


def test_time_is_gib_time_with_the_configured_offset(gib_simulator_factory) -> None:
    simulator = gib_simulator_factory(clock_offset_seconds=-600)

    reading = simulator.client.clock_reading()

    assert simulator.client.time().offset_seconds == -600
    assert reading.skew == pytest.approx(timedelta(minutes=-10), abs=timedelta(seconds=5))
    assert reading.gib_time.tzinfo is not None


def test_time_without_offset_agrees_with_the_host_clock(gib_client: GibClient) -> None:
    assert abs(gib_client.clock_reading().skew) < timedelta(seconds=5)


def test_registered_taxpayer_can_be_found(gib_client: GibClient) -> None:
    gib_client.register_taxpayer(VKN, "DENEME TİCARET A.Ş.", idempotency_key=new_key())

    taxpayer = gib_client.find_taxpayer(VKN)

    assert taxpayer is not None
    assert (taxpayer.identifier, taxpayer.title, taxpayer.user_type) == (VKN, "DENEME TİCARET A.Ş.", "OZEL")
    assert taxpayer.efatura_application is None
    assert gib_client.efatura_application(VKN) is None


def test_unknown_taxpayer_is_none(gib_client: GibClient) -> None:
    assert gib_client.find_taxpayer("3900383669") is None
    assert gib_client.registered_user("3900383669") is None


@pytest.mark.parametrize(
    ("identifier", "fragment"),
    [("9000068417", "kontrol hanesi"), ("12345", "VKN 10, TCKN 11 haneli"), ("10000000145", "kontrol haneleri")],
)
def test_invalid_identifier_is_refused_with_code_2001(gib_client: GibClient, identifier: str, fragment: str) -> None:
    with pytest.raises(GibRejected) as refused:
        gib_client.register_taxpayer(identifier, "X", idempotency_key=new_key())

    assert refused.value.code == "2001"
    assert fragment in refused.value.message
    assert refused.value.message.startswith("GİB isteği reddetti (hata kodu 2001): Geçersiz VKN/TCKN.")


def test_empty_title_and_unknown_user_type_are_refused(gib_client: GibClient) -> None:
    with pytest.raises(GibRejected, match="Unvan boş olamaz") as empty:
        gib_client.register_taxpayer(VKN, "  ", idempotency_key=new_key())
    with pytest.raises(GibRejected, match="OZEL ya da KAMU") as wrong_type:
        gib_client.register_taxpayer(VKN, "DENEME", user_type="SIRKET", idempotency_key=new_key())

    assert empty.value.code == wrong_type.value.code == "2006"


def test_labels_seeded_from_gib_portal_appear_in_the_lookup(gib_client: GibClient) -> None:
    seeded = [
        SeedAlias("Invoice", "GB", "urn:mail:defaultgb@deneme.com.tr"),
        SeedAlias("Invoice", "PK", "urn:mail:defaultpk@deneme.com.tr"),
    ]
    gib_client.register_taxpayer(VKN, "DENEME TİCARET A.Ş.", aliases=seeded, idempotency_key=new_key())
    gib_client.register_taxpayer(VKN, "DENEME TİCARET A.Ş.", aliases=seeded, idempotency_key=new_key())  # seeding twice changes nothing

    user = gib_client.registered_user(VKN)

    assert user is not None
    assert user.account_type == "GIBPORTAL"
    assert [label.alias for label in user.active_aliases("PK")] == ["urn:mail:defaultpk@deneme.com.tr"]
    assert len(user.aliases) == 2
    assert user.first_creation_time <= datetime.now(UTC)


def test_seeding_a_reserved_or_malformed_alias_is_refused(gib_client: GibClient) -> None:
    with pytest.raises(GibRejected) as reserved:
        gib_client.register_taxpayer(VKN, "DENEME", aliases=[SeedAlias("Invoice", "PK", "urn:mail:usergb")], idempotency_key=new_key())
    with pytest.raises(GibRejected) as malformed:
        gib_client.register_taxpayer(VKN, "DENEME", aliases=[SeedAlias("Invoice", "PK", "defaultpk@deneme.com.tr")], idempotency_key=new_key())

    assert reserved.value.code == "2102"
    assert malformed.value.code == "2103"
    assert "urn:mail:defaultpk@firma.com.tr" in malformed.value.text
