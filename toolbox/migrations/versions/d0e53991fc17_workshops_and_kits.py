"""workshops and kits

Revision ID: d0e53991fc17
Revises: 77e03c1d2263
Create Date: 2026-11-22 21:25:51.995914

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d0e53991fc17"
down_revision = "77e03c1d2263"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "blank_render",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cache_key", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cache_key", "format"),
    )
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("instruments_json", sa.Text(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("shared_json", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "kit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("built_at", sa.DateTime(), nullable=True),
        sa.Column("contents_key", sa.String(length=64), nullable=True),
        sa.Column("oldest_submission_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workshop_id"),
    )
    with op.batch_alter_table("kit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kit_built_at"), ["built_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_kit_oldest_submission_at"), ["oldest_submission_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_kit_state"), ["state"], unique=False)

    op.create_table(
        "workshop_facilitator",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workshop_id", "user_id"),
    )
    # An added column with its foreign key: SQLite can do that in place (ALTER TABLE ADD
    # COLUMN … REFERENCES), without recreating the table.
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "workshop_id",
                sa.Integer(),
                sa.ForeignKey(
                    "workshop.id", name="fk_submission_workshop_id_workshop", ondelete="SET NULL"
                ),
                nullable=True,
            )
        )
        batch_op.create_index(
            batch_op.f("ix_submission_workshop_id"), ["workshop_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_constraint("fk_submission_workshop_id_workshop", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_submission_workshop_id"))
        batch_op.drop_column("workshop_id")

    op.drop_table("workshop_facilitator")
    with op.batch_alter_table("kit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kit_state"))
        batch_op.drop_index(batch_op.f("ix_kit_oldest_submission_at"))
        batch_op.drop_index(batch_op.f("ix_kit_built_at"))

    op.drop_table("kit")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_owner_id"))

    op.drop_table("workshop")
    op.drop_table("blank_render")
