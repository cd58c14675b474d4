"""State-changing requests need the CSRF token that pages hand to htmx."""

import re


def test_post_without_csrf_token_is_refused(app, client, taxpayer_factory, login_as):
    app.config["WTF_CSRF_ENABLED"] = True
    login_as(taxpayer_factory())
    response = client.post("/giris/cikis")
    assert response.status_code == 400
    assert "Güvenlik doğrulaması başarısız" in response.get_data(as_text=True)
    assert client.get("/hesabim").status_code == 200  # still logged in


def test_post_with_the_pages_token_is_accepted(app, client, taxpayer_factory, login_as):
    app.config["WTF_CSRF_ENABLED"] = True
    login_as(taxpayer_factory())
    page = client.get("/hesabim").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post("/giris/cikis", headers={"X-CSRFToken": token})
    assert response.status_code == 303
    assert client.get("/hesabim").status_code == 302  # logged out
