"""Where a place name starts, and whether it is a name at all (pure).

A name is the run of name characters before a level suffix (徐汇区, 长桥街道,
华滨居民区). Where the run starts is decided on jieba's cut of that short run,
walking left from the suffix until a function word, a verb or another word
that cannot be part of a name (在徐汇区 -> 徐汇区). A name that only describes
a kind of place (老旧小区, 该社区, 10个居民区, 融合型城市社区) is no name.
"""
from __future__ import annotations

import re
from functools import lru_cache

from govcase import regexcache
from govcase.placenames.lexicon import PlaceLexicon, Suffix
from govcase.placenames.segment import cut, in_dictionary, place_word

DAMAGE = "?\ufffd"  # characters the clean stage leaves where it could not decode one
DIGITS = "0123456789０１２３４５６７８９"
CN_NUMERALS = "零一二三四五六七八九十百千两几数多若干"
CLASSIFIERS = "个大座处家栋幢户片块条批所类"
CLAUSE_BREAKS = "，,。；;！!？?：:\n（(）)“”\"「」"
OPEN_QUOTES = "“\"「『‘"
CLOSE_QUOTES = "”\"」』’"
# Tags jieba gives to names of places, people, organisations and other proper nouns.
PLACE_TAGS = ("ns", "nr", "nz", "nt", "j")
# Part-of-speech tags (jieba) of words that end a name on its left: verbs, prepositions,
# conjunctions, particles, adverbs, pronouns, time words, classifiers, idioms ...
# Not d, i, s or f: jieba gives those to parts of names it does not know (高新/d 社区,
# 春熙路/i 街道, 江岸/s 区, 南岸/f 区); the common adverbs are in boundaries.yaml instead.
STOP_TAGS = ("v", "p", "c", "u", "r", "t", "q", "y", "e", "o", "z", "ad", "vn", "mq")
# A run of name characters is at most this long: names are short, and the cut of a
# longer run only costs time (the longest estate names, 西安高等电力专科学校家属院, fit).
MAX_RUN = 20
# A road name made from a place name (北京西路, 陕西南路): the place name is not a mention.
# A word of digits, lost characters and hyphens only (str.endswith and this regex replace
# per-character loops: the rules run on every suffix hit of every article).
_NUMBERISH = regexcache.compile("[" + re.escape(DIGITS + DAMAGE + "-－") + "]*")
_ROAD = regexcache.compile(r"[东西南北中]?(?:[一二三四五六七八九十]?[路街巷弄道里]|大街|大道)")
# The characters is_han accepts, and lost ones: the run before a suffix is found by one search
# instead of a call per character (name_char, for the hyphens it also takes, is the slow path).
_HAN_CLASS = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
# (Latin letters too: 城市QQ小区; a name still needs its Chinese characters, see NameRules.valid)
LETTERS = "A-Za-zＡ-Ｚａ-ｚ"
_NAME_CLASS = _HAN_CLASS + LETTERS + re.escape(DIGITS + DAMAGE)
# The last character before a point that is no name character: the run of name characters
# before the point starts after it. (Read from the right: ``.*`` runs to the point and gives
# characters back until one is none. Searching from the left for the shortest tail of name
# characters that reaches the point read the run again from each start.)
_LAST_NON_NAME = regexcache.compile("(?s:.*)[^" + _NAME_CLASS + "]")
_LETTER = regexcache.compile("[" + LETTERS + "]")
# Punctuation that ends a run of name characters on its left: a suffix right after one has no
# name before it (run_start gives the suffix's own start). Filtered by the name class, and no
# hyphen, which run_start may walk over (98-100号).
RUN_BREAKS = frozenset(ch for ch in CLAUSE_BREAKS + OPEN_QUOTES + CLOSE_QUOTES + "、 \u3000《》〈〉【】·"
                       if not re.match("[" + _NAME_CLASS + "]", ch) and ch not in "-－")
_NUMBERED = regexcache.compile("(.*[" + _HAN_CLASS + "].*[" + _HAN_CLASS + "].*?)[" + DIGITS + CN_NUMERALS + "]+")
_HOUSE_NUMBER = regexcache.compile("[" + DIGITS + "]+号")
_HAN_OR_DAMAGE = regexcache.compile("[" + _HAN_CLASS + re.escape(DAMAGE) + "]")
# Distinct runs and bases each memoised rule keeps (~300 B an entry: about 1.2 MB when full);
# names recur from article to article, so most lookups hit (97% over the 2,500 benchmark articles).
RULE_CACHE = 4096


