"""Passwords after account creation: staff change their own, an admin resets a colleague's, the
operator sets one from the CLI. Each change signs out the account's other sessions."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from tests.helpers import has_inline_script, make_test_app
from tests.referrals.referral_helpers import PASSWORD, login, make_staff
from webapp import db as database
from webapp.sessions import COOKIE_NAME
from webapp.staff.models import AuditEntry, LoginFailure, StaffUser

NEW_PASSWORD = "une toute nouvelle phrase"
AGENT = "agent@cdad.example"


def signed_in(app, email=AGENT, password=PASSWORD, **kw):
    make_staff(app, email, "cdad-90", **kw)
    client = app.test_client()
    assert login(client, email, password).status_code == 302
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field_id: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', text(response))
    return found.group(1) if found else None


def change(client, current=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post("/staff/mot-de-passe", data={"current_password": current, "new_password": new,
                                                    "new_password_again": new if again is None else again})


def audit_rows(app, action: str) -> list[AuditEntry]:
    with app.extensions["db_sessionmaker"]() as db:
        return db.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def account(app, email=AGENT) -> StaffUser:
    with app.extensions["db_sessionmaker"]() as db:
        return db.scalar(select(StaffUser).where(StaffUser.email == email))


def test_staff_changes_own_password(app):
    """The new password signs in, the old one no longer does; the change is audited without the password."""
    client = signed_in(app)
    inbox = text(client.get("/staff/"))
    assert 'href="/staff/mot-de-passe"' in inbox and "Changer mon mot de passe" in inbox
    form = text(client.get("/staff/mot-de-passe"))
    assert re.search(r'<input[^>]*autocomplete="current-password"[^>]*id="current_password"', form)
    assert re.search(r'<input[^>]*autocomplete="new-password"[^>]*id="new_password"', form)
    assert re.search(r'<input[^>]*autocomplete="new-password"[^>]*id="new_password_again"', form)
    assert 'for="new_password_again"' in form and not has_inline_script(form)

    r = change(client)
    assert r.status_code == 302 and r.headers["Location"].endswith("/staff/")
    assert "Votre mot de passe a été changé." in text(client.get("/staff/"))
    assert login(app.test_client(), AGENT, PASSWORD).status_code == 401
    assert login(app.test_client(), AGENT, NEW_PASSWORD).status_code == 302

    user = account(app)
    assert user.password_hash.startswith("$argon2id$") and user.session_epoch == 1
    [row] = audit_rows(app, "password_change")
    assert row.staff_email == AGENT and row.detail is None
    with app.extensions["db_sessionmaker"]() as db:
        details = " ".join(a.detail or "" for a in db.scalars(select(AuditEntry)))
    assert PASSWORD not in details and NEW_PASSWORD not in details


def test_password_change_renews_the_session_id_and_ends_other_sessions(app):
    """The browser that changed it stays in under a new id; the old cookie and another browser are out."""
    client = signed_in(app)
    other = app.test_client()
    assert login(other, AGENT).status_code == 302
    old_cookie = client.get_cookie(COOKIE_NAME).value
    assert other.get("/staff/").status_code == 200

    assert change(client).status_code == 302
    assert client.get_cookie(COOKIE_NAME).value != old_cookie
    assert client.get("/staff/").status_code == 200
    r = other.get("/staff/")
    assert r.status_code == 302 and "/staff/connexion" in r.headers["Location"]
    stolen = app.test_client()
    stolen.set_cookie(COOKIE_NAME, old_cookie)
    assert stolen.get("/staff/").status_code == 302


CASES = [
    # (what is typed, field that carries the error, French message, English message)
    (dict(current="not my password at all"), "current_password",
     "Ce n'est pas votre mot de passe actuel.", "This is not your current password."),
    (dict(new="court", again="court"), "new_password",
     "Le mot de passe doit compter au moins 12 caractères.", "The password must have at least 12 characters."),
    (dict(again="une autre phrase encore"), "new_password_again",
     "Les deux saisies du nouveau mot de passe ne sont pas identiques.",
     "The two entries of the new password are not the same."),
    (dict(new=PASSWORD), "new_password",
     "Choisissez un mot de passe différent de l'actuel.", "Choose a password different from your current one."),
    (dict(current=""), "current_password",
     "Indiquez votre mot de passe actuel.", "Enter your current password."),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("typed, field, french, english", CASES, ids=[c[1] + str(i) for i, c in enumerate(CASES)])
def test_password_change_refusals_show_the_message_next_to_the_field(app, lang, typed, field, french, english):
    client = signed_in(app)
    if lang == "en":
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    r = change(client, **typed)
    assert r.status_code == 400
    assert field_error(r, field) == (english if lang == "en" else french)
    page = text(r)
    assert re.search(rf'aria-describedby="[^"]*{field}-error"[^>]*aria-invalid="true"[^>]*id="{field}"', page)
    # The other fields carry no error, and no password is written back into the page.
    others = {"current_password", "new_password", "new_password_again"} - {field}
    assert all(field_error(r, other) is None for other in others)
    for typed_value in (PASSWORD, NEW_PASSWORD, *typed.values()):
        if typed_value:
            assert f'value="{typed_value}"' not in page
    assert login(app.test_client(), AGENT, PASSWORD).status_code == 302


def test_wrong_current_passwords_are_throttled_like_sign_in(app):
    client = signed_in(app)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert change(client, current="guessing again and again").status_code == 400
    # Even the right one is refused now, on this form and at sign-in.
    r = change(client)
    assert r.status_code == 429 and "Trop d'essais manqués" in field_error(r, "current_password")
    assert login(app.test_client(), AGENT, PASSWORD).status_code == 429
    assert account(app).session_epoch == 0
    failed = [row.detail for row in audit_rows(app, "password_change_failed")]
    assert failed == ["invalid"] * app.config["LOGIN_MAX_FAILURES"] + ["throttled"]


def test_password_change_needs_its_csrf_token(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True, OUTBOX_SEND_INLINE=False)
    make_staff(app, AGENT, "cdad-90")
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/staff/connexion").get_data(as_text=True)).group(1)
    assert client.post("/staff/connexion", data={"email": AGENT, "password": PASSWORD,
                                                 "csrf_token": token}).status_code == 302
    # Without the token: refused, nothing changed, and a wrong guess is not even checked.
    assert change(client).status_code == 400
    assert change(client, current="forged guess by another site").status_code == 400
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(sa.func.count(LoginFailure.id))) == 0
    assert account(app).session_epoch == 0
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/staff/mot-de-passe").get_data(as_text=True)).group(1)
    r = client.post("/staff/mot-de-passe", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                 "new_password_again": NEW_PASSWORD, "csrf_token": token})
    assert r.status_code == 302
    assert account(app).session_epoch == 1


def test_password_page_needs_a_login(app):
    r = app.test_client().get("/staff/mot-de-passe")
    assert r.status_code == 302 and "/staff/connexion" in r.headers["Location"]


def test_admin_resets_a_colleagues_password(app):
    """Audited without the password; the colleague's sessions end; they must choose their own at sign-in."""
    agent = signed_in(app)
    agent_id = account(app).id
    admin = signed_in(app, "admin@cdad.example", admin=True)
    page = text(admin.get("/staff/comptes"))
    assert f'action="/staff/comptes/{agent_id}/mot-de-passe"' in page
    assert f'<label for="reset-{agent_id}-new_password">Nouveau mot de passe provisoire pour {AGENT}</label>' in page
    assert re.search(rf'autocomplete="new-password"[^>]*id="reset-{agent_id}-new_password"', page)

    short = admin.post(f"/staff/comptes/{agent_id}/mot-de-passe", data={f"reset-{agent_id}-new_password": "court"})
    assert short.status_code == 400
    assert field_error(short, f"reset-{agent_id}-new_password") == "Le mot de passe doit compter au moins 12 caractères."

    temporary = "provisoire donné au téléphone"
    r = admin.post(f"/staff/comptes/{agent_id}/mot-de-passe", data={f"reset-{agent_id}-new_password": temporary})
    assert r.status_code == 302 and r.headers["Location"].endswith("/staff/comptes")
    assert f"Mot de passe provisoire enregistré pour {AGENT}." in text(admin.get("/staff/comptes"))
    [row] = audit_rows(app, "password_reset")
    assert row.staff_email == "admin@cdad.example" and row.detail == AGENT and temporary not in row.detail

    assert agent.get("/staff/").status_code == 302
    assert login(app.test_client(), AGENT, PASSWORD).status_code == 401
    # Signed in with the temporary password, every back-office page leads to the change page first.
    fresh = app.test_client()
    assert login(fresh, AGENT, temporary).status_code == 302
    for path in ("/staff/", "/staff/export.csv", "/staff/ma-structure"):
        r = fresh.get(path)
        assert r.status_code == 302 and r.headers["Location"].endswith("/staff/mot-de-passe"), path
    assert "choisi par un administrateur" in text(fresh.get("/staff/mot-de-passe"))
    assert change(fresh, current=temporary).status_code == 302
    assert fresh.get("/staff/").status_code == 200
    assert account(app).must_change_password is False


