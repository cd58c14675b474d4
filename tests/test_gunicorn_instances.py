"""Two portal instances on one host keep their own gunicorn control sockets (issue 16).

gunicorn's default control socket ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl) is shared by every gunicorn of the
user: a second instance unlinks the first one's socket and binds its own, and `gunicornc` then steers the wrong
portal. This test runs the demo's own gunicorn command line (taken from scripts/demo.sh) twice, on two ports with two
instance folders, for a few seconds, and asks each control socket which workers it has.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
STARTUP_SECONDS = 30


def demo_gunicorn_command() -> str:
    """The gunicorn command of scripts/demo.sh (its continuation lines joined, without the final '&')."""
    script = (ROOT / "scripts" / "demo.sh").read_text()
    match = re.search(r'^"\$VENV/bin/gunicorn".*?(?<!\\)\n', script, flags=re.M | re.S)
    assert match, "scripts/demo.sh no longer starts gunicorn the expected way"
    command = match.group(0).replace("\\\n", " ").strip()
    assert command.endswith("&")
    return command.removesuffix("&").strip()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _control(socket_path: Path, command: str) -> dict:
    result = subprocess.run([str(VENV_BIN / "gunicornc"), "-s", str(socket_path), "-c", command, "-j"],
                            capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-2000:]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/portal.css", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not serve on {port} within {STARTUP_SECONDS} s:\n{log.read_text()[-2000:]}")


def test_the_demo_command_gives_each_instance_its_own_control_socket(tmp_path: Path) -> None:
    command = demo_gunicorn_command()
    assert '--control-socket "$PORTAL_INSTANCE_PATH/gunicorn.ctl"' in command
    instances = []
    try:
        for name in ("sinif-1", "sinif-2"):
            instance = tmp_path / name
            instance.mkdir()
            port = _free_port()
            log = tmp_path / f"{name}.log"
            env = {
                **os.environ,
                "VENV": str(VENV_BIN.parent),
                "PORT": str(port),
                "PORTAL_MODE": "demo",
                "PORTAL_INSTANCE_PATH": str(instance),
                "PORTAL_GIB_URL": "http://127.0.0.1:9",  # no simulator needed to serve a stylesheet
            }
            with log.open("w") as output:
                process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=ROOT, env=env, stdout=output,
                                           stderr=subprocess.STDOUT, start_new_session=True)
            instances.append((process, instance, port, log))
            _wait_until_serving(port, process, log)

        for process, instance, _port, log in instances:
            socket_path = instance / "gunicorn.ctl"
            assert socket_path.is_socket(), log.read_text()[-2000:]
            workers = {worker["pid"] for worker in _control(socket_path, "show workers")["workers"]}
            own_children = {child.pid for child in psutil.Process(process.pid).children()}
            assert workers and workers <= own_children  # this socket steers this instance, not the other

        first, second = instances
        first[0].send_signal(signal.SIGTERM)
        first[0].wait(timeout=30)
        assert not (first[1] / "gunicorn.ctl").exists()
        assert (second[1] / "gunicorn.ctl").is_socket()  # stopping one did not remove the other's socket
        assert _control(second[1] / "gunicorn.ctl", "show workers")["workers"]
    finally:
        for process, _instance, _port, _log in instances:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
