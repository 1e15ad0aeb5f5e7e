"""submission: replaces_id ("Korrigieren")

A corrected submission names the one it replaces; the earlier one keeps its documents
until the retention period ends (then the link is cleared).

Revision ID: 5c1e9a7b3d20
Revises: 5c1e9a7d2b30
Create Date: 2026-12-03 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c1e9a7b3d20"
down_revision = "5c1e9a7d2b30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "replaces_id",
                sa.Integer(),
                sa.ForeignKey(
                    "submission.id", name="fk_submission_replaces_id_submission", ondelete="SET NULL"
                ),
                nullable=True,
            )
        )
        batch_op.create_index(batch_op.f("ix_submission_replaces_id"), ["replaces_id"], unique=False)


def downgrade():
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_constraint("fk_submission_replaces_id_submission", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_submission_replaces_id"))
        batch_op.drop_column("replaces_id")
