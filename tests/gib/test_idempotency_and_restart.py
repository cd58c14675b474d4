"""A retried state-changing call is applied once; GİB's state survives a restart of the simulator."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import requests

from app.gib.client import GibClient, GibRejected, GibTimeout
from app.signing.demo_pki import DemoPKI
from tests.fixtures.gib import RunningSimulator, gib_seal_settings, new_key, sign_as
from tests.gib.documents import ANADOLU_TITLE, ANADOLU_VKN, GB, PK, application, berat, label_request


def test_same_key_sent_twice_opens_the_labels_once(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = gib_simulator_pki.client
    client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())
    signed = sign_as(demo_pki, "anadolu", label_request(GB, PK))

    first = client.open_labels(signed, idempotency_key="etiket-acma-42")
    second = client.open_labels(signed, idempotency_key="etiket-acma-42")

    assert second == first
    user = client.registered_user(ANADOLU_VKN)
    assert user is not None and len(user.aliases) == 2


def test_replayed_answer_is_marked(gib_simulator: RunningSimulator) -> None:
    url = f"{gib_simulator.base_url}/api/v1/taxpayers/{ANADOLU_VKN}"
    headers = {"Idempotency-Key": "kayit-1"}

    first = requests.put(url, json={"title": ANADOLU_TITLE}, headers=headers, timeout=5)
    second = requests.put(url, json={"title": ANADOLU_TITLE}, headers=headers, timeout=5)

    assert first.status_code == second.status_code == 200
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.content == first.content


def test_a_key_reused_for_another_request_is_refused(gib_client: GibClient) -> None:
    gib_client.register_taxpayer(ANADOLU_VKN, ANADOLU_TITLE, idempotency_key="kayit-2")

    with pytest.raises(GibRejected) as refused:
        gib_client.register_taxpayer(ANADOLU_VKN, "BAŞKA UNVAN", idempotency_key="kayit-2")

    assert refused.value.code == "9001"
    taxpayer = gib_client.find_taxpayer(ANADOLU_VKN)
    assert taxpayer is not None and taxpayer.title == ANADOLU_TITLE


def test_refusals_are_not_remembered(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = gib_simulator_pki.client
    signed = sign_as(demo_pki, "anadolu", label_request(PK))
    with pytest.raises(GibRejected):
        client.open_labels(signed, idempotency_key="etiket-acma-43")  # no e-Fatura application yet
    client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())

    assert client.open_labels(signed, idempotency_key="etiket-acma-43").is_active


def delayed_answers(seconds: float) -> Callable[[Any], Any]:
    """Middleware: GİB does the work at once but its answer to POSTs arrives late (lost on the way)."""

    def middleware(app: Any) -> Callable[..., Iterable[bytes]]:
        def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            body = b"".join(app(environ, start_response))
            if environ["REQUEST_METHOD"] == "POST":
                time.sleep(seconds)
            return [body]

        return wrapped

    return middleware


def test_berat_resent_after_a_timeout_is_approved_once(gib_simulator_factory, demo_pki: DemoPKI) -> None:
    simulator = gib_simulator_factory(
        trust_anchors=demo_pki.trust_anchors(),
        seal=gib_seal_settings(demo_pki),
        middleware=delayed_answers(1.0),
        client_options={"read_timeout": 0.5},
    )
    client = simulator.client
    client.register_taxpayer(ANADOLU_VKN, ANADOLU_TITLE, idempotency_key=new_key())
    signed = sign_as(demo_pki, "anadolu", berat(ANADOLU_VKN, "2024-01"))
    with pytest.raises(GibTimeout):
        client.submit_berat(signed, idempotency_key="berat-2024-01-YB-1")
    time.sleep(0.6)  # the first answer is still on its way

    patient = GibClient(simulator.base_url, read_timeout=5)
    approval = patient.submit_berat(signed, idempotency_key="berat-2024-01-YB-1")

    assert approval.filename == f"GIB-{ANADOLU_VKN}-202401-YB-000001.xml"
    assert len(patient.period_berats(ANADOLU_VKN, "2024-01").berats) == 1


def test_concurrent_sends_with_one_key_apply_once(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = gib_simulator_pki.client
    client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())
    signed = sign_as(demo_pki, "anadolu", label_request(GB, PK))
    answers: list[object] = []

    def send() -> None:
        try:
            answers.append(GibClient(gib_simulator_pki.base_url).open_labels(signed, idempotency_key="paralel-1"))
        except GibRejected as exc:
            answers.append(exc.code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    user = client.registered_user(ANADOLU_VKN)
    assert user is not None and len(user.aliases) == 2
    assert len(answers) == 4 and all(answer == answers[0] for answer in answers), answers  # each sees the one result


def test_state_survives_a_restart(gib_simulator_factory, demo_pki: DemoPKI, tmp_path) -> None:
    data = tmp_path / "gib-state"
    options = {"trust_anchors": demo_pki.trust_anchors(), "seal": gib_seal_settings(demo_pki)}
    first = gib_simulator_factory(data, **options)
    first.client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())
    opening = sign_as(demo_pki, "anadolu", label_request(PK))
    opened = first.client.open_labels(opening, idempotency_key="k-restart")
    first.client.submit_berat(sign_as(demo_pki, "anadolu", berat(ANADOLU_VKN, "2024-01")), idempotency_key=new_key())
    port = first.port
    first.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)

    second = gib_simulator_factory(data, port=port, **options)

    client = second.client
    assert client.efatura_application(ANADOLU_VKN) is not None
    assert client.label_request(opened.request_id).is_active
    user = client.registered_user(ANADOLU_VKN)
    assert user is not None and [label.alias for label in user.active_aliases("PK")] == [PK.alias]
    assert client.period_berats(ANADOLU_VKN, "2024-01").yevmiye_sent
    assert client.open_labels(opening, idempotency_key="k-restart") == opened  # remembered across the restart
