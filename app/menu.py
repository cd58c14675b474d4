"""The main menu: one entry per portal area, linked once its blueprint is installed."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for

from app.areas import AREAS, menu_area_of


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str | None
    active: bool


def menu_items() -> list[MenuItem]:
    current = menu_area_of((request.endpoint or "").split(".")[0])
    return [
        MenuItem(area.menu_label, url_for(area.menu_endpoint) if area.name in current_app.blueprints else None,
                 area.name == current)
        for area in AREAS
        if area.menu_endpoint and area.menu_label
    ]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"menu_items": menu_items})
