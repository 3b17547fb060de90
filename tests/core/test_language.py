"""Language choice: explicit switch, remembered; else Accept-Language; French by default."""


def test_french_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert "Je suis locataire" in html


def test_accept_language_english(en_client):
    html = en_client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "I am a tenant" in html


def test_explicit_switch_is_remembered_over_accept_language(en_client):
    response = en_client.get("/langue/fr?next=/locataire")
    assert response.status_code == 302
    assert response.headers["Location"] == "/locataire"
    html = en_client.get("/").get_data(as_text=True)
    assert '<html lang="fr"' in html


def test_switch_never_redirects_off_site(client):
    for target in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        response = client.get("/langue/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client):
    assert client.get("/langue/xx").status_code == 404


def test_switch_link_points_to_the_same_page(client):
    html = client.get("/locataire").get_data(as_text=True)
    assert 'href="/langue/en?next=/locataire"' in html
