"""accounts: session version

A number on the account that every session carries; raising it (logout, new password,
deactivation, "end all sessions") ends every session of the account at its next request.

Revision ID: 5c1e9a7d2b30
Revises: 3b8f2c6a9e41
Create Date: 2026-12-03 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c1e9a7d2b30"
down_revision = "3b8f2c6a9e41"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_version")
