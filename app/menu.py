"""The main menu: one entry per portal area, linked once its blueprint is installed."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for

AREAS = [
    ("home", "home.index", "Ana Sayfa"),
    ("iptal", "iptal.index", "İptal Portalı"),
    ("faturalar", "faturalar.index", "Faturalar"),
    ("yonetim", "yonetim.index", "Yönetim"),
    ("edefter", "edefter.index", "e-Defter"),
]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str | None
    active: bool


def menu_items() -> list[MenuItem]:
    current = (request.endpoint or "").split(".")[0]
    return [
        MenuItem(label, url_for(endpoint) if area in current_app.blueprints else None, area == current)
        for area, endpoint, label in AREAS
    ]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"menu_items": menu_items})
