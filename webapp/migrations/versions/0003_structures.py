"""Directory in the database: structures imported from the files, staff edits, their history.

Revision ID: 0003_structures
Revises: 0002_referrals_staff
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_structures"
down_revision = "0002_referrals_staff"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "directory_structure",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("imported_at", TS, nullable=False),
        sa.Column("edited_at", TS),
        sa.Column("edited_by", sa.String(254)),
    )
    op.create_table(
        "directory_field",
        sa.Column("structure_id", sa.String(80), sa.ForeignKey("directory_structure.id"), primary_key=True),
        sa.Column("field", sa.String(40), primary_key=True),
        sa.Column("value", sa.JSON),
        sa.Column("source", sa.Text),
        sa.Column("verified", sa.Date),
        sa.Column("note", sa.String(80)),
        sa.Column("origin", sa.String(8), nullable=False, index=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(254)),
    )
    op.create_table(
        "directory_change",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("structure_id", sa.String(80), nullable=False, index=True),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old_value", sa.JSON),
        sa.Column("new_value", sa.JSON),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff_user.id")),
        sa.Column("staff_email", sa.String(254)),
        sa.Column("at", TS, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("directory_change")
    op.drop_table("directory_field")
    op.drop_table("directory_structure")
