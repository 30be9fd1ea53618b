"""Real-page error classes of issue 14, on pages made up for these tests: what must and must not survive.

Each class is one kind of mistake a cleaner makes on pages it has never seen: the site's
name taken for the headline, a date glued to an outlet under it, furniture and injected
spam kept in the body, article text lost to a box of links. None of the strings below is
a rule; the cleaner must read them from the page's shape and its furniture vocabulary.
"""
from __future__ import annotations

import hashlib

import pytest

from govcase.clean import clean
from govcase.cleaning.headline import dateline_date, find_date, stamp_date
from govcase.errors import RejectedDocument
from govcase.records import CleanArticle, RawDocument

PARAS = [
    "近日，某某区东风街道向阳社区召开居民议事会，围绕小区停车难问题听取居民意见，形成了错时停车方案。",
    "据介绍，向阳社区建成于上世纪九十年代，共有住户八百余户，小区内车位不足两百个，停车矛盾突出。",
    "社区党委牵头物业公司、业委会和周边单位，腾挪出夜间共享车位六十余个，并在小区出入口设置引导标识。",
    "下一步，街道将把议事会的做法推广到辖区其他老旧小区，让居民的事由居民商量着办。",
]
HEADLINE = "居民议事会破解老旧小区停车难"


def _clean(page: str, media_type: str = "html") -> CleanArticle:
    data = page.encode("utf-8")
    return clean(RawDocument("page", data, media_type, hashlib.sha256(data).hexdigest()))


def _html(above: str, inside: str, title: str = "某某网", below: str = "") -> str:
    """A page with furniture above the article container, the container, and a footer."""
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='top'><a href='/'>首页</a> <a href='/n'>新闻</a> <a href='/s'>社会</a></div>"
            f"{above}<div class='article'>{inside}</div>{below}"
            f"<div class='footer'>版权所有 某某网 备案号 某ICP备00000000号</div></body></html>")


def _paras(paras: list[str] = PARAS) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def _assert_body(article: CleanArticle, must: list[str], must_not: list[str]) -> None:
    for text in must:
        assert text in article.body, text
    for text in must_not:
        assert text not in article.body, text


# --- headline -------------------------------------------------------------------------------

@pytest.mark.parametrize("furniture", [
    "<div>某某日报客户端</div>",
    "<div>当前位置:首页 &gt; 新闻 &gt; 社会</div>",
    "<div>第3版:城市·民生</div>",
    "<div>某某新闻排行榜</div>",
    "<div>欢迎访问某某社区网</div>",
])
def test_site_channel_and_page_labels_are_not_the_headline(furniture: str) -> None:
    page = _html(f"{furniture}<div>{HEADLINE}</div><div>2021-06-03 08:15 某某晚报</div>", _paras())
    assert _clean(page).title == HEADLINE


def test_byline_and_dateline_under_the_headline_are_not_it() -> None:
    page = _html("", f"<div>{HEADLINE}</div><div>本报记者 王小明 通讯员 李小红</div>"
                     f"<div>2021-06-03 08:15 某某晚报</div>{_paras()}")
    article = _clean(page)
    assert article.title == HEADLINE
    assert article.published == "2021-06-03T08:15"
    _assert_body(article, [PARAS[0]], ["本报记者", "某某晚报"])


@pytest.mark.parametrize("furniture", ["第3版:城市·民生", "某某晚报客户端", "本报记者 王小明 通讯员 李小红"])
def test_text_dump_labels_above_the_headline_are_not_it(furniture: str) -> None:
    text = f"{furniture}\n\n{HEADLINE}\n\n{PARAS[0]}\n\n{PARAS[1]}\n"
    assert _clean(text, "text").title == HEADLINE


def test_a_spam_line_above_the_article_is_not_the_headline() -> None:
    spam = "<div>澳门葡京娱乐城 真人百家乐 在线博彩 彩票平台 免费注册送彩金</div>"
    page = _html(spam + f"<h2>{HEADLINE}</h2>", _paras())
    article = _clean(page)
    assert article.title == HEADLINE
    assert "百家乐" not in article.body


def test_a_spam_word_injected_into_the_headline_is_cut_out_not_the_headline_with_it() -> None:
    page = _html("<div>某某网</div><div>居民议事会百家乐破解老旧小区停车难</div><div>2022-01-05 来源:某某网</div>",
                 _paras())
    assert _clean(page).title == HEADLINE


def test_a_headline_plainly_above_the_text_is_found_without_labels() -> None:
    # no <h1>, no og:title, a <title> that is only the site's name
    page = _html("<div>推荐 我要评论</div>", f"<div>{HEADLINE}</div>{_paras()}", title="某某社区论坛")
    assert _clean(page).title == HEADLINE


def test_a_title_naming_a_story_no_line_repeats_beats_a_guess_from_position() -> None:
    # the headline is an image; the line above the text is a caption
    page = _html("<div><img src='h.png'></div>", f"<div>图为居民在议事会上发言</div>{_paras()}",
                 title=f"{HEADLINE}_某某网")
    assert _clean(page).title == HEADLINE


