"""The turn of the Rasa processes, shared by every gunicorn worker.

Revision ID: 0004_chat_turn
Revises: 0003_structures
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_chat_turn"
down_revision = "0003_structures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "chat_turn",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("taken", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "taken": 0}])


def downgrade() -> None:
    op.drop_table("chat_turn")
