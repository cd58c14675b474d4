"""Who is in a class: trainee companies with valid VKNs, realistic Turkish names, a card and a partner each.

Deterministic: the same class number and size always give the same companies, VKNs, card labels, PINs and
invoice prefixes, so that a reset (or a second preparation on another database) yields the same class.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.identifiers import make_vkn

MIN_TRAINEES = 2
MAX_TRAINEES = 60

PLACES = (
    "Anadolu", "Toros", "Kapadokya", "Trakya", "Fırat", "Dicle", "Uludağ", "Erciyes", "Kaçkar", "Yeşilırmak",
    "Kızılırmak", "Sakarya", "Çukurova", "Menderes", "Bozdağ", "Palandöken", "Ilgaz", "Munzur", "Gediz", "Ağrı",
)
TRADES = (
    ("Tekstil Sanayi ve Ticaret", "13.20", "Dokuma"),
    ("Gıda Pazarlama", "46.39", "Belirli bir mala tahsis edilmemiş mağazalarda gıda toptan ticareti"),
    ("Lojistik Hizmetleri", "52.29", "Taşımacılık için diğer destekleyici faaliyetler"),
    ("Bilişim Teknolojileri", "62.01", "Bilgisayar programlama faaliyetleri"),
    ("Yapı Malzemeleri", "46.73", "Ağaç, inşaat malzemesi ve sıhhi teçhizat toptan ticareti"),
    ("Mobilya Sanayi", "31.09", "Diğer mobilyaların imalatı"),
    ("Kimya Sanayi", "20.59", "Başka yerde sınıflandırılmamış diğer kimyasal ürünlerin imalatı"),
    ("Enerji Danışmanlık", "71.12", "Mühendislik faaliyetleri ve ilgili teknik danışmanlık"),
)
FORMS = ("A.Ş.", "Ltd. Şti.")
CITIES = (
    ("Ankara", "06", "Atatürk Bulvarı"), ("İzmir", "35", "Cumhuriyet Caddesi"), ("Bursa", "16", "İnönü Caddesi"),
    ("Kayseri", "38", "Sivas Caddesi"), ("Adana", "01", "Ziyapaşa Bulvarı"), ("Trabzon", "61", "Uzun Sokak"),
)
_LETTERS = "ABCDEFGHJKLMNPRSTUVYZ"


@dataclass(frozen=True)
class TraineePlan:
    position: int  # 1..N
    identifier: str  # VKN
    unvan: str
    pin: str
    partner_position: int
    invoice_prefix: str
    nace_code: str
    nace_description: str
    city: str
    plate: str
    street: str

    @property
    def token_label(self) -> str:
        return f"MM-{self.identifier}"


def partner_of(position: int, count: int) -> int:
    """Pairs 1↔2, 3↔4, …; with an odd class the last trainee trades with the first (who then has two partners)."""
    if count % 2 == 1 and position == count:
        return 1
    return position + 1 if position % 2 == 1 else position - 1


def vkn_for(class_number: int, position: int) -> str:
    """A valid VKN no real company is likely to hold: 8 + the class number + the position, then the check digit."""
    return make_vkn(f"8{class_number % 10000:04d}{position:04d}")


def pin_for(class_number: int, position: int) -> str:
    """A six-digit PIN per card, the same every time the class is prepared (it is printed on the handout)."""
    digest = hashlib.sha256(f"egitim/{class_number}/{position}".encode()).hexdigest()
    return f"{int(digest[:12], 16) % 900000 + 100000}"


def prefix_for(position: int) -> str:
    """The trainee's invoice number prefix: T + two letters (TAA, TAB, …)."""
    index = position - 1
    return "T" + _LETTERS[index // len(_LETTERS) % len(_LETTERS)] + _LETTERS[index % len(_LETTERS)]


def plan_class(class_number: int, count: int) -> list[TraineePlan]:
    if not MIN_TRAINEES <= count <= MAX_TRAINEES:
        raise ValueError(f"Sınıf {MIN_TRAINEES} ile {MAX_TRAINEES} arasında kursiyerden oluşmalıdır.")
    plans = []
    for position in range(1, count + 1):
        index = position - 1
        place = PLACES[index % len(PLACES)]
        trade, nace, nace_description = TRADES[(index + class_number) % len(TRADES)]
        form = FORMS[index % len(FORMS)]
        city, plate, street = CITIES[index % len(CITIES)]
        suffix = f" {index // len(PLACES) + 1}" if index >= len(PLACES) else ""
        plans.append(TraineePlan(
            position=position, identifier=vkn_for(class_number, position),
            unvan=f"{place}{suffix} {trade} {form}", pin=pin_for(class_number, position),
            partner_position=partner_of(position, count), invoice_prefix=prefix_for(position),
            nace_code=nace, nace_description=nace_description, city=city, plate=plate, street=street,
        ))
    return plans
