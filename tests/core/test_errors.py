"""Error pages are translated and never show a stack trace."""
from tests.helpers import make_test_app


def test_404_is_translated(client, en_client):
    fr = client.get("/nulle-part")
    assert fr.status_code == 404
    assert "Page introuvable" in fr.get_data(as_text=True)
    en = en_client.get("/nulle-part")
    assert en.status_code == 404
    assert "Page not found" in en.get_data(as_text=True)


def test_500_shows_a_calm_page_without_traceback(tmp_path):
    app = make_test_app(tmp_path, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise ZeroDivisionError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur du service" in body
    assert "Traceback" not in body and "ZeroDivisionError" not in body and "secret internals" not in body


def test_413_when_the_body_is_too_large(tmp_path):
    app = make_test_app(tmp_path, MAX_CONTENT_LENGTH=100)

    @app.route("/upload", methods=["POST"])
    def upload():
        from flask import request
        return str(len(request.form.get("text", "")))

    response = app.test_client().post("/upload", data={"text": "x" * 1000})
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)


def test_csrf_failure_page_is_translated(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True)

    @app.route("/form", methods=["POST"])
    def form():
        return "accepted"

    client = app.test_client()
    response = client.post("/form", data={"x": "1"})
    assert response.status_code == 400
    assert "Formulaire expiré" in response.get_data(as_text=True)
    assert "accepted" not in response.get_data(as_text=True)
    en = client.post("/form", data={"x": "1"}, headers={"Accept-Language": "en"})
    assert "Form expired" in en.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["errors"][0]["message"]


def test_405_page(tmp_path):
    app = make_test_app(tmp_path)
    response = app.test_client().post("/")
    assert response.status_code == 405
    assert "Action non permise" in response.get_data(as_text=True)
