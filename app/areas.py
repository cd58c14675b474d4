"""The portal's areas, in menu order: one list for the factory (which blueprints to register) and the menu."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    name: str  # the blueprint package under app/blueprints/
    menu_endpoint: str | None  # None: registered, but not in the main menu
    menu_label: str | None = None
    menu_parent: str | None = None  # an area without its own menu entry lights up its parent's


AREAS = (
    Area("home", "home.index", "Ana Sayfa"),
    Area("auth", None),
    Area("ofis", None),  # Firma Seç and Yetkilerim: the person's own pages, outside any taxpayer
    Area("yetki", None),  # Yetkilendirme: linked from the header and Hesabım for the taxpayer's own login
    Area("iptal", "iptal.index", "İptal Portalı"),
    Area("faturalar", "faturalar.index", "Faturalar"),
    Area("yonetim", "yonetim.index", "Yönetim"),
    Area("hizmetler", None, menu_parent="yonetim"),  # Yönetim > Genel: Hizmet Aktivasyonu, Kayıtlı Kullanıcı Listesi (linked from Yönetim)
    Area("jobs", "jobs.index", "İşlemler"),
    Area("edefter", "edefter.index", "e-Defter"),
)


def menu_area_of(blueprint: str) -> str:
    """The area whose main-menu entry is lit while a page of ``blueprint`` is shown."""
    for area in AREAS:
        if area.name == blueprint:
            return area.menu_parent or area.name
    return blueprint
