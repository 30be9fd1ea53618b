"""The normalised schema (SQLAlchemy 2.x typed models).

The schema is created and changed only through Alembic migrations
(``migrations/``); these models are what the migrations are checked against
(``alembic check`` in the tests). Offsets are character offsets into
``articles.body`` (half-open: ``body[char_start:char_end]``).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from govcase.records import OUTCOME_STAGES, TOKEN_KINDS  # kept with the records: the workers read them

# Alembic's recommended naming convention: stable constraint names on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _fk(target: str, nullable: bool = False, ondelete: str | None = "CASCADE") -> Mapped:
    return mapped_column(ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class Run(Base):
    """One invocation that changed something: which rules and lexicons it used."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    command: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))  # running | ok | failed
    clean_version: Mapped[str] = mapped_column(String(64))
    tag_version: Mapped[str] = mapped_column(String(64))
    lexicon_version: Mapped[str | None] = mapped_column(String(64))  # data/lexicon header + hash
    govcase_version: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(Text)  # JSON counts


class Source(Base):
    """The raw bytes of one input document, stored once per content (sha256)."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(Text)  # the first path or URL it came from
    media_type: Mapped[str] = mapped_column(String(16))  # text | html
    encoding: Mapped[str | None] = mapped_column(String(32))  # detected or declared
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    hints: Mapped[str | None] = mapped_column(Text)  # JSON: url/title/published from JSONL
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = _fk("runs.id", nullable=True, ondelete="SET NULL")


class SourceLocation(Base):
    """Every path or URL that brought a source (the same bytes may arrive many times)."""

    __tablename__ = "source_locations"
    __table_args__ = (UniqueConstraint("source_id", "location"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = _fk("sources.id")
    location: Mapped[str] = mapped_column(Text)


class Article(Base):
    """The clean article made from one source, with the stage versions that made it."""

    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(32))  # ISO 8601 or --MM-DD
    published_precision: Mapped[str | None] = mapped_column(String(16))  # minute|day|month-day
    outlet: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    editor: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    script: Mapped[str] = mapped_column(String(16))  # script of the input
    encoding: Mapped[str | None] = mapped_column(String(32))
    flags: Mapped[str | None] = mapped_column(Text)  # space-separated: mojibake-repaired ...
    # the canonical article of this one's near-duplicate cluster (None: it is canonical itself)
    duplicate_of_id: Mapped[int | None] = _fk("articles.id", nullable=True, ondelete="SET NULL")
    duplicate_similarity: Mapped[float | None] = mapped_column(Float)  # estimated Jaccard to its parent below
    # the earliest (govcase.clusters.story_key) of the same stories told before this one;
    # following these links up gives duplicate_of_id, the cluster's canonical article. No
    # foreign key: SQLite can add a column in place (under the views that read articles)
    # only without a named one, and govcase.clusters rewrites the links it reads
    duplicate_parent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    clean_version: Mapped[str] = mapped_column(String(64))
    tag_version: Mapped[str | None] = mapped_column(String(64))  # set by tag; None = to tag
    load_version: Mapped[str | None] = mapped_column(String(64))  # facts loaded from this tag
    cleaned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = _fk("runs.id", nullable=True, ondelete="SET NULL")


class TagResult(Base):
    """What tag found for an article, staged (JSON) until load writes it as rows."""

    __tablename__ = "tag_results"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tag_version: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    tagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = _fk("runs.id", nullable=True, ondelete="SET NULL")


class Place(Base):
    """A place in the district -> street -> community/estate hierarchy.

    ``key`` is the natural key: the chain of ``level:name`` from the top, so the
    same place named by many articles is one row.
    """

    __tablename__ = "places"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(512), unique=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = _fk("places.id", nullable=True, ondelete="RESTRICT")
    code: Mapped[str | None] = mapped_column(String(16), index=True)


class PlaceAlias(Base):
    __tablename__ = "place_aliases"
    __table_args__ = (UniqueConstraint("place_id", "alias"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = _fk("places.id")
    alias: Mapped[str] = mapped_column(String(128), index=True)


class Measure(Base):
    """Codebook reference rows (seeded from seeds/codebook.yaml)."""

    __tablename__ = "measures"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    zh: Mapped[str] = mapped_column(String(64))


class Mechanism(Base):
    __tablename__ = "mechanisms"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    zh: Mapped[str] = mapped_column(String(64))


class Evidence(Base):
    """A sentence of an article's body that supports one or more facts."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("article_id", "char_start", "char_end"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _fk("articles.id")
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class _Fact:
    """Columns every fact row has: its article, its evidence sentence and its span."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)


class PlaceMention(_Fact, Base):
    __tablename__ = "place_mentions"
    article_id: Mapped[int] = _fk("articles.id")
    evidence_id: Mapped[int] = _fk("evidence.id")
    place_id: Mapped[int] = _fk("places.id", ondelete="RESTRICT")
    surface: Mapped[str] = mapped_column(String(128))


class MeasureMention(_Fact, Base):
    __tablename__ = "measure_mentions"
    article_id: Mapped[int] = _fk("articles.id")
    evidence_id: Mapped[int] = _fk("evidence.id")
    measure_code: Mapped[str] = _fk("measures.code", ondelete="RESTRICT")
    surface: Mapped[str] = mapped_column(String(128))
    pattern_id: Mapped[str | None] = mapped_column(String(64))


class MechanismMention(_Fact, Base):
    __tablename__ = "mechanism_mentions"
    article_id: Mapped[int] = _fk("articles.id")
    evidence_id: Mapped[int] = _fk("evidence.id")
    mechanism_code: Mapped[str] = _fk("mechanisms.code", ondelete="RESTRICT")
    surface: Mapped[str] = mapped_column(String(128))
    pattern_id: Mapped[str | None] = mapped_column(String(64))


class Project(_Fact, Base):
    """A named project or facility (“吾爱家”居民活动中心)."""

    __tablename__ = "projects"
    article_id: Mapped[int] = _fk("articles.id")
    evidence_id: Mapped[int] = _fk("evidence.id")
    name: Mapped[str] = mapped_column(String(128), index=True)
    place_id: Mapped[int | None] = _fk("places.id", nullable=True, ondelete="RESTRICT")


class ProjectMeasure(Base):
    __tablename__ = "project_measures"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    measure_code: Mapped[str] = mapped_column(
        ForeignKey("measures.code", ondelete="RESTRICT"), primary_key=True, index=True
    )




class Outcome(_Fact, Base):
    """A numeric outcome: value (万/亿 multiplied out), unit as written, qualifier."""

    __tablename__ = "outcomes"
    __table_args__ = (CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in OUTCOME_STAGES) + ")",
                                      name="status"),)
    article_id: Mapped[int] = _fk("articles.id")
    evidence_id: Mapped[int] = _fk("evidence.id")
    value: Mapped[float] = mapped_column(Float)
    surface: Mapped[str] = mapped_column(String(64))  # the number as written
    unit: Mapped[str] = mapped_column(String(16))
    unit_class: Mapped[str] = mapped_column(String(16))
    approx: Mapped[str | None] = mapped_column(String(8))
    metric: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(16))  # one of OUTCOME_STAGES
    status_word: Mapped[str | None] = mapped_column(String(16))  # the status word as written: 签约, 投入使用 ...
    place_id: Mapped[int | None] = _fk("places.id", nullable=True, ondelete="RESTRICT")
    project_id: Mapped[int | None] = _fk("projects.id", nullable=True, ondelete="SET NULL")
    measure_code: Mapped[str | None] = _fk("measures.code", nullable=True, ondelete="RESTRICT")


class InstalledVersion(Base):
    """The versions of the rules and data installed where govcase last opened this database, so
    SQL can see facts go stale when a lexicon is edited, before any run redoes them."""

    __tablename__ = "installed_versions"
    name: Mapped[str] = mapped_column(String(16), primary_key=True)  # clean | tag | lexicon | govcase
    version: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Reject(Base):
    """An input or article a stage could not handle, with the reason."""

    __tablename__ = "rejects"
    __table_args__ = (UniqueConstraint("stage", "location"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage: Mapped[str] = mapped_column(String(16))  # ingest | clean | tag | load
    location: Mapped[str] = mapped_column(Text)  # path or URL (or source label)
    source_id: Mapped[int | None] = _fk("sources.id", nullable=True, ondelete="CASCADE")
    sha256: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(32), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = _fk("runs.id", nullable=True, ondelete="SET NULL")


class ArticleSignature(Base):
    """An article's MinHash signature over its clean body (govcase.dedup), for near-duplicates."""

    __tablename__ = "article_signatures"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)  # num_perm unsigned 32-bit values, little-endian
    shingles: Mapped[int] = mapped_column(Integer)  # how many distinct shingles the body has
    anchors: Mapped[str] = mapped_column(Text)  # distinct figures and place names of the body (govcase.dedup)


