"""Creating cases and referrals, and moving a referral through its statuses.

Pure database operations on a Session, used by the household form, the back
office and the CLI. The caller commits (so a referral, its history and its
e-mail notice are stored together or not at all).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.referrals.models import (
    ALLOWED_TRANSITIONS, CLOSURE_OUTCOMES, REFUSAL_REASONS, URGENCY_RANK, Case, OutboxMessage, Referral,
    ReferralEvent, utcnow,
)
from webapp.referrals import outbox, retention
from webapp.referrals.prefill import Prefill, next_deadline
from webapp.referrals.reference import new_reference

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "preferred_times",
                  "preferred_language", "accessibility_needs", "description")
# What staff correct at the household's request: the ways to reach the person. The story
# (description) is the household's own account, not a contact detail.
CORRECTABLE_FIELDS = ("contact_name", "contact_phone", "contact_email", "preferred_times",
                      "preferred_language", "accessibility_needs")


class TransitionError(ValueError):
    """A status change the referral's current status does not allow."""


@dataclass
class Contact:
    contact_name: str
    contact_phone: str | None = None
    contact_email: str | None = None
    preferred_times: str | None = None
    preferred_language: str | None = None
    accessibility_needs: str | None = None
    description: str | None = None


def create_draft(maker, *, prefill: Prefill, contact: Contact, structures: list[str], lang: str,
                 consent_version: str, consent_text: str, today: dt.date | None = None) -> int:
    """Store the case once consent is given (state draft); returns its id. Retries a reference collision."""
    situation = prefill.request or {}
    if today is None:
        day = situation.get("today")
        today = dt.date.fromisoformat(day) if isinstance(day, str) else dt.date.today()
    for _attempt in range(5):
        with maker() as db:
            case = Case(
                reference=new_reference(), state="draft", lang=lang,
                role=situation.get("role"), stage=situation.get("stage"), commune=situation.get("commune"),
                situation=prefill.request, triage=prefill.result, deadlines=prefill.deadlines,
                urgency=prefill.urgency, urgency_rank=URGENCY_RANK.get(prefill.urgency, 2),
                next_deadline=next_deadline(prefill.deadlines, today),
                chosen_structures=list(structures),
                consent_version=consent_version, consent_at=utcnow(), consent_text=consent_text,
                **{name: (getattr(contact, name) or None) for name in CONTACT_FIELDS},
            )
            db.add(case)
            try:
                db.commit()
            except IntegrityError:
                db.rollback()
                continue
            return case.id
    raise RuntimeError("could not allocate a unique reference")


def confirm(db: Session, case: Case, *, base_url: str, structure_names: dict[str, str],
            emergency_line: dict | None = None) -> list[int]:
    """Turn a draft into referrals (one per chosen structure) and queue their notices.

    `emergency_line` is the point-justice as the directory holds it
    (webapp.directory.line_of), for the household's e-mail; None: no number.
    """
    # Compare-and-set, so that a double click sent twice at once confirms only once.
    claimed = db.execute(update(Case).where(Case.id == case.id, Case.state == "draft")
                         .values(state="submitted", submitted_at=utcnow()))
    if claimed.rowcount != 1:
        db.rollback()
        raise TransitionError("case already submitted")
    db.refresh(case)
    messages = []
    for structure_id in case.chosen_structures or []:
        referral = Referral(case=case, structure_id=structure_id, status="nouvelle")
        db.add(referral)
        db.flush()
        db.add(ReferralEvent(referral_id=referral.id, kind="created", to_status="nouvelle"))
        messages.append(outbox.enqueue_new_referral(db, referral, case.reference, case.urgency, base_url))
    if case.contact_email:
        names = [structure_names.get(s, s) for s in case.chosen_structures or []]
        messages.append(outbox.enqueue_household_confirmation(db, case, names, base_url=base_url,
                                                              emergency_line=emergency_line))
    db.flush()
    return [m.id for m in messages]



def change_status(db: Session, referral: Referral, to_status: str, *, staff_id: int | None,
                  reason: str | None = None, text: str | None = None) -> ReferralEvent:
    """Apply one allowed transition; refusals need a reason, closures an outcome."""
    if to_status not in ALLOWED_TRANSITIONS.get(referral.status, ()):
        raise TransitionError(f"{referral.status} -> {to_status} is not allowed")
    if to_status == "refusee" and reason not in REFUSAL_REASONS:
        raise TransitionError("a refusal needs a reason from the list")
    if to_status == "cloturee" and reason not in CLOSURE_OUTCOMES:
        raise TransitionError("a closure needs an outcome from the list")
    now = utcnow()
    event = ReferralEvent(referral_id=referral.id, staff_id=staff_id, kind="status",
                          from_status=referral.status, to_status=to_status, reason=reason, text=text or None)
    referral.status = to_status
    referral.updated_at = now
    if to_status == "prise_en_charge":
        referral.taken_at = now
    if to_status == "refusee":
        referral.refusal_reason = reason
        referral.closed_at = now
    if to_status == "cloturee":
        referral.outcome = reason
        referral.closed_at = now
    if text:
        referral.status_note = text
    db.add(event)
    return event


def add_note(db: Session, referral: Referral, *, staff_id: int, text: str) -> ReferralEvent:
    event = ReferralEvent(referral_id=referral.id, staff_id=staff_id, kind="note", text=text)
    referral.updated_at = utcnow()
    db.add(event)
    return event


