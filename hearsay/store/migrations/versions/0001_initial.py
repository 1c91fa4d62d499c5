"""The first schema: articles, analysis, stories, claim groups, runs, failures, search index.

Revision ID: 0001
"""
from alembic import op

from hearsay.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# The tables as they were at this revision; later revisions add theirs with explicit operations.
TABLES = ("runs", "run_items", "stories", "articles", "removed", "entities", "sources", "claim_groups", "attributions",
          "failures", "story_features", "term_df", "story_terms", "minhash_bands", "minhashes")


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=[metadata.tables[name] for name in TABLES])
    if bind.dialect.name == "sqlite":
        # External-content FTS5 index over articles; rows are added by the ingester.
        op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5("
                   "title, text, content='articles', content_rowid='id', tokenize='porter unicode61')")
    elif bind.dialect.name == "postgresql":
        # A stored tsvector: matching is cheap even when the planner walks the date index for ORDER BY.
        op.execute("ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED")
        op.execute("CREATE INDEX ix_articles_fts ON articles USING gin (search)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    metadata.drop_all(bind, tables=[metadata.tables[name] for name in TABLES])
