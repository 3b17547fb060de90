"""A household's case, one referral per receiving structure, their history and the e-mail outbox.

The case holds what the household said (situation snapshot, triage result,
contact details) and its consent record; each structure's referral has its own
status so that the CDAD refusing does not close the FSL's file.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on SQLite too (it would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


# Case states: a draft exists between consent and confirmation only. "anonymised" is the
# retention rule's doing; "erased" is the same clearing done at the household's request.
CASE_STATES = ("draft", "submitted", "anonymised", "erased")
CLEARED_STATES = ("anonymised", "erased")

# Referral statuses, in the order a file normally moves through them.
STATUSES = ("nouvelle", "prise_en_charge", "cloturee", "refusee")
OPEN_STATUSES = ("nouvelle", "prise_en_charge")
FINAL_STATUSES = ("cloturee", "refusee")
ALLOWED_TRANSITIONS = {
    "nouvelle": ("prise_en_charge", "refusee", "cloturee"),
    "prise_en_charge": ("cloturee", "refusee"),
    "cloturee": (),
    "refusee": (),
}
REFUSAL_REASONS = (
    "hors_competence",      # not this structure's field
    "hors_territoire",      # household outside the area served
    "deja_accompagne",      # already followed elsewhere
    "demande_en_double",    # duplicate
    "autre",
)
CLOSURE_OUTCOMES = (
    "plan_apurement_signe",
    "fsl_accorde",
    "fsl_refuse",
    "aide_juridictionnelle_demandee",
    "audience_preparee",
    "dossier_surendettement_depose",
    "information_donnee",
    "reorientee",
    "contact_impossible",
    "autre",
    "donnees_effacees",     # closed because the household asked for its data to be erased
)
# Outcomes set by an action (re-orientation, erasure), never picked in the status form.
ACTION_OUTCOMES = ("reorientee", "donnees_effacees")
URGENCY_RANK = {"immediate": 0, "high": 1, "normal": 2}


class Case(Base):
    __tablename__ = "referral_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    lang: Mapped[str] = mapped_column(String(8), default="fr")
    role: Mapped[str | None] = mapped_column(String(16))
    stage: Mapped[str | None] = mapped_column(String(32), index=True)
    commune: Mapped[str | None] = mapped_column(String(5), index=True)
    # The triage request exactly as the questionnaire or chat stored it.
    situation: Mapped[dict | None] = mapped_column(JSON)
    triage: Mapped[dict | None] = mapped_column(JSON)
    deadlines: Mapped[list | None] = mapped_column(JSON)
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    urgency_rank: Mapped[int] = mapped_column(Integer, default=2, index=True)
    next_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    # Structure ids the household chose; referrals are created from it on confirmation.
    chosen_structures: Mapped[list | None] = mapped_column(JSON)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    preferred_times: Mapped[str | None] = mapped_column(String(300))
    preferred_language: Mapped[str | None] = mapped_column(String(100))
    accessibility_needs: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    consent_version: Mapped[str] = mapped_column(String(40))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consent_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    referrals: Mapped[list["Referral"]] = relationship(back_populates="case", order_by="Referral.id")


class Referral(Base):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("referral_case.id", ondelete="CASCADE"), index=True)
    structure_id: Mapped[str] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(20), default="nouvelle", index=True)
    refusal_reason: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(40))
    status_note: Mapped[str | None] = mapped_column(Text)
    reoriented_from_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="referrals")
    events: Mapped[list["ReferralEvent"]] = relationship(order_by="ReferralEvent.id",
                                                         cascade="all, delete-orphan")


class ReferralEvent(Base):
    """The referral's history: creation, status changes, notes, re-orientations."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    kind: Mapped[str] = mapped_column(String(20))  # created|status|note|reoriented|agreement|erased|corrected
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str | None] = mapped_column(Text)


class OutboxMessage(Base):
    """An e-mail waiting to go out; the row survives an SMTP failure and is retried."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # new_referral | reminder | household_confirmation | household_reoriented
    # Structure messages are addressed when sent, so a mailbox set up later still receives them.
    to_address: Mapped[str | None] = mapped_column(String(254))
    structure_id: Mapped[str | None] = mapped_column(String(80), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("referral_case.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StructureMailbox(Base):
    """The address where a structure wants referral notices (else its staff's addresses)."""

    __tablename__ = "structure_mailbox"

    structure_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
