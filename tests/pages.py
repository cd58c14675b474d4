"""The portal's pages for the cross-page checks (raw codes, 800 px, breadcrumb): every GET page without
arguments, read from the url_map, so a page another engineer adds is walked without editing these tests."""

from __future__ import annotations

import re

from flask import Flask
from lxml import html as lxml_html

# Not pages: files, fragments asked by htmx, and the person's own pages outside any taxpayer.
NOT_PAGES = re.compile(r"\.(xml|zip|pdf|csv|xlsx|json|txt|xsd|png|svg)$|^/static/|/api/|/saglik")


def argument_free_pages(app: Flask) -> list[str]:
    pages = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        if set(rule.arguments) - set(rule.defaults or {}):
            continue
        if NOT_PAGES.search(rule.rule):
            continue
        pages.add(rule.rule)
    return sorted(pages)


def visible_text(page: str) -> str:
    """What a person reads: the body's text without scripts and styles, plus tooltips and button labels."""
    tree = lxml_html.fromstring(page)
    # <code>/<kbd>/<samp>/<pre> show literal text to type or file contents (a CSV's column names): not screen words.
    for hidden in tree.xpath("//script|//style|//template|//head|//code|//kbd|//samp|//pre"):
        hidden.drop_tree()
    titles = " ".join(tree.xpath("//@title|//@placeholder|//@aria-label"))
    return " ".join((tree.text_content() + " " + titles).split())
