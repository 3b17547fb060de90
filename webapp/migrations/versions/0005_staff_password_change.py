"""Staff passwords can change: a session epoch per account (older sessions are signed out)
and a flag that sends the owner of a password set by someone else to the change page.

Revision ID: 0005_staff_password_change
Revises: 0004_chat_turn
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_staff_password_change"
down_revision = "0004_chat_turn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Server defaults fill the existing rows, so NOT NULL holds on both SQLite and PostgreSQL.
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("must_change_password", sa.Boolean, nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    # Batch mode: SQLite rebuilds the table by copy to drop the columns.
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("must_change_password")
        batch.drop_column("session_epoch")
