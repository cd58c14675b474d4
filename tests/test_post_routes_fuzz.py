"""No form value makes any POST route answer 5xx (issue 16), on SQLite and PostgreSQL.

Walks ``app.url_map`` for every POST route (new routes are covered without touching this file), fills URL ids with
records of the logged-in taxpayer, and posts a fixed hostile corpus plus Hypothesis-drawn forms: empty, huge,
unicode, ``1e26``, ``NaN``, ``../``, NUL bytes, very long strings, several values per field, a file part. Field
names come from the portal's own code and templates, so the values reach the parsers behind them.
"""

from __future__ import annotations

import io
import re
import traceback
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from app.models import AccountingContract, ContractKind, EdefterBranch

APP = Path(__file__).resolve().parents[1] / "app"
EXAMPLES_PER_ROUTE = 8

HOSTILE = [
    "", " ", "0", "-1", "1e26", "9" * 27, "NaN", "Infinity", "-7.840,80", "../../etc/passwd", "..%2f..%2f", "a\x00b",
    "\x00", "٣٤٥", "１２３", "🙂" * 50, "<script>alert(1)</script>", "' OR 1=1 --", "x" * 20_000,
    "31.02.2024", "2024-13-45", "99999999999999999999999", "true", "on", "null", "[]", "{}",
]


def _field_names() -> list[str]:
    """Form field names the portal reads (views, rules, forms) or renders (templates)."""
    names: set[str] = set()
    reading = re.compile(r"""(?:\.get|getlist|\.raw|\.text|\.date|\.integer|\.choice|\.flag)\(\s*["']([a-z_]+)["']""")
    for path in APP.rglob("*.py"):
        if "simulator" not in path.parts:
            names.update(reading.findall(path.read_text(encoding="utf-8")))
    for path in (APP / "templates").rglob("*.html"):
        names.update(re.findall(r"""name=["']([a-z_]+)["']""", path.read_text(encoding="utf-8")))
    return sorted(names - {"csrf_token"})


FIELD_NAMES = _field_names()


def _where(exc: BaseException) -> str:
    """The innermost frame of the portal's own code in the traceback."""
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if "/app/" in frame.filename]
    return f"{frames[-1].filename.split('/app/')[-1]}:{frames[-1].lineno}" if frames else "?"


def _post_rules(app) -> list[Rule]:
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())), key=str)


def _path(rule: Rule, ids: dict[str, int]) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "", match.group(2)
        return str(ids.get(name, 1)) if converter in ("", "int") or converter.startswith("int") else "x"

    return re.sub(r"<(?:([^:<>]+):)?([^<>]+)>", value, rule.rule)


def _fixed_forms(realistic: list[str]) -> list[MultiDict]:
    forms = [MultiDict()]
    for hostile in ("1e26", "NaN", "\x00", "x" * 20_000, "../../etc/passwd", "٣٤٥", "9" * 27):
        forms.append(MultiDict([(name, hostile) for name in FIELD_NAMES]))
    forms.append(MultiDict([(name, value) for name in FIELD_NAMES for value in ("1", "", "1e26")]))  # arrays
    forms.append(MultiDict([(name, realistic[i % len(realistic)]) for i, name in enumerate(FIELD_NAMES)]))
    return forms


# Any text an HTTP client can send (lone surrogates cannot be encoded; invalid UTF-8 bytes are posted raw below).
_SENDABLE = st.characters(exclude_categories=["Cs"])


def _values(realistic: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE), st.sampled_from(realistic), st.text(_SENDABLE, max_size=40))


