"""A state-changing call to GİB without an Idempotency-Key is refused before anything is sent."""

from __future__ import annotations

import pytest

from tests.fixtures.gib import sign_as
from tests.gib.documents import application


@pytest.mark.parametrize("key", ["", "   "])
def test_a_change_without_a_key_is_not_sent(gib_simulator_pki, demo_pki, key):
    client = gib_simulator_pki.client
    client.register_taxpayer("4821307561", "ANADOLU TEKSTİL", idempotency_key="kayit-anadolu")
    with pytest.raises(ValueError, match="Idempotency-Key"):
        client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=key)
    assert client.efatura_application("4821307561") is None  # nothing reached GİB


def test_the_key_is_a_required_argument(gib_client):
    with pytest.raises(TypeError):
        gib_client.register_taxpayer("4821307561", "ANADOLU TEKSTİL")  # type: ignore[call-arg]
