"""Events (issue 5): one row per coded PLOVER event.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("local_id", sa.String(16), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("trigger", sa.Text, nullable=False),
        sa.Column("actors", sa.Text, nullable=False),
        sa.Column("targets", sa.Text, nullable=False),
        sa.Column("actor_country", sa.String(8)),
        sa.Column("actor_sector", sa.String(8)),
        sa.Column("target_country", sa.String(8)),
        sa.Column("target_sector", sa.String(8)),
        sa.Column("location", sa.Text),
        sa.Column("location_country", sa.String(8)),
        sa.Column("city", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("date_text", sa.Text),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("granularity", sa.String(8)),
        sa.Column("attribution", sa.String(16)),
        sa.Column("attribution_chain", sa.Text),
    )
    for column in ("article_id", "code", "actor_country", "target_country", "date_start"):
        op.create_index(f"ix_events_{column}", "events", [column])


def downgrade() -> None:
    op.drop_table("events")
