"""Firma Ayarları (SPEC D1): what each field must be, with GİB's and the seed's reasons (decision 0060)."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping
from urllib.parse import urlsplit

from app.edefter.company.forms import FieldReader
from app.edefter.company.nace import NaceCodeError, normalise_nace
from app.edefter.company.places import TURKIYE, is_turkiye, postal_code_problem, province
from app.models import BeratPeriod, PeriodKind, Taxpayer, TaxpayerKind

MAX_SPLIT_MB = 200  # GİB wants a defter split into parts above 200 MB (GIB-FORMATS §4.2)
MIN_SPLIT_MB = 10
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_HOST = re.compile(r"^(?=.{4,253}$)([a-z0-9çğıöşü-]+\.)+[a-z]{2,}$")


@dataclass(frozen=True)
class SettingsInput:
    """A settings form that passed every check, ready to be stored."""

    period_kind: PeriodKind
    fiscal_year_start: date
    fiscal_year_end: date
    first_use_date: date
    founded_on: date
    berat_period: BeratPeriod
    split_size_mb: int
    gib_application_done: bool
    compatible_software_set: bool
    name: str
    building_number: str
    street: str
    city: str
    postal_code: str
    country: str
    phone: str
    email: str
    website: str
    nace_code: str
    nace_description: str


def name_label(taxpayer: Taxpayer) -> str:
    """entityInformation names a company by its unvan and a person by name and surname."""
    return "Unvan" if taxpayer.kind is TaxpayerKind.TUZEL else "Adı Soyadı"


def last_day_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def one_year_later(start: date) -> date:
    """The last day of a twelve-month period starting on ``start``."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return date(start.year + 1, 2, 28)


def _check_fiscal_period(r: FieldReader, kind: PeriodKind | None, start: date | None, end: date | None,
                         founded: date | None) -> None:
    if kind is None or start is None or end is None:
        return
    if end <= start:
        r.error("donem_bitis", "Hesap döneminin bitişi başlangıcından sonra olmalıdır.")
        return
    if end > one_year_later(start):
        r.error("donem_bitis", "Hesap dönemi on iki aydan uzun olamaz.")
    first_year = founded is not None and start == founded  # a company's first period starts when it is founded
    if founded is not None and start < founded:
        r.error("donem_baslangic", "Hesap dönemi firma kuruluş tarihinden önce başlayamaz.")
    if kind is PeriodKind.TAKVIM:
        if end != date(start.year, 12, 31):
            r.error("donem_bitis", f"Takvim yılı hesap dönemi 31.12.{start.year} tarihinde biter.")
        if start != date(start.year, 1, 1) and not first_year:
            r.error("donem_baslangic", "Takvim yılı hesap dönemi 1 Ocak'ta başlar (kuruluş yılı dışında).")
        return
    if end.month == 12 and end.day == 31:
        r.error("donem_turu", "31 Aralık'ta biten dönem takvim yılıdır; dönem türü olarak Takvim yılı seçiniz.")
    elif end != last_day_of_month(end):
        r.error("donem_bitis", "Özel hesap dönemi bir ayın son günü biter.")
    if start.day != 1 and not first_year:
        r.error("donem_baslangic", "Özel hesap dönemi bir ayın ilk günü başlar (kuruluş yılı dışında).")


def _check_dates(r: FieldReader, settings_start: date | None, settings_end: date | None, first_use: date | None,
                 founded: date | None, today: date) -> None:
    if founded is not None and founded > today:
        r.error("kurulus_tarihi", "Firma kuruluş tarihi bugünden sonra olamaz.")
    if first_use is None:
        return
    if first_use.day != 1:
        r.error("ilk_gecis_tarihi", "e-Defter uygulamasına geçiş bir ayın ilk günü olur (örnek: 01.07.2024).")
    if founded is not None and first_use < founded.replace(day=1):
        r.error("ilk_gecis_tarihi", "e-Defter uygulamasına ilk geçiş firma kuruluşundan önce olamaz.")
    if settings_end is not None and first_use > settings_end:
        r.error("ilk_gecis_tarihi", "İlk geçiş tarihi hesap döneminin bitişinden sonra olamaz.")


def _check_phone(r: FieldReader, phone: str) -> None:
    digits = re.sub(r"\D", "", phone)
    if phone and (not _PHONE_CHARACTERS.match(phone) or not 10 <= len(digits) <= 15):
        r.error("telefon", "Telefon numarası alan koduyla birlikte 10–15 rakam olmalıdır (örnek: 0232 123 45 67).")