def test_a_column_of_links_above_the_article_is_not_its_headline() -> None:
    column = "".join(f"<div>{item}</div>" for item in ["社区动态", "街道新闻", "便民服务", "政策解读"])
    page = _html(column, f"<div>当前位置:首页 &gt; 社区动态</div><div>{HEADLINE}</div>{_paras()}", title="某某社区网")
    assert _clean(page).title == HEADLINE


def test_the_headline_part_of_the_title_wins_over_the_site_in_it() -> None:
    page = _html("<div>某某网 &gt;&gt; 社会 &gt;&gt; 正文</div>", f"<div>{HEADLINE}</div>{_paras()}",
                 title=f"{HEADLINE}_社会频道_某某网")
    assert _clean(page).title == HEADLINE


# --- date -----------------------------------------------------------------------------------

@pytest.mark.parametrize("dateline, published", [
    ("2021-06-03 08:15 某某晚报", "2021-06-03T08:15"),
    ("2006-03-12 10:20更新 来源：某某都市报", "2006-03-12T10:20"),
    ("http://www.example.com.cn 2021年05月08日 10:05 来源:某某网", "2021-05-08T10:05"),
    ("WWW.EXAMPLE.COM 2019年11月02日09:41", "2019-11-02T09:41"),
    ("2015-7-9 21:07 网友甲 楼主", "2015-07-09T21:07"),
    ("Tuesday, March 4th, 2008 9:12 pm", "2008-03-04T21:12"),
    ("作者：某某 发布日期： 11/23/2007 3:05:11 PM", "2007-11-23T15:05"),
])
def test_a_date_glued_to_other_text_under_the_headline_is_read(dateline: str, published: str) -> None:
    page = _html(f"<div>{HEADLINE}</div><div>{dateline}</div>", _paras())
    assert _clean(page).published == published


def test_a_site_clock_far_from_the_headline_and_dates_in_sentences_are_not_the_date() -> None:
    page = _html("<div>2024年3月1日 星期五（北京时间）</div><div>天气 晴</div><div>网站导航</div><div>频道首页</div>",
                 f"<div>{HEADLINE}</div>{_paras()}<p>2019年5月起，社区每月召开一次议事会，至今已坚持五年。</p>")
    assert _clean(page).published is None


def test_a_blog_post_stamp_under_the_article_gives_its_date() -> None:
    page = _html(f"<div>{HEADLINE}</div>", _paras(), below="<div>作者:某某 阅读(120) 评论(3) 发表于:2008-10-02 21:30</div>")
    assert _clean(page).published == "2008-10-02T21:30"


def test_a_text_dump_dateline_with_its_outlet_gives_the_year_of_a_month_day_dateline() -> None:
    text = f"{HEADLINE}\n\n2020-12-25 22:24:20 某某网\n\n某某网12月25日讯 {PARAS[0]}\n\n{PARAS[1]}\n"
    assert _clean(text, "text").published == "2020-12-25T22:24"


def test_a_text_dump_without_a_date_gets_none() -> None:
    text = f"{HEADLINE}\n\n{PARAS[0]}\n\n2018年起，社区每年评选一次文明楼组。\n\n{PARAS[1]}\n"
    assert _clean(text, "text").published is None


def test_date_shapes_and_what_a_dateline_may_carry() -> None:
    assert find_date("2022 10/ 05 20:08:34")[0].iso == "2022-10-05T20:08"
    assert dateline_date("2021-06-03 08:15 某某晚报").iso == "2021-06-03T08:15"
    assert dateline_date("2021年6月3日，社区召开议事会，居民代表三十余人参加。") is None  # a sentence
    assert stamp_date("本帖由网友甲于2009年8月1日10:02:03在社区论坛发表").iso == "2009-08-01T10:02"
    assert stamp_date("2009年8月1日 晴") is None  # no stamp word


# --- body kept that should go ---------------------------------------------------------------

def test_furniture_lines_are_dropped_from_the_body() -> None:
    furniture = ["◆▲…●☆★◆", "街景3.jpg", "#热点# #民生#", "加入收藏", "某某新闻APP", "分享至", "下载次数：12",
                 "本文插图", "值班主任:赵某某", "http://www.example.com/news/2021/0603/123.html"]
    inside = _paras(PARAS[:2]) + "".join(f"<p>{f}</p>" for f in furniture) + _paras(PARAS[2:])
    article = _clean(_html(f"<div>{HEADLINE}</div>", inside))
    _assert_body(article, PARAS, furniture)


def test_text_dump_furniture_and_spam_lines_are_dropped() -> None:
    spam = "百家乐 真人娱乐 在线博彩 六合彩 时时彩"
    text = f"{HEADLINE}\n\n{spam}\n\n{PARAS[0]}\n\n#社区# #议事会#\n\n分享至\n\n{PARAS[1]}\n\n值班主任:钱某某\n"
    _assert_body(_clean(text, "text"), PARAS[:2], ["百家乐", "#社区#", "分享至", "值班主任"])