def test_only_admins_reset_and_never_their_own(app):
    signed_in(app)
    agent_id = account(app).id
    other = signed_in(app, "other@cdad.example")
    data = {f"reset-{agent_id}-new_password": "a long enough password"}
    assert other.post(f"/staff/comptes/{agent_id}/mot-de-passe", data=data).status_code == 404
    admin = signed_in(app, "admin@cdad.example", admin=True)
    admin_id = account(app, "admin@cdad.example").id
    own = {f"reset-{admin_id}-new_password": "a long enough password"}
    assert admin.post(f"/staff/comptes/{admin_id}/mot-de-passe", data=own).status_code == 404
    assert admin.post("/staff/comptes/999999/mot-de-passe", data=data).status_code == 404
    assert audit_rows(app, "password_reset") == []
    assert login(app.test_client(), AGENT, PASSWORD).status_code == 302


def test_cli_sets_a_password_that_signs_in(app, runner):
    make_staff(app, AGENT, "cdad-90")
    session = app.test_client()
    assert login(session, AGENT).status_code == 302
    result = runner.invoke(args=["staff", "set-password", "Agent@CDAD.example"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert f"password set for {AGENT}" in result.output and NEW_PASSWORD not in result.output
    assert session.get("/staff/").status_code == 302
    assert login(app.test_client(), AGENT, PASSWORD).status_code == 401
    assert login(app.test_client(), AGENT, NEW_PASSWORD).status_code == 302
    [row] = audit_rows(app, "password_set")
    assert row.detail == f"{AGENT} (cli)" and row.staff_id is None

    result = runner.invoke(args=["staff", "set-password", AGENT, "--temporary"], input="encore une phrase longue\n")
    assert result.exit_code == 0 and account(app).must_change_password is True


def test_cli_set_password_refuses_unknown_addresses_and_short_passwords(app, runner):
    result = runner.invoke(args=["staff", "set-password", "ghost@cdad.example"], input=NEW_PASSWORD + "\n")
    assert result.exit_code != 0 and "no such account: ghost@cdad.example" in result.output
    make_staff(app, AGENT, "cdad-90")
    result = runner.invoke(args=["staff", "set-password", AGENT], input="court\n")
    assert result.exit_code != 0 and "at least 12" in result.output
    assert login(app.test_client(), AGENT, PASSWORD).status_code == 302
    assert audit_rows(app, "password_set") == []


def test_migration_0005_upgrades_and_downgrades(database_url):
    """Existing accounts get epoch 0 and no forced change; downgrading removes both columns."""
    config = database.alembic_config(database_url)
    command.upgrade(config, "0004_chat_turn")
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("insert into staff_user (email, password_hash, structure_id, is_admin, active, "
                                 "created_at) values ('a@b.example', 'x', 'cdad-90', false, true, "
                                 "'2026-01-01 00:00:00')"))
        command.upgrade(config, "head")
        columns = {c["name"] for c in sa.inspect(engine).get_columns("staff_user")}
        assert {"session_epoch", "must_change_password"} <= columns
        with engine.connect() as conn:
            row = conn.execute(sa.text("select session_epoch, must_change_password from staff_user")).one()
        assert row[0] == 0 and not row[1]
        command.downgrade(config, "0004_chat_turn")
        columns = {c["name"] for c in sa.inspect(engine).get_columns("staff_user")}
        assert not {"session_epoch", "must_change_password"} & columns and "email" in columns
        with engine.connect() as conn:
            assert conn.execute(sa.text("select email from staff_user")).scalar() == "a@b.example"
        command.upgrade(config, "head")
    finally:
        engine.dispose()
