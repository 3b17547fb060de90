"""Who to call meanwhile (confirmation page and the household's e-mail): the point-justice as the directory holds it."""
from __future__ import annotations

import html as html_lib

from sqlalchemy import select

from tests.directory.directory_helpers import app_without_free_call, staff_sets_phone
from tests.referrals.referral_helpers import submit
from tests.referrals.smtp_server import free_port
from webapp.referrals.models import OutboxMessage

POINT_JUSTICE = "point-justice-3039"
# The referrals' own test config: e-mails stay queued, nothing listens on the port.
QUEUED = {"SMTP_HOST": "127.0.0.1", "SMTP_TIMEOUT": 5.0, "OUTBOX_SEND_INLINE": False}


def sent(app, client) -> tuple[str, str]:
    """Submit to the FSL with an e-mail address; (the confirmation page's last paragraph, the household's e-mail)."""
    submit(client, structures=("fsl-90",), contact_email="menage@example.org")
    page = html_lib.unescape(client.get("/etre-recontacte/confirmation").get_data(as_text=True))
    last = page.split("</main>", 1)[0].rsplit("<p>", 1)[1]
    with app.extensions["db_sessionmaker"]() as db:
        body = db.scalars(select(OutboxMessage.body).where(OutboxMessage.kind == "household_confirmation")).one()
    return last, body


def test_the_free_point_justice_is_given_with_its_number_and_appel_gratuit(app):
    last, body = sent(app, app.test_client())
    assert '<a class="tel" href="tel:3039">3039</a>' in last and "(appel gratuit)" in last
    assert "appelez le point-justice au" in last
    assert "En cas d'urgence, appelez le point-justice au 3039 (appel gratuit)." in body


def test_english_household_gets_free_call_in_english(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    last, body = sent(app, client)
    assert "call the point-justice on" in last and "(free call)" in last
    assert "In an emergency, call the point-justice on 3039 (free call)." in body


def test_no_appel_gratuit_when_the_directory_does_not_say_so(tmp_path):
    app = app_without_free_call(tmp_path, POINT_JUSTICE, SMTP_PORT=free_port(), **QUEUED)
    last, body = sent(app, app.test_client())
    assert 'href="tel:3039"' in last and "gratuit" not in last
    assert "En cas d'urgence, appelez le point-justice au 3039." in body and "gratuit" not in body


def test_a_number_staff_changed_is_given_and_not_called_free(app):
    staff_sets_phone(app, POINT_JUSTICE, "3000")
    last, body = sent(app, app.test_client())
    assert '<a class="tel" href="tel:3000">3000</a>' in last
    for text in (last, body):
        assert "3039" not in text and "gratuit" not in text
    assert "En cas d'urgence, appelez le point-justice au 3000." in body


def test_without_a_number_the_household_is_sent_to_the_contacts_page(app):
    staff_sets_phone(app, POINT_JUSTICE, "")
    last, body = sent(app, app.test_client())
    assert 'href="/annuaire/mes-contacts"' in last and "tel:" not in last
    assert "En cas d'urgence, trouvez qui appeler sur la page « Trouver mes contacts » : " \
           "http://localhost:5000/annuaire/mes-contacts" in body
    for text in (last, body):
        assert "3039" not in text and "gratuit" not in text and "None" not in text
