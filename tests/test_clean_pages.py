"""Pages shaped like the sites a collection comes from: what must and must not survive cleaning.

The pages are written for these tests in the shapes of common Chinese sites (a WeChat
post, a government notice with its metadata table, a portal's article with breadcrumbs,
a wire story, HTML with inline metadata spans, JSON-LD or layout tables). None of their
strings is a rule: the cleaner must read them from what the lines look like.
"""
from __future__ import annotations

import hashlib

import pytest

from govcase.clean import clean
from govcase.records import CleanArticle, RawDocument


def _clean(page: str | bytes, media_type: str = "text") -> CleanArticle:
    data = page.encode("utf-8") if isinstance(page, str) else page
    return clean(RawDocument("page", data, media_type, hashlib.sha256(data).hexdigest()))


WECHAT = """原创 社区发布 上海徐汇 2023-10-17 11:05 发表于上海

点击蓝字 关注我们

老旧小区加装电梯 这个街道跑出“加速度”

来源｜徐汇区融媒体中心 编辑｜张三 审核｜李四

近日，徐汇区长桥街道华滨居民区第5台加装电梯正式投入使用，居民们告别了“爬楼难”。

“以前上下楼要歇好几次，现在一按按钮就到家了。”家住6楼的王阿姨笑着说。

据悉，长桥街道今年已完成加装电梯签约14台，开工9台。

往期推荐

长桥街道：议事会上解难题

社区食堂开张啦！

分享 收藏 在看 点赞

阅读原文
"""

GOV = """首页 > 政务公开 > 工作动态
索引号：11310104002425135R/2023-00123 发布机构：徐汇区人民政府
发布日期：2023-09-12 生效日期：
标题：天平街道召开“美好社区 先锋行动”推进会
天平街道召开“美好社区 先锋行动”推进会
2023-09-12 来源：天平街道 字体：【大 中 小】 打印本页 关闭窗口
9月11日下午，天平街道召开“美好社区 先锋行动”推进会，街道党工委书记出席会议并讲话。
会议强调，要坚持党建引领，深化“五违四必”整治，推进老旧小区综合治理，切实解决群众急难愁盼问题。
会上，各居民区党总支书记交流了工作经验。
相关链接：
上海市人民政府
徐汇区人民政府
主办单位：上海市徐汇区人民政府办公室  地址：漕溪北路336号  邮编：200030
网站标识码：3101040001 沪ICP备2021027472号 沪公网安备31010402001234号
"""

PEOPLE = """人民网>>地方>>上海
上海徐汇：“家门口”的议事厅让居民事居民议
2023年05月11日08:32 | 来源：人民网－上海频道
小字号
人民网上海5月11日电 （记者 李丹）走进徐汇区徐家汇街道乐山片区，一座崭新的睦邻中心映入眼帘。
乐山片区曾是典型的老旧小区集中区域，房屋老化、设施陈旧等问题突出。近年来，街道通过“两旧”改造，完成了12个小区的综合改造。
“过去下雨天家里到处漏水，现在房子修好了，住得舒心。”居民张阿姨说。
（责编：王丽、李四）
分享让更多人看到
推荐阅读
上海：城市更新让老弄堂焕新颜 2023-05-10
徐汇：15分钟社区生活圈建设提速 2023-05-09
返回顶部
人民日报社概况 关于人民网 报社招聘 招聘英才 广告服务 合作加盟 供稿服务 网站声明 网站地图 联系我们
人 民 网 股 份 有 限 公 司 版 权 所 有 ，未 经 书 面 授 权 禁 止 使 用
Copyright © 1997-2023 by www.people.com.cn. all rights reserved
"""

XINHUA = """新华网 > > 正文
2023-10-17 11:05:22 来源: 新华网
字体： 小 中 大 分享到：
社区治理“微”力量 基层服务“大”温暖
新华社北京10月17日电（记者 张三 李四）记者17日从北京市朝阳区获悉，劲松街道劲松北社区通过“小院议事厅”，累计解决居民急难愁盼问题300余件。
劲松北社区是典型的老旧小区，居民老龄化程度高。
【纠错】 【责任编辑：王五】
阅读下一篇：
"""