_DAMAGE_SET = frozenset(DAMAGE)


def damaged(text: str) -> bool:
    """True when ``text`` holds a character the clean stage could not decode (one set test, not a
    generator: linking asks it of every place for every choice)."""
    return not _DAMAGE_SET.isdisjoint(text)


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def name_char(text: str, i: int) -> bool:
    ch = text[i]
    if is_han(ch) or ch in DIGITS or ch in DAMAGE or _LETTER.match(ch):
        return True
    # a hyphen between digits belongs to the name (姜家园98-100号小区)
    return ch in "-－" and 0 < i < len(text) - 1 and text[i - 1] in DIGITS and text[i + 1] in DIGITS


def road_follows(text: str, end: int) -> bool:
    return bool(_ROAD.match(text, end))


def run_start(text: str, floor: int, end: int) -> int:
    """Where the run of name characters that ends at ``end`` starts: at most MAX_RUN
    characters back, never left of ``floor``."""
    lowest = floor if floor > end - MAX_RUN else end - MAX_RUN  # (max, without a call: every suffix hit)
    if lowest >= end:
        return end
    last = _LAST_NON_NAME.match(text, lowest, end)
    lo = last.end() if last is not None else lowest
    if lo > lowest and text[lo - 1] in "-－":  # perhaps a hyphen between digits: walk it
        lo = end
        while lo > floor and end - lo < MAX_RUN and name_char(text, lo - 1):
            lo -= 1
    return lo


