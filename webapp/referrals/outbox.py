"""E-mail outbox: messages are rows first and SMTP second, so a failure loses nothing.

`enqueue_*` add rows in the caller's transaction (the referral and its notice
commit together); `send_pending` claims rows one by one (an atomic UPDATE, so
two senders never send the same message), sends them and records the result.
Failed sends are retried with a growing delay until OUTBOX_MAX_ATTEMPTS.
"""
from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from webapp.referrals.models import OutboxMessage, Referral, StructureMailbox, utcnow
from webapp.referrals.summary import URGENCY_LABELS

# A row left "sending" this long by a crashed sender may be claimed again.
STALE_CLAIM = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=1)
# Messages addressed to the household itself (they name its structures and its reference).
HOUSEHOLD_KINDS = ("household_confirmation", "household_reoriented")



def urgency_label(urgency: str) -> str:
    return str(URGENCY_LABELS.get(urgency, urgency))


def enqueue_new_referral(db: Session, referral: Referral, reference: str, urgency: str, base_url: str) -> OutboxMessage:
    # Staff read French; the notice carries the reference and urgency only (no personal data).
    with force_locale("fr"):
        subject = _("Nouvelle demande %(reference)s – urgence %(urgency)s",
                    reference=reference, urgency=urgency_label(urgency).lower())
        lines = [
            _("Une nouvelle demande d'accompagnement est arrivée pour votre structure."),
            "",
            _("Référence : %(reference)s", reference=reference),
            _("Urgence : %(urgency)s", urgency=urgency_label(urgency)),
        ]
        return _enqueue(db, referral, "new_referral", subject, lines, base_url)


def enqueue_reminder(db: Session, referral: Referral, reference: str, urgency: str, hours: int,
                     base_url: str) -> OutboxMessage:
    with force_locale("fr"):
        subject = _("Rappel : demande %(reference)s toujours nouvelle", reference=reference)
        lines = [
            _("La demande %(reference)s (urgence %(urgency)s) n'a pas été prise en charge depuis plus de %(hours)s heures.",
              reference=reference, urgency=urgency_label(urgency).lower(), hours=hours),
        ]
        return _enqueue(db, referral, "reminder", subject, lines, base_url)


def _enqueue(db: Session, referral: Referral, kind: str, subject: str, lines: list[str],
             base_url: str) -> OutboxMessage:
    """One notice row: the given lines, then the back-office link and the no-personal-data footer."""
    body = "\n".join([
        *lines,
        "",
        _("Connectez-vous à l'espace partenaires pour la lire : %(url)s", url=f"{base_url.rstrip('/')}/staff/"),
        "",
        _("Ce message ne contient volontairement aucune donnée personnelle."),
    ])
    message = OutboxMessage(kind=kind, structure_id=referral.structure_id, case_id=referral.case_id,
                            subject=subject, body=body)
    db.add(message)
    return message


def enqueue_household_confirmation(db: Session, case, structure_names: list[str], *, base_url: str,
                                   emergency_line: dict | None = None) -> OutboxMessage:
    """The household's receipt; `emergency_line` (webapp.directory.line_of) is who to call meanwhile."""
    with force_locale(case.lang):
        subject = _("Votre demande %(reference)s est bien envoyée", reference=case.reference)
        lines = [
            _("Bonjour,"),
            "",
            _("Votre demande d'être recontacté·e a bien été envoyée. Son numéro est %(reference)s.",
              reference=case.reference),
            _("Elle a été transmise à :"),
            *[f"- {name}" for name in structure_names],
            "",
            _("Une personne de ces structures vous rappellera. Gardez ce numéro : il vous sera demandé."),
            _emergency_sentence(emergency_line, base_url),
        ]
    message = OutboxMessage(kind="household_confirmation", to_address=case.contact_email, case_id=case.id,
                            subject=subject, body="\n".join(lines))
    db.add(message)
    return message