def _forms(realistic: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    pair = st.tuples(st.one_of(st.sampled_from(FIELD_NAMES), st.text(_SENDABLE, max_size=8)), _values(realistic))
    return st.lists(pair, max_size=12)


@pytest.fixture
def records(party, invoice_factory, db_session):
    """The logged-in taxpayer (Anadolu, with its demo card), an invoice to Ege, a contract and a branch."""
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    contract = AccountingContract(taxpayer_id=seller.taxpayer.id, kind=ContractKind.SMMM, title="MALİ MÜŞAVİRLİK LTD.",
                                  person_name="Ali Veli", description="Defter tutma", contract_type="Yıllık",
                                  contract_date=date(2024, 1, 2), contract_number="S-1")
    branch = EdefterBranch(taxpayer_id=seller.taxpayer.id, code="0001", name="Merkez Şube")
    db_session.add_all([contract, branch])
    db_session.commit()
    ids = {"mukellef_id": seller.taxpayer.id, "branch_id": branch.id, "contract_id": contract.id}
    realistic = [seller.token.label, "SoftHSM", seller.token.pin[:-1] + "0", invoice.number, "7.840,80", "7840.80",
                 str(invoice.id), buyer.taxpayer.identifier, seller.taxpayer.identifier, "2024-01-31", "31.01.2024",
                 "0001", "1", "on", "ALICI", "SATICI", "GIDEN", "GELEN"]
    return seller, ids, realistic


def test_no_post_route_answers_5xx_to_any_form(app, client, login_as, records) -> None:
    seller, ids, realistic = records
    rules = _post_rules(app)
    assert rules, "no POST route found"
    failures: list[str] = []

    def post(path: str, form: MultiDict, *, with_file: bytes | None = None, htmx: bool = False) -> None:
        login_as(seller.taxpayer)  # a logout route may have ended the previous session
        data = MultiDict(form)
        if with_file is not None:
            data.add("dosya", (io.BytesIO(with_file), "../../fatura\x00.xml"))
        headers = {"HX-Request": "true"} if htmx else {}
        shown = {key: (value[:30] + "…" if len(value) > 30 else value) for key, value in form.items()}
        try:  # in tests Flask propagates the exception that would have been a 500
            status = client.post(path, data=data, headers=headers).status_code
        except Exception as exc:  # noqa: BLE001 - collected, reported together at the end
            failures.append(f"{path} {type(exc).__name__}: {str(exc)[:150]} at {_where(exc)} {shown}")
            return
        if status >= 500:
            failures.append(f"{path} {status} {shown}")

    for rule in rules:
        path = _path(rule, ids)
        for form in _fixed_forms(realistic):
            post(path, form)
        post(path, MultiDict([(name, "1") for name in FIELD_NAMES]), with_file=b"\x00" * 64, htmx=True)
        login_as(seller.taxpayer)
        invalid_utf8 = "&".join(f"{name}=%FF%FE%C0%AF" for name in FIELD_NAMES).encode()
        try:
            status = client.post(path, data=invalid_utf8, content_type="application/x-www-form-urlencoded").status_code
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{path} {type(exc).__name__}: {str(exc)[:150]} (invalid UTF-8 in every field)")
        else:
            if status >= 500:
                failures.append(f"{path} {status} invalid UTF-8 in every field")

        @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
        @given(form=_forms(realistic), file=st.one_of(st.none(), st.binary(max_size=200)), htmx=st.booleans())
        def drawn(form: list[tuple[str, str]], file: bytes | None, htmx: bool) -> None:
            post(path, MultiDict(form), with_file=file, htmx=htmx)

        drawn()
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(dict.fromkeys(f[:200] for f in failures))


def test_no_page_answers_5xx_to_a_hostile_query_string_or_id(app, client, login_as, records) -> None:
    """The GET side of the same rule: ?sayfa=10^30, ?talep=…, dates like 2024-13-45, ids beyond any column."""
    seller, ids, realistic = records
    rules = sorted((rule for rule in app.url_map.iter_rules()
                    if "GET" in (rule.methods or ()) and rule.endpoint != "static"), key=str)
    huge_ids = {name: 10**30 for name in ids} | {"mukellef_id": ids["mukellef_id"]}
    failures: list[str] = []
    for rule in rules:
        for path in {_path(rule, ids), _path(rule, huge_ids), _path(rule, {})}:
            for hostile in ("99999999999999999999999999", "-1", "1e26", "NaN", "2024-13-45", "\x00", "x" * 5000):
                login_as(seller.taxpayer)
                query = {name: hostile for name in FIELD_NAMES}
                try:
                    status = client.get(path, query_string=query).status_code
                except Exception as exc:  # noqa: BLE001 - collected, reported together
                    failures.append(f"{path}?…={hostile[:20]!r} {type(exc).__name__}: {str(exc)[:150]}")
                    continue
                if status >= 500:
                    failures.append(f"{path}?…={hostile[:20]!r} {status}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(dict.fromkeys(failures))
