"""Every page of the frame has a breadcrumb and the main menu names only what exists (issue 15), on both
databases; the breadcrumb comes from app/areas.py and the page's title, so new pages get one by themselves."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from tests.pages import argument_free_pages


def crumbs(page: str) -> list[str]:
    tree = lxml_html.fromstring(page)
    return [" ".join(li.text_content().split()) for li in tree.xpath('//nav[@class="breadcrumb"]//li')]


def menu(page: str) -> list[str]:
    tree = lxml_html.fromstring(page)
    return [" ".join(a.text_content().split()) for a in tree.xpath('//nav[@class="main-menu"]//a')]


def test_every_page_has_a_breadcrumb(app, client, login_as, party, db_session):
    login_as(party("anadolu").taxpayer)
    missing, walked = [], 0
    for path in argument_free_pages(app):
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html" or "<html" not in response.get_data(as_text=True):
            continue
        walked += 1
        if not crumbs(response.get_data(as_text=True)):
            missing.append(path)
    assert walked >= 15
    assert missing == [], "pages without a breadcrumb: " + ", ".join(missing)


def test_breadcrumbs_follow_the_menu(client, login_as, party, db_session):
    login_as(party("anadolu").taxpayer)
    assert crumbs(client.get("/FaturaIptal/").get_data(as_text=True)) == ["İptal/İtiraz Portalı"]
    assert crumbs(client.get("/FaturaIptal/itiraz/talep").get_data(as_text=True)) == [
        "İptal/İtiraz Portalı", "Fatura İtiraz Talebi"]
    assert crumbs(client.get("/yonetim/hizmet-aktivasyonu/").get_data(as_text=True)) == [
        "Yönetim", "Genel", "Hizmet Aktivasyonu"]
    assert crumbs(client.get("/hesabim/islem-gecmisi").get_data(as_text=True))[0] == "Hesabım"
    page = client.get("/FaturaIptal/itiraz/talep").get_data(as_text=True)
    assert re.search(r'<a href="[^"]*/FaturaIptal/">İptal/İtiraz Portalı</a>', page)  # the first step is a link


def test_the_menu_has_hesabim_and_the_header_promises_only_what_exists(client, login_as, party, db_session):
    login_as(party("anadolu").taxpayer)
    page = client.get("/hesabim").get_data(as_text=True)
    assert "Hesabım" in menu(page)
    assert re.search(r'<a href="[^"]*/hesabim" aria-current="page">Hesabım</a>', page)
    tree = lxml_html.fromstring(page)
    subtitle = " ".join(tree.xpath('//div[@class="brand-sub"]')[0].text_content().split())
    assert "Hizmet Yönetimi" not in subtitle
    assert set(subtitle.split(" · ")) <= set(menu(page))
