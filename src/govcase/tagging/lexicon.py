"""The measure and mechanism lexicon: data files loaded, validated and compiled once.

data/lexicon/ holds three tab-separated files, each with a ``# version:`` line:

* ``measures.tsv`` and ``mechanisms.tsv``: one entry per line,
  ``surface  code  requires  forbids  flags  note`` (trailing columns may be
  left out). ``code`` must be a code of that section of seeds/codebook.yaml.
  ``requires`` / ``forbids`` are ``|``-separated neighbours: a word (anywhere in
  the sentence, or the clause with the ``clause`` flag), ``<word`` (the text just
  before the match ends with it), ``>word`` (the text just after starts with it)
  or ``@set`` (every word of a set in context.tsv; ``<@set`` and ``>@set`` too).
  An entry counts when any
  required neighbour is there (or none is listed) and no forbidden one is. A required item may
  join neighbours with ``&``, all of which must be there: ``@community_side&@outside_party``
  (a community and an outside party in one clause, for 社区携手XX公司).
  ``flags``: ``clause`` (neighbours are looked for in the clause),
  ``problem`` (the surface names a problem, e.g. 停车难: it counts only when its
  clause also says it was tackled, a word of ``@resolved``; negation does not
  apply, since 再也没有积水 reports a fix); ``object`` (the surface names a thing or a party,
  e.g. 监控, 物业公司: it counts only when its clause also says something was done, a word of
  ``@act``, or for a measure an action verb of ``@action_verbs`` acting on it, 垃圾房挪到了小区西北角;
  记者在监控探头下见到老张 mentions a camera, it installs none); ``actor`` (the surface
  names a person by office, e.g. 党委书记: it counts only when a word of ``@act`` follows it in its
  sentence, where a subject's deeds are told even past a clause break, 书记得知后，多次组织议事会;
  书记今年48岁 or 记者见到了书记 tells of no deed); ``verb`` (the surface names a thing of the code's
  domain told without its category word, e.g. 扶手, 路灯, 杂物: it counts only when an action verb of
  its ``requires`` acts on it in its clause, within VERB_REACH characters before it, 修好了十来扇|单元门,
  or after it, 把坏了的路灯|换了, and no negator or plan word stands between; ``<word`` items are
  verbs that must stand right before it, 修|扶手; when it is its clause's topic, a verb in the comment
  clause will do, 那几盏坏了的路灯，|上周全换了新的. Its requires are verbs, not neighbours: see
  tagging.clauses.Context.acted_on; the verb sets are @action_verbs, @action_chars, @clear_verbs ...).
* ``context.tsv``: named word sets, ``@set  word  note``. The sets that the
  matchers (codes.py, projects.py) read by name are listed in ``CORE_SETS``;
  the others are there for entries to use (``@directions``, ``@repair`` ...).

``Lexicon.version`` is the files' common ``# version:`` plus a short hash of
their content ("2026.11.22-1+3fa2b1c0"): a run records it with every fact, and
any edit changes it.

Surfaces are simplified Chinese without quotes or spaces: the matcher reads the
body with quotes and spaces skipped (see ``shadow``), so ``“三旧”改造`` matches
三旧改造. The same normaliser is applied to the surfaces (lowercase ASCII,
full-width ASCII folded), so a pattern and the text it should match meet halfway.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from array import array
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from govcase import regexcache
from govcase.codebook import DEFAULT_PATH as CODEBOOK_PATH
from govcase.datafiles import data_rows
from govcase.codebook import load_codebook
from govcase.errors import GovcaseError
from govcase.settings import default_data_dir
from govcase.tagging.alternation import longest_first
from govcase.tagging.surfaces import SurfaceAutomaton

DEFAULT_DATA_DIR = default_data_dir()
DEFAULT_CODEBOOK = CODEBOOK_PATH
KIND_FILES = (("measure", "measures.tsv"), ("mechanism", "mechanisms.tsv"))
CONTEXT_FILE = "context.tsv"
FLAGS = frozenset({"clause", "problem", "object", "actor", "verb"})
# Sets the matcher reads by name (context.tsv must define each of them).
CORE_SETS = ("@resolved", "@negators", "@not_negators", "@hypothetical", "@figurative", "@policy_talk",
             "@biography", "@disrepair", "@repair", "@build", "@stop", "@facility_nouns", "@programme_nouns",
             "@not_projects", "@not_project_endings", "@act", "@plan", "@plan_opener", "@not_plan",
             "@clause_negators", "@undone", "@rule_talk", "@converted", "@generic_talk", "@stalled",
             "@community_side", "@outside_party", "@resident_roles")
# Sets whose words the automaton also finds, so that the matcher learns where they stand in the same
# pass as the entries (codes.py: 名叫 before a cue names it, 原来的 before a facility tells the past;
# the others, which many bodies lack, for whether a body holds one at all: a whole-text search for
# their words is made only when it does). A word in two of these sets is found once for each.
POLICY_SETS = ("@policy_talk", "@biography", "@hypothetical", "@rule_talk", "@generic_talk")  # nothing counts in their clause
MARKER_SETS = ("@name_before", "@former", "@figurative", "@converted",
               "@plan", "@plan_opener", "@clause_negators", "@undone", "@stalled", "@negators",
               "@attribution") + POLICY_SETS
# Characters the matcher skips: quotes and spaces inside a phrase (“飞线”充电).
IGNORABLE = frozenset("“”‘’\"'「」『』《》〈〉 \t\u3000\u00a0\u200b")
_VERSION = regexcache.compile(r"^#\s*version:\s*(\S+)")
_SET_NAME = regexcache.compile(r"^@[a-z_]+$")


class LexiconError(GovcaseError):
    """A lexicon file is malformed; the message names the file and line."""


def fold(ch: str) -> str:
    """One character as the matcher sees it (always one character, so offsets hold)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII
        ch = chr(code - 0xFEE0)
    return ch.lower() if ch.isascii() else ch


