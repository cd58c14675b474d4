"""Every GİB call ends at its total deadline (issue 16): a GİB that trickles bytes cannot hold a worker thread.

The servers here are real sockets on 127.0.0.1 that answer slowly on purpose; every loop is bounded.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from app.gib.client import GibClient, GibTimeout

MAX_CONNECTIONS = 10  # no test needs more; the server stops accepting after that
MAX_TRICKLE_SECONDS = 30  # a trickle never runs longer, whatever the client does


def _read_request_head(connection: socket.socket) -> None:
    data = b""
    connection.settimeout(5)
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = connection.recv(4096)
        if not chunk:
            return
        data += chunk


def _trickle(connection: socket.socket, payload: bytes, interval: float, stop: threading.Event) -> None:
    """Send payload one byte per interval until it is sent, the client leaves, or the test ends."""
    ends = time.monotonic() + MAX_TRICKLE_SECONDS
    for byte in payload:
        if stop.is_set() or time.monotonic() > ends:
            return
        try:
            connection.sendall(bytes([byte]))
        except OSError:
            return  # the client cut the connection: what we want
        stop.wait(interval)


@contextmanager
def loopback_server(answer: Callable[[socket.socket, threading.Event], None]) -> Iterator[tuple[str, list[float]]]:
    """A server on 127.0.0.1 calling answer(connection, stop) per connection; yields its URL and accept times."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(MAX_CONNECTIONS)
    listener.settimeout(0.1)
    stop = threading.Event()
    accepted: list[float] = []

    def handle(connection: socket.socket) -> None:
        with connection:
            _read_request_head(connection)
            answer(connection, stop)

    def serve() -> None:
        handlers = []
        while not stop.is_set() and len(accepted) < MAX_CONNECTIONS:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            accepted.append(time.monotonic())
            handler = threading.Thread(target=handle, args=(connection,), daemon=True)
            handler.start()
            handlers.append(handler)
        for handler in handlers:
            handler.join(MAX_TRICKLE_SECONDS)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    finally:
        stop.set()
        server.join(MAX_TRICKLE_SECONDS + 5)
        listener.close()


def trickling_body(interval: float = 0.5) -> Callable[[socket.socket, threading.Event], None]:
    """Headers at once, then the JSON body one byte every `interval` seconds."""

    def answer(connection: socket.socket, stop: threading.Event) -> None:
        body = b'{"now": "2026-01-01T00:00:00+00:00", "offset_seconds": 0}' + b" " * 200
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        _trickle(connection, body, interval, stop)

    return answer


def trickling_headers(interval: float = 0.5) -> Callable[[socket.socket, threading.Event], None]:
    def answer(connection: socket.socket, stop: threading.Event) -> None:
        head = b"HTTP/1.1 200 OK\r\n" + b"".join(f"X-Slow-{i}: {'a' * 20}\r\n".encode() for i in range(50))
        _trickle(connection, head, interval, stop)

    return answer


def slow_503(delay: float) -> Callable[[socket.socket, threading.Event], None]:
    def answer(connection: socket.socket, stop: threading.Event) -> None:
        stop.wait(delay)
        body = b"busy"
        connection.sendall(
            b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 600\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        )

    return answer


def silent(connection: socket.socket, stop: threading.Event) -> None:
    stop.wait(MAX_TRICKLE_SECONDS)


def _timed(call: Callable[[], object]) -> tuple[float, GibTimeout]:
    started = time.monotonic()
    with pytest.raises(GibTimeout) as raised:
        call()
    return time.monotonic() - started, raised.value


def test_a_gib_trickling_its_answer_is_cut_at_the_total_deadline() -> None:
    with loopback_server(trickling_body(0.5)) as (url, _):
        client = GibClient(url, read_timeout=5, total_timeout=2, get_retries=2)
        elapsed, error = _timed(client.time)
    assert 1.9 <= elapsed < 3.0  # each read came within 0.5 s: only the total deadline could stop it
    assert error.message.startswith("GİB servisi 2 saniye içinde yanıt vermedi.")


def test_trickling_headers_and_a_silent_gib_are_cut_too() -> None:
    with loopback_server(trickling_headers(0.5)) as (url, _):
        elapsed, _error = _timed(GibClient(url, read_timeout=5, total_timeout=1.5).time)
    assert 1.4 <= elapsed < 2.5
    with loopback_server(silent) as (url, _):
        elapsed, _error = _timed(GibClient(url, read_timeout=30, total_timeout=1).time)
    assert 0.9 <= elapsed < 2.0


def test_a_state_changing_call_is_cut_at_the_deadline_and_not_repeated() -> None:
    with loopback_server(trickling_body(0.3)) as (url, accepted):
        client = GibClient(url, read_timeout=5, total_timeout=1.5)
        elapsed, _error = _timed(lambda: client.open_labels(b"<x/>", idempotency_key="sure-siniri-1"))
    assert 1.4 <= elapsed < 2.5
    assert len(accepted) == 1


def test_retries_of_a_get_count_within_the_deadline() -> None:
    """503 after 0.8 s each time, Retry-After: 600: five retries would take 5 s and more; the deadline says 2."""
    with loopback_server(slow_503(0.8)) as (url, accepted):
        client = GibClient(url, read_timeout=5, total_timeout=2, get_retries=5)
        elapsed, _error = _timed(client.time)
    assert 1.9 <= elapsed < 3.0
    assert 2 <= len(accepted) <= 3  # it did retry, as far as the deadline allowed


def test_the_deadline_leaves_a_healthy_gib_alone(gib_simulator_factory) -> None:
    simulator = gib_simulator_factory(client_options={"total_timeout": 1})
    for _ in range(3):  # kept-alive connections are reused across calls, each under its own deadline
        assert simulator.client.time().offset_seconds == 0
    time.sleep(1.2)  # past the first calls' deadlines: their timers must not cut the next call
    assert simulator.client.time().offset_seconds == 0


def test_the_portal_client_takes_the_setting(app) -> None:
    from app.gib_access import gib_client

    with app.app_context():
        app.config["GIB_TOTAL_TIMEOUT"] = 7.5
        assert gib_client().total_timeout == 7.5
