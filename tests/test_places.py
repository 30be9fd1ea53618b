"""govcase.places: names found by their level suffix, resolved into a hierarchy.

The table holds sentences written the way news reports name places; each row
says which places must come out (name, level, parent name) and which must not.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcase.places import (GazetteerEntry, PlaceDataError, default_lexicon, find_places,
                            load_place_lexicon)
from govcase.settings import default_data_dir

ROOT = Path(__file__).resolve().parents[1]


def resolved(body: str, title: str | None = None, **kwargs) -> dict[str, tuple[str, str | None]]:
    """name -> (level, parent name) for every place found."""
    places, _ = find_places(body, title, **kwargs)
    by_key = {p.key: p for p in places}
    return {p.name: (p.level, by_key[p.parent].name if p.parent else None) for p in places}


# (id, text, must: "name:level>parent" (">" omitted: any parent; ">-": no parent), must_not: names)
CASES = [
    # -- chains: each name is inside the one written before it
    ("chain-3", "在徐汇区长桥街道华滨居民区,为解决旧电梯更新难题",
     ["徐汇区:district", "长桥街道:street>徐汇区", "华滨居民区:community>长桥街道"], []),
    ("chain-area", "谈起最近身边的变化,徐汇区徐家汇街道乐山片区的居民们纷纷点赞",
     ["乐山片区:area>徐家汇街道", "徐家汇街道:street>徐汇区"], []),
    ("city-district", "日前,成都市成华区委召开常委会(扩大)会议",
     ["成华区:district>成都市", "成都市:city>四川省"], ["成华区委"]),
    ("province-chain-jiedao-ban", "江西省南昌市东湖区董家窑街办杏苑社区居民李建龙",
     ["东湖区:district>南昌市", "南昌市:city>江西省", "董家窑街道:street>东湖区", "杏苑社区:community>董家窑街道"],
     ["董家窑街办"]),
    ("municipality", "北京市朝阳区八里庄街道十里堡社区为解决辖区内老年人就餐难的问题",
     ["朝阳区:district>北京市", "八里庄街道:street>朝阳区", "十里堡社区:community>八里庄街道"], ["辖区"]),
    ("chain-estate", "近日,鼓楼区卧龙街道蔡河湾社区广裕花园小区居民刘淑美高兴地说",
     ["广裕花园小区:estate>蔡河湾社区", "蔡河湾社区:community>卧龙街道"], ["广裕花园"]),
    ("located-in", "体育场路8号院位于西工区西工街道014中心社区,小区内有54栋住宅楼",
     ["体育场路8号院:estate>014中心社区", "014中心社区:community>西工街道", "西工街道:street>西工区"], []),
    ("lives-in", "“过去遛弯儿回来,上楼都要歇好几次。”家住杏花岭区金刚堰路22号院的李锋说",
     ["金刚堰路22号院:estate>杏花岭区"], []),
    ("village-in-community", "三益坝坝茶馆,位于南岸区南湖社区花园七村。",
     ["南湖社区:community>南岸区", "花园七村:estate>南湖社区"], ["南湖社区花园"]),
    ("chain-building-count", "福田区华强北街道通新岭小区26栋楼加装电梯正式运行",
     ["通新岭小区:estate>华强北街道", "华强北街道:street>福田区"], []),
    ("autonomous-region", "广西壮族自治区南宁市青秀区新竹街道开展议事协商",
     ["青秀区:district>南宁市", "南宁市:city>广西壮族自治区", "新竹街道:street>青秀区"], []),
    ("district-known-after-city", "内蒙古自治区呼和浩特市新城区",
     ["新城区:district>呼和浩特市"], []),
    ("county-level-city", "昆山市玉山镇开展环境整治", ["昆山市:district", "玉山镇:street>昆山市"], []),
    ("no-city-inside-district", "浦东新区潍坊新村街道潍坊一村完成了改造",
     ["潍坊新村街道:street>浦东新区", "潍坊一村:community>潍坊新村街道"], ["潍坊市", "新村街道"]),
    ("new-village-street", "静安区彭浦新村街道彭一居民区开展垃圾分类",
     ["彭浦新村街道:street>静安区", "彭一居民区:community>彭浦新村街道"], ["彭浦新村"]),
    ("new-area-unknown-to-jieba", "雄安新区容东片区的居民陆续入住", ["雄安新区:district", "容东片区:area>雄安新区"], []),
    ("city-short-before-district", "上海徐汇区斜土街道", ["徐汇区:district>上海市", "斜土路街道:street>徐汇区"], []),
    ("city-short-before-street", "广州仰忠街道改造前后对比", ["仰忠街道:street>广州市"], ["广州仰忠街道"]),
    ("village-inside-street-name", "西安市碑林区张家村街道", ["张家村街道:street>碑林区"], ["张家村"]),
    ("verb-before-name", "新锦路的“口袋公园”游园是梅村街道打造的“口袋公园”之一", ["梅村街道:street"], ["是梅村街道"]),
    ("numbered-road", "郑州市金水区经八路街道", ["经八路街道:street>金水区"], ["八路街道"]),
    ("numeral-in-name", "合肥市蜀山区三里庵街道", ["三里庵街道:street>蜀山区"], []),
    ("district-tagged-oddly", "青岛市市南区八大关街道", ["市南区:district>青岛市", "八大关街道:street>市南区"], []),
    ("idiom-tagged-name", "锦江区春熙路街道和平社区的居民代表",
     ["春熙路街道:street>锦江区", "和平社区:community>春熙路街道"], []),
    ("generic-zone-ends-run", "苏州工业园区湖西社区推进邻里中心建设", ["湖西社区:community"], ["工业园区"]),
    ("committee", "太原市旱西关西社区居委会主任郭玲萍说", ["旱西关西社区:community>太原市"], ["旱西关西社区居委会"]),
    ("sentence-parent", "团城山街道在柯尔山社区公安小区举行加装电梯开工仪式",
     ["柯尔山社区:community>团城山街道", "公安小区:estate>柯尔山社区"], []),
    ("function-char-in-name", "深圳市龙岗区坂田街道五和社区", ["五和社区:community>坂田街道"], []),
    ("district-ending-in-common-word", "辽宁省大连市中山区", ["中山区:district>大连市"], ["中山市"]),
    ("four-character-district", "乌鲁木齐市沙依巴克区", ["沙依巴克区:district>乌鲁木齐市"], []),
    ("autonomous-prefecture", "四川省凉山彝族自治州西昌市", ["西昌市:district>凉山彝族自治州"], []),
    ("weak-inside-name", "在宝山区庙行镇共康雅苑小区", ["共康雅苑小区:estate>庙行镇"], ["共康雅苑"]),
    ("list-with-own-suffixes-and-head", "社区先后完成了复兴路小区、新生路小区等8个老旧小区的改造",
     ["复兴路小区:estate", "新生路小区:estate"], ["老旧小区"]),
    ("road-names-stay-whole", "初冬的南京,寒意渐浓,但在鼓楼区北京西路社区", ["北京西路社区:community>鼓楼区"], ["北京市"]),
    # -- lists that share one suffix
    ("list-grids", "不断提升康平、梧桐和嘉澜三大网格的社区治理效能",
     ["康平网格:area", "梧桐网格:area", "嘉澜网格:area"], ["三大网格", "和嘉澜网格"]),
    ("list-communities", "楼园、百龙、中海瀛台、罗秀二村、华滨等多个居民区党组织积极行动",
     ["楼园居民区:community", "百龙居民区:community", "中海瀛台居民区:community", "罗秀二村:community",
      "华滨居民区:community"], ["罗秀二村居民区"]),
    ("list-own-suffixes", "今年,河北区对天江里、上江花园等6个老旧小区,进行改造",
     ["天江里:estate>河北区", "上江花园:estate>河北区"], ["老旧小区", "对天江里"]),
    ("list-districts", "长宁、徐汇等区率先试点", ["长宁区:district", "徐汇区:district"], []),
    ("list-streets", "天平、湖南、徐家汇等街道的经验值得推广",
     ["天平路街道:street>徐汇区", "湖南路街道:street>徐汇区", "徐家汇街道:street>徐汇区"], ["湖南省"]),
    ("list-of-venues", "先后建设嘉澜庭、嘉园青年人才公寓等活动空间", [], ["嘉园青年人才公寓", "嘉澜庭"]),
    ("list-of-counts", "三个小区、两个社区、五个街道、几个网格都参加了", [], ["五个街道", "两个社区"]),
    ("list-of-chains", "龙华区民治街道、宝安区新安街道",
     ["民治街道:street>龙华区", "新安街道:street>宝安区"], []),
    # -- words that look like places but are not
    ("generic-community", "社区作为城市基层治理的“最后一公里”,群众作为社区的构成主体", [], ["社区"]),
    ("generic-estates", "老旧小区改造惠及周边3个小区,该小区、本社区、各社区和这个片区都受益", [],
     ["老旧小区", "周边3个小区", "该小区", "本社区", "各社区", "这个片区"]),
    ("generic-zones", "辖区内的棚户区、示范区、功能区、景区、园区、郊区、中心城区和老城区", [],
     ["辖区", "棚户区", "示范区", "功能区", "中心城区", "老城区"]),
    ("generic-grids", "社区将9个大网格细化为38个小网格,构建楼组微网格", [], ["大网格", "小网格", "楼组微网格"]),
    ("count-after-name", "向嘉澜网格的10个居民区、“三新”领域和区域单位发放问卷",
     ["嘉澜网格:area"], ["向嘉澜网格", "10个居民区"]),
    ("facility", "在党群服务站里打造“屋里厢”社区食堂", [], ["屋里厢社区"]),
    ("quoted-brand", "开展“美丽楼道”“乐居生活”“乐活社区”等一系列自治项目", [], ["乐活社区"]),
    ("type-words", "这是一个融合型城市社区,也是单位型社区", [], ["融合型城市社区", "型城市社区", "单位型社区"]),
    ("rural-words", "城中村改造、新农村建设、美丽乡村和乡镇街道", [], ["城中村", "新农村", "乡镇街道"]),
    ("common-word-ending", "在“绣”出城镇方寸之美的同时", [], ["出城镇"]),
    ("district-needs-evidence", "拆除旧箱房后,内部存桶区方便保洁人员换桶", [], ["存桶区"]),
    ("district-organs", "区委区政府高度重视,区住建局、区民政局参与", [], ["区委区"]),
    ("generic-cities", "全国文明城市、特大城市和小城镇", [], ["文明城市", "特大城市", "小城镇"]),
    ("generic-housing", "屋顶花园、人才公寓、酒店式公寓、公租房小区和安置小区", [],
     ["屋顶花园", "人才公寓", "酒店式公寓", "公租房小区", "安置小区"]),
    ("phrase-xiang", "遭遇山火的松茸之乡", [], ["松茸之乡"]),
    ("compounds", "依托区域化党建推进网格化管理,网格员上门,村民满意", [], ["区域", "网格化"]),
    ("position-word", "在改造过程中居民区党总支积极践行人民城市重要理念", [], ["过程中居民区"]),
    ("outlet-not-district", "读特客户端·深圳新闻网讯(深圳特区报记者 彭军)", [], ["深圳特区"]),
    ("weak-li", "这里的居民说,家里的老人和小区里的孩子都很高兴", [], ["这里", "家里"]),
    # -- short forms
    ("short-district", "徐汇区天平街道党工委全面践行人民城市理念。在徐汇,这样的做法越来越多。", ["徐汇区:district"], []),
    ("short-not-city", "徐汇区徐家汇街道乐山片区。当时,乐山很多户居民人均住房面积仅有4平方米。",
     ["乐山片区:area"], ["乐山市"]),
    ("title-short-city", "秦淮区今年最大的老旧小区出新改造项目天地花园1-19栋在国庆节前夕取得阶段性成果。",
     ["秦淮区:district>南京市", "天地花园:estate>秦淮区"], []),
    # -- damaged names
    ("damaged-linked", "龙?街道以向龙社区整体营造为主要抓手。成华区龙潭街道党工委严格落实上级部署要求。",
     ["龙潭街道:street>成华区", "向龙社区:community>龙潭街道"], ["龙?街道"]),
    ("damaged-replacement-char", "龙\ufffd街道以向龙社区整体营造。据悉,成华区龙潭街道党工委严格落实。",
     ["龙潭街道:street>成华区"], ["龙\ufffd街道"]),
    ("damaged-alone", "龙?街道以向龙社区整体营造为主要抓手。", ["龙?街道:street", "向龙社区:community>龙?街道"], []),
    ("question-mark", "如何处理解决困扰居民身边的老大难问题?居民区党总支依托香樟缘自治社", [], ["老大难问题?居民区"]),
    # -- digits in names
    ("digits-estate", "姜家园98-100号小区位于鼓楼区热河南路街道小桃园社区",
     ["姜家园98-100号小区:estate>小桃园社区", "小桃园社区:community>热河南路街道"], []),
    ("digits-community-and-estate", "规范万寿路12号院停车管理成为重点,万寿路街道联合万寿路12号院社区党委清理僵尸车",
     ["万寿路12号院:estate", "万寿路12号院社区:community>万寿路街道"], ["规范万寿路12号院"]),
    ("digits-first", "“一到上下班高峰期,车位就更紧张了。”014中心社区党委书记吉宇说", ["014中心社区:community"], []),
    ("address-before-name", "走进永乐路18号西安高等电力专科学校家属院,几栋居民楼前后",
     ["西安高等电力专科学校家属院:estate"], []),
    # -- weak suffixes need a cue
    ("weak-with-cue", "市民李先生家住和平里小区。", ["和平里小区:estate"], []),
    ("weak-before-strong", "这个思路来自项目的样板工程——靖江东里社区提升改造", ["靖江东里社区:community"], ["靖江东里"]),
    # -- the article's home city and main places
    ("dateline", "新华社太原8月25日电 家住杏花岭区金刚堰路22号院的李锋说", ["杏花岭区:district>太原市"], []),
    ("outlet", "天津北方网讯:今年,河北区对天江里、上江花园等6个老旧小区进行改造", ["河北区:district>天津市"], []),
    ("cities-as-examples", "居民代表借鉴北京、上海、杭州等地的经验。鼓楼区卧龙街道蔡河湾社区加装电梯。",
     ["鼓楼区:district>开封市"], ["北京市", "上海市"]),
    ("main-district", "其中,打浦桥街道全力推进蒙西小区加梯全覆盖。近年来,黄浦区一直在积极推进既有住宅加装电梯。",
     ["打浦桥街道:street>黄浦区", "蒙西小区:estate>打浦桥街道"], []),
    ("nearest-street", "广州仰忠街道改造前后对比。珠光街道办事处主任史明军介绍,仰忠社区是一个典型的老广州住宅型社区。",
     ["仰忠社区:community>珠光街道", "珠光街道:street"], ["住宅型社区"]),
    ("narrow-to-main-street",
     "秦淮区今年最大的老旧小区出新改造项目天地花园1-19栋取得阶段性成果。出新现场配合月牙湖街道对违章建筑进行依法取缔。"
     "月牙湖街道党委高度重视居民诉求。",
     ["天地花园:estate>月牙湖街道", "月牙湖街道:street>秦淮区"], []),
    ("narrow-city-chain", "在山西省太原市杏花岭区金刚堰路22号院,居民乘坐电梯回家。太原市旱西关西社区居委会主任说。",
     ["旱西关西社区:community>杏花岭区", "杏花岭区:district>太原市", "太原市:city>山西省"], []),
    ("same-place-two-suffixes", "楼园居民区依托红色议事会听取意见。楼园居委会协商议事。",
     ["楼园居民区:community"], ["楼园居委会"]),
]


# Rows whose article has a headline.
TITLES = {"title-short-city": "南京秦淮:找准民生痛点 老旧小区“改”出居民新生活",
          "narrow-to-main-street": "南京秦淮:找准民生痛点"}


@pytest.mark.parametrize("case,text,must,must_not", CASES, ids=[c[0] for c in CASES])
def test_places_table(case, text, must, must_not):
    found = resolved(text, TITLES.get(case))
    for item in must:
        name, _, rest = item.partition(":")
        level, _, parent = rest.partition(">")
        assert name in found, f"{name} not found in {found}"
        assert found[name][0] == level, f"{name}: level {found[name][0]} != {level}"
        if parent:
            want = None if parent == "-" else parent
            assert found[name][1] == want, f"{name}: parent {found[name][1]} != {want}"
    for name in must_not:
        assert name not in found, f"{name} should not be a place: {found}"


def test_table_is_large_enough():
    assert len(CASES) >= 60


def test_keys_chain_names_from_the_top():
    places, mentions = find_places("谈起最近身边的变化,上海市徐汇区徐家汇街道乐山片区的居民们纷纷点赞")
    keys = {p.name: p.key for p in places}
    assert keys["乐山片区"] == "上海市/徐汇区/徐家汇街道/乐山片区"
    assert {p.key: p.parent for p in places}["上海市/徐汇区"] == "上海市"
    assert [m.surface for m in mentions] == ["上海市", "徐汇区", "徐家汇街道", "乐山片区"]


def test_mentions_of_short_forms_and_list_items():
    body = "徐汇区天平街道:不断提升康平、梧桐和嘉澜三大网格的效能。在徐汇,天平街道的做法被推广。"
    places, mentions = find_places(body)
    by_key = {p.key: p for p in places}
    surfaces = {(m.surface, by_key[m.place].name) for m in mentions}
    assert ("徐汇", "徐汇区") in surfaces
    assert ("康平", "康平网格") in surfaces and ("嘉澜", "嘉澜网格") in surfaces
    assert ("天平街道", "天平路街道") in surfaces


def test_road_is_not_a_short_form():
    body = "陕西居民区党群服务站设在陕西南路550弄17号。"
    places, mentions = find_places(body)
    assert [m.surface for m in mentions] == ["陕西居民区"]


def test_canonical_name_keeps_written_forms_as_aliases():
    places, mentions = find_places("在茅箭区武当路街办三桥社区,志愿者建立了微信群。")
    street = next(p for p in places if p.level == "street")
    assert street.name == "武当路街道" and street.aliases == ("武当路街办",)
    assert any(m.surface == "武当路街办" and m.place == street.key for m in mentions)


def test_title_only_place_is_kept_without_mentions():
    places, mentions = find_places("居民区党总支牵头组建电梯更新专项小组。", title="看长桥街道的创新实践")
    assert [p.name for p in places] == ["长桥街道"]
    assert mentions == []


class FakeGazetteer:
    """Stands in for the national gazetteer of a later issue."""

    def __init__(self):
        self.asked = []

    def lookup(self, name, level, ancestors):
        self.asked.append((name, level, ancestors))
        if name == "天平街道":
            return GazetteerEntry("天平路街道", "310104008", (("上海市", "province"), ("徐汇区", "district")))
        if name == "徐汇区":
            return GazetteerEntry("徐汇区", "310104", (("上海市", "province"),))
        return None


def test_gazetteer_hook_renames_codes_and_places_under_parents():
    gazetteer = FakeGazetteer()
    places, mentions = find_places("天平街道陕西居民区党群服务站。", gazetteer=gazetteer)
    by_name = {p.name: p for p in places}
    assert "天平街道" not in by_name
    street = by_name["天平路街道"]
    assert street.code == "310104008" and street.aliases == ("天平街道",)
    assert street.key == "上海市/徐汇区/天平路街道"
    assert by_name["陕西居民区"].parent == street.key
    assert ("陕西居民区", "community", ("上海市", "徐汇区", "天平路街道")) in gazetteer.asked
    assert {m.place for m in mentions} <= {p.key for p in places}


def test_default_alias_table_is_empty_but_loaded():
    lex = default_lexicon()
    assert lex.aliases == {}
    assert len([d for d in lex.divisions.values() if d.level == "city"]) == 333
    assert {d.name for d in lex.divisions.values() if d.municipality} == {"北京市", "天津市", "上海市", "重庆市"}


def test_lexicon_is_data(tmp_path):
    folder = tmp_path / "places"
    shutil.copytree(default_data_dir() / "places", folder)
    with open(folder / "not_places.yaml", "a", encoding="utf-8") as f:
        f.write("\nextra_note: []\n")
    text = (folder / "not_places.yaml").read_text(encoding="utf-8")
    (folder / "not_places.yaml").write_text(text.replace("generic_words: [", "generic_words: [蒙西小区, "),
                                            encoding="utf-8")
    lex = load_place_lexicon(folder)
    assert "蒙西小区" in resolved("打浦桥街道全力推进蒙西小区加梯全覆盖")
    assert "蒙西小区" not in resolved("打浦桥街道全力推进蒙西小区加梯全覆盖", lexicon=lex)


def test_missing_data_file_says_how_to_fix(tmp_path):
    with pytest.raises(PlaceDataError, match="restore it"):
        load_place_lexicon(tmp_path)


def test_same_input_same_output():
    body = (ROOT / "tests" / "test_places.py").read_text(encoding="utf-8")[:4000]
    assert find_places(body) == find_places(body)


# -- properties ------------------------------------------------------------------------

FRAGMENTS = ["徐汇区", "长桥街道", "华滨居民区", "康平", "、", "和", "等多个", "三大", "网格", "小区", "社区",
             "居委会", "街办", "新村", "花园", "里", "号院", "12", "-", "在", "的", "位于", "家住", "?", "\ufffd",
             "老旧", "该", "上海", "成都市", "成华区", "龙潭", "向龙", "。", ",", "“", "”", "\n", "村", "镇",
             "区", "县", "市", "江西省", "南昌市", "乐山片区", "乐山", "陕西南路", "10个", "罗秀二村", " "]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30), st.one_of(st.none(), st.text(max_size=12)))
def test_every_mention_is_at_its_offsets_and_every_parent_exists(parts, title):
    body = "".join(parts)
    places, mentions = find_places(body, title)
    keys = [p.key for p in places]
    assert len(keys) == len(set(keys))
    for p in places:
        assert p.parent is None or p.parent in keys
        assert p.key.endswith(p.name)
    for m in mentions:
        assert body[m.start:m.end] == m.surface
        assert m.place in keys
    spans = sorted((m.start, m.end) for m in mentions)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "mentions overlap"


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80), max_size=24))
def test_any_han_text_is_handled(body):
    body += "社区"
    places, mentions = find_places(body)
    assert all(body[m.start:m.end] == m.surface for m in mentions)
    assert all(p.parent is None or p.parent in {q.key for q in places} for p in places)


def test_an_outlet_named_after_a_city_is_the_home_of_places_nothing_else_locates():
    body = "近年来，老旧小区改造始终围绕居民需求。走进永乐路18号电力学校家属院，几栋楼前加装了电梯。"
    alone, _ = find_places(body, None)
    placed, _ = find_places(body, None, outlet="西安新闻网")
    estate = next(p for p in placed if p.level == "estate")
    assert next(p for p in alone if p.level == "estate").parent is None
    assert estate.key.split("/")[:2] == ["陕西省", "西安市"]
    other, _ = find_places(body, None, outlet="人民网")  # an outlet that names no city says nothing
    assert next(p for p in other if p.level == "estate").parent is None
