"""A CSV of 1,000,000 journal lines (250,000 maddeler) imported by ``flask edefter import`` in its own process, on
both databases: every line stored, peak memory bounded (the file is streamed, lines are written in chunks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.migrate import upgrade

LINES = 1_000_000
RSS_LIMIT_MB = 200
VKN = "4821307561"

# Runs the CLI in this process and prints its own peak RSS (VmHWM) last.
_RUN = """
import sys
from flask.cli import FlaskGroup
from app import create_app
try:
    FlaskGroup(create_app=lambda: create_app()).main(sys.argv[1:], standalone_mode=False)
finally:
    print("VmHWM", next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) // 1024)
"""


def write_csv(path: Path, lines: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write("madde_no;tarih;hesap_kodu;hesap_adi;alt_hesap_kodu;alt_hesap_adi;borc;alacak;belge_turu;belge_no;"
                  "belge_tarihi;odeme_sekli;aciklama\n")
        for number in range(1, lines // 4 + 1):
            day = f"{1 + number % 30:02d}.11.2026"
            amount = f"{1000 + number % 9000},{number % 100:02d}"
            out.write(f"{number};{day};100;KASA;;;10,00;;;;;NAKİT;Satış\n"
                      f"{number};{day};120;ALICILAR;120.{number % 500:04d};Müşteri;{amount};;fatura;"
                      f"A{number:09d};{day};;Satış\n"
                      f"{number};{day};600;YURT İÇİ SATIŞLAR;;;;{amount};;;;;\n"
                      f"{number};{day};391;HESAPLANAN KDV;391.20;KDV;;10,00;;;;;\n")


@pytest.mark.slow
def test_a_million_lines_import_within_bounded_memory(empty_database_url, tmp_path):
    upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO taxpayer (identifier, kind, unvan, created_at) "
                                "VALUES (:v, 'tuzel', 'BÜYÜK DEFTER A.Ş.', CURRENT_TIMESTAMP)"), {"v": VKN})
    csv_path = tmp_path / "milyon.csv"
    write_csv(csv_path, LINES)
    env = {**os.environ, "PORTAL_MODE": "test", "PORTAL_DATABASE_URL": empty_database_url,
           "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"), "PORTAL_JOBS_URL": "immediate"}
    answer = subprocess.run([sys.executable, "-c", _RUN, "edefter", "import", VKN, "2026-11", str(csv_path)],
                            capture_output=True, text=True, env=env, timeout=1800, check=False)
    assert answer.returncode == 0, answer.stderr[-3000:]
    assert "250000 madde (1000000 satır) 2026-11 dönemine alındı" in answer.stdout
    peak = int(answer.stdout.strip().splitlines()[-1].split()[1])
    assert peak <= RSS_LIMIT_MB, f"tepe RSS {peak} MB"
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM journal_line")) == LINES
        assert connection.scalar(text("SELECT line_count FROM journal_period")) == LINES
    engine.dispose()
    print(json.dumps({"peak_rss_mb": peak}))