class NameRules:
    """The rules of names, compiled once per lexicon."""

    def __init__(self, lex: PlaceLexicon):
        self.lex = lex
        # pure functions of short strings (and this lexicon), memoised per lexicon
        self._start_in_run = lru_cache(maxsize=RULE_CACHE)(self._start_in_run_uncached)
        self._generic = lru_cache(maxsize=RULE_CACHE)(self._generic_uncached)
        self._plain = lru_cache(maxsize=RULE_CACHE)(self._plain_uncached)
        self.determiners = tuple(sorted(lex.determiners, key=len, reverse=True))
        # generic words of three or more characters also end longer generic words (三楼屋顶花园);
        # two-character ones end real names too (宝山区, 龙湾区), so they only match whole
        self.generic_endings = tuple(w for w in lex.generic_words if len(w) >= 3 and lex.suffix(w) is None)
        # the words of the street and community levels (街道, 社区): never inside a name's run
        self.level_words = frozenset(x.text for x in lex.suffixes if len(x.text) >= 2 and x.strength == "strong"
                                     and x.level in ("street", "community"))
        self.generic_place_words = tuple(
            w for w in lex.generic_words
            if any(w.endswith(x.text) and len(w) > len(x.text) for x in lex.suffixes if x.strength != "chain"))

    # -- where a name starts ------------------------------------------------------------

    def stops(self, word: str, tag: str) -> bool:
        if _NUMBERISH.fullmatch(word):
            return False
        if len(word) == 1:
            return word in self.lex.function_chars
        if word in self.lex.stop_words or word.endswith(self.generic_place_words) or word in self.level_words:
            return True  # 苏州工业园区湖西社区, 街道顺江社区: a generic place word ends the run
        if tag == "m":  # 多个, 一些, 数十 stop; 八路, 三里 are parts of names (经八路, 三里庵)
            return word[-1] in CLASSIFIERS + "些" or all(ch in CN_NUMERALS for ch in word)
        return tag.startswith(STOP_TAGS) and not tag.startswith(("vg", "eng"))  # (eng: QQ of 城市QQ小区)

    def name_start(self, text: str, floor: int, end: int, after_place: bool = False) -> int:
        """Where the name that ends at ``end`` starts (== end when there is none).

        ``after_place``: the run begins right after a place (坂田街道五和社区), so a function
        character just before the suffix is part of the name, not a conjunction."""
        return self.start_in(text, run_start(text, floor, end), floor, end, after_place)

    def start_in(self, text: str, lo: int, floor: int, end: int, after_place: bool = False) -> int:
        """name_start, given the start ``lo`` of the run (run_start), which the caller has."""
        if lo >= end:
            return end
        return lo + self._start_in_run(text[lo:end], after_place and lo == floor)

    def _start_in_run_uncached(self, run: str, after_place: bool) -> int:
        """Where the name that ends the run ``run`` starts in it; ``after_place``: the run
        begins right after a place."""
        start = len(run)
        stopper = None
        words = cut(run)
        for i, (word, tag) in enumerate(reversed(words)):
            if i == 0 and after_place and len(word) == 1 and 1 < len(run) <= 4 \
                    and word in self.lex.name_initial_chars:
                start -= 1
                continue
            if i == 0 and tag == "m" and len(word) < len(run) and all(ch in CN_NUMERALS for ch in word):
                start -= len(word)  # 华山十七街坊, 曹杨八村: the number closes a name
                continue
            if self.stops(word, tag):
                stopper = word
                break
            start -= len(word)
        name = run[start:]
        # 向龙小区, not 龙小区: a one-character name keeps the function character before it
        if stopper is not None and stopper in self.lex.name_initial_chars and start > 0 \
                and sum(map(is_han, name)) < 2:
            start -= 1
        # jieba's guesses glue a preposition to an unknown name (向嘉澜, 和嘉澜): the
        # preposition goes when two characters of name remain (向阳, 和平 are words: they stay);
        # the first word begins with the name's first character, so only then is it cut
        if run[start:start + 1] not in self.lex.function_chars:
            return start
        words = cut(run[start:])
        if words and len(words[0][0]) > 1 and words[0][0][0] in self.lex.function_chars \
                and not in_dictionary(words[0][0]) and sum(map(is_han, run[start + 1:])) >= 2:
            start += 1
        return start

    # -- is it a name at all -------------------------------------------------------------

    def generic(self, base: str, suffix: Suffix, chained: bool = False) -> bool:
        """True when ``base`` only describes a kind of place (老旧, 该, 三大, 混合型)."""
        return self._generic(base, suffix.text, chained)  # (keyed by its text: see _plain)

    def _generic_uncached(self, base: str, suffix_text: str, chained: bool) -> bool:
        lex = self.lex
        suffix = lex.by_text[suffix_text]
        word = base + suffix.text
        if chained and suffix.level == "district" and place_word(word):
            return False  # 呼和浩特市新城区: after its city, a district jieba knows is one
        if word in lex.generic_words or base in lex.generic_words or base in lex.generic_modifiers:
            return True
        if word.endswith(self.generic_endings):
            return True  # 三楼屋顶花园, 省级中心城区: a generic place word with a modifier before it
        if len(base) >= 2 and place_word(word):
            return False  # jieba knows it as a place (渝中区, 东城区)
        if base.startswith(self.determiners):
            return True
        cuts = cut(base)
        words = [w for w, _ in cuts]
        if words[-1] in lex.generic_tails:
            return True
        if len(cuts) > 1 and words[-1] in lex.position_chars and cuts[-1][1] == "f":
            return True  # 改造过程中居民区: 中 closes a phrase, it does not end a name
        # 融合型城市社区, 单位型社区, 精细化网格: a type word, perhaps followed by kind words
        core = list(words)
        while core and core[-1] in lex.generic_modifiers:
            core.pop()
        if not core or core[-1][-1] in lex.type_endings and dict(cuts)[core[-1]] != "j":
            return True  # (五交化宿舍: 五交化 is an abbreviation, j, not a -化 word)
        proper = False
        for i, w in enumerate(words):
            if w in lex.generic_modifiers or w in CLASSIFIERS:
                continue
            if all(ch in CN_NUMERALS + CLASSIFIERS for ch in w):
                continue  # 两个, 三大
            if all(ch in DIGITS for ch in w) and i + 1 < len(words) and words[i + 1] in CLASSIFIERS:
                continue
            proper = True
        return not proper or self.text_phrase(base, suffix)

    def text_phrase(self, base: str, suffix: Suffix) -> bool:
        """True when ``base`` holds words of ordinary text that real names never hold (基层社区,
        巧妙利用社区, 信用社区: see placenames.plausible); districts and streets are checked
        against the gazetteer instead. An estate named after its unit keeps the unit's name
        (检察院宿舍, 电力局家属院)."""
        words = self.lex.name_words
        if words is None or suffix.level not in ("community", "estate", "area"):
            return False
        if suffix.text in self.lex.unit_estate_suffixes and base.endswith(self.lex.unit_endings):
            return False
        return bool(words.text_words(base))

    def unit_phrase(self, base: str, suffix: Suffix) -> str | None:
        """Why ``base`` + ``suffix``, a district or street the national gazetteer does not know
        (it lists every one, with former names), is a phrase rather than a unit; None when it
        may be a unit the gazetteer lacks (a street merged long ago: 仰忠街道)."""
        lex = self.lex
        if set(base) <= lex.level_chars:
            return "levels, not a name"  # 市县镇三级干部
        if base.startswith(lex.unit_phrase_heads):
            return "a phrase: " + next(h for h in lex.unit_phrase_heads if base.startswith(h))  # 中国城镇化
        name = base + suffix.canonical
        if in_dictionary(name):
            words = cut(name)
            if len(words) == 1 and words[0][1].startswith("nr"):
                return "a person's name"  # 李瑞镇
            if len(words) == 1 and not words[0][1].startswith(PLACE_TAGS):
                return "a common noun"  # 农牧区
        words = lex.name_words
        found = words.text_words(base) if words is not None else []
        return "words of ordinary text: " + ", ".join(w for w, _ in found) if found else None  # 直辖市县

    def valid(self, text: str, start: int, base: str, suffix: Suffix, end: int, chained: bool = False,
              known: bool = False) -> bool:
        """Whether ``base`` before ``suffix`` is a name; ``known``: the gazetteer has the name, so
        a common word seeming to end inside it (集镇 of 胡集镇) does not count."""
        lex = self.lex
        if not self._plain(base, suffix.text):
            return False
        if suffix.text in lex.numbered_suffixes and not self.numbered(text, base, end):
            return False
        if text.startswith(lex.right_compounds.get(suffix.text, ()), end):
            return False
        # (a district needs more than its name anyway: see scan._confirm_districts; 中山区 ends in 山区)
        if len(suffix.text) == 1 and suffix.level != "district" and not known and self.inside_word(text, start, end):
            return False
        # a name in quotes is a brand or a slogan (“乐活社区”), not a place, unless the word before the
        # quote says what it names (新建小区“蜀都花园”, 老旧小区“幸福里”)
        if start > 0 and text[start - 1] in OPEN_QUOTES and end < len(text) and text[end] in CLOSE_QUOTES \
                and not (suffix.level == "estate" and text.endswith(lex.quoted_estate_heads, 0, start - 1)):
            return False
        if known and base + suffix.text not in lex.generic_words:
            return True  # 新建街道: a known name, though 新建 alone describes a kind of place
        return not self.generic(base, suffix, chained)

    def _plain_uncached(self, base: str, suffix_text: str) -> bool:
        """The rules of ``valid`` that read the name alone (not the text around it): memoised
        per lexicon, keyed by the suffix's text (hashing a Suffix costs more than the lookup)."""
        suffix = self.lex.by_text[suffix_text]
        han = len(_HAN_OR_DAMAGE.findall(base))
        if han < suffix.min_name or len(base) > suffix.max_name:
            return False
        if suffix.level in ("district", "street") and (any(ch in DIGITS for ch in base) or _LETTER.search(base)):
            return False
        if suffix.level == "district" and base[0] in "区县":
            return False  # 区委区政府: 区委 is no district's name
        if suffix_text in ("区", "新区") and base.endswith(self.lex.district_name_bad_endings) \
                and not place_word(base + suffix_text):
            return False
        # 老大难问题?居民区: a question mark, not a lost character
        return not (len(base) > 4 and any(ch in DAMAGE for ch in base))

    @staticmethod
    def numbered(text: str, base: str, end: int) -> bool:
        """天目西路123弄, 南屏苑三期: a lane or an estate's phase is a name of two characters or more
        and its number; 里弄, 弄堂, 第三期, 为期 are not, and 550弄17号 is an address."""
        m = _NUMBERED.fullmatch(base)
        return m is not None and not m.group(1).endswith("第") and not _HOUSE_NUMBER.match(text, end)

    def inside_word(self, text: str, start: int, end: int) -> bool:
        """出城镇方寸之美: the suffix character ends a common word (城镇) that begins inside the
        name, or sits inside one that runs on past it (中国农村土地制度, 推进城镇化), so the name
        is not a name; a word jieba tags as a place (梅村) is fine."""
        offset = 0
        for word, tag in cut(text[start:end + 2]):
            w_end = offset + len(word)
            if offset < end - start - 1 < w_end:  # the word holds the suffix and the char before it
                if all(ch in CN_NUMERALS + DIGITS for ch in word[:-1]):
                    return False  # 泰山一村, 古美四村: a numbered village
                return offset > 0 and w_end >= end - start and (
                    not tag.startswith(PLACE_TAGS) or word in self.lex.generic_words)
            offset = w_end
        return False
