"""Which articles an edit makes stale: reload by dependency, like a build system.

An article's facts depend on tag's code, its rules and data files, and the lexicon. Every
tag version records what it read (``tag_inputs``: a fingerprint of all but the lexicon, and
the lexicon's texts). When today's version differs from the one an article was tagged under:

- if anything but the lexicon differs (code, rules, gazetteer, outcome data), or the old
  inputs were never recorded, the article is tagged again;
- if only the lexicon differs, the edit is reduced to the words it touches: the surfaces of
  entries added, removed or changed (code, neighbours, flags, order among entries of one
  surface) and the words added to or removed from a set of context.tsv. The matcher finds
  an entry only where its surface occurs in the text, and reads a set's words only where they
  occur, so an article whose text holds none of those words would be tagged exactly as
  before: its facts stand, and only its version is brought up to date ("kept"). The others
  are tagged again.

Texts, body and title, are compared as the matcher reads them (``normalise_surface``: quotes
and spaces dropped, ASCII folded), so the test can only over-count.
Finding them is a scan of the stored bodies with one automaton of the touched words: a
tenth of a second per 5,000 articles, less than a query of the search index would need to
be sure of (lexicon surfaces are not all whole search tokens).
"""
from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Iterable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.versions import clean_version, lexicon_texts, tag_rest, tag_version


@dataclass(frozen=True)
class TagInputs:
    version: str
    rest: str
    lexicon: dict[str, str]
    data_dir: Path | None = None  # where they were read

    @classmethod
    def of(cls, data_dir: Path) -> "TagInputs":
        return cls(tag_version(data_dir), tag_rest(data_dir), lexicon_texts(data_dir), data_dir)


@dataclass
class Staleness:
    """What a reload would do to the articles tagged under older versions."""

    version: str  # today's tag version
    current: set[str] = field(default_factory=set)  # it and the older versions found untouched
    retag: list[int] = field(default_factory=list)  # article ids to tag again
    keep: dict[str, list[int]] = field(default_factory=dict)  # old version -> ids whose facts stand
    # (they keep their version, which settle() makes current once their version's touched ones are done)
    words: dict[str, list[str]] = field(default_factory=dict)  # old version -> lexicon words its edit touches

    @property
    def kept(self) -> int:
        return sum(map(len, self.keep.values()))

    def as_dict(self) -> dict:
        return {"tag_version": self.version, "to_tag": len(self.retag), "kept": self.kept,
                "edits": {old: words[:20] for old, words in self.words.items()}}


def record_inputs(session: Session, inputs: TagInputs) -> None:
    """Remember what today's version reads (once per version)."""
    from govcase.db import insert_ignore

    insert_ignore(session, m.TagInputs, [{"tag_version": inputs.version, "rest": inputs.rest,
                                          "lexicon": json.dumps(inputs.lexicon, ensure_ascii=False),
                                          "created_at": datetime.now(timezone.utc)}])


def current_versions(session: Session, version: str) -> set[str]:
    """Today's tag version and the older ones whose articles a reload found untouched."""
    return {version, *session.scalars(select(m.TagEquivalent.tag_version)
                                      .where(m.TagEquivalent.current == version))}


def staleness(engine: Engine, inputs: TagInputs, clean: str | None = None) -> Staleness:
    """Which articles tagged under other versions need tagging again, and which are kept;
    with today's ``clean`` version, articles cleaned by other rules count as stale too."""
    with Session(engine) as session:
        out = Staleness(inputs.version, current=current_versions(session, inputs.version))
        versions = session.execute(select(m.Article.tag_version).where(
            m.Article.tag_version.is_not(None), m.Article.tag_version.not_in(out.current))
            .group_by(m.Article.tag_version)).scalars().all()
        for old in versions:
            words = _touched_words(session, old, inputs)
            ids = select(m.Article.id).where(m.Article.tag_version == old)
            if words is None:
                out.retag += session.execute(ids).scalars().all()
                continue
            out.words[old] = sorted(words)
            keep = out.keep.setdefault(old, [])
            finder, needs = _finder(words), _needs(words)
            texts = select(m.Article.id, m.Article.body, m.Article.title).where(m.Article.tag_version == old)
            if needs is not None:  # the database skips the texts without the characters (most of them)
                texts = texts.where(_may_hold(session.get_bind().dialect.name, needs))
            held = {article_id for article_id, body, title in session.execute(texts.execution_options(yield_per=500))
                    if _holds(finder, needs, body, title)}
            for article_id in session.execute(ids).scalars():
                (out.retag if article_id in held else keep).append(article_id)
        if clean is not None:  # cleaned by other rules: cleaned and tagged again whatever their tags
            _add_unclean(session, out, clean)
    out.retag.sort()
    return out


def _add_unclean(session: Session, out: Staleness, clean: str) -> None:
    unclean = set(session.scalars(select(m.Article.id).where(m.Article.clean_version != clean)))
    if unclean:
        out.retag = sorted(set(out.retag) | unclean)
        out.keep = {old: [i for i in ids if i not in unclean] for old, ids in out.keep.items()}


def settle(session: Session, found: Staleness) -> None:
    """After a reload: an older version whose touched articles were all tagged again (none
    left under it; a failed one would be) is current from now on for the articles it still
    has. Their rows are not rewritten: in SQLite an UPDATE of an article rewrites its body."""
    from govcase.db import insert_ignore
    from govcase.pipeline import batched  # (loaded by now: the pipeline calls this)

    retag = sorted(found.retag)
    for old in found.words:
        # asked of the few ids tagged again, in chunks (a database's limit on parameters), not
        # by reading the id of every article left under the old version (5,000: 4 ms)
        left = (session.execute(select(m.Article.id).where(m.Article.tag_version == old, m.Article.id.in_(chunk))
                                .limit(1)).first() for chunk in batched(retag, 500))
        if not any(row is not None for row in left):
            insert_ignore(session, m.TagEquivalent, [{"tag_version": old, "current": found.version}])


