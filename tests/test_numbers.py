"""Numerals, measure words and qualifiers (govcase.tagging.numbers)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcase.tagging.numbers import find_quantities, parse_number

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int, liang: bool = False, yi_shi: bool = False) -> str:
    """n (0..99,999) in Chinese numerals, with 零 where digits are skipped inside a number
    (一千零五, 一万零五百), 两 for 2 before 百/千/万 when ``liang``, 一十 for 10-19 when ``yi_shi``."""
    if n == 0:
        return "零"

    def section(x: int, after_wan: bool) -> str:
        out, zero = "", False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d == 0:
                zero = zero or bool(out) or after_wan
                continue
            if zero:
                out += "零"
            zero = False
            digit = "两" if liang and d == 2 and unit >= 100 else DIGITS[d]
            if unit == 10 and d == 1 and not out and not after_wan and not yi_shi:
                digit = ""  # 十三, not 一十三
            out += digit + name
        return out

    wan, rest = divmod(n, 10_000)
    text = ""
    if wan:
        text = ("两" if liang and wan == 2 else section(wan, False)) + "万"
    if rest:
        text += section(rest, bool(wan))
    return text


def test_writer_follows_the_zero_rules():
    assert [to_chinese(n) for n in (10, 15, 105, 1050, 10005, 10500, 11000, 20202)] == [
        "十", "十五", "一百零五", "一千零五十", "一万零五", "一万零五百", "一万一千", "二万零二百零二"]
    assert to_chinese(2222, liang=True) == "两千两百二十二"
    assert to_chinese(12, yi_shi=True) == "一十二"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99_999), st.booleans(), st.booleans())
def test_every_chinese_numeral_parses_to_its_value(n, liang, yi_shi):
    assert parse_number(to_chinese(n, liang=liang, yi_shi=yi_shi)) == n


def test_all_numerals_to_99999_parse():
    """Exhaustive, since it is cheap (about 4 s): every number in its standard form, and in one
    of the writer's variants (两 before 百/千/万, 一十) in turn."""
    variants = ((True, False), (False, True), (True, True))
    bad = [n for n in range(100_000) if parse_number(to_chinese(n)) != n]
    assert not bad, f"{len(bad)} numerals misread, e.g. {[to_chinese(n) for n in bad[:5]]}"
    bad = [n for n in range(100_000) if parse_number(to_chinese(n, *variants[n % 3])) != n]
    assert not bad, f"{len(bad)} variants misread, e.g. {[to_chinese(n, *variants[n % 3]) for n in bad[:5]]}"


def test_numerals_in_running_text_read_whole():
    """Every tenth numeral to 99,999 in a sentence ("新增…个停车位") is found with its value."""
    for n in range(1, 100_000, 10):
        text = f"新增{to_chinese(n)}个停车位。"
        quantities = find_quantities(text)
        assert [(q.value, q.unit) for q in quantities] == [(n, "个")], text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_numerals_parse(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@pytest.mark.parametrize("text, value", [
    ("12", 12), ("1,200", 1200), ("3.5", 3.5), ("21.56", 21.56), ("１２", 12),
    ("十三", 13), ("两", 2), ("两百", 200), ("一千二百", 1200), ("一千二", 1200), ("一万五", 15000),
    ("两万五千", 25000), ("三百零五", 305), ("1.5万", 15000), ("3万", 30000), ("4.5万", 45000),
    ("2亿", 2e8), ("一亿二千万", 1.2e8), ("十万", 1e5), ("一百万", 1e6), ("三千万", 3e7),
    ("百", 100), ("千", 1000), ("万", 10000), ("廿三", 23), ("卅", 30),
    ("壹佰贰拾叁", 123), ("叁仟", 3000), ("一九九四", 1994), ("二〇二三", 2023), ("零", 0),
    ("三点五", 3.5), ("5千", 5000),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "十百", "三四", "一二三十", "数十", "几", "3五", "万万万", "点五"])
def test_not_numbers(text):
    assert parse_number(text) is None


def q(text):
    return [(x.value, x.unit, x.unit_class, x.approx) for x in find_quantities(text)]


@pytest.mark.parametrize("text, expected", [
    ("新增停车位100余个", [(100, "个", "count", "余")]),
    ("共有1469户", [(1469, "户", "households", None)]),
    ("常住人口3800多人", [(3800, "人", "people", "多")]),
    ("面积近400平方米", [(400, "平方米", "area", "近")]),
    ("4.5万平方米", [(45000, "平方米", "area", None)]),
    ("投入200万元左右", [(2_000_000, "元", "money", "左右")]),
    ("10余万元", [(100_000, "元", "money", "余")]),
    ("3万余户", [(30000, "户", "households", "余")]),
    ("创收200多万元", [(2_000_000, "元", "money", "多")]),
    ("四成", [(40, "%", "share", None)]),
    ("超过三成", [(30, "%", "share", "超过")]),
    ("八成以上", [(80, "%", "share", "以上")]),
    ("50%", [(50, "%", "share", None)]),
    ("50％", [(50, "%", "share", None)]),
    ("百分之五十", [(50, "%", "share", None)]),
    ("百分之百", [(100, "%", "share", None)]),
    ("三分之二以上", [(66.67, "%", "share", "以上")]),
    ("提高5个百分点", [(5, "个百分点", "share", None)]),
    ("6-10个", [(6, "个", "count", "6-10")]),
    ("3～5台", [(3, "台", "count", "3～5")]),
    ("三至五个", [(3, "个", "count", "三至五")]),
    ("七八个人", [(7, "个", "people", "七八")]),
    ("共凑了3万6千元", [(36000, "元", "money", None)]),  # the Arabic rest after 万 belongs to the number
    ("总投资2亿3000万元", [(230000000, "元", "money", None)]),  # the measure word as written (codebook outcomes: unit)
    ("十七八户", [(17, "户", "households", "十七八")]),
    ("二三十位老人", [(20, "位", "people", "二三十")]),
    ("十来个", [(10, "个", "count", "来")]),
    ("十几栋", [(10, "栋", "count", "几")]),
    ("将近280个", [(280, "个", "count", "将近")]),
    ("约21.56公顷", [(21.56, "公顷", "area", "约")]),
    ("逾九成", [(90, "%", "share", "逾")]),
    ("不到20人", [(20, "人", "people", "不到")]),
    ("上百人", [(100, "人", "people", "上")]),
    ("百余户", [(100, "户", "households", "余")]),
    ("近万人", [(10000, "人", "people", "近")]),
    ("100人次以上", [(100, "人次", "people", "以上")]),
    ("20万人次", [(200_000, "人次", "people", None)]),
    ("3块钱", [(3, "块", "money", None)]),
    ("1760平方", [(1760, "平方", "area", None)]),
    ("1,200户", [(1200, "户", "households", None)]),
    ("三个晚上", [(3, "个晚上", "time", None)]),
    ("6个月", [(6, "个月", "time", None)]),
    ("一年多", [(1, "年", "time", "多")]),
    ("89岁", [(89, "岁", "age", None)]),
    ("60周岁以上", [(60, "周岁", "age", "以上")]),
    ("投资2000万", [(2000, "万", "other", None)]),
    ("常住人口近千万", [(1000, "万", "other", "近")]),
    ("签约14台", [(14, "台", "count", None)]),  # 签约 is no 约
    ("最近3天", [(3, "天", "time", None)]),  # 最近 is no 近
    ("达到90%", [(90, "%", "share", None)]),  # 达到 is no qualifier
    ("共3部", [(3, "部", "count", None)]),
    ("仅4平方米", [(4, "平方米", "area", None)]),
    ("2365户6854人", [(2365, "户", "households", None), (6854, "人", "people", None)]),
])
def test_find_quantities(text, expected):
    assert q(text) == expected


@pytest.mark.parametrize("text", [
    "2018年", "2023年10月", "5月11日", "2023-05-11 23:02:14", "上世纪80年代", "上世纪八十年代", "晚上10点后",
    "6月份", "12月初", "第五届", "第一批", "550弄17号", "体育场路8号院", "2号楼3单元", "0571-85399752",
    "13912345678", "1+2+3+N", "5G基站", "PM2.5", "014中心社区", "数十个", "几百人", "千家万户", "百姓",
    "万寿路", "三部门", "部分居民", "一次性", "十九届四中全会", "十一届六次全体会议", "周三", "1对1帮扶",
    "三五成群", "四大金刚", "“三旧”改造", "唯一", "二期工程",
])
def test_not_quantities(text):
    assert [x.surface for x in find_quantities(text) if x.unit_class not in ("time", "age")] == [], text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["个", "户", "人", "平方米", "台", "%"]),
       st.sampled_from(["", "近", "约", "超过"]), st.booleans())
