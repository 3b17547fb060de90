"""The same request is not sent twice: after the confirmation, the form says the request is
already sent (back button, a second tab), and the same request posted again from the same
session shows the first one's confirmation instead of creating a second referral."""
from __future__ import annotations

import html as htmllib
import re
from datetime import timedelta

from sqlalchemy import func, select, update

from tests.referrals.referral_helpers import TENANT_REQUEST, contact, set_triage_request, submit
from webapp.referrals.models import Case, OutboxMessage, Referral, utcnow

ALREADY_SENT = "a bien été envoyée le"
NOTHING_TO_REDO = "Vous n'avez rien à refaire"


def count(app, model) -> int:
    with app.extensions["db_sessionmaker"]() as db:
        return db.scalar(select(func.count()).select_from(model))


def page_text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def post_form(client, structures=("cdad-90",), **fields):
    data = contact(**fields)
    data["structures"] = list(structures)
    return client.post("/etre-recontacte", data=data)


def shown_reference(html: str) -> str:
    return re.search(r'class="reference">([A-Z0-9]{8})<', html).group(1)


def test_household_form_says_the_request_is_already_sent(client, app):
    reference = submit(client, structures=("cdad-90", "fsl-90"))
    # The back button from the confirmation lands on the review page, then the form.
    r = client.get("/etre-recontacte/verifier")
    assert r.status_code == 302 and r.headers["Location"].endswith("/etre-recontacte")
    html = page_text(client.get("/etre-recontacte"))
    notice = html[html.index('id="demande-deja-envoyee"'):html.index('class="lead"')]
    assert f"Votre demande n° {reference} a bien été envoyée le" in notice
    assert NOTHING_TO_REDO in notice and "Pour ajouter quelque chose" in notice
    assert 'href="/etre-recontacte/confirmation"' in notice
    # The date is today's, in words, with the time (Paris time).
    assert re.search(r"envoyée le \d{1,2} \w+ \d{4} à \d{2}:\d{2}\.", notice)
    # Before it, the notice was not there.
    assert ALREADY_SENT not in page_text(app.test_client().get("/etre-recontacte"))


def test_household_sending_the_same_request_again_gets_the_first_confirmation(client, app):
    set_triage_request(client, TENANT_REQUEST)
    reference = submit(client, structures=("cdad-90", "fsl-90"), contact_email="camille@example.org")
    cases, referrals, messages = count(app, Case), count(app, Referral), count(app, OutboxMessage)
    assert (cases, referrals) == (1, 2)

    # The same person, the same structures; typed a little differently.
    r = post_form(client, structures=("fsl-90", "cdad-90"), contact_name="  camille   TEST ",
                  contact_phone="+33 6 12 34 56 78", contact_email="Camille@Example.org")
    assert r.status_code == 302 and r.headers["Location"].endswith("/etre-recontacte/confirmation")
    # No draft, no referral, no e-mail: nothing more is stored.
    assert (count(app, Case), count(app, Referral), count(app, OutboxMessage)) == (cases, referrals, messages)
    html = page_text(client.get(r.headers["Location"]))
    assert shown_reference(html) == reference
    assert "Vous aviez déjà envoyé cette demande le" in html and "pas envoyée une seconde fois" in html
    # The review page has nothing to send again either.
    assert client.post("/etre-recontacte/verifier", data={}).status_code == 302
    assert count(app, Referral) == referrals


def test_household_new_message_on_a_duplicate_is_shown_back_not_lost(client, app):
    submit(client, structures=("cdad-90",), description="Mon propriétaire ne répond plus.")
    r = post_form(client, structures=("cdad-90",), description="J'ai reçu une lettre de l'huissier hier.")
    html = page_text(client.get(r.headers["Location"]))
    assert "Le message que vous venez d'écrire n'a pas été transmis" in html
    assert "J'ai reçu une lettre de l'huissier hier." in html
    assert count(app, Case) == 1
    # The same message again is simply the same request: nothing to show back.
    r = post_form(client, structures=("cdad-90",))
    assert "n'a pas été transmis" not in page_text(client.get(r.headers["Location"]))