def enqueue_household_reorientation(db: Session, case, *, from_name: str, to_name: str) -> OutboxMessage:
    """Tell the household, in its language, which structure now holds its request (with its agreement)."""
    with force_locale(case.lang):
        subject = _("Votre demande %(reference)s a été transmise à une autre structure", reference=case.reference)
        lines = [
            _("Bonjour,"),
            "",
            _("Avec votre accord, %(from_name)s a transmis votre demande %(reference)s à : %(to_name)s.",
              from_name=from_name, reference=case.reference, to_name=to_name),
            _("Cette structure voit maintenant votre demande (vos coordonnées, votre message et votre "
              "situation) et vous recontactera. %(from_name)s ne la suit plus.", from_name=from_name),
            "",
            _("Si vous n'avez pas donné cet accord, dites-le à l'une de ces deux structures en donnant "
              "votre numéro de demande."),
        ]
    message = OutboxMessage(kind="household_reoriented", to_address=case.contact_email, case_id=case.id,
                            subject=subject, body="\n".join(lines))
    db.add(message)
    return message


def _emergency_sentence(line: dict | None, base_url: str) -> str:
    """Who to call meanwhile: the number and "appel gratuit" only as the directory gives them."""
    if line is None:
        # No number in the directory now: the contacts page lists who to call instead.
        return _("En cas d'urgence, trouvez qui appeler sur la page « Trouver mes contacts » : %(url)s",
                 url=f"{base_url.rstrip('/')}/annuaire/mes-contacts")
    if line["free_call"]:
        return _("En cas d'urgence, appelez le point-justice au %(phone)s (appel gratuit).", phone=line["phone"])
    return _("En cas d'urgence, appelez le point-justice au %(phone)s.", phone=line["phone"])


def recipients(db: Session, message: OutboxMessage) -> list[str]:
    if message.to_address:
        return [message.to_address]
    if not message.structure_id:
        return []
    from webapp.staff.models import StaffUser

    mailbox = db.get(StructureMailbox, message.structure_id)
    if mailbox is not None and mailbox.active:
        return [mailbox.email]
    return list(db.scalars(select(StaffUser.email).where(
        StaffUser.structure_id == message.structure_id, StaffUser.active.is_(True)).order_by(StaffUser.id)))


def _claim(db: Session, message_id: int, now: datetime, retry_now: bool) -> bool:
    due = OutboxMessage.status == "pending"
    if not retry_now:
        due = and_(due, OutboxMessage.next_attempt_at <= now)
    stale = and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM)
    result = db.execute(update(OutboxMessage).where(OutboxMessage.id == message_id, or_(due, stale))
                        .values(status="sending", claimed_at=now))
    db.commit()
    return result.rowcount == 1


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def send_pending(maker, config: dict, *, ids: list[int] | None = None, retry_now: bool = False) -> dict:
    """Send what is due (or the given ids); returns counts of sent, failed and skipped messages."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    now = utcnow()
    with maker() as db:
        query = select(OutboxMessage.id).where(OutboxMessage.status.in_(("pending", "sending")))
        if ids is not None:
            query = query.where(OutboxMessage.id.in_(ids))
        candidates = list(db.scalars(query.order_by(OutboxMessage.id)))
    for message_id in candidates:
        with maker() as db:
            if not _claim(db, message_id, now, retry_now):
                counts["skipped"] += 1
                continue
            message = db.get(OutboxMessage, message_id)
            if message is None:
                # Deleted after the claim: the household's data was erased meanwhile.
                counts["skipped"] += 1
                continue
            try:
                to = recipients(db, message)
                if not to:
                    raise LookupError("no recipient: the structure has no mailbox and no active staff account")
                _deliver(config, message, to)
            except (OSError, smtplib.SMTPException, LookupError) as exc:
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.claimed_at = None
                if message.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
                    message.status = "failed"
                else:
                    message.status = "pending"
                    message.next_attempt_at = utcnow() + _backoff(message.attempts)
                counts["failed"] += 1
            else:
                message.attempts += 1
                message.status = "sent"
                message.sent_at = utcnow()
                message.last_error = None
                counts["sent"] += 1
            try:
                db.commit()
            except StaleDataError:
                # Erased while it was being sent: there is no row left to record the result on.
                db.rollback()
    return counts


def _deliver(config: dict, message: OutboxMessage, to: list[str]) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = ", ".join(to)
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    email.set_content(message.body)
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=float(config["SMTP_TIMEOUT"])) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD", ""))
        smtp.send_message(email)


def retry_failed(maker) -> int:
    """Put messages that gave up back in the queue (after fixing the SMTP settings)."""
    with maker() as db:
        result = db.execute(update(OutboxMessage).where(OutboxMessage.status == "failed")
                            .values(status="pending", attempts=0, next_attempt_at=utcnow()))
        db.commit()
        return result.rowcount