# fold() as a translation table, so that a whole body is folded in C, not character by character;
# its keys are exactly the characters fold() changes (A-Z and full-width ASCII)
_FOLD = {code: ord(fold(chr(code))) for code in list(range(0x41, 0x5B)) + list(range(0xFF01, 0xFF5F))}
# (a class, then the same class repeated: the same runs as class+, but a pattern that begins with
# a repeat gives the regex engine no character to skip ahead to, and it tries the whole pattern at
# every position of the body: two thirds of shadow()'s cost)
_FOLDABLE = "[A-Z\uff01-\uff5e]"
_FOLDABLE_RUN = regexcache.compile(_FOLDABLE + _FOLDABLE + "*")
_IGNORABLE = "[" + re.escape("".join(sorted(IGNORABLE))) + "]"
_IGNORABLE_RUN = regexcache.compile(_IGNORABLE + _IGNORABLE + "*")


# The texts shadow() remembers: the body of the article being tagged, which codes and projects
# both read through it (a few is plenty).
_SHADOW_CACHE_SIZE = 4
_SHADOWS: dict[str, tuple[str, array]] = {}
# 0, 1, 2 ... as far as the longest text shadowed so far: the offsets a shadow keeps are slices of
# it, copied as memory, not an int object made for each character of the body (that cost as much
# as the two regex passes of _shadow); 4 bytes a character where a tuple of ints took 36.
_OFFSETS = array("i")


def shadow(text: str) -> tuple[str, array]:
    """``text`` without ignorable characters, folded; and each kept character's offset (an array
    of ints: index it, bisect it, as a tuple). Computed once per text (see _SHADOW_CACHE_SIZE)."""
    found = _SHADOWS.get(text)
    if found is None:
        if len(_SHADOWS) >= _SHADOW_CACHE_SIZE:
            _SHADOWS.pop(next(iter(_SHADOWS)))
        found = _SHADOWS[text] = _shadow(text)
    return found


def _shadow(text: str) -> tuple[str, array]:
    global _OFFSETS
    if len(_OFFSETS) < len(text):
        _OFFSETS = array("i", range(max(len(text), 2 * len(_OFFSETS))))
    offsets = _OFFSETS
    keep = array("i")
    pieces: list[str] = []
    last = 0
    for m in _IGNORABLE_RUN.finditer(text):  # a few quotes and spaces per body: cheap
        keep += offsets[last:m.start()]
        pieces.append(text[last:m.start()])
        last = m.end()
    keep += offsets[last:len(text)]
    pieces.append(text[last:])
    return _fold("".join(pieces)), keep


def _fold(text: str) -> str:
    """fold() applied to every character of ``text``."""
    # a clean body has few characters to fold (full-width punctuation is gone): translating just
    # those runs is several times faster than str.translate over the whole body, same result
    return _FOLDABLE_RUN.sub(_fold_run, text)


