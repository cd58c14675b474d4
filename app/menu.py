"""The page frame's navigation: the main menu (one entry per portal area, plus Hesabım), the breadcrumb, and
the flash messages an htmx action brings (static/js/frame.js clears the old ones when a person acts).

Everything here is derived from ``app.areas`` and the request's endpoint, so a new area or page gets its menu
entry and breadcrumb without editing this module: a page may only name itself (``{% block title %}``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app, render_template, request, session, url_for
from flask_login import current_user

from app.areas import AREAS, Area, menu_area_of

# Hesabım is a page of the home area, but has its own menu entry (where GİB's portals put the account).
ACCOUNT_LABEL = "Hesabım"
ACCOUNT_ENDPOINT = "home.account"


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str | None
    active: bool


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None


def _is_account_page() -> bool:
    """Hesabım and the pages under it (İşlem Geçmişi…): the home area's pages below /hesabim."""
    rule = request.url_rule
    return request.blueprint == ACCOUNT_ENDPOINT.split(".")[0] and rule is not None and "/hesabim" in rule.rule


def _account_url() -> str | None:
    if ACCOUNT_ENDPOINT not in current_app.view_functions or not current_user.is_authenticated:
        return None
    try:
        return url_for(ACCOUNT_ENDPOINT)
    except Exception:  # a page outside any acting taxpayer (Firma Seç) has no Hesabım of its own
        return None


def menu_items() -> list[MenuItem]:
    current = menu_area_of((request.endpoint or "").split(".")[0])
    account = _is_account_page()
    items = [
        MenuItem(area.menu_label, url_for(area.menu_endpoint) if area.name in current_app.blueprints else None,
                 area.name == current and not account)
        for area in AREAS
        if area.menu_endpoint and area.menu_label
    ]
    account_url = _account_url()
    if account_url:
        items.append(MenuItem(ACCOUNT_LABEL, account_url, account))
    return items


def _area(name: str) -> Area | None:
    return next((area for area in AREAS if area.name == name), None)


def breadcrumb(page_title: str = "") -> list[Crumb]:
    """'Yönetim › Genel › Hizmet Aktivasyonu': the lit menu entry, the area's group, then the page's own title."""
    blueprint = (request.endpoint or "").split(".")[0]
    crumbs: list[Crumb] = []
    if _is_account_page():
        crumbs.append(Crumb(ACCOUNT_LABEL, _account_url()))
    else:
        own, parent = _area(blueprint), _area(menu_area_of(blueprint))
        if parent is not None and parent.menu_label and parent.menu_endpoint:
            if request.endpoint == parent.menu_endpoint:
                return [Crumb(parent.menu_label, None)]  # the area's own page: its menu name says it all
            crumbs.append(Crumb(parent.menu_label, url_for(parent.menu_endpoint)))
        if own is not None and own.crumb_group:
            crumbs.append(Crumb(own.crumb_group, None))
    # A title written "Hizmet Aktivasyonu · Kapat" is two steps.
    for part in " ".join(page_title.split()).split(" · "):
        if part and (not crumbs or part.casefold() != crumbs[-1].label.casefold()):
            crumbs.append(Crumb(part, None))
    return crumbs


def _flash_after_htmx(response: Response) -> Response:
    """An htmx action swaps only part of the page: the messages it flashed come along out of band into the flash
    area (replacing the previous ones). Clearing old messages when a person acts is frame.js's part (it knows a
    click from a poll); polls (GET) and redirects leave the messages for the page that shows them."""
    if (request.method == "GET" or request.headers.get("HX-Request") != "true" or response.mimetype != "text/html"
            or response.status_code not in (200, 422) or response.direct_passthrough
            or request.headers.get("HX-Boosted") or "_flashes" not in session):
        return response
    flashes = render_template("_flash.html")
    response.set_data(response.get_data() + f'<div id="flash-area" hx-swap-oob="innerHTML">{flashes}</div>'.encode())
    return response


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"menu_items": menu_items, "breadcrumb": breadcrumb})
    app.after_request(_flash_after_htmx)
