"""The simulator's HTTP edges: unknown addresses, wrong methods, oversized or empty bodies, odd keys."""

from __future__ import annotations

import requests

from tests.fixtures.gib import RunningSimulator


def error_of(response: requests.Response) -> tuple[int, str, str]:
    error = response.json()["error"]
    return response.status_code, error["code"], error["message"]


def test_unknown_address_and_wrong_method(gib_simulator: RunningSimulator) -> None:
    base = f"{gib_simulator.base_url}/api/v1"

    assert error_of(requests.get(f"{base}/nowhere", timeout=5))[:2] == (404, "9002")
    assert error_of(requests.delete(f"{base}/time", timeout=5))[:2] == (405, "9003")


def test_oversized_document_is_refused(gib_simulator: RunningSimulator) -> None:
    body = b"<x>" + b"a" * (21 * 1024 * 1024) + b"</x>"

    status, code, message = error_of(
        requests.post(f"{gib_simulator.base_url}/api/v1/edefter/berats", data=body, timeout=30)
    )

    assert (status, code) == (413, "9004")
    assert "çok büyük" in message


def test_empty_document_and_non_json_registry_body_are_refused(gib_simulator: RunningSimulator) -> None:
    base = f"{gib_simulator.base_url}/api/v1"

    empty = error_of(requests.post(f"{base}/label-openings", data=b"  ", timeout=5))
    not_json = error_of(requests.put(f"{base}/taxpayers/9000068418", data=b"title=x", timeout=5))

    assert empty[:2] == (400, "1140") and "imzalı XML" in empty[2]
    assert not_json[:2] == (400, "9005") and "JSON" in not_json[2]


def test_overlong_idempotency_key_is_refused(gib_simulator: RunningSimulator) -> None:
    response = requests.put(
        f"{gib_simulator.base_url}/api/v1/taxpayers/9000068418",
        json={"title": "DENEME"},
        headers={"Idempotency-Key": "k" * 101},
        timeout=5,
    )

    assert error_of(response)[:2] == (400, "9005")


def test_answers_are_utf8_json_with_turkish_text(gib_simulator: RunningSimulator) -> None:
    response = requests.get(f"{gib_simulator.base_url}/api/v1/taxpayers/9000068418", timeout=5)

    assert response.headers["Content-Type"].startswith("application/json")
    assert "Mükellef kaydı bulunamadı." in response.content.decode("utf-8")
