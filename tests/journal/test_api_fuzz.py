"""Property-based fuzzing of /api/v1 from its own OpenAPI description (schemathesis), on both databases: whatever
the body, header or path, the answer is never a server error, and every error is a problem document.

The cases schemathesis draws are sent through the Flask test client of the ``app`` fixture (one per database).
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.journal.openapi import document
from tests.journal.conftest import PERIOD

schema = schemathesis.openapi.from_dict(document())


@pytest.fixture
def api_client(app, company, make_key):
    app.config["API_RATE_LIMIT_PER_MINUTE"] = 0
    return app.test_client(), company.identifier, make_key(company)


def _send(api_client, case):
    client, vkn, token = api_client
    path = case.path
    for name, value in (case.path_parameters or {}).items():
        if name == "vkn":
            value = vkn
        elif name == "donem" and str(value).startswith("0"):
            value = PERIOD  # most drawn months are year 0000: give the body a period that exists
        path = path.replace("{" + name + "}", str(value))
    headers = {str(k): str(v) for k, v in (case.headers or {}).items()}
    headers["Authorization"] = f"Bearer {token}"
    body = case.body
    if body is None or type(body).__name__ == "NotSet":
        body = None
    elif not isinstance(body, (bytes, str)):
        body = json.dumps(body, default=str)
    return client.open("/api/v1" + path, method=case.method.upper(), query_string=case.query or None, headers=headers,
                       data=body, content_type="application/json" if body is not None else None)


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_input_makes_the_api_fail(case, api_client):
    response = _send(api_client, case)
    assert response.status_code < 500 or response.status_code == 501, response.get_data(as_text=True)[:500]
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json", (response.status_code, case,
                                                                  response.get_data(as_text=True)[-1500:])
        assert response.get_json()["detail"]