def _touched_words(session: Session, old: str, inputs: TagInputs) -> set[str] | None:
    """The lexicon words an edit from ``old`` to today touches; None when more than the
    lexicon changed (or what ``old`` read is unknown): then every article of it is stale."""
    row = session.get(m.TagInputs, old)
    if row is None or row.rest != inputs.rest:
        return None
    from govcase.errors import GovcaseError

    try:
        before, after = _lexicon(json.loads(row.lexicon)), _current_lexicon(inputs)
    except (GovcaseError, ValueError, OSError):  # an old lexicon today's code cannot read
        return None
    return changed_words(before, after)


def _current_lexicon(inputs: TagInputs):
    """Today's lexicon: the one tag loads (and keeps) when it reads what ``inputs`` recorded."""
    from govcase.tagging.lexicon import load_lexicon
    from govcase.versions import lexicon_texts

    if inputs.data_dir is not None:
        lexicon = load_lexicon(inputs.data_dir)
        if lexicon_texts(inputs.data_dir) == inputs.lexicon:  # not edited since
            return lexicon
    return _lexicon(inputs.lexicon)


def _lexicon(texts: dict[str, str]):
    """A lexicon built from its files' texts (in a scratch folder: the loader reads files)."""
    from govcase.tagging.lexicon import CONTEXT_FILE, DEFAULT_CODEBOOK, KIND_FILES, build_lexicon

    with tempfile.TemporaryDirectory(prefix="govcase-lexicon-") as scratch:
        root = Path(scratch)
        (root / "lexicon").mkdir()
        names = [name for _, name in KIND_FILES] + [CONTEXT_FILE]
        for name in names:
            (root / "lexicon" / name).write_text(texts[name], encoding="utf-8")
        return build_lexicon([root / "lexicon" / name for name in names], root, DEFAULT_CODEBOOK)


def changed_words(before, after) -> set[str]:
    """Surfaces whose entries differ (line numbers aside) and set words added or removed."""
    from govcase.tagging.lexicon import Entry

    # an entry's fields but where it was read: what equality of entries with `where` blanked
    # compares, without making a copy of each of the thousands of entries of both lexicons
    same = attrgetter(*(f.name for f in fields(Entry) if f.name != "where"))

    def by_surface(lexicon) -> dict[str, tuple]:
        groups: dict[str, list] = {}
        for entry in lexicon.entries:
            groups.setdefault(entry.surface, []).append(same(entry))
        return {surface: tuple(group) for surface, group in groups.items()}

    old, new = by_surface(before), by_surface(after)
    words = {s for s in old.keys() | new.keys() if old.get(s) != new.get(s)}
    for name in before.sets.keys() | after.sets.keys():
        words |= before.sets.get(name, frozenset()) ^ after.sets.get(name, frozenset())
    return words


def _finder(words: Iterable[str]):
    import ahocorasick

    automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    for word in words:
        automaton.add_word(word)
    automaton.make_automaton()
    return automaton


MANY_WORDS = 32  # touched words above which every text is normalised (the test below would cost more)


def _needs(words: Iterable[str]) -> list[frozenset[str]] | None:
    """For each touched word, the characters a text must hold for the normalised text to hold
    the word: normalising drops quotes and spaces and folds only ASCII and full-width ASCII,
    so every other character of the word was in the text as it stands. None: test none."""
    words = list(words)
    if len(words) > MANY_WORDS:
        return None
    needs = [frozenset(ch for ch in word if ord(ch) > 0x7F and not 0xFF01 <= ord(ch) <= 0xFF5E) for word in words]
    return None if any(not chars for chars in needs) else needs


def _may_hold(dialect: str, needs: list[frozenset[str]]):
    """The condition on a row that ``_holds``'s test of ``needs`` asks of its body or title:
    one of them holds every character some word needs. The database tests it in place
    (instr/strpos): reading the 5,000 bodies of a database to test them here took longer
    than everything else a selective reload does before tagging."""
    from sqlalchemy import and_, false, or_

    from govcase.search import _contains

    return or_(false(), *(and_(*(_contains(dialect, column, ch) for ch in sorted(chars)))
                          for column in (m.Article.body, m.Article.title) for chars in needs))


def _holds(finder, needs: list[frozenset[str]] | None, body: str, title: str | None) -> bool:
    """Whether the text holds a touched word as the matcher reads it. The words are
    normalised (no quotes or spaces, folded), so one that occurs in the text as it stands
    occurs in its normalised form too. A text without the characters ``needs`` says every
    word needs cannot hold any of them, and is not normalised at all (most texts: normalising
    5,000 bodies was half the cost of finding the articles an edit touches)."""
    from govcase.tagging.lexicon import normalise_surface

    if finder.get_stats()["words_count"] == 0:
        return False
    for text in (body, title or ""):
        if needs is not None and not any(all(ch in text for ch in chars) for chars in needs):
            continue
        if next(finder.iter(normalise_surface(text)), None) is not None:
            return True
    return False


def pending_counts(engine: Engine, data_dir: Path) -> dict[str, int]:
    """For ``stats``: articles tagged under other versions, to tag again and kept by a reload."""
    found = staleness(engine, TagInputs.of(data_dir), clean_version(data_dir))
    return {"stale": len(found.retag), "current after reload": found.kept}