class MinhashBand(Base):
    """Locality-sensitive hashing in the database: articles sharing a (band, bucket) are candidates."""

    __tablename__ = "minhash_bands"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)


class WorkItem(Base):
    """A source with stages to run, claimed by one worker process at a time (PostgreSQL).

    Any number of processes on any machines take batches with ``FOR UPDATE SKIP LOCKED``
    (govcase.claims); a claim expires, so a killed worker's batch is taken over. The row
    goes in the transaction that writes the batch's results.
    """

    __tablename__ = "work_queue"
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    first_stage: Mapped[int] = mapped_column(Integer)  # index in WORK_STAGES: 0 clean, 1 tag, 2 load
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ClusterQueue(Base):
    """Articles whose signature changed since their cluster was last settled (govcase.dedup)."""

    __tablename__ = "cluster_queue"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


# Foreign keys SQLite alone checks. PostgreSQL checks a key row by row on insert, and these
# (about 230 checks an article: every fact row's article, evidence, place and code, every
# evidence sentence and LSH band's article) were two thirds of the server's work per article. The writer makes these rows consistent itself:
# articles, evidence, places and projects are written or got in the same transaction, and
# codes are checked against the codebook (govcase.write); migration 0008 gives PostgreSQL a
# statement-level trigger that deletes an article's facts with it, as the cascades did.
SQLITE_ONLY_KEYS = {
    "place_mentions": ("article_id", "evidence_id", "place_id"),
    "measure_mentions": ("article_id", "evidence_id", "measure_code"),
    "mechanism_mentions": ("article_id", "evidence_id", "mechanism_code"),
    "projects": ("article_id", "evidence_id", "place_id"),
    "outcomes": ("article_id", "evidence_id", "place_id", "project_id", "measure_code"),
    "project_measures": ("measure_code",),
    "evidence": ("article_id",),
    "minhash_bands": ("article_id",),
}
for _table, _columns in SQLITE_ONLY_KEYS.items():
    for _key in Base.metadata.tables[_table].foreign_key_constraints:
        if tuple(_key.column_keys)[0] in _columns:
            _key.info["dialect"] = "sqlite"

