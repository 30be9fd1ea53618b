"""Named projects: quoted names marked as facilities, organisations or programmes."""
from __future__ import annotations

import pytest

from govcase.tagging.codes import find_codes
from govcase.tagging.lexicon import load_lexicon
from govcase.tagging.projects import find_projects
from govcase.text import split_sentences

# (text, project names that must be found, quoted texts that must not become projects)
CASES = [
    ("现如今“吾爱家”居民活动中心已成为一个综合性服务空间。", {"吾爱家居民活动中心"}, set()),
    ("街道在党群服务站里打造“屋里厢”社区食堂。", {"屋里厢社区食堂"}, set()),
    ("从居民自己搭建的公共空间——“缘驿站”，到社区综合服务体——“乐山邻里汇”。", {"缘驿站", "乐山邻里汇"}, set()),
    ("合力将死角地带改造为小朋友喜欢的“童梦园”。", {"童梦园"}, set()),
    ("居民区党总支牵头组建“电梯更新专项小组”。", {"电梯更新专项小组"}, set()),
    ("打造嘉澜网格“生活盒子”——陕西居民区党群服务站。", {"生活盒子"}, set()),
    ("社区招募党员志愿者组成“助老配送队”。", {"助老配送队"}, set()),
    ("先后开展“美丽楼道”“乐居生活”“乐活社区”等一系列自治项目。", {"美丽楼道", "乐居生活", "乐活社区"}, set()),
    ("将传统的“定了办”转变为“商量办”。", set(), {"定了办", "商量办"}),
    ("打通服务群众的“最后一公里”。", set(), {"最后一公里"}),
    ("将继续以“四个人人”为根本目标。", set(), {"四个人人"}),
    ("新锦路的“口袋公园”游园是街道打造的口袋公园之一。", set(), {"口袋公园"}),
    ("打造基层治理的“前沿阵地”。", set(), {"前沿阵地"}),
    ("彰显“燕栖家园”的温馨感。", set(), {"燕栖家园"}),
    ("推进“三旧”改造提升工程。", set(), {"三旧改造提升工程", "三旧"}),
    ("楼上的“乘风凉露台”挂牌成立“社区园艺培训基地”。", {"乘风凉露台", "社区园艺培训基地"}, set()),
    ("“香樟缘自治社”孵化了数十个自治团队，依托“香樟缘自治社”平台聚焦各方智慧。", {"香樟缘自治社"}, {"香樟缘自治社平台"}),
    ("“人民城市人民建，人民城市为人民”的重要理念深入人心。", set(), {"人民城市人民建"}),
    # fresh sentences written for issue 5
    ("社区打造了“邻里坊”共享空间，居民可以在这里下棋、读书。", {"邻里坊"}, set()),
    ("街道建成“幸福里”长者食堂，每天供应午餐。", {"幸福里长者食堂"}, set()),
    ("“家门口”服务站开到了小区里。", {"家门口服务站"}, set()),
    ("社区的“小巷管家”志愿服务队有40多名成员。", {"小巷管家志愿服务队"}, {"小巷管家"}),
    ("依托“红管家”议事平台，居民们自主商议停车方案。", {"红管家议事平台"}, set()),
    ("这就是居民口中的“最美楼道”。", set(), {"最美楼道"}),
    ("他说：“电梯装好了，真方便。”", set(), {"电梯装好了"}),
    ("小区改造坚持“一楼一策”。", set(), {"一楼一策"}),
]


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def projects_in(text, lexicon):
    sentences = split_sentences(text)
    measures, _ = find_codes(text, sentences, lexicon)
    return find_projects(text, sentences, measures, lexicon)


@pytest.mark.parametrize("text,must,must_not", CASES, ids=[c[0][:16] for c in CASES])
def test_projects(text, must, must_not, lexicon):
    names = {p.name for p in projects_in(text, lexicon)}
    assert must <= names, f"missing {sorted(must - names)}: found {sorted(names)}"
    assert not (must_not & names)


def test_projects_link_the_measures_of_their_sentence(lexicon):
    text = "街道在党群服务站里打造“屋里厢”社区食堂。小区新增停车位100个。"
    [project] = projects_in(text, lexicon)
    assert project.measures == ("canteen", "service_center")
    assert project.place is None


def test_project_span_is_the_name_with_its_quotes(lexicon):
    text = "现如今“吾爱家”居民活动中心已成为打卡点。"
    [project] = projects_in(text, lexicon)
    assert text[project.start:project.end] == "“吾爱家”居民活动中心"
    assert project.name == "吾爱家居民活动中心"


def test_default_lexicon_is_used_when_none_is_given():
    text = "社区招募党员志愿者组成“助老配送队”。"
    assert [p.name for p in find_projects(text, split_sentences(text), [])] == ["助老配送队"]


def test_outcomes_link_the_project_named_in_their_sentence(lexicon):
    from govcase.records import CleanArticle
    from govcase.tag import tag

    body = "社区建成“幸福里”长者食堂，日均供餐400余份。幸福里长者食堂还为80位独居老人送餐上门。小区新增停车位30个。"
    tagged = tag(CleanArticle(body=body), lexicon)
    assert [p.name for p in tagged.projects] == ["幸福里长者食堂"]
    assert [(o.surface, o.project) for o in tagged.outcomes] == [
        ("400余份", "幸福里长者食堂"), ("80位", "幸福里长者食堂"), ("30个", None)]
