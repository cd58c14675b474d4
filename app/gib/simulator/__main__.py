"""Run the GİB simulator as its own process:

    python -m app.gib.simulator --host 127.0.0.1 --port 8089 --data instance/gib-simulator \\
        --trust-anchor instance/demo-pki/ca.pem --seal-token "GIB" [--approval-delay 30] [--clock-offset 0]

The seal token's PIN is read from GIB_SIM_SEAL_PIN (never from the command line, where `ps` shows it).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from types import FrameType

from werkzeug.serving import make_server

from app.gib.simulator import simulator_app_from_settings
from app.gib.simulator.settings import SealSettings, SimulatorSettings, database_url_for, load_certificates

log = logging.getLogger("app.gib.simulator")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app.gib.simulator", description="GİB simülatörü")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument(
        "--data",
        default=os.environ.get("GIB_SIM_DATA", "instance/gib-simulator"),
        help="state directory (SQLite file inside) or a database URL",
    )
    parser.add_argument(
        "--approval-delay",
        type=float,
        default=float(os.environ.get("GIB_SIM_APPROVAL_DELAY", "0")),
        help="seconds before GİB approves a label activation",
    )
    parser.add_argument(
        "--clock-offset",
        type=float,
        default=float(os.environ.get("GIB_SIM_CLOCK_OFFSET", "0")),
        help="seconds added to GİB's clock (to show the clock-skew error)",
    )
    parser.add_argument(
        "--trust-anchor",
        action="append",
        default=[],
        help="PEM file of a CA whose certificates may sign requests (repeatable)",
    )
    parser.add_argument(
        "--seal-module", default=os.environ.get("GIB_SIM_SEAL_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
    )
    parser.add_argument(
        "--seal-token",
        default=os.environ.get("GIB_SIM_SEAL_TOKEN", ""),
        help="label of the PKCS#11 token holding GİB's demo mali mühür",
    )
    parser.add_argument("--softhsm-conf", default=os.environ.get("GIB_SIM_SOFTHSM2_CONF", ""))
    parser.add_argument(
        "--training",
        action="store_true",
        default=os.environ.get("GIB_SIM_TRAINING", "").strip().lower() in {"1", "true", "yes", "on"},
        help="training room: the portal may move the training clock and reset trainees (never for a real service)",
    )
    return parser.parse_args(argv)


def settings_from_args(args: argparse.Namespace) -> SimulatorSettings:
    seal = None
    if args.seal_token:
        seal = SealSettings(
            module_path=args.seal_module,
            token_label=args.seal_token,
            pin=os.environ.get("GIB_SIM_SEAL_PIN", ""),
            softhsm_conf=args.softhsm_conf or None,
        )
    anchors = args.trust_anchor or [p for p in os.environ.get("GIB_SIM_TRUST_ANCHORS", "").split(os.pathsep) if p]
    return SimulatorSettings(
        database_url=database_url_for(args.data),
        approval_delay_seconds=args.approval_delay,
        clock_offset_seconds=args.clock_offset,
        trust_anchors=load_certificates(anchors),
        seal=seal,
        training=args.training,
    )


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = simulator_app_from_settings(settings_from_args(args))
    server = make_server(args.host, args.port, app, threaded=True)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    log.info("GİB simülatörü http://%s:%s adresinde çalışıyor", args.host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("GİB simülatörü durduruluyor")
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
