"""Reading Belge Saklama's query strings: the product tab, the search fields, the selection."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.archive.queries import MAX_SELECTION, Search
from app.archive.rules import PRODUCTS
from app.formatting import parse_form_date, parse_record_id


def search_from(args: MultiDict[str, str]) -> tuple[Search, str | None]:
    """The search of the list (the product tab included); a Turkish message for a bad date, which is then ignored."""
    product = args.get("urun") if args.get("urun") in PRODUCTS else PRODUCTS[0]
    text = {key: (args.get(key) or "").strip()[:100] for key in ("ettn", "no", "karsi")}
    error, dates = None, {}
    for key, label in (("baslangic", "Başlangıç Tarihi"), ("bitis", "Bitiş Tarihi")):
        if args.get(key):
            try:
                dates[key] = parse_form_date(args[key], label)
            except ValueError as exc:
                error = str(exc)
    return Search(product, text["ettn"], text["no"], text["karsi"], dates.get("baslangic"), dates.get("bitis")), error


def selected_ids(args: MultiDict[str, str]) -> list[int]:
    ids = (parse_record_id(value) for value in args.getlist("belge")[:MAX_SELECTION])
    return sorted({value for value in ids if value is not None})
