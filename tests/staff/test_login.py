"""Staff login: throttling after repeated failures, session expiry, CSRF, logout."""
from __future__ import annotations

import re
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tests.helpers import make_test_app
from tests.referrals.referral_helpers import PASSWORD, login, make_staff
from webapp.referrals.models import utcnow
from webapp.sessions import COOKIE_NAME
from webapp.staff.models import AuditEntry


def test_staff_login_and_logout(app):
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    r = login(client, "Agent@CDAD.example ")
    assert r.status_code == 302 and r.headers["Location"].endswith("/staff/")
    assert client.get("/staff/").status_code == 200
    client.post("/staff/deconnexion")
    assert client.get("/staff/").status_code == 302


def test_staff_wrong_password_says_nothing_about_the_account(app):
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    wrong = login(client, "agent@cdad.example", "not the password")
    unknown = login(client, "nobody@cdad.example", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "Adresse e-mail ou mot de passe incorrect."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_staff_login_is_throttled_after_repeated_failures(app):
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert login(client, "agent@cdad.example", "guess").status_code == 401
    # Even the right password is refused now, from any client.
    r = login(app.test_client(), "agent@cdad.example", PASSWORD)
    assert r.status_code == 429
    assert "Trop d&#39;essais" in r.get_data(as_text=True)
    # Another account is not affected.
    make_staff(app, "other@cdad.example", "cdad-90")
    assert login(app.test_client(), "other@cdad.example").status_code == 302
    # After the window, the right password works again.
    with freeze_time(utcnow() + timedelta(minutes=app.config["LOGIN_WINDOW_MINUTES"] + 1)):
        assert login(app.test_client(), "agent@cdad.example").status_code == 302
    with app.extensions["db_sessionmaker"]() as db:
        actions = [a.action for a in db.scalars(select(AuditEntry))]
    assert actions.count("login_failed") == limit and "login_throttled" in actions


def test_staff_session_expires_after_inactivity(app):
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    start = utcnow()
    with freeze_time(start) as clock:
        login(client, "agent@cdad.example")
        clock.tick(timedelta(minutes=app.config["STAFF_SESSION_MINUTES"] - 1))
        assert client.get("/staff/").status_code == 200
        # Activity extends it…
        clock.tick(timedelta(minutes=app.config["STAFF_SESSION_MINUTES"] - 1))
        assert client.get("/staff/").status_code == 200
        # …inactivity ends it.
        clock.tick(timedelta(minutes=app.config["STAFF_SESSION_MINUTES"] + 1))
        r = client.get("/staff/")
        assert r.status_code == 302 and "/staff/connexion" in r.headers["Location"]


def test_staff_login_renews_the_session_id(app):
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    client.get("/staff/connexion")
    with client.session_transaction() as session:
        session["planted"] = True
    before = client.get_cookie(COOKIE_NAME).value
    login(client, "agent@cdad.example")
    assert client.get_cookie(COOKIE_NAME).value != before


def test_disabled_account_cannot_log_in_and_loses_its_session(app):
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    login(client, "agent@cdad.example")
    result = app.test_cli_runner().invoke(args=["staff", "disable", "agent@cdad.example"])
    assert result.exit_code == 0
    assert client.get("/staff/").status_code == 302
    assert login(app.test_client(), "agent@cdad.example").status_code == 401


def test_staff_forms_need_their_csrf_token(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True, OUTBOX_SEND_INLINE=False)
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    assert login(client, "agent@cdad.example").status_code == 400
    html = client.get("/staff/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    r = client.post("/staff/connexion", data={"email": "agent@cdad.example", "password": PASSWORD,
                                              "csrf_token": token})
    assert r.status_code == 302
    # Logged in, a status change without the token is refused too.
    assert client.post("/staff/demandes/1/statut", data={"to_status": "prise_en_charge"}).status_code == 400


def test_login_next_parameter_cannot_leave_the_back_office(app):
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    r = client.post("/staff/connexion?next=//evil.example/", data={"email": "agent@cdad.example",
                                                                   "password": PASSWORD})
    assert r.headers["Location"].endswith("/staff/")


def test_one_client_trying_many_addresses_is_throttled(app):
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()
    limit = app.config["LOGIN_MAX_FAILURES"] * 4
    for i in range(limit):
        assert login(client, f"guess{i}@cdad.example", "guess").status_code == 401
    assert login(client, "agent@cdad.example").status_code == 429
    # The same account from another network logs in normally.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert login(other, "agent@cdad.example").status_code == 302
