"""contact directory: text columns

The directory's form accepts what every instrument's text field accepts
(base.TEXT_MAX_CHARS); the shorter VARCHAR columns made PostgreSQL refuse long entries.

Revision ID: 3b8f2c6a9e41
Revises: d0e53991fc17
Create Date: 2026-12-01 20:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b8f2c6a9e41"
down_revision = "d0e53991fc17"
branch_labels = None
depends_on = None

WIDENED = {"organisation": 300, "funktion": 300, "telefon": 100, "zustaendigkeit": 500}


def upgrade():
    with op.batch_alter_table("contact") as batch:
        for name, length in WIDENED.items():
            batch.alter_column(
                name,
                existing_type=sa.String(length=length),
                type_=sa.Text(),
                existing_nullable=False,
            )


def downgrade():
    with op.batch_alter_table("contact") as batch:
        for name, length in WIDENED.items():
            batch.alter_column(
                name,
                existing_type=sa.Text(),
                type_=sa.String(length=length),
                existing_nullable=False,
            )