def test_a_brand_name_injected_into_sentences_is_cut_out_and_the_sentences_kept() -> None:
    injected = PARAS[0].replace("居民议事会", "居民优选策略议事会")
    text = f"{HEADLINE}\n\n{injected}\n\n{PARAS[1].replace('停车矛盾', '股票配资停车矛盾')}\n"
    article = _clean(text, "text")
    _assert_body(article, [PARAS[0], PARAS[1]], ["优选策略", "配资"])


def test_allocation_of_funds_is_not_an_injected_brand() -> None:
    sentence = "街道统筹分配资金三百万元，用于老旧小区雨污分流改造和加装电梯补贴，居民自筹部分按户分摊。"
    assert sentence in _clean(f"{HEADLINE}\n\n{sentence}\n", "text").body


def test_a_sentence_that_mentions_copyright_in_passing_stays() -> None:
    sentence = "居民还提出，社区活动中使用的照片和音乐，应当事先取得版权所有者的许可，避免引发纠纷，社区采纳了这一建议。"
    article = _clean(_html(f"<div>{HEADLINE}</div>", _paras(PARAS[:2] + [sentence] + PARAS[2:])))
    assert sentence in article.body


# --- body lost that should stay -------------------------------------------------------------

def test_a_government_page_with_a_div_per_paragraph_keeps_every_paragraph() -> None:
    inside = "".join(f"<div style='text-indent:2em'>{p}</div>" for p in PARAS)
    page = _html(f"<div class='title'>{HEADLINE}</div><div>发布时间：2023-04-11 来源：东风街道</div>", inside)
    page = page.replace("<div class='article'>", "<div class='zw'>")
    _assert_body(_clean(page), PARAS, ["版权所有"])


def test_a_further_reading_box_inside_the_article_does_not_end_it() -> None:
    long_rest = [p + "这一做法得到了居民的普遍认可，也为其他社区提供了可以借鉴的经验。" for p in PARAS] * 2
    box = "<p>延伸阅读</p><p><a href='/1'>某某街道：小院议事解难题</a></p><p><a href='/2'>加装电梯跑出加速度</a></p>"
    inside = f"<p>{PARAS[0]}</p>{box}" + _paras([f"（{i}）{p}" for i, p in enumerate(long_rest)])
    article = _clean(_html(f"<div>{HEADLINE}</div>", inside))
    _assert_body(article, [PARAS[0], "（7）"], ["延伸阅读", "小院议事解难题"])


def test_a_link_box_under_the_byline_does_not_end_the_body_before_it_starts() -> None:
    box = "<p>本报记者 王小明</p><p>相关新闻：</p><p><a>某地召开议事会</a></p><p><a>某地加装电梯</a></p>"
    article = _clean(_html(f"<div>{HEADLINE}</div>", box + _paras()))
    _assert_body(article, PARAS, ["某地召开议事会"])


def test_the_numbered_steps_of_a_lesson_are_not_navigation() -> None:
    steps = ["1. 先摸清车位底数", "2. 再听居民意见", "3. 定出错时方案", "4. 公示后试运行"]
    text = f"{HEADLINE}\n\n{PARAS[0]}\n\n" + "\n".join(steps) + f"\n\n{PARAS[1]}\n\n{PARAS[2]}\n"
    _assert_body(_clean(text, "text"), steps + PARAS[:3], [])


def test_a_related_list_at_the_end_still_ends_the_body() -> None:
    related = ["· 某某街道开展消防演练", "· 某某社区举办邻里节", "· 某某小区完成雨污分流"]
    text = f"{HEADLINE}\n\n{PARAS[0]}\n\n{PARAS[1]}\n\n" + "\n".join(related) + "\n"
    _assert_body(_clean(text, "text"), PARAS[:2], ["消防演练", "邻里节"])


def test_on_an_archive_page_the_first_post_is_the_article_not_the_longest() -> None:
    def post(n: int, head: str, paras: list[str]) -> str:
        return (f"<table><tr><td class='title'>{head}</td></tr><tr><td>2010-0{n}-0{n} 10:00:00</td></tr>"
                f"<tr><td class='post-body'>{''.join(paras)}</td></tr></table>")
    longer = [p + "居民们纷纷表示满意。" for p in PARAS] * 2
    page = ("<html><head><meta charset='utf-8'><title>某某的博客</title></head><body>"
            + post(3, HEADLINE, PARAS[:2]) + post(2, "往日的一篇长文", longer) + "</body></html>")
    article = _clean(page)
    assert article.title == HEADLINE
    assert article.published == "2010-03-03T10:00"
    _assert_body(article, PARAS[:2], ["居民们纷纷表示满意"])


def test_a_page_of_nothing_but_furniture_is_rejected_with_its_reason() -> None:
    page = _html("", "<p>加入收藏</p><p>分享至</p><p>相关新闻：</p><p><a>某地召开议事会</a></p>")
    with pytest.raises(RejectedDocument) as caught:
        _clean(page)
    assert caught.value.reason == "no-body"
