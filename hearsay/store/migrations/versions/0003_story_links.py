"""Story links (issue 4): the story model's scored pairs, so stories can be regrouped.

Stores made before this revision have no links for their older articles: regrouping sees
those pairs as unscored, so their stories are only merged, never split, by later articles.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_links",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("other_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
    )
    op.create_index("ix_story_links_article_id", "story_links", ["article_id"])
    op.create_index("ix_story_links_other_id", "story_links", ["other_id"])


def downgrade() -> None:
    op.drop_table("story_links")