Index("ix_articles_pending_tag", Article.tag_version)
Index("ix_minhash_bands_band_bucket", MinhashBand.band, MinhashBand.bucket)
# what the analyst views look facts up by (migration 0006)
Index("ix_place_mentions_article_place", PlaceMention.article_id, PlaceMention.place_id)
Index("ix_measure_mentions_article_code", MeasureMention.article_id, MeasureMention.measure_code,
      MeasureMention.char_start)
Index("ix_mechanism_mentions_article_code", MechanismMention.article_id, MechanismMention.mechanism_code,
      MechanismMention.char_start)
Index("ix_outcomes_article_measure", Outcome.article_id, Outcome.measure_code)
FACT_TABLES = (PlaceMention, MeasureMention, MechanismMention, Outcome, ProjectMeasure, Project, Evidence)


# SQLite's full-text index of article_words, and its vocabulary (migration 0005): virtual tables,
# which SQLAlchemy cannot describe, so they are not models; their names start with this
SQLITE_INDEX_PREFIX = "article_words_"
# the generic ARRAY (TEXT[] on PostgreSQL): importing the PostgreSQL dialect for its own ARRAY
# cost every SQLite command 50 ms of start-up
_TOKENS = Text().with_variant(ARRAY(Text), "postgresql")


class ArticleWords(Base):
    """The searchable words of an article, one row per article and a column per kind: every word
    of jieba's dictionary that its title or evidence sentences contain (``word``), and the lexicon
    hits: the surfaces of measure and mechanism mentions, and of place mentions with the
    canonical place names.

    Written at load time (govcase.search.token_columns) so analysts' SQL
    can find two-character words (电梯, 停车) that a trigram full-text index cannot. PostgreSQL
    stores each kind as a text[] with a GIN index (``word @> ARRAY['电梯']``); SQLite stores the
    words joined by line breaks and indexes them in the FTS5 table ``article_words_fts``
    (``article_words_fts MATCH '"电梯"'``), made by migration 0005. A row per token instead cost
    the writer more than anything else it wrote (1.5M rows for 5,000 articles). The ``tokens``
    view gives the (token, kind, article_id) rows on both databases.
    """

    __tablename__ = "article_words"
    # PostgreSQL's index of the words (SQLite's is the FTS5 table): declare_postgresql_indexes()
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    word: Mapped[str | list[str]] = mapped_column(_TOKENS)
    measure: Mapped[str | list[str]] = mapped_column(_TOKENS)
    mechanism: Mapped[str | list[str]] = mapped_column(_TOKENS)
    place: Mapped[str | list[str]] = mapped_column(_TOKENS)



