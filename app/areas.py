"""The portal's areas, in menu order: one list for the factory (which blueprints to register) and the menu."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    name: str  # the blueprint package under app/blueprints/
    menu_endpoint: str | None  # None: registered, but not in the main menu
    menu_label: str | None = None
    menu_parent: str | None = None  # an area without its own menu entry lights up its parent's
    crumb_group: str | None = None  # a middle breadcrumb step under the parent ("Yönetim > Genel > …")


AREAS = (
    Area("home", "home.index", "Ana Sayfa"),
    Area("auth", None),
    Area("ofis", None),  # Firma Seç and Yetkilerim: the person's own pages, outside any taxpayer
    Area("yetki", None),  # Yetkilendirme: linked from the header and Hesabım for the taxpayer's own login
    Area("iptal", "iptal.index", "İptal/İtiraz Portalı"),
    Area("faturalar", "faturalar.index", "Faturalar"),
    Area("yonetim", "yonetim.index", "Yönetim"),
    Area("hizmetler", None, menu_parent="yonetim", crumb_group="Genel"),  # Yönetim > Genel: Hizmet Aktivasyonu, Kayıtlı Kullanıcı Listesi (linked from Yönetim)
    Area("kontor", None, menu_parent="yonetim", crumb_group="Genel"),  # Yönetim > Kontör (Yönetim's sub-menu)
    Area("saklama", None, menu_parent="yonetim", crumb_group="Genel"),  # Yönetim > Belge Saklama
    Area("dogrulama", "dogrulama.upload_form", "İmza Doğrulama"),
    Area("jobs", "jobs.index", "İşlemler"),
    Area("edefter", "edefter.index", "e-Defter"),
    Area("yevmiye", None, menu_parent="edefter"),  # e-Defter > Yevmiye Kayıtları, API Anahtarları
    Area("defter", None, menu_parent="edefter"),  # e-Defter > Defter Oluştur (linked from the e-Defter page)
    Area("donemler", None, menu_parent="edefter"),  # e-Defter > Defter Dönemleri (deadlines, states)
    Area("defter_arsivi", None, menu_parent="edefter"),  # e-Defter > e-Defter Arşivi (SPEC D8)
    Area("api", None),  # /api/v1: the web service for accounting programs (JSON, API keys)
    Area("egitim", None),  # Eğitim: the trainer's room (demo/training mode), linked from the header for trainers
)


def menu_area_of(blueprint: str) -> str:
    """The area whose main-menu entry is lit while a page of ``blueprint`` is shown."""
    for area in AREAS:
        if area.name == blueprint:
            return area.menu_parent or area.name
    return blueprint
