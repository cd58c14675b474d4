"""Etiket Ekle (C2) and the opening/closing rules (C4, C8) with their messages, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.formatting import local_today
from app.integrator import catalogue, rules
from app.integrator.rules import ServiceRefused
from app.models.service import LabelStatus, ServiceLabel


def test_etiket_ekle_creates_the_products_labels_closed(desk):
    anadolu = desk("anadolu")
    created = anadolu.add("efatura", "default", "AnadoluTekstil.com.tr")
    assert [(label.kind, label.alias, label.status) for label in created] == [
        ("efatura_gb", "urn:mail:defaultgb@anadolutekstil.com.tr", LabelStatus.KAPALI),
        ("efatura_pk", "urn:mail:defaultpk@anadolutekstil.com.tr", LabelStatus.KAPALI),
        ("efatura_saklama", "urn:mail:defaultsaklama@anadolutekstil.com.tr", LabelStatus.KAPALI),
    ]
    assert anadolu.audit_actions()[-1] == "hizmet_etiketi_eklendi"


def test_every_product_of_the_seed_gets_its_labels(desk):
    anadolu = desk("anadolu")
    for product in catalogue.PRODUCTS:
        anadolu.add(product.code)
    names = {(label.product, catalogue.KINDS[label.kind].name) for label in anadolu.labels()}
    assert names == {
        ("efatura", "e-Fatura Gönderim (GB)"), ("efatura", "e-Fatura Alım (PK)"), ("efatura", "Saklama"),
        ("earsiv", "e-Arşiv"), ("earsiv", "e-Arşiv Saklama"),
        ("eirsaliye", "e-İrsaliye Gönderim (IRGB)"), ("eirsaliye", "e-İrsaliye Alım (IRPK)"),
        ("eirsaliye", "İrsaliye Saklama"),
        ("esmm", "e-Serbest Meslek (e-SMM)"), ("esmm", "e-Serbest Meslek Saklama"),
        ("emm", "e-Müstahsil (e-MM)"), ("emm", "e-Müstahsil Saklama"),
        ("eadisyon", "e-Adisyon Hizmeti"), ("edefter", "e-Defter"),
    }


def test_several_pk_labels_but_one_saklama(desk):
    anadolu = desk("anadolu")
    anadolu.add("efatura", "default")
    second = anadolu.add("efatura", "merkez")
    assert [label.kind for label in second] == ["efatura_gb", "efatura_pk"]  # one Saklama is enough
    with pytest.raises(ServiceRefused, match="'urn:mail:merkezgb@anadolutekstil.com.tr' etiketi zaten ekli"):
        anadolu.add("efatura", "merkez")
    anadolu.add("earsiv")
    with pytest.raises(ServiceRefused, match="e-Arşiv etiketleriniz zaten eklenmiş"):
        anadolu.add("earsiv", "baska")


@pytest.mark.parametrize(
    ("prefix", "domain", "message"),
    [
        ("user", "firma.com.tr", "'usergb' GİB tarafından ayrılmış bir addır"),
        ("GIB", "firma.com.tr", "'GIB' GİB tarafından ayrılmış bir addır"),
        ("earchive", "firma.com.tr", "'earchive' GİB tarafından ayrılmış bir addır"),
        ("şirket", "firma.com.tr", "GİB'in etiket kuralına uygun bir URN olmalıdır"),
        ("satış birimi", "firma.com.tr", "Türkçe karakter ve boşluk kullanılamaz"),
        ("default", "firma", "'firma' geçerli bir alan adı değil"),
        ("default", "fırma.com.tr", "geçerli bir alan adı değil"),
        ("", "firma.com.tr", "Etiket Ön Eki giriniz"),
        ("default", "", "Şirket Alan Adı giriniz"),
        ("a@b", "firma.com.tr", "'@' ve ':' karakterlerini içeremez"),
    ],
)
def test_alias_syntax_and_reserved_names_are_refused_naming_the_rule(prefix, domain, message):
    with pytest.raises(ServiceRefused, match=message):
        rules.build_aliases(catalogue.EFATURA, prefix, domain)


def test_reserved_names_come_from_gib_formats():
    for product in catalogue.PRODUCTS:
        with pytest.raises(ServiceRefused, match="ayrılmış"):
            rules.build_aliases(product, "archive", "firma.com.tr")


def _labels(*kinds: str, status: LabelStatus = LabelStatus.KAPALI) -> list[ServiceLabel]:
    return [ServiceLabel(id=index, taxpayer_id=1, product=catalogue.KINDS[kind].product, kind=kind,
                         alias=f"urn:mail:x{kind}@firma.com.tr", status=status)
            for index, kind in enumerate(kinds, start=1)]


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        (("efatura_gb", "efatura_saklama"), "e-Fatura (GB / PK) ve Saklama etiketleri birlikte açılamamaktadır."),
        (("eirsaliye_pk", "eirsaliye_saklama"), "e-İrsaliye (PK / GB) ve İrsaliye Saklama etiketleri birlikte"),
        (("earsiv", "earsiv_saklama"), "e-Arşiv ve e-Arşiv Saklama etiketleri ayrı ayrı imzalanır"),
        (("esmm", "esmm_saklama"), "İki etiket aynı anda seçilerek imzalanamamaktadır"),
        (("emm", "emm_saklama"), "İki etiket aynı anda seçilerek imzalanamamaktadır"),
        (("efatura_gb", "esmm"), "Farklı ürünlerin etiketleri birlikte açılamaz"),
        ((), "Açmak istediğiniz etiketleri seçiniz"),
    ],
)
def test_labels_that_cannot_be_opened_together(kinds, message):
    labels = _labels(*kinds)
    active_efatura = _labels("efatura_gb", status=LabelStatus.AKTIF)
    active_efatura[0].id = 99
    with pytest.raises(ServiceRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        rules.check_opening(labels, labels + active_efatura)


@pytest.mark.parametrize(
    ("kind", "active", "message"),
    [
        ("earsiv", (), "e-Arşiv kullanıcılarının aynı zamanda e-Fatura mükellefi olması gerekmektedir"),
        ("eirsaliye_gb", (), "öncelikle e-Fatura mükellefi olmalı"),
        ("edefter", (), "e-Fatura uygulamasına da geçiş yapması zorunludur"),
        ("eadisyon", ("efatura_pk",), "e-Fatura ve e-Arşiv Fatura uygulamalarına dahil olmaları gerekir"),
        ("earsiv", ("efatura_saklama",), "e-Fatura mükellefi olması gerekmektedir"),  # Saklama is not e-Fatura
    ],
)
def test_prerequisites(kind, active, message):
    label = _labels(kind)
    others = _labels(*active, status=LabelStatus.AKTIF)
    for index, other in enumerate(others, start=50):
        other.id = index
    with pytest.raises(ServiceRefused, match=message):
        rules.check_opening(label, label + others)


def test_prerequisites_met():
    earsiv, adisyon = _labels("earsiv", "eadisyon")
    active = _labels("efatura_gb", "earsiv_saklama", status=LabelStatus.AKTIF)
    for index, other in enumerate(active, start=50):
        other.id = index
    assert rules.check_opening([earsiv], [earsiv, *active]) is catalogue.EARSIV
    with pytest.raises(ServiceRefused, match="e-Arşiv Fatura"):  # e-Arşiv Saklama is not e-Arşiv
        rules.check_opening([adisyon], [adisyon, *active])


def test_activation_date_rules():
    today = local_today()
    assert rules.activation_date("hemen", "", today) is None
    assert rules.activation_date("tarih", today.isoformat(), today) is None  # today is "now"
    tomorrow = today + timedelta(days=1)
    assert rules.activation_date("tarih", tomorrow.isoformat(), today) == tomorrow
    assert rules.activation_date("tarih", tomorrow.strftime("%d.%m.%Y"), today) == tomorrow
    with pytest.raises(ServiceRefused, match="Aktivasyon tarihi geçmiş bir gün olamaz"):
        rules.activation_date("tarih", (today - timedelta(days=1)).isoformat(), today)
    with pytest.raises(ServiceRefused, match="takvimden aktivasyon tarihini seçiniz"):
        rules.activation_date("tarih", "", today)
    with pytest.raises(ServiceRefused, match="geçerli bir tarih"):
        rules.activation_date("tarih", "31.02.2030", today)


def test_application_form_marked_fields():
    with pytest.raises(ServiceRefused, match=r"işaretli alanlar zorunludur \(Vergi Dairesi, E-Posta\)"):
        rules.application_fields("Anadolu", "", "", "", "")
    with pytest.raises(ServiceRefused, match="geçerli bir e-posta adresi değil"):
        rules.application_fields("Anadolu", "Bornova", "", "muhasebe", "")


def test_closing_rules():
    gb, pk, irgb, irpk = _labels("efatura_gb", "efatura_pk", "eirsaliye_gb", "eirsaliye_pk", status=LabelStatus.AKTIF)
    everything = [gb, pk, irgb, irpk]
    with pytest.raises(ServiceRefused, match="e-İrsaliye etiketleri e-Fatura etiketlerinden önce kapatılmalıdır"):
        rules.check_closing([gb, pk], everything, last_post_box_confirmed=True)
    with pytest.raises(rules.LastPostBoxWarning, match="hiç kimse size e-Fatura gönderemez"):
        rules.check_closing([pk], everything, last_post_box_confirmed=False)
    assert rules.check_closing([pk], everything, last_post_box_confirmed=True) is catalogue.EFATURA
    assert rules.check_closing([irgb, irpk], everything, last_post_box_confirmed=False) is catalogue.EIRSALIYE
    waiting = _labels("efatura_pk", status=LabelStatus.ONAY_BEKLIYOR)
    with pytest.raises(ServiceRefused, match="onay bekliyor; yalnızca aktif etiketler kapatılabilir"):
        rules.check_closing(waiting, waiting, last_post_box_confirmed=True)


def test_a_refusal_quotes_what_was_typed_only_briefly():
    pasted = "x" * 5000 + ".com"
    with pytest.raises(ServiceRefused) as refusal:
        rules.build_aliases(catalogue.EFATURA, "default", pasted)
    assert "geçerli bir alan adı değil" in refusal.value.message
    assert "xxxx…'" in refusal.value.message
    assert len(refusal.value.message) < 250