def reorient(db: Session, referral: Referral, to_structure: str, *, staff_id: int, text: str | None,
             base_url: str, household_agreed: bool, structure_names: dict[str, str] | None = None) -> Referral:
    """Hand the case to another structure, with the household's agreement: a new referral
    there, this one closed as 'réorientée'.

    The household consented to the structures it ticked, and to them only: passing its
    request on to another one needs its agreement, which the staff member got (by phone,
    in person) and vouches for. Without it, nothing changes. The agreement is written in
    both referrals' histories (who, when, towards which structure). A household that gave
    an e-mail address is told, in its language, which structure now holds its request
    (`structure_names`: structure id -> name in the household's language).
    """
    if not household_agreed:
        raise TransitionError("re-orientation needs the household's agreement")
    if to_structure == referral.structure_id:
        raise TransitionError("re-orientation needs another structure")
    if referral.status not in ALLOWED_TRANSITIONS or "cloturee" not in ALLOWED_TRANSITIONS[referral.status]:
        raise TransitionError("only an open referral can be re-oriented")
    case = db.get(Case, referral.case_id)
    if case.state != "submitted":
        raise TransitionError("the case's data is erased or anonymised")
    now = utcnow()
    new = Referral(case_id=referral.case_id, structure_id=to_structure, status="nouvelle",
                   reoriented_from_id=referral.id)
    db.add(new)
    db.flush()
    # The agreement first, on both sides: the receiving structure sees on what ground it got the request.
    for held in (referral, new):
        db.add(ReferralEvent(referral_id=held.id, staff_id=staff_id, kind="agreement", at=now,
                             reason=to_structure))
    db.add(ReferralEvent(referral_id=new.id, staff_id=staff_id, kind="created", to_status="nouvelle",
                         text=text or None, reason="reorientee", at=now))
    db.add(ReferralEvent(referral_id=referral.id, staff_id=staff_id, kind="reoriented", text=text or None,
                         reason=to_structure, at=now))
    change_status(db, referral, "cloturee", staff_id=staff_id, reason="reorientee", text=text)
    outbox.enqueue_new_referral(db, new, case.reference, case.urgency, base_url)
    if case.contact_email:
        names = structure_names or {}
        outbox.enqueue_household_reorientation(
            db, case, from_name=names.get(referral.structure_id, referral.structure_id),
            to_name=names.get(to_structure, to_structure))
    return new


def erase_on_request(db: Session, case: Case, *, staff_id: int | None, now: dt.datetime | None = None) -> list[int]:
    """Erase the household's data now, at its request; returns the ids of the referrals closed.

    The same clearing as retention (retention.anonymise_case), whatever the statuses:
    the data is the case's, so every structure's referral loses it. Open referrals are
    closed with the outcome "donnees_effacees" (closed or refused ones keep their outcome,
    so statistics stay right), and each referral's history says who erased it and when.
    Raises TransitionError when the case holds no personal data any more.
    """
    now = now or utcnow()
    # Compare-and-set, so that two staff members erasing at once close each referral once.
    claimed = db.execute(update(Case).where(Case.id == case.id, Case.state == "submitted")
                         .values(state="erased"))
    if claimed.rowcount != 1:
        raise TransitionError("the case's data is already erased or anonymised")
    closed = []
    for referral in case.referrals:
        if "cloturee" in ALLOWED_TRANSITIONS.get(referral.status, ()):
            change_status(db, referral, "cloturee", staff_id=staff_id, reason="donnees_effacees")
            closed.append(referral.id)
    retention.anonymise_case(db, case, now, state="erased")
    for referral in case.referrals:
        referral.updated_at = now
        db.add(ReferralEvent(referral_id=referral.id, staff_id=staff_id, kind="erased"))
    db.flush()
    return closed


def correct_contact(db: Session, case: Case, values: dict[str, str | None], *, staff_id: int | None,
                    now: dt.datetime | None = None) -> list[str]:
    """Correct the household's contact details at its request (RGPD art. 16); returns the names changed.

    `values` maps CORRECTABLE_FIELDS to the new text (blank: None). Every structure's
    referral sees the new details and gets a "corrected" event saying who and when; the
    event carries no values, old or new. The structures' notices in the outbox hold no
    contact details and stay. A receipt (or re-orientation notice) to the household
    already sent went to the address it had given; one not sent yet (queued, or failed
    and waiting for a retry) when the e-mail is corrected is dropped: the old address may
    be a typo, someone else's, and the message names the structures. Nothing changed:
    nothing recorded.
    Raises TransitionError when the case holds no personal data any more.
    """
    if case.state != "submitted":
        raise TransitionError("the case's data is erased or anonymised")
    new = {name: (values.get(name) or None) for name in CORRECTABLE_FIELDS}
    changed = [name for name in CORRECTABLE_FIELDS if new[name] != getattr(case, name)]
    if not changed:
        return []
    # Compare-and-set on the state: an erasure committed meanwhile must not get data back.
    # "fetch": only a row the database really updated refreshes `case` in the session.
    written = db.execute(update(Case).where(Case.id == case.id, Case.state == "submitted")
                         .values({name: new[name] for name in changed})
                         .execution_options(synchronize_session="fetch"))
    if written.rowcount != 1:
        raise TransitionError("the case's data is erased or anonymised")
    if "contact_email" in changed:
        db.execute(delete(OutboxMessage).where(OutboxMessage.case_id == case.id,
                                               OutboxMessage.kind.in_(outbox.HOUSEHOLD_KINDS),
                                               OutboxMessage.status.in_(("pending", "failed"))))
    now = now or utcnow()
    for referral in case.referrals:
        referral.updated_at = now
        db.add(ReferralEvent(referral_id=referral.id, staff_id=staff_id, kind="corrected", at=now))
    db.flush()
    return changed
