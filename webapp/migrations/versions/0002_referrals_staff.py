"""Referrals (case, one referral per structure, history), e-mail outbox, staff accounts, audit log.

Revision ID: 0002_referrals_staff
Revises: 0001_web_session
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_referrals_staff"
down_revision = "0001_web_session"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("structure_id", sa.String(80), nullable=False, index=True),
        sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_login_at", TS),
    )
    op.create_table(
        "staff_login_failure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email_key", sa.String(254), nullable=False, index=True),
        sa.Column("at", TS, nullable=False, index=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False, index=True),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff_user.id")),
        sa.Column("staff_email", sa.String(254)),
        sa.Column("action", sa.String(40), nullable=False, index=True),
        sa.Column("referral_id", sa.Integer, index=True),
        sa.Column("reference", sa.String(16)),
        sa.Column("detail", sa.Text),
    )
    op.create_table(
        "referral_case",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("stage", sa.String(32), index=True),
        sa.Column("commune", sa.String(5), index=True),
        sa.Column("situation", sa.JSON),
        sa.Column("triage", sa.JSON),
        sa.Column("deadlines", sa.JSON),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("urgency_rank", sa.Integer, nullable=False, index=True),
        sa.Column("next_deadline", sa.Date, index=True),
        sa.Column("chosen_structures", sa.JSON),
        sa.Column("contact_name", sa.String(200)),
        sa.Column("contact_phone", sa.String(40)),
        sa.Column("contact_email", sa.String(254)),
        sa.Column("preferred_times", sa.String(300)),
        sa.Column("preferred_language", sa.String(100)),
        sa.Column("accessibility_needs", sa.String(500)),
        sa.Column("description", sa.Text),
        sa.Column("consent_version", sa.String(40), nullable=False),
        sa.Column("consent_at", TS, nullable=False),
        sa.Column("consent_text", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False, index=True),
        sa.Column("submitted_at", TS),
        sa.Column("anonymised_at", TS),
    )
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("referral_case.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("structure_id", sa.String(80), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("refusal_reason", sa.String(40)),
        sa.Column("outcome", sa.String(40)),
        sa.Column("status_note", sa.Text),
        sa.Column("reoriented_from_id", sa.Integer, sa.ForeignKey("referral.id")),
        sa.Column("created_at", TS, nullable=False, index=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("taken_at", TS),
        sa.Column("closed_at", TS, index=True),
        sa.Column("reminded_at", TS),
    )
    op.create_table(
        "referral_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referral.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff_user.id")),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("from_status", sa.String(20)),
        sa.Column("to_status", sa.String(20)),
        sa.Column("reason", sa.String(40)),
        sa.Column("text", sa.Text),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("to_address", sa.String(254)),
        sa.Column("structure_id", sa.String(80), index=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("referral_case.id", ondelete="CASCADE"), index=True),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False, index=True),
        sa.Column("claimed_at", TS),
        sa.Column("sent_at", TS),
    )
    op.create_table(
        "structure_mailbox",
        sa.Column("structure_id", sa.String(80), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    for table in ("structure_mailbox", "outbox_message", "referral_event", "referral", "referral_case",
                  "audit_log", "staff_login_failure", "staff_user"):
        op.drop_table(table)