def _check_website(r: FieldReader, website: str) -> None:
    if not website:
        return
    parts = urlsplit(website if "://" in website else f"https://{website}")
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or " " in website or not _HOST.match(host):
        r.error("web_sitesi", "Web sitesi adresi geçerli değil (örnek: www.ornek.com.tr).")


def _check_address(r: FieldReader, building: str, country: str, city: str, postal_code: str) -> str:
    """Check the address; return the province's proper spelling for a Turkish address."""
    if building and not any(c.isdigit() for c in building):
        r.error("bina_no", "Bina numarası en az bir rakam içermelidir (örnek: 12 ya da 12/A).")
    if not country or not is_turkiye(country):
        if postal_code and not re.fullmatch(r"[A-Za-z0-9 -]{3,10}", postal_code):
            r.error("posta_kodu", "Posta kodu 3–10 harf ya da rakam olmalıdır.")
        return city
    found = province(city) if city else None
    if city and found is None:
        r.error("il", f"'{city[:30]}' Türkiye'nin 81 ilinden biri değil; il adını yazınız (örnek: İzmir).")
        return city
    if found is not None and postal_code:
        problem = postal_code_problem(postal_code, found[0])
        if problem:
            r.error("posta_kodu", problem)
    return found[1] if found else city


def read_settings(form: Mapping[str, str], taxpayer: Taxpayer, today: date) -> SettingsInput:
    """Check every field of the settings form; raise FormInvalid with one message per wrong field."""
    r = FieldReader(form)
    kind = r.choice("donem_turu", "Hesap dönemi türünü", PeriodKind)
    start = r.date("donem_baslangic", "Hesap dönemi başlangıcı")
    end = r.date("donem_bitis", "Hesap dönemi bitişi")
    first_use = r.date("ilk_gecis_tarihi", "e-Defter uygulamasına ilk geçiş tarihi")
    founded = r.date("kurulus_tarihi", "Firma kuruluş tarihi")
    berat_period = r.choice("berat_donemi", "Berat gönderim dönemini", BeratPeriod)
    split_size = r.integer("bolme_boyutu", "Defter bölme boyutu (MB)", MIN_SPLIT_MB, MAX_SPLIT_MB)
    gib_application = r.flag("gib_basvuru")
    if not gib_application:
        r.error("gib_basvuru", "e-Defter oluşturmak için önce GİB e-Defter Uygulaması'na başvurmuş olmanız gerekir; "
                               "başvurunuzu yaptıysanız işaretleyiniz.")
    label = name_label(taxpayer)
    name = r.text("unvan", label, max_length=250, min_length=2)
    if name and taxpayer.kind is TaxpayerKind.GERCEK and len(name.split()) < 2:
        r.error("unvan", "Adı Soyadı alanına adınızı ve soyadınızı birlikte yazınız.")
    building = r.text("bina_no", "Bina numarası", max_length=20)
    street = r.text("cadde_sokak", "Cadde / sokak", max_length=200, min_length=2)
    city = r.text("il", "İl", max_length=60, min_length=2)
    postal_code = r.text("posta_kodu", "Posta kodu", max_length=10)
    country = r.text("ulke", "Ülke", max_length=60, min_length=2)
    phone = r.text("telefon", "Telefon", max_length=30)
    email = r.text("eposta", "E-posta", max_length=254)
    website = r.text("web_sitesi", "Web sitesi", max_length=250)
    nace_text = r.raw("nace_kodu")
    nace_description = r.text("nace_aciklama", "Faaliyet konusu açıklaması", max_length=250, min_length=3)

    _check_fiscal_period(r, kind, start, end, founded)
    _check_dates(r, start, end, first_use, founded, today)
    city = _check_address(r, building, country, city, postal_code)
    country = TURKIYE if is_turkiye(country) else country
    _check_phone(r, phone)
    if email and not _EMAIL.match(email):
        r.error("eposta", "E-posta adresi geçerli değil (örnek: muhasebe@ornek.com.tr).")
    _check_website(r, website)
    nace_code = ""
    try:
        nace_code = normalise_nace(nace_text)
    except NaceCodeError as error:
        r.error("nace_kodu", str(error))
    r.done()
    assert kind and start and end and first_use and founded and berat_period and split_size  # done() passed
    return SettingsInput(
        period_kind=kind, fiscal_year_start=start, fiscal_year_end=end, first_use_date=first_use,
        founded_on=founded, berat_period=berat_period, split_size_mb=split_size,
        gib_application_done=gib_application, compatible_software_set=r.flag("uyumlu_yazilim"),
        name=name, building_number=building, street=street, city=city, postal_code=postal_code,
        country=country, phone=phone, email=email, website=website, nace_code=nace_code,
        nace_description=nace_description,
    )
