"""The fast paths give what the plain versions give (codes' compiled neighbours, the spam
word regex, the mask regexes, the numeral regex, the staging JSON)."""
from __future__ import annotations

import json
import random
import re
from dataclasses import fields

from govcase.cleaning.lines import _spam_terms
from govcase.cleaning.resources import cue_regex, cues
from govcase.tagging.numbers import mask_spans
from govcase.tagging.numerals import BIG_UNITS, CN_DIGITS, NUMERAL, SMALL_UNITS, TENS
from govcase.records import CodeMention, Outcome, Place, Project, TaggedArticle, tagged_from_json, tagged_to_json

_D = r"[\d〇零一二三四五六七八九十两]"
_DN = _D + "{1,12}"
# the masks as first written (numbers._MASKS rewrites some of them for speed)
PLAIN_MASKS = [re.compile(p) for p in (
    r"\d{4}\s?[-/.年]\s?\d{1,2}\s?[-/.月]\s?\d{1,2}\s?[日号]?",
    r"(?<![\d.])\d{4}\s?年",
    r"[〇零一二三四五六七八九]{2,4}年(?!级)",
    r"(?:上|本|[\d一二三四五六七八九十]{1,12})?世纪(?:\s?[\d〇零一二三四五六七八九十]{1,12}\s?年代)?",
    r"[\d〇零一二三四五六七八九十]{1,12}\s?年代",
    rf"(?<!个){_DN}\s?月(?:\s?{_DN}\s?[日号]|份|初|底|末|中旬|上旬|下旬|中)?",
    rf"{_DN}\s?[日号]",
    r"\d{1,2}\s?[:：]\s?\d{2}(?:\s?[:：]\s?\d{2})?",
    rf"(?:上午|下午|晚上|早上|凌晨|中午|傍晚|夜里|夜间|早晨)\s?{_DN}\s?[点时](?:半|钟|整|{_DN}分)?",
    rf"{_DN}\s?点(?:钟|半|整|{_DN}分|以后|以前|之前|之后|后|前|起)",
    rf"{_DN}\s?时(?:许|整|{_DN}分)",
    r"\d{3,4}-\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)|\d{3}-\d{3}-\d{4}|\d{9,}",
    rf"{_DN}\s?(?:弄|室|单元|号楼|楼栋号)",
    rf"第\s?{_DN}[百千万]?",
    r"(?:周|星期|礼拜)[一二三四五六日天]|初[一二三四五六七八九十]",
    rf"{_DN}届{_DN}(?:中全会|次)|[一二三四五六七八九十]中全会",
    rf"{_D}(?:\s?[+＋×]\s?(?:{_D}|[A-Za-z])+)+",
    rf"{_DN}对{_DN}",
)]


def _random_texts(alphabet: str, n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(n)]


def test_masks_match_the_plain_patterns():
    texts = ["2023年10月17日上午9点半，拨打13912345678或0571-85391234，十九届四中全会，1对1帮扶，第3期"]
    texts += _random_texts("0123456789１一二三十两〇年月日号世纪上本午点时分半弄室单元楼栋第周初届中全会次对个级+×-/.:： a\n\u3000",
                           20000, 7)
    texts += _random_texts("0123456789-1 .", 20000, 8)
    for text in texts:
        plain = sorted(m.span() for p in PLAIN_MASKS for m in p.finditer(text) if m.end() > m.start())
        assert mask_spans(text) == plain, text


def test_numerals_match_the_plain_pattern():
    cn = "".join(CN_DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "".join(TENS)
    arabic = r"\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?"
    rest = r"(?:(?<=[万亿萬億])\d+(?:\.\d+)?(?![\d.月日号年时点])(?:[万百萬]|千(?![米克瓦]))*)?"  # 3万6千
    plain = re.compile(rf"{arabic}(?:[万亿百萬億]|千(?![米克瓦]))*{rest}|[{cn}]+(?:点[{''.join(CN_DIGITS)}]+)?")
    texts = ["共1,200万元，3.5千米，两万五千人，三点五，二〇二三年，廿三，壹佰贰拾叁"]
    texts += _random_texts("0123456789１,.万亿百千米克瓦萬億点一二三十两零〇廿壹 a年", 20000, 10)
    for text in texts:
        assert [m.span() for m in NUMERAL.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        for pos in range(len(text)):
            fast, slow = NUMERAL.match(text, pos), plain.match(text, pos)
            assert (fast and fast.span()) == (slow and slow.span()), (text, pos)


def test_spam_words_match_as_case_insensitive():
    words = cues()["spam_terms"]
    alphabet = "aAvV片ıſK 。" + "".join(words)
    texts = ["久久精品AV无码 a片 Av 免费视频", "在线观看aV国产"] + _random_texts(alphabet, 20000, 9)
    plain = cue_regex("spam_terms")
    for text in texts:
        assert [m.span() for m in _spam_terms().finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_staging_json_is_sorted_and_round_trips():
    tagged = TaggedArticle(
        places=(Place("上海市/徐汇区", "徐汇区", "district", "上海市", None, ("徐汇",)),),
        measures=(CodeMention("measure", "M1", "加装电梯", 3, 7, "M1:加装电梯"),),
        outcomes=(Outcome(12.0, "台", "count", None, "12台", 8, 11, metric="电梯"),),
        projects=(Project("幸福里", 0, 3, None, ("M1", "M2")),),
    )
    payload = tagged_to_json(tagged)
    data = {name: [{f.name: getattr(item, f.name) for f in fields(item)} for item in getattr(tagged, name)]
            for name in ("places", "place_mentions", "measures", "mechanisms", "outcomes", "projects")}
    assert payload == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert tagged_from_json(payload) == tagged
    # a record staged without a defaulted field still loads
    old = json.loads(payload)
    del old["outcomes"][0]["project"]
    assert tagged_from_json(json.dumps(old)).outcomes == tagged.outcomes
