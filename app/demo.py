"""Demo/training data: fictional taxpayers (and, as areas grow, their records).

Idempotent: running it again leaves existing rows alone.
"""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import select

from app.db import get_session
from app.identifiers import make_tckn, make_vkn
from app.models import Taxpayer

DEMO_TAXPAYERS: list[tuple[str, str]] = [
    (make_vkn("123456789"), "ANADOLU DEMO GIDA SANAYİ VE TİCARET A.Ş."),
    (make_vkn("987654321"), "EGE ÖRNEK TEKSTİL LİMİTED ŞİRKETİ"),
    (make_tckn("120000001"), "AYŞE DEMİR"),
    (make_vkn("555444333"), "ESKİ SERTİFİKA MAKİNE A.Ş."),
]


def load_demo_data() -> Iterator[str]:
    session = get_session()
    existing = set(session.scalars(select(Taxpayer.identifier)))
    for identifier, unvan in DEMO_TAXPAYERS:
        if identifier in existing:
            continue
        session.add(Taxpayer(identifier=identifier, unvan=unvan))
        yield f"Mükellef eklendi: {identifier} {unvan}"
    session.commit()
    yield "Demo verileri hazır."