def test_household_sending_to_some_of_the_same_structures_again_is_a_duplicate(client, app):
    submit(client, structures=("cdad-90", "fsl-90"))
    r = post_form(client, structures=("fsl-90",))
    assert r.headers["Location"].endswith("/etre-recontacte/confirmation")
    assert count(app, Case) == 1


def test_household_can_still_send_a_genuinely_different_request(client, app):
    first = submit(client, structures=("cdad-90",))
    # Another structure: a new request, reviewed and sent as usual.
    second = submit(client, structures=("fsl-90",))
    # Another phone number for the same structure: a new request too.
    third = submit(client, structures=("cdad-90",), contact_phone="07 00 00 00 01")
    # The same person, who now says how to be reached: a need the first request
    # lacked is never dropped as a duplicate.
    fourth = submit(client, structures=("cdad-90",), contact_phone="07 00 00 00 01",
                    accessibility_needs="Je suis sourde : SMS seulement.")
    assert len({first, second, third, fourth}) == 4
    assert count(app, Referral) == 4
    # The notice names the latest request.
    html = page_text(client.get("/etre-recontacte"))
    assert f"Votre demande n° {fourth} a bien été envoyée" in html
    # And the first request, posted again after the others, is still recognised.
    r = post_form(client, structures=("cdad-90",))
    assert shown_reference(page_text(client.get(r.headers["Location"]))) == first
    assert count(app, Case) == 4


def test_household_request_older_than_a_day_is_not_a_duplicate(client, app):
    reference = submit(client, structures=("cdad-90",))
    with app.extensions["db_sessionmaker"]() as db:
        db.execute(update(Case).where(Case.reference == reference)
                   .values(submitted_at=utcnow() - timedelta(hours=25)))
        db.commit()
    assert ALREADY_SENT not in page_text(client.get("/etre-recontacte"))
    r = post_form(client, structures=("cdad-90",))
    assert r.headers["Location"].endswith("/etre-recontacte/verifier")
    assert count(app, Case) == 2


def test_another_session_is_not_taken_for_the_same_household(client, app):
    submit(client, structures=("cdad-90",))
    other = app.test_client()
    assert ALREADY_SENT not in page_text(other.get("/etre-recontacte"))
    r = post_form(other, structures=("cdad-90",))
    assert r.headers["Location"].endswith("/etre-recontacte/verifier")


def test_stale_second_tab_sending_the_review_gets_the_confirmation(client, app):
    data = contact()
    data["structures"] = ["cdad-90"]
    client.post("/etre-recontacte", data=data)
    # Two tabs show the review page; the first sends it.
    client.post("/etre-recontacte/verifier", data={})
    reference = shown_reference(client.get("/etre-recontacte/confirmation").get_data(as_text=True))
    # The second tab's "send" shows that confirmation instead of an empty form.
    r = client.post("/etre-recontacte/verifier", data={})
    assert r.status_code == 302 and r.headers["Location"].endswith("/etre-recontacte/confirmation")
    assert shown_reference(client.get(r.headers["Location"]).get_data(as_text=True)) == reference
    assert count(app, Referral) == 1


def test_erased_request_is_no_longer_reported_as_sent(client, app):
    reference = submit(client, structures=("cdad-90",))
    with app.extensions["db_sessionmaker"]() as db:
        db.execute(update(Case).where(Case.reference == reference).values(state="erased"))
        db.commit()
    assert ALREADY_SENT not in page_text(client.get("/etre-recontacte"))
    assert post_form(client).headers["Location"].endswith("/etre-recontacte/verifier")


def test_already_sent_notice_in_english(en_client):
    reference = submit(en_client, structures=("cdad-90",))
    html = page_text(en_client.get("/etre-recontacte"))
    assert f"Your request no. {reference} was sent on" in html
    assert "You have nothing more to do" in html
    r = post_form(en_client, structures=("cdad-90",))
    assert "You had already sent this request on" in page_text(en_client.get(r.headers["Location"]))
