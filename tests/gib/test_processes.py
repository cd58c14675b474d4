"""The simulator as its own process: `python -m app.gib.simulator` and gunicorn `app.gib.simulator.wsgi:app`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.gib.client import GibClient, GibUnavailable
from tests.fixtures.gib import new_key

REPO = Path(__file__).resolve().parents[2]
VKN = "9000068418"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(client: GibClient, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"simulator exited with {process.returncode}; see its log in the test's tmp_path")
        try:
            client.time()
            return
        except GibUnavailable:
            time.sleep(0.1)
    raise AssertionError("simulator did not start in time")


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=15)


class Processes:
    """Processes started by a test, their output in a log file, all ended when the test ends."""

    def __init__(self, log_path: Path) -> None:
        self.log = open(log_path, "ab")
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.started.append(process)
        return process

    def end_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path / "processes.log")
    yield started
    started.end_all()


def run_module(processes: Processes, port: int, data: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "app.gib.simulator",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data",
        str(data),
        *extra,
    ]
    return processes.start(command)


def test_module_command_serves_and_keeps_state_across_restarts(processes: Processes, tmp_path: Path) -> None:
    port = free_port()
    client = GibClient(f"http://127.0.0.1:{port}", get_retries=0)
    first = run_module(processes, port, tmp_path / "gib", "--clock-offset", "120")
    wait_until_up(client, first)

    client.register_taxpayer(VKN, "DENEME TİCARET A.Ş.", idempotency_key=new_key())
    assert client.time().offset_seconds == 120
    assert stop(first) == 0
    with pytest.raises(GibUnavailable):
        client.time()

    second = run_module(processes, port, tmp_path / "gib")
    wait_until_up(client, second)
    taxpayer = client.find_taxpayer(VKN)
    assert taxpayer is not None and taxpayer.title == "DENEME TİCARET A.Ş."
    assert (tmp_path / "gib" / "gib-simulator.sqlite3").is_file()
    assert stop(second) == 0


def test_gunicorn_serves_the_wsgi_app_with_several_workers(processes: Processes, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "GIB_SIM_DATA": str(tmp_path / "gib"), "GIB_SIM_APPROVAL_DELAY": "30"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = processes.start(
        [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", "2", "app.gib.simulator.wsgi:app"], env=env
    )
    client = GibClient(f"http://127.0.0.1:{port}", get_retries=0)
    wait_until_up(client, process)

    for _ in range(4):  # several requests, served by either worker, all see one database
        client.register_taxpayer(VKN, "DENEME TİCARET A.Ş.", idempotency_key=new_key())
        assert client.find_taxpayer(VKN) is not None
    assert stop(process) == 0
