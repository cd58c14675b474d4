"""The portal's GİB client when GİB is away, slow or broken: each case a plain Turkish message."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from app.gib.client import GibBadResponse, GibClient, GibRejected, GibTimeout, GibUnavailable
from tests.fixtures.gib import RunningSimulator, new_key

VKN = "9000068418"
Environ = dict[str, Any]
StartResponse = Callable[..., Any]


def answering(status: str, body: bytes, content_type: str = "text/html", times: int | None = None):
    """Middleware: answer `times` requests (all when None) with this body instead of the simulator."""
    calls = {"count": 0}

    def middleware(app: Any) -> Callable[[Environ, StartResponse], Iterable[bytes]]:
        def wrapped(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
            calls["count"] += 1
            if times is None or calls["count"] <= times:
                start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
                return [body]
            return app(environ, start_response)

        return wrapped

    return middleware, calls


def slow(seconds: float):
    def middleware(app: Any) -> Callable[[Environ, StartResponse], Iterable[bytes]]:
        def wrapped(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
            time.sleep(seconds)
            return app(environ, start_response)

        return wrapped

    return middleware


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_stopped_gib_is_reported_as_unreachable(gib_simulator: RunningSimulator) -> None:
    client = GibClient(gib_simulator.base_url, get_retries=0)
    gib_simulator.stop()

    with pytest.raises(GibUnavailable) as raised:
        client.time()

    assert f"GİB servisine ulaşılamıyor ({gib_simulator.base_url})" in str(raised.value)
    assert "güvenlik duvarı" in raised.value.message


def test_nothing_listening_is_unreachable_for_state_changing_calls_too() -> None:
    client = GibClient(f"http://127.0.0.1:{free_port()}")

    with pytest.raises(GibUnavailable):
        client.open_labels(b"<x/>", idempotency_key="k-1")


def test_slow_gib_times_out_with_the_waiting_time_in_the_message(gib_simulator_factory) -> None:
    simulator = gib_simulator_factory(middleware=slow(1.0), client_options={"read_timeout": 0.3, "get_retries": 0})

    started = time.monotonic()
    with pytest.raises(GibTimeout) as raised:
        simulator.client.time()

    assert time.monotonic() - started < 0.9
    assert "GİB servisi 0.3 saniye içinde yanıt vermedi" in raised.value.message


def test_slow_gib_times_out_on_posts_without_a_retry(gib_simulator_factory) -> None:
    simulator = gib_simulator_factory(middleware=slow(0.6), client_options={"read_timeout": 0.2})

    started = time.monotonic()
    with pytest.raises(GibTimeout):
        simulator.client.register_taxpayer(VKN, "DENEME", idempotency_key=new_key())

    assert time.monotonic() - started < 0.55  # a retried POST would have waited twice


def test_500_with_an_html_page_is_an_unreadable_answer(gib_simulator_factory) -> None:
    middleware, _calls = answering("500 Internal Server Error", b"<html><body>Proxy Error</body></html>")
    simulator = gib_simulator_factory(middleware=middleware)

    with pytest.raises(GibBadResponse) as raised:
        simulator.client.find_taxpayer(VKN)

    assert raised.value.http_status == 500
    assert "GİB'den anlaşılamayan bir yanıt geldi (HTTP 500)" in raised.value.message
    assert "Proxy Error" in raised.value.detail  # for the log, not the page
    assert "Proxy Error" not in raised.value.message


def test_garbage_with_200_is_an_unreadable_answer(gib_simulator_factory) -> None:
    middleware, _calls = answering("200 OK", b"\x00\x01 not json", "application/json")
    simulator = gib_simulator_factory(middleware=middleware)

    with pytest.raises(GibBadResponse):
        simulator.client.time()


def test_json_missing_fields_is_an_unreadable_answer(gib_simulator_factory) -> None:
    middleware, _calls = answering("200 OK", b'{"now": "2024-01-01T00:00:00"}', "application/json")
    simulator = gib_simulator_factory(middleware=middleware)

    with pytest.raises(GibBadResponse, match="anlaşılamayan"):
        simulator.client.time()


def test_a_gib_error_answer_carries_code_and_text(gib_simulator_factory) -> None:
    body = '{"error": {"code": "1195", "message": "Sistem hatası."}}'.encode()
    middleware, _calls = answering("500 Internal Server Error", body, "application/json")
    simulator = gib_simulator_factory(middleware=middleware)

    with pytest.raises(GibRejected) as raised:
        simulator.client.register_taxpayer(VKN, "DENEME", idempotency_key=new_key())

    assert (raised.value.code, raised.value.text, raised.value.http_status) == ("1195", "Sistem hatası.", 500)
    assert raised.value.message == "GİB isteği reddetti (hata kodu 1195): Sistem hatası."


def test_safe_calls_are_retried_after_a_brief_outage(gib_simulator_factory) -> None:
    middleware, calls = answering("503 Service Unavailable", b"busy", times=2)
    simulator = gib_simulator_factory(middleware=middleware)

    assert simulator.client.time().offset_seconds == 0
    assert calls["count"] == 3


def test_state_changing_calls_are_not_retried(gib_simulator_factory) -> None:
    middleware, calls = answering("503 Service Unavailable", b"busy", times=1)
    simulator = gib_simulator_factory(middleware=middleware)

    with pytest.raises(GibBadResponse):
        simulator.client.register_taxpayer(VKN, "DENEME", idempotency_key=new_key())

    assert calls["count"] == 1
    assert simulator.client.find_taxpayer(VKN) is None