def declare_postgresql_indexes() -> None:
    """Add PostgreSQL's GIN indexes of ``article_words`` (migration 0005) to the models, once.

    Alembic's env.py calls it before it compares the models with a database; the commands do
    without them (the migrations make the indexes). An Index given ``postgresql_using`` makes
    SQLAlchemy import its PostgreSQL dialect to check the option when the Index is made: as a
    table argument of the model, that was 20 ms of every command's start (40 ms without
    ``.pyc``), on SQLite too, for indexes only PostgreSQL's migrations and ``alembic check`` read.
    """
    table = ArticleWords.__table__
    have = {index.name for index in table.indexes}
    for kind in TOKEN_KINDS:
        if f"ix_article_words_{kind}" not in have:
            Index(f"ix_article_words_{kind}", table.c[kind], postgresql_using="gin", info={"dialect": "postgresql"})


class TagInputs(Base):
    """What one tag version read, so a reload can tell what an edit changed (govcase.stale).

    ``rest`` fingerprints everything tag reads but the lexicon (its code, rules and other data
    files); ``lexicon`` holds the lexicon files' texts as JSON ({file name: text}). Articles
    tagged under a version whose ``rest`` equals today's need tagging again only where their
    text holds a lexicon word the edit added, removed or changed.
    """

    __tablename__ = "tag_inputs"
    tag_version: Mapped[str] = mapped_column(String(64), primary_key=True)
    rest: Mapped[str] = mapped_column(String(64))
    lexicon: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TagEquivalent(Base):
    """An older tag version whose articles make the same facts under ``current``: a reload
    after a lexicon edit tagged again those its edit could touch and kept the others, under
    their old version (govcase.stale)."""

    __tablename__ = "tag_equivalents"
    tag_version: Mapped[str] = mapped_column(String(64), primary_key=True)
    current: Mapped[str] = mapped_column(String(64), primary_key=True)


class FileStamp(Base):
    """The size and modification time a file had when its bytes were stored, so that an ingest
    of an unchanged folder skips reading and hashing it (govcase.ingest)."""

    __tablename__ = "file_stamps"
    location: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
