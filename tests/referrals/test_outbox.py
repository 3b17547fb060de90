"""E-mail through the outbox, received by a real local SMTP server (aiosmtpd)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from tests.helpers import make_test_app
from tests.referrals.referral_helpers import TENANT_REQUEST, make_staff, referral_ids, set_triage_request, submit
from tests.referrals.smtp_server import SMTPServer, free_port
from webapp.referrals.models import OutboxMessage, Referral, StructureMailbox, utcnow


def outbox_rows(app):
    with app.extensions["db_sessionmaker"]() as db:
        return db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_new_referral_notifies_the_structure_without_personal_data(mail_app, smtp):
    make_staff(mail_app, "agent@cdad.example", "cdad-90")
    client = mail_app.test_client()
    set_triage_request(client, TENANT_REQUEST)
    reference = submit(client, structures=("cdad-90",), contact_name="Dominique Secret",
                       contact_phone="06 99 88 77 66", description="Mon bailleur s'appelle Martin")
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert smtp.recorder.envelopes[0][1] == ["agent@cdad.example"]
    body = message.get_payload(decode=True).decode()
    assert reference in message["Subject"] and "élevée" in message["Subject"]
    assert reference in body and "/staff/" in body
    for secret in ("Dominique", "Secret", "06 99", "Martin", "Belfort", "90010", "2 400", "assignation"):
        assert secret not in body and secret not in message["Subject"]
    assert [m.status for m in outbox_rows(mail_app)] == ["sent"]


def test_household_gets_a_confirmation_when_it_gives_an_address(mail_app, smtp):
    make_staff(mail_app, "agent@fsl.example", "fsl-90")
    client = mail_app.test_client()
    reference = submit(client, structures=("fsl-90",), contact_email="menage@example.org")
    to_household = [m for m in smtp.messages if m["To"] == "menage@example.org"]
    assert len(to_household) == 1
    assert reference in to_household[0].get_payload(decode=True).decode()


def test_structure_mailbox_takes_precedence_over_staff_addresses(mail_app, smtp):
    make_staff(mail_app, "agent@cdad.example", "cdad-90")
    with mail_app.extensions["db_sessionmaker"]() as db:
        db.add(StructureMailbox(structure_id="cdad-90", email="accueil@cdad.example"))
        db.commit()
    submit(mail_app.test_client(), structures=("cdad-90",))
    assert smtp.recorder.envelopes[0][1] == ["accueil@cdad.example"]


def test_smtp_down_then_up_nothing_is_lost(tmp_path):
    port = free_port()
    app = make_test_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TIMEOUT=5.0, OUTBOX_SEND_INLINE=True)
    make_staff(app, "agent@cdad.example", "cdad-90")
    references = [submit(app.test_client(), structures=("cdad-90",)) for _ in range(3)]
    rows = outbox_rows(app)
    # The household's submission succeeded; every notice waits with its error recorded.
    assert [r.status for r in rows] == ["pending"] * 3
    assert all(r.attempts == 1 and "Connection" in (r.last_error or "") for r in rows)
    # Still down: the command retries, nothing is dropped.
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outbox", "send", "--retry-now"])
    assert "sent 0, failed 3" in result.output
    assert [r.attempts for r in outbox_rows(app)] == [2, 2, 2]
    # Before the back-off delay, a plain run leaves them alone.
    assert "sent 0, failed 0" in runner.invoke(args=["outbox", "send"]).output
    server = SMTPServer(port).start()
    try:
        with app.extensions["db_sessionmaker"]() as db:
            db.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
            db.commit()
        result = runner.invoke(args=["outbox", "send"])
        assert "sent 3, failed 0" in result.output
        subjects = sorted(m["Subject"] for m in server.messages)
        assert all(any(ref in s for s in subjects) for ref in references)
        # Sent once only: a second run sends nothing again.
        assert "sent 0" in runner.invoke(args=["outbox", "send", "--retry-now"]).output
        assert len(server.messages) == 3
    finally:
        server.stop()


def test_structure_without_any_recipient_keeps_the_message_queued(mail_app, smtp):
    submit(mail_app.test_client(), structures=("fsl-90",))
    row = outbox_rows(mail_app)[0]
    assert row.status == "pending" and "no recipient" in row.last_error
    assert smtp.messages == []
    make_staff(mail_app, "agent@fsl.example", "fsl-90")
    result = mail_app.test_cli_runner().invoke(args=["outbox", "send", "--retry-now"])
    assert "sent 1" in result.output
    assert smtp.recorder.envelopes[0][1] == ["agent@fsl.example"]


def test_message_gives_up_after_the_attempt_limit_and_can_be_requeued(tmp_path):
    app = make_test_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), OUTBOX_SEND_INLINE=False,
                        OUTBOX_MAX_ATTEMPTS=2)
    make_staff(app, "agent@cdad.example", "cdad-90")
    submit(app.test_client(), structures=("cdad-90",))
    runner = app.test_cli_runner()
    runner.invoke(args=["outbox", "send", "--retry-now"])
    runner.invoke(args=["outbox", "send", "--retry-now"])
    assert outbox_rows(app)[0].status == "failed"
    result = runner.invoke(args=["outbox", "send", "--retry-failed", "--retry-now"])
    assert "requeued 1" in result.output
    assert outbox_rows(app)[0].attempts == 1


def test_reminder_for_a_referral_still_new_after_the_delay(mail_app, smtp):
    make_staff(mail_app, "agent@cdad.example", "cdad-90")
    reference = submit(mail_app.test_client(), structures=("cdad-90", "fsl-90"))
    make_staff(mail_app, "agent@fsl.example", "fsl-90")
    ids = referral_ids(mail_app, reference)
    hours = mail_app.config["REFERRAL_REMINDER_HOURS"]
    with mail_app.extensions["db_sessionmaker"]() as db:
        # The CDAD's referral is old and untouched; the FSL has taken its own in hand.
        db.execute(update(Referral).values(created_at=utcnow() - timedelta(hours=hours + 1)))
        db.execute(update(Referral).where(Referral.id == ids["fsl-90"]).values(status="prise_en_charge"))
        db.commit()
    runner = mail_app.test_cli_runner()
    assert "queued 1 reminders" in runner.invoke(args=["referrals", "remind"]).output
    # Running it again within the delay adds nothing.
    assert "queued 0 reminders" in runner.invoke(args=["referrals", "remind"]).output
    before = len(smtp.messages)
    runner.invoke(args=["outbox", "send"])
    reminders = smtp.messages[before:]
    assert len(reminders) == 1 and reference in reminders[0]["Subject"]
    assert smtp.recorder.envelopes[-1][1] == ["agent@cdad.example"]