def test_surface_holds_the_number_as_written(n, unit, before, chinese):
    numeral = to_chinese(n) if chinese else str(n)
    text = f"小区{before}{numeral}{unit},"
    found = find_quantities(text)
    assert len(found) == 1
    x = found[0]
    assert text[x.start:x.end] == x.surface and numeral in x.surface
    assert x.value == n and x.approx == (before or None)


ALPHABET = "0123456789.,-~%％一二两三四五六七八九十百千万亿零〇余多近约超过以上左右成分之个户人台栋平方米元年月日号第岁，。、“”的和"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_any_text_gives_consistent_quantities(text):
    previous_end = 0
    for x in find_quantities(text):
        assert text[x.start:x.end] == x.surface
        assert x.start >= previous_end
        previous_end = x.end
        assert x.value >= 0 and x.unit


@pytest.mark.parametrize("text, expected", [
    ("价格在10元至15元之间", [(10, "元", "10元至15元")]),
    ("每户出资500元到2000元不等", [(500, "元", "500元到2000元")]),
    ("从80个增加到150个", [(80, "个", None), (150, "个", None)]),
    ("同比分别提高2.1个和3.4个百分点", [(2.1, "个百分点", None), (3.4, "个百分点", None)]),
    ("老年人约占总人口的38%", [(38, "%", "约")]),
    ("约占七成", [(70, "%", "约")]),
    ("居民约1.1万户", [(11000, "户", "约")]),  # 居民约 is no 民约
    ("弄规民约2项", [(2, "项", None)]),
    ("总投资1.5亿", [(1.5, "亿", None)]),
    ("投入资金约2.3亿元", [(230_000_000, "元", "约")]),
])
def test_ranges_shares_and_shared_units(text, expected):
    assert [(x.value, x.unit, x.approx) for x in find_quantities(text)] == expected


def test_a_capital_numeral_ending_a_word_counts_nothing():
    from govcase.tagging.numbers import find_quantities

    for text in ("退伍老兵人数不多", "这支队伍人手紧缺", "陆续有人报名", "大陆人口众多"):
        assert find_quantities(text) == [], text
    assert [q.surface for q in find_quantities("拾荒老人捡了一车纸箱")] == ["一车"]
    assert [(q.value, q.unit) for q in find_quantities("队伍人员3名")] == [(3.0, "名")]
    assert [(q.value, q.unit) for q in find_quantities("收到人民币伍仟元")] == [(5000.0, "元")]
    assert [(q.value, q.unit) for q in find_quantities("捐款共计伍拾万元")] == [(500000.0, "元")]