GOV_HTML = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>老旧小区加装电梯 这个街道跑出“加速度”-徐汇区人民政府</title>
<meta name="keywords" content="加装电梯,老旧小区"><meta name="description" content="近日，徐汇区长桥街道...">
</head><body>
<div id="header"><ul class="menu"><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li><li><a href="/b">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/x">工作动态</a></div>
<div class="main"><div class="left">
<div class="title"><h2>老旧小区加装电梯 这个街道跑出“加速度”</h2></div>
<div class="info"><span>发布时间：2023-10-17 11:05</span><span>来源：长桥街道</span><span>浏览次数：1234</span></div>
<div class="content" id="zoom">
<p style="text-indent:2em">近日，徐汇区长桥街道华滨居民区第5台加装电梯正式投入使用，居民们告别了“爬楼难”。</p>
<p style="text-indent:2em"><img src="a.jpg"></p>
<p style="text-indent:2em">“以前上下楼要歇好几次，现在一按按钮就到家了。”家住6楼的王阿姨笑着说。</p>
<p style="text-indent:2em">据悉，长桥街道今年已完成加装电梯签约14台，开工9台，为居民办实事。</p>
</div>
<div class="fx">分享到：<a>微信</a><a>微博</a></div>
<div class="pre-next"><p>上一篇：<a href="/1">长桥街道：议事会上解难题</a></p><p>下一篇：<a href="/2">社区食堂开张啦！</a></p></div>
</div>
<div class="right"><h3>热点新闻</h3><ul><li><a>徐汇区召开区委常委会会议</a><span>2023-10-16</span></li><li><a>天平街道召开推进会</a><span>2023-10-15</span></li></ul></div>
</div>
<div class="bottom">主办：上海市徐汇区人民政府办公室 承办：徐汇区大数据中心<br>沪ICP备12345678号</div>
</body></html>"""

LINKED_DATA_HTML = """<html><head><meta charset="utf-8"><title>社区治理“微”力量 基层服务“大”温暖_新闻频道_某某网</title>
<meta property="og:title" content="社区治理“微”力量 基层服务“大”温暖"><meta name="publishdate" content="2023-10-17">
<script type="application/ld+json">{"datePublished":"2023-10-17T11:05:00+08:00"}</script></head>
<body><header><nav><a>首页</a><a>国内</a><a>国际</a></nav></header>
<article><h1>社区治理“微”力量 基层服务“大”温暖</h1>
<div class="meta"><time datetime="2023-10-17T11:05:00+08:00">2023-10-17 11:05</time> 来源：某某日报 作者：张三</div>
<p>记者17日从北京市朝阳区获悉，劲松街道劲松北社区通过“小院议事厅”，累计解决居民急难愁盼问题300余件。</p>
<h2>小院议事厅</h2>
<p>劲松北社区是典型的老旧小区，居民老龄化程度高。社区党委牵头成立议事厅，每月召开一次议事会。</p>
<figure><img src="x.jpg"><figcaption>图为劲松北社区小院议事厅。记者 张三 摄</figcaption></figure>
<p>（编辑：李四）</p></article>
<aside class="sidebar"><h3>热门文章</h3><ol><li><a>北京推进老旧小区改造 2023-10-01</a></li></ol></aside>
<footer>Copyright © 2023 某某网 All Rights Reserved 京ICP备00000000号</footer></body></html>"""

TABLE_HTML = """<html><head><title>龙潭街道：小院落解决大问题</title></head><body>
<table width="100%"><tr><td><a>首页</a> | <a>新闻中心</a> | <a>通知公告</a></td></tr>
<tr><td class="bt">龙潭街道：小院落解决大问题</td></tr>
<tr><td>作者：王五 &nbsp; 发布时间：2019年12月16日 &nbsp; 点击数：56</td></tr>
<tr><td class="nr">　　为深入贯彻落实全会精神，龙潭街道以向龙社区整体营造为主要抓手，充分发挥社区党组织核心引领作用。<br>　　通过拆违治违、设施更新、文化营造等多项措施，新增停车位100余个，增绿透绿1000平米。<br>　　张阿姨对微绿地的打造十分满意。</td></tr>
<tr><td>【<a>打印本页</a>】【<a>关闭窗口</a>】</td></tr></table>
<div>版权所有：某某街道办事处 技术支持：某某科技</div></body></html>"""

NODATE = """社区“微更新”让老旧小区焕新颜
近日，徐汇区天平街道陕西居民区完成了小区微更新改造，新建口袋公园一处，居民们拍手称赞。
“以前这里堆满杂物，现在成了大家休闲的好去处。”居民李阿姨说。
街道相关负责人表示，下一步将继续推进微更新项目，让更多居民受益。
相关新闻
天平街道召开议事会 2023-10-16
长桥街道加装电梯提速 2023-10-15
徐家汇街道社区食堂开业 2023-10-14
"""

SIDEBAR = """首页 | 新闻 | 社区
热点新闻
天平街道召开议事会 2023-10-16
长桥街道加装电梯提速 2023-10-15
徐家汇街道社区食堂开业 2023-10-14
社区“微更新”让老旧小区焕新颜
2022-03-08 09:30  来源：徐汇报
近日，徐汇区天平街道陕西居民区完成了小区微更新改造，新建口袋公园一处，居民们拍手称赞。
“以前这里堆满杂物，现在成了大家休闲的好去处。”居民李阿姨说。
免责声明：本站部分内容来自网络，如有侵权请联系删除。
街道相关负责人表示，下一步将继续推进微更新项目，让更多居民受益，真正把好事办好、实事办实。
编辑：王五
"""

REPEAT = """小区停车难题破解记
2021年7月1日
近日，长宁区北新泾街道新泾五村通过挖潜改造新增停车位120个，有效缓解了停车难。
小区停车难题破解记
近日，长宁区北新泾街道新泾五村通过挖潜改造新增停车位120个，有效缓解了停车难。
居民代表、物业、居委会三方多次协商，最终确定了改造方案。
欢迎扫描二维码关注我们的公众号，获取更多资讯。
本文为原创内容，转载请注明出处。
"""

SPAM = """加装电梯 老旧小区 社区治理 基层治理 网格化管理 停车难 口袋公园 微更新 睦邻中心 议事会 三方联动 党建引领 社区食堂 养老服务
小区加装电梯 居民幸福感一键“梯”升
2023-06-02 10:00
6月1日，长桥街道华滨居民区第5台加装电梯正式投入使用。居民们告别了“爬楼难”，纷纷点赞。
澳门赌场 真人百家乐 网上娱乐城 体育投注 彩票平台 棋牌游戏
"""

LOGO_IN_H1_HTML = """<html><head><meta charset="utf-8"><title>劲松街道：小院议事厅解决大问题-北京某某网</title></head><body>
<h1 class="logo"><a href="/">北京某某网</a></h1><div class="nav"><a>首页</a> | <a>要闻</a></div>
<div class="detail"><h2 class="article-title">劲松街道：小院议事厅解决大问题</h2>
<p class="time">2023-10-17 11:05 来源：北京某某网</p>
<div class="txt"><p>记者17日从北京市朝阳区获悉，劲松街道劲松北社区通过“小院议事厅”，累计解决居民急难愁盼问题300余件。</p>
<p>劲松北社区是典型的老旧小区，居民老龄化程度高。社区党委牵头成立议事厅，每月召开一次议事会。</p></div>
<div class="relnews"><h4>相关新闻</h4><ul><li><a>朝阳区召开社区治理推进会</a> 2023-10-01</li><li><a>东城区老旧小区改造提速</a> 2023-09-28</li></ul></div></div>
</body></html>"""

RELATED_IN_CONTAINER_HTML = """<html><head><meta charset="utf-8"><title>劲松街道：小院议事厅解决大问题</title></head><body><div class="article">
<h1>劲松街道：小院议事厅解决大问题</h1>
<p>记者从北京市朝阳区获悉，劲松街道劲松北社区通过“小院议事厅”，累计解决居民急难愁盼问题300余件。</p>
<p>劲松北社区是典型的老旧小区，居民老龄化程度高。社区党委牵头成立议事厅，每月召开一次议事会。</p>
<p>相关阅读：</p><p><a>朝阳区召开社区治理推进会</a> 2023-10-01</p><p><a>东城区老旧小区改造提速</a> 2023-09-28</p></div></body></html>"""

CASES = {
    "wechat": (WECHAT, "text", dict(title="老旧小区加装电梯 这个街道跑出“加速度”", published="2023-10-17T11:05",
                                   outlet="徐汇区融媒体中心", editor="张三"),
               ["近日，徐汇区长桥街道华滨居民区第5台加装电梯正式投入使用", "据悉，长桥街道今年已完成加装电梯签约14台"],
               ["原创", "点击蓝字", "往期推荐", "议事会上解难题", "分享 收藏", "阅读原文", "来源"]),
    "government notice": (GOV, "text", dict(title="天平街道召开“美好社区 先锋行动”推进会", published="2023-09-12",
                                            outlet="天平街道"),
                          ["9月11日下午，天平街道召开", "会上，各居民区党总支书记交流了工作经验。"],
                          ["政务公开", "索引号", "标题", "字体", "打印本页", "相关链接", "上海市人民政府", "主办单位", "ICP"]),
    "portal": (PEOPLE, "text", dict(title="上海徐汇：“家门口”的议事厅让居民事居民议", published="2023-05-11T08:32",
                                    outlet="人民网－上海频道", author="李丹", editor="王丽、李四"),
               ["人民网上海5月11日电", "“过去下雨天家里到处漏水，现在房子修好了，住得舒心。”居民张阿姨说。"],
               ["人民网>>", "小字号", "责编", "分享让更多人看到", "推荐阅读", "城市更新让老弄堂焕新颜", "返回顶部", "版 权"]),
    "wire story": (XINHUA, "text", dict(title="社区治理“微”力量 基层服务“大”温暖", published="2023-10-17T11:05",
                                        outlet="新华网", author="张三 李四"),
                   ["新华社北京10月17日电", "劲松北社区是典型的老旧小区，居民老龄化程度高。"],
                   ["正文", "字体", "分享到", "纠错", "阅读下一篇"]),
    "government html": (GOV_HTML.encode("gbk"), "html", dict(title="老旧小区加装电梯 这个街道跑出“加速度”",
                                                             published="2023-10-17T11:05", outlet="长桥街道",
                                                             encoding="gb18030"),
                        ["近日，徐汇区长桥街道华滨居民区第5台加装电梯", "开工9台，为居民办实事。"],
                        ["首页", "当前位置", "浏览次数", "分享到", "上一篇", "议事会上解难题", "热点新闻", "区委常委会",
                         "主办", "ICP"]),
    "html with linked data": (LINKED_DATA_HTML, "html", dict(title="社区治理“微”力量 基层服务“大”温暖",
                                                             published="2023-10-17T11:05", outlet="某某日报",
                                                             author="张三", editor="李四"),
                              ["记者17日从北京市朝阳区获悉", "小院议事厅\n劲松北社区是典型的老旧小区"],
                              ["首页", "国内", "图为劲松北社区", "编辑", "热门文章", "北京推进老旧小区改造", "Copyright"]),
    "layout table html": (TABLE_HTML, "html", dict(title="龙潭街道：小院落解决大问题", published="2019-12-16",
                                                   author="王五"),
                          ["龙潭街道以向龙社区整体营造为主要抓手", "新增停车位100余个", "张阿姨对微绿地的打造十分满意。"],
                          ["新闻中心", "点击数", "打印本页", "关闭窗口", "版权所有", "技术支持"]),
    "logo in the h1": (LOGO_IN_H1_HTML, "html", dict(title="劲松街道：小院议事厅解决大问题", published="2023-10-17T11:05",
                                                     outlet="北京某某网"),
                       ["累计解决居民急难愁盼问题300余件。", "每月召开一次议事会。"],
                       ["北京某某网", "相关新闻", "朝阳区召开社区治理推进会"]),
    "related list inside the article": (RELATED_IN_CONTAINER_HTML, "html",
                                        dict(title="劲松街道：小院议事厅解决大问题", published=None),
                                        ["每月召开一次议事会。"], ["相关阅读", "东城区老旧小区改造提速", "2023-09-28"]),
    "no date of its own": (NODATE, "text", dict(title="社区“微更新”让老旧小区焕新颜", published=None),
                           ["新建口袋公园一处", "让更多居民受益。"], ["相关新闻", "天平街道召开议事会", "2023-10-16"]),
    "sidebar above the article": (SIDEBAR, "text", dict(title="社区“微更新”让老旧小区焕新颜",
                                                        published="2022-03-08T09:30", outlet="徐汇报", editor="王五"),
                                  ["新建口袋公园一处", "真正把好事办好、实事办实。"],
                                  ["热点新闻", "天平街道召开议事会", "免责声明", "如有侵权", "编辑"]),
    "repeated blocks": (REPEAT, "text", dict(title="小区停车难题破解记", published="2021-07-01"),
                        ["新增停车位120个，有效缓解了停车难。", "最终确定了改造方案。"],
                        ["关注我们的公众号", "转载请注明出处"]),
    "keyword spam": (SPAM, "text", dict(title="小区加装电梯 居民幸福感一键“梯”升", published="2023-06-02T10:00"),
                     ["6月1日，长桥街道华滨居民区第5台加装电梯正式投入使用。"],
                     ["网格化管理 停车难", "百家乐", "娱乐城"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_page(name: str) -> None:
    page, media_type, fields, must, must_not = CASES[name]
    article = _clean(page, media_type)
    assert {key: getattr(article, key) for key in fields} == fields
    for snippet in must:
        assert snippet in article.body, f"lost: {snippet}"
    for snippet in must_not:
        assert snippet not in article.body, f"kept: {snippet}"
    assert "\n\n" not in article.body and article.body == article.body.strip()


def test_repeated_block_is_kept_once() -> None:
    body = _clean(REPEAT).body
    assert body.count("新增停车位120个") == 1 and "小区停车难题破解记" not in body
