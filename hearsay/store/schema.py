"""Tables of the corpus store.

SQLAlchemy Core, not the ORM: the ingester writes rows in bulk and the queries
are aggregates, so plain tables keep both readable. Alembic's first revision
creates exactly these tables; later changes get their own revisions.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("started", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),  # running | done
    Column("inputs", Text, nullable=False),  # JSON list, so --resume can expand them again
    Column("options", Text, nullable=False),  # JSON object
)

run_items = Table(
    "run_items", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("key", String(2048), primary_key=True),
    Column("status", String(16), nullable=False),  # stored | duplicate | failed
    Column("article_id", Integer),
)

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text),
    Column("first_published", String(32)),
    Column("last_published", String(32)),
    Column("size", Integer, nullable=False, default=0),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("hash", String(64), nullable=False, unique=True),
    Column("external_id", String(512)),
    Column("url", String(2048), unique=True),
    Column("site", String(255)),
    Column("outlet", String(255)),
    Column("title", Text),
    Column("author", Text),
    Column("published", String(32)),
    Column("language", String(8)),
    Column("format", String(16)),
    Column("input", Text),
    Column("text", Text, nullable=False),
    Column("document", Text, nullable=False),  # the article JSON (hearsay.article/1)
    Column("ingested", DateTime(timezone=True), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("story_id", Integer, ForeignKey("stories.id"), index=True),
    Column("duplicate_of", Integer, ForeignKey("articles.id"), index=True),
    Column("similarity", Float),  # estimated Jaccard with duplicate_of
)
Index("ix_articles_external_id", articles.c.external_id)
Index("ix_articles_published", articles.c.published)

removed = Table(
    "removed", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("label", String(32), nullable=False),
    Column("canonical", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)
Index("ix_entities_canonical", entities.c.canonical)

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("canonical", String(512), nullable=False),
    Column("kind", String(32), nullable=False),
)
Index("ux_sources_canonical_kind", sources.c.canonical, sources.c.kind, unique=True)

claim_groups = Table(
    "claim_groups", metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),  # the first report's wording
    Column("terms", Text, nullable=False),  # JSON: content terms, for matching later reports
)

attributions = Table(
    "attributions", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("parent", String(16)),
    Column("quote", String(16)),
    Column("certainty", String(16), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), index=True),
    Column("source_text", Text),
    Column("cue", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("claim_group_id", Integer, ForeignKey("claim_groups.id"), index=True),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), index=True),
    Column("input", Text, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Story clustering state: per-article term vectors, document frequencies, an inverted index
# of each article's most telling terms (the candidate search), and near-duplicate LSH bands.
story_features = Table(
    "story_features", metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("terms", Text, nullable=False),
)

term_df = Table(
    "term_df", metadata,
    Column("term", String(512), primary_key=True),
    Column("df", Integer, nullable=False),
)

story_terms = Table(
    "story_terms", metadata,
    Column("term", String(512), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
)
Index("ix_story_terms_term", story_terms.c.term)

# Revision 0003: every pair the story model scored (the later article, the earlier one, the
# confirm model's probability), so that a story can be regrouped from its links.
story_links = Table(
    "story_links", metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("other_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("weight", Float, nullable=False),
)

minhash_bands = Table(
    "minhash_bands", metadata,
    Column("band", Integer, nullable=False),
    Column("hash", BigInteger, nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
)
Index("ix_minhash_bands", minhash_bands.c.band, minhash_bands.c.hash)

# Revision 0002: events (issue 5), one row per coded event, GDELT-like.
events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("code", String(16), nullable=False, index=True),
    Column("mode", String(16), nullable=False),
    Column("trigger", Text, nullable=False),
    Column("actors", Text, nullable=False),  # JSON list of {text, canonical, country, sector}
    Column("targets", Text, nullable=False),
    Column("actor_country", String(8), index=True),
    Column("actor_sector", String(8)),
    Column("target_country", String(8), index=True),
    Column("target_sector", String(8)),
    Column("location", Text),
    Column("location_country", String(8)),
    Column("city", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("date_text", Text),
    Column("date_start", String(10), index=True),
    Column("date_end", String(10)),
    Column("granularity", String(8)),
    Column("attribution", String(16)),  # local id of the enclosing attribution in the article
    Column("attribution_chain", Text),  # sources from the innermost attribution outwards, " < "-joined
)

minhashes = Table(
    "minhashes", metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("signature", Text, nullable=False),  # JSON list of ints
)