def _fold_run(m: re.Match) -> str:
    return m.group().translate(_FOLD)


def normalise_surface(surface: str) -> str:
    """A surface as the matcher reads it: ``shadow(surface)[0]`` (nothing remembered)."""
    return _fold(_IGNORABLE_RUN.sub("", surface))


@dataclass(frozen=True)
class Condition:
    """One neighbour: ``where`` is "in" (in scope), "before" or "after" (adjacent)."""

    where: str
    word: str


@dataclass(frozen=True)
class Entry:
    kind: str  # "measure" | "mechanism"
    code: str
    surface: str  # normalised (see ``normalise_surface``)
    requires: tuple[Condition, ...] = ()
    forbids: tuple[Condition, ...] = ()
    clause: bool = False
    problem: bool = False
    object: bool = False
    actor: bool = False
    # required items joined with "&": each group holds when every one of its parts does
    requires_all: tuple[tuple[tuple[Condition, ...], ...], ...] = ()
    where: str = ""  # "measures.tsv:12", for messages
    verb: bool = False  # a thing that counts only when a verb of its requires acts on it

    @cached_property  # read for every mention; written to the instance dict, which frozen allows
    def pattern_id(self) -> str:
        return f"{self.code}:{self.surface}"


@dataclass(frozen=True, eq=False)  # identity equality: one compiled lexicon per load
class Lexicon:
    version: str  # explicit version + "+" + content hash, e.g. "2026.11.22-1+3fa2b1c0"
    explicit_version: str
    content_hash: str
    entries: tuple[Entry, ...]
    sets: dict[str, frozenset[str]]
    data_dir: Path
    automaton: SurfaceAutomaton | None = field(repr=False, compare=False, default=None)

    def codes(self, kind: str) -> set[str]:
        return {e.code for e in self.entries if e.kind == kind}

    def words(self, name: str) -> frozenset[str]:
        """The words of a set of context.tsv, e.g. ``words("@resolved")``."""
        return self.sets[name]


@lru_cache(maxsize=256)
def word_pattern(lexicon: Lexicon, names: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for "does a word of these sets occur here?", compiled once per lexicon.

    ``pattern.search(text, lo, hi)`` answers ``any(w in text[lo:hi] for w in words)`` in C;
    an empty set never matches, an empty word always does (as ``"" in text`` would)."""
    return regexcache.compile(longest_first({w for name in names for w in lexicon.words(name)}))


# (data dir, codebook) -> (file sizes and mtimes, lexicon): one compiled lexicon per data dir.
_CACHE: dict[tuple[Path, Path], tuple[tuple, Lexicon]] = {}


def load_lexicon(data_dir: Path | None = None, codebook: Path | None = None) -> Lexicon:
    """The lexicon in ``data_dir``/lexicon (default: the repo's data/), built once per process.

    The cache key includes each file's size and mtime, so an edited file is reloaded.
    """
    key, files = _lexicon_files(data_dir, codebook)
    stamp = tuple(map(_stamp, files))
    if None in stamp:
        raise LexiconError(f"{files[stamp.index(None)]}: lexicon file missing; a lexicon needs "
                           f"{', '.join(p.name for p in files)} under {key[0] / 'lexicon'}")
    if key not in _CACHE or _CACHE[key][0] != stamp:
        _CACHE[key] = (stamp, build_lexicon(list(files), key[0], key[1]))
    return _CACHE[key][1]


def _lexicon_files(data_dir: Path | None, codebook: Path | None) -> tuple[tuple[Path, Path], tuple[Path, ...]]:
    """The cache key (data dir, codebook), resolved, and the lexicon files under the data dir."""
    if all(p is None or os.path.isabs(p) for p in (data_dir, codebook)):
        return _resolved_files_cached(data_dir, codebook)
    return _resolved_files(data_dir, codebook)  # relative to the working directory, which may change


def _resolved_files(data_dir: Path | None, codebook: Path | None) -> tuple[tuple[Path, Path], tuple[Path, ...]]:
    root = Path(data_dir or DEFAULT_DATA_DIR).resolve()
    files = tuple(root / "lexicon" / name for _, name in KIND_FILES) + (root / "lexicon" / CONTEXT_FILE,)
    return (root, Path(codebook or DEFAULT_CODEBOOK).resolve()), files


# The worker asks for the lexicon once per article: resolving and joining its paths each time
# cost more than checking the files' stamps.
_resolved_files_cached = lru_cache(maxsize=16)(_resolved_files)


def _stamp(path: Path) -> tuple[int, int] | None:
    """(size, mtime) of a lexicon file (one stat call), None when there is no such file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


# The modules whose code makes a Lexicon from the files: a change to any of them is another
# cached build (govcase.diskcache)
_BUILT_BY = (__name__, "govcase.tagging.surfaces", "govcase.codebook", "govcase.datafiles")


def build_lexicon(files: list[Path], root: Path, codebook_path: Path) -> Lexicon:
    """The lexicon of ``files`` (the kinds' files, then context.tsv) checked against the
    codebook. Built once for a given content and kept between runs (govcase.diskcache): a
    small command builds it at every start, in the helper that tags and in this process for
    the run's version, and a reload a second time for the lexicon of the articles' last tag
    (0.04-0.07 s of CPU each; read back 0.012 s). A lexicon with an error is never kept, so
    the error is raised each time, as before."""
    import dataclasses
    import importlib.util

    from govcase.diskcache import cached

    parts = [path.name.encode() + b"\0" + path.read_bytes() for path in files]
    parts.append(Path(codebook_path).read_bytes())
    for module in _BUILT_BY:
        spec = importlib.util.find_spec(module)
        parts.append(Path(spec.origin).read_bytes() if spec and spec.origin else module.encode())
    key = b"\0".join(hashlib.sha256(part).digest() for part in parts)
    lexicon = cached("lexicon", key, lambda: _build_lexicon(files, root, codebook_path), Lexicon)
    return lexicon if lexicon.data_dir == root else dataclasses.replace(lexicon, data_dir=root)


def _build_lexicon(files: list[Path], root: Path, codebook_path: Path) -> Lexicon:
    book = load_codebook(codebook_path)
    known = {"measure": set(book.measures), "mechanism": set(book.mechanisms)}
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    versions = {path: _version(path, text) for path, text in texts.items()}
    if len(set(versions.values())) > 1:
        listed = ", ".join(f"{p.name}={v}" for p, v in versions.items())
        raise LexiconError(f"{root / 'lexicon'}: the files carry different `# version:` lines ({listed}); "
                           "bump them together")
    explicit = next(iter(versions.values()))
    sets = _read_sets(files[-1], texts[files[-1]])
    entries: list[Entry] = []
    for (kind, _), path in zip(KIND_FILES, files):
        entries += _read_entries(path, texts[path], kind, known[kind], sets, codebook_path)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + texts[path].encode("utf-8") + b"\0")
    content_hash = digest.hexdigest()[:8]
    return Lexicon(
        version=f"{explicit}+{content_hash}",
        explicit_version=explicit,
        content_hash=content_hash,
        entries=tuple(entries),
        sets=sets,
        data_dir=root,
        automaton=_compile(entries, sets["@stop"], {name: sets.get(name, frozenset()) for name in MARKER_SETS}),
    )


def _version(path: Path, text: str) -> str:
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _VERSION.match(line)
        if m:
            return m.group(1)
    raise LexiconError(f"{path}:1: no `# version: ...` line in the header comment; add one "
                       "(e.g. `# version: 2026.11.22-1`)")


def _read_sets(path: Path, text: str) -> dict[str, frozenset[str]]:
    sets: dict[str, set[str]] = {}
    seen: dict[tuple[str, str], int] = {}  # (set, word) -> its line: a word listed twice is a slip
    for lineno, cols in data_rows(text):
        if len(cols) < 2 or not _SET_NAME.match(cols[0]) or not cols[1]:
            raise LexiconError(f"{path}:{lineno}: expected `@set<TAB>word[<TAB>note]`, got {cols[:2]!r}")
        word = normalise_surface(cols[1])
        if not word:
            raise LexiconError(f"{path}:{lineno}: the word is empty once quotes and spaces are dropped")
        if (cols[0], word) in seen:
            raise LexiconError(f"{path}:{lineno}: {cols[0]} {word} is already listed on line "
                               f"{seen[cols[0], word]}")
        seen[cols[0], word] = lineno
        sets.setdefault(cols[0], set()).add(word)
    missing = [name for name in CORE_SETS if name not in sets]
    if missing:
        raise LexiconError(f"{path}: the matcher needs the sets {', '.join(missing)}; "
                           "add at least one word to each")
    return {name: frozenset(words) for name, words in sets.items()}


def _groups(field_text: str, sets: dict[str, frozenset[str]],
            where: str) -> tuple[tuple[tuple[Condition, ...], ...], ...]:
    """The ``a&b`` items of a requires field, each as its parts' conditions."""
    items = [x.strip() for x in field_text.split("|") if "&" in x]
    return tuple(tuple(_conditions(part, sets, where) for part in item.split("&") if part.strip())
                 for item in items)


def _conditions(field_text: str, sets: dict[str, frozenset[str]], where: str) -> tuple[Condition, ...]:
    out: list[Condition] = []
    for item in filter(None, (x.strip() for x in field_text.split("|"))):
        if "&" in item:
            continue  # a group: see _groups
        side = {"<": "before", ">": "after"}.get(item[0], "in")
        word = item[1:] if side != "in" else item
        if word.startswith("@"):
            if word not in sets:
                raise LexiconError(f"{where}: unknown set {word}; define it in {CONTEXT_FILE}")
            out += [Condition(side, w) for w in sorted(sets[word])]
        elif normalise_surface(word):
            out.append(Condition(side, normalise_surface(word)))
    return tuple(out)


def _read_entries(path: Path, text: str, kind: str, known: set[str], sets: dict[str, frozenset[str]],
                  codebook_path: Path) -> list[Entry]:
    entries: list[Entry] = []
    seen: dict[tuple[str, str], int] = {}
    for lineno, cols in data_rows(text):
        where = f"{path}:{lineno}"
        cols += [""] * (5 - len(cols))
        raw, code, requires, forbids, flags = cols[:5]
        surface = normalise_surface(raw)
        if not surface or not code:
            raise LexiconError(f"{where}: expected "
                               "`surface<TAB>code[<TAB>requires<TAB>forbids<TAB>flags<TAB>note]`")
        if surface != raw:
            raise LexiconError(f"{where}: write the surface {raw!r} as {surface!r} (no quotes or spaces, "
                               "lowercase ASCII): the matcher skips quotes and spaces in the text")
        if code not in known:
            raise LexiconError(f"{where}: unknown {kind} code {code!r}; use one of the `{kind}s:` codes in "
                               f"{codebook_path} ({', '.join(sorted(known))})")
        flag_set = {f.strip() for f in flags.split(",") if f.strip()}
        if flag_set - FLAGS:
            raise LexiconError(f"{where}: unknown flag(s) {sorted(flag_set - FLAGS)}; "
                               f"flags are {sorted(FLAGS)}")
        if (surface, code) in seen:
            raise LexiconError(f"{where}: {surface} {code} is already listed on line "
                               f"{seen[surface, code]}")
        if surface in sets["@stop"]:
            raise LexiconError(f"{where}: {surface} is also a stop phrase in {CONTEXT_FILE}; keep one")
        seen[surface, code] = lineno
        entries.append(Entry(kind, code, surface, _conditions(requires, sets, where),
                             _conditions(forbids, sets, where), "clause" in flag_set,
                             "problem" in flag_set, "object" in flag_set, "actor" in flag_set,
                             _groups(requires, sets, where), f"{path.name}:{lineno}", "verb" in flag_set))
    return entries


def _compile(entries: list[Entry], stops: frozenset[str],
             markers: dict[str, frozenset[str]]) -> SurfaceAutomaton:
    """One automaton over every surface: value = (length, measure entries, mechanism entries),
    each tuple in file order; a stop phrase's value is (length, None, None) and a marker word's
    (length, None, set name). Split by kind here, once, because the matcher reads them by kind for
    every one of tens of thousands of matches."""
    by_surface: dict[str, list[Entry]] = {}
    for entry in entries:
        by_surface.setdefault(entry.surface, []).append(entry)
    words = [(surface, (len(surface), tuple(e for e in group if e.kind == "measure"),
                        tuple(e for e in group if e.kind == "mechanism")))
             for surface, group in by_surface.items()]
    words += [(surface, (len(surface), None, None)) for surface in stops]
    for name, marker_words in markers.items():
        for word in marker_words:
            if word in by_surface or word in stops:
                raise LexiconError(f"{CONTEXT_FILE}: {word} of {name} is also an entry or a stop phrase; "
                                   "the matcher finds each surface once: keep one")
            words.append((word, (len(word), None, name)))
    return SurfaceAutomaton(words)
