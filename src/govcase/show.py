"""One article as an analyst checks it: the clean body with its places, measures, mechanisms
and outcomes highlighted, in the terminal (rich) or as a self-contained HTML page whose
table of facts links every fact to its highlighted span and evidence sentence."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine, bindparam, or_, select, text
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.errors import UnknownArticle

# kind -> (terminal style, HTML colour, legend); later kinds are drawn over earlier ones
KINDS = {
    "place": ("bold blue underline", "#1f5fbf", "place (地点)"),
    "measure": ("black on yellow", "#fff0a0", "measure (措施)"),
    "mechanism": ("black on green", "#c6f0c2", "mechanism (机制)"),
    "outcome": ("bold white on red", "#ffb3b3", "outcome (数量结果)"),
}


@dataclass(frozen=True)
class Fact:
    kind: str  # place | measure | mechanism | outcome
    id: int  # row id in its table
    start: int
    end: int
    label: str  # what was extracted: a code, a place name, "400 平方米 (面积)"
    evidence_id: int

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.id}"


@dataclass(frozen=True)
class AnnotatedArticle:
    id: int
    source: str
    title: str | None
    published: str | None
    body: str
    duplicate_of: int | None
    facts: tuple[Fact, ...]  # sorted by position
    evidence: dict[int, tuple[int, int]]  # evidence id -> (start, end) in body
    projects: tuple[tuple[str, int], ...]  # (name, evidence id)
    places: tuple[tuple[str, str], ...] = ()  # distinct (name, level) of its place facts, in body order
    # (name, level, reasons) for each place, filled by explain_places (show --why)
    reasons: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


def find_article(session: Session, ref: str) -> m.Article:
    """The article ``ref`` names: an id (42; 002 is the same as 2), the end of its source path
    or label (articles/002_03a9dd1be5527ca3.txt), or the start of its file name with a
    non-digit in it (002_03a9). Digits alone are always an id: ``show 2`` and ``show 002``
    opened different articles before issue 18."""
    ref = ref.strip()
    if ref.isdigit():
        article = session.get(m.Article, int(ref))
        if article is None:
            raise UnknownArticle(f"no article has id {int(ref)}; digits are an article id (the v_articles view "
                                 "lists them): give the end of its source path or file name (002_03a9) instead")
        return article
    rows = session.execute(select(m.Article.id, m.Source.label).join(m.Source, m.Source.id == m.Article.source_id)
                           .outerjoin(m.SourceLocation, m.SourceLocation.source_id == m.Source.id)
                           .where(or_(m.Source.label.contains(ref, autoescape=True),
                                      m.SourceLocation.location.contains(ref, autoescape=True)))).all()
    matches = {aid: label for aid, label in rows if _names(label, ref)}
    if not matches:
        raise UnknownArticle(f"no article matches {ref!r}; give an article id or the end of its source path "
                             "(find it with `govcase search TERM` or the v_articles view)")
    if len(matches) > 1:
        some = ", ".join(sorted(matches.values())[:3])
        raise UnknownArticle(f"{ref!r} matches {len(matches)} articles ({some} ...); give more of the path "
                             "or the article id")
    return session.get(m.Article, next(iter(matches)))


def _names(label: str, ref: str) -> bool:
    return label == ref or label.endswith("/" + ref.lstrip("/")) or PurePosixPath(label).name.startswith(ref)


def _chains(session: Session, article_id: int) -> dict[int, str]:
    """Place id -> its chain (上海市/长宁区/北新泾街道) for the places the article's facts name."""
    ids = select(m.PlaceMention.place_id).where(m.PlaceMention.article_id == article_id).union(
        select(m.Outcome.place_id).where(m.Outcome.article_id == article_id, m.Outcome.place_id.is_not(None)))
    rows = session.execute(text("SELECT place_id, chain FROM v_place_chain WHERE place_id IN :ids")
                           .bindparams(bindparam("ids", expanding=True)),
                           {"ids": list(session.scalars(ids))}).all()
    return dict(rows)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def annotate(engine: Engine, ref: str) -> AnnotatedArticle:
    """Read the article ``ref`` and every fact of it with its span and evidence sentence."""
    with Session(engine) as session:
        article = find_article(session, ref)
        aid = article.id
        source = session.scalar(select(m.Source.label).where(m.Source.id == article.source_id))
        facts: list[Fact] = []
        chains = _chains(session, aid)
        places: dict[tuple[str, str], int] = {}
        for pm, name, level in session.execute(
                select(m.PlaceMention, m.Place.name, m.Place.level).join(m.Place, m.Place.id == m.PlaceMention.place_id)
                .where(m.PlaceMention.article_id == aid)):
            chain = chains.get(pm.place_id)
            label = f"{name} ({level})" + (f" {chain}" if chain and chain != name else "")
            facts.append(Fact("place", pm.id, pm.char_start, pm.char_end, label, pm.evidence_id))
            places[(name, level)] = min(pm.char_start, places.get((name, level), pm.char_start))
        for model, column, codes in ((m.MeasureMention, "measure_code", m.Measure),
                                     (m.MechanismMention, "mechanism_code", m.Mechanism)):
            kind = model.__tablename__.split("_")[0]
            for row, zh in session.execute(select(model, codes.zh).join(codes, codes.code == getattr(model, column))
                                           .where(model.article_id == aid)):
                facts.append(Fact(kind, row.id, row.char_start, row.char_end,
                                  f"{getattr(row, column)} {zh}", row.evidence_id))
        for o in session.scalars(select(m.Outcome).where(m.Outcome.article_id == aid)):
            label = " ".join(x for x in (o.approx, _number(o.value), o.unit) if x)
            status = f"{o.status} {o.status_word}" if o.status_word else o.status
            details = ", ".join(x for x in (o.metric, status, o.measure_code, chains.get(o.place_id)) if x)
            facts.append(Fact("outcome", o.id, o.char_start, o.char_end,
                              f"{label} ({details})" if details else label, o.evidence_id))
        evidence = {e.id: (e.char_start, e.char_end)
                    for e in session.scalars(select(m.Evidence).where(m.Evidence.article_id == aid))}
        projects = tuple(session.execute(select(m.Project.name, m.Project.evidence_id)
                                         .where(m.Project.article_id == aid).order_by(m.Project.char_start)).all())
        order = list(KINDS)
        facts.sort(key=lambda f: (f.start, order.index(f.kind), f.end, f.id))
        return AnnotatedArticle(aid, source, article.title, article.published, article.body,
                                article.duplicate_of_id, tuple(facts), evidence, projects,
                                tuple(sorted(places, key=places.__getitem__)))


def explain_places(article: AnnotatedArticle) -> AnnotatedArticle:
    """The article with, for each place it names, why the place finder takes that name
    (placenames.explain: its suffix, the gazetteer units it may stand for, the plausibility of
    an estate or community name), read from the installed data/places."""
    from govcase.placenames.explain import explain
    from govcase.places import default_gazetteer, default_lexicon

    lex, gaz = default_lexicon(), default_gazetteer()
    reasons = tuple((name, level, tuple(explain(name, level, lex, gaz))) for name, level in article.places)
    return replace(article, reasons=reasons)


# --- terminal ----------------------------------------------------------------------------


def legend() -> Text:
    text = Text("legend: ")
    for kind, (style, _colour, label) in KINDS.items():
        text.append(f" {label} ", style=style)
        text.append(" ")
    return text


def facts_table(article: AnnotatedArticle) -> Table:
    """Every fact in body order: its kind, what was extracted (code, value and unit with metric
    and status, place with level and chain) and the text it was read from."""
    table = Table("kind", "fact", "text", title="facts", title_justify="left")
    for fact in article.facts:
        table.add_row(Text(fact.kind, style=KINDS[fact.kind][0]), fact.label, article.body[fact.start:fact.end])
    for name, _evidence in article.projects:
        table.add_row("project", name, name)
    return table


def to_rich(article: AnnotatedArticle) -> list:
    """Header, legend, the highlighted body and the table of facts, ready for Console.print."""
    header = Text(article.title or "(no title)", style="bold")
    meta = Text(f"article {article.id} · {article.source} · {article.published or 'no date'}"
                + (f" · near-duplicate of article {article.duplicate_of}" if article.duplicate_of else ""),
                style="dim")
    body = Text(article.body)
    for kind in KINDS:  # in legend order, so outcomes are drawn last
        for fact in article.facts:
            if fact.kind == kind:
                body.stylize(KINDS[kind][0], fact.start, fact.end)
    counts = Text(", ".join(f"{sum(f.kind == k for f in article.facts)} {k}s" for k in KINDS), style="dim")
    parts = [header, meta, legend(), Text(""), body, Text(""), counts, facts_table(article)]
    if article.reasons:
        parts.append(reasons_table(article))
    return parts


def reasons_table(article: AnnotatedArticle) -> Table:
    """Each place with the reasons the place finder has for the name (show --why)."""
    table = Table("place", "level", "why", title="why these places", title_justify="left")
    for name, level, reasons in article.reasons:
        table.add_row(name, level, "\n".join(reasons) or "-")
    return table


# --- HTML ----------------------------------------------------------------------------------

_CSS = """
body{font:16px/1.8 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:52em;margin:2em auto;
padding:0 1em;color:#222}
h1{font-size:1.4em;line-height:1.4}.meta{color:#666}
.body{white-space:pre-wrap}
mark{background:none;color:inherit;border-radius:2px}
mark.place{color:%(place)s;border-bottom:2px solid %(place)s;font-weight:600}
mark.measure{background:%(measure)s}
mark.mechanism{background:%(mechanism)s}
mark.measure.mechanism{background:linear-gradient(%(measure)s 50%%,%(mechanism)s 50%%)}
mark.outcome{background:%(outcome)s;font-weight:700;outline:1px solid #c00}
.sentence:target{outline:2px dashed #888;background:#f4f4f4}
.legend mark{padding:0 .4em;margin-right:.6em}
table{border-collapse:collapse;width:100%%;margin-top:2em;font-size:.9em}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}
""" % {k: v[1] for k, v in KINDS.items()}


def _segments(article: AnnotatedArticle) -> list[tuple[int, int, list[Fact], int | None]]:
    """The body cut at every fact and sentence boundary: (start, end, facts covering it, evidence id)."""
    cuts = {0, len(article.body)}
    for fact in article.facts:
        cuts.update((fact.start, fact.end))
    for start, end in article.evidence.values():
        cuts.update((start, end))
    points = sorted(c for c in cuts if 0 <= c <= len(article.body))
    sentences = sorted((s, e, i) for i, (s, e) in article.evidence.items())
    out = []
    for a, b in zip(points, points[1:]):
        covering = [f for f in article.facts if f.start <= a and b <= f.end]
        sentence = next((i for s, e, i in sentences if s <= a and b <= e), None)
        out.append((a, b, covering, sentence))
    return out


def to_html(article: AnnotatedArticle) -> str:
    """A self-contained page (inline CSS, no scripts, no network): the highlighted body, then a
    table of every fact linked to its span (#outcome-12) and its evidence sentence (#ev-7)."""
    esc = html.escape
    legend_html = "".join(f'<mark class="{k}">{esc(v[2])}</mark>' for k, v in KINDS.items())
    title = esc(article.title or "(no title)")
    meta = esc(f"article {article.id} · {article.source} · {article.published or 'no date'}"
               + (f" · near-duplicate of article {article.duplicate_of}" if article.duplicate_of else ""))
    return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_CSS}</style></head>
<body>
<h1>{title}</h1>
<p class="meta">{meta}</p>
<p class="legend">{legend_html}</p>
<div class="body" id="body">{_highlighted_body(article)}</div>
<h2>Extracted facts</h2>
<table id="facts"><thead><tr><th>kind</th><th>fact</th><th>span</th><th>evidence</th></tr></thead>
<tbody>
{chr(10).join(_fact_rows(article))}
</tbody></table>
{_why_table(article)}</body></html>
"""


def _highlighted_body(article: AnnotatedArticle) -> str:
    """The body with each fact's span marked and each evidence sentence in its own span."""
    esc = html.escape
    parts: list[str] = []
    open_sentence: int | None = None
    starts = {}
    for fact in article.facts:
        starts.setdefault(fact.start, []).append(fact)
    for a, b, covering, sentence in _segments(article):
        if sentence != open_sentence:
            if open_sentence is not None:
                parts.append("</span>")
            if sentence is not None:
                parts.append(f'<span class="sentence" id="ev-{sentence}">')
            open_sentence = sentence
        for fact in starts.pop(a, []):
            parts.append(f'<a id="{fact.anchor}"></a>')
        chunk = esc(article.body[a:b])
        if covering:
            kinds = [k for k in KINDS if any(f.kind == k for f in covering)]
            ids = " ".join(f.anchor for f in covering)
            tip = esc("; ".join(f.label for f in covering), quote=True)
            parts.append(f'<mark class="{" ".join(kinds)}" data-facts="{ids}" title="{tip}">{chunk}</mark>')
        else:
            parts.append(chunk)
    if open_sentence is not None:
        parts.append("</span>")
    return "".join(parts)


def _fact_rows(article: AnnotatedArticle) -> list[str]:
    esc = html.escape
    rows = []
    for fact in article.facts:
        start, end = article.evidence.get(fact.evidence_id, (fact.start, fact.end))
        sentence = article.body[start:end]
        rows.append(f'<tr class="fact {fact.kind}"><td>{fact.kind}</td><td>{esc(fact.label)}</td>'
                    f'<td><a href="#{fact.anchor}">{esc(article.body[fact.start:fact.end])}</a></td>'
                    f'<td><a href="#ev-{fact.evidence_id}">{esc(_short(sentence))}</a></td></tr>')
    for name, evidence_id in article.projects:
        start, end = article.evidence.get(evidence_id, (0, 0))
        rows.append(f'<tr class="fact project"><td>project</td><td>{esc(name)}</td><td>{esc(name)}</td>'
                    f'<td><a href="#ev-{evidence_id}">{esc(_short(article.body[start:end]))}</a></td></tr>')
    return rows


def _why_table(article: AnnotatedArticle) -> str:
    """With --why: each place name and the reasons it was taken."""
    if not article.reasons:
        return ""
    esc = html.escape
    why_rows = "\n".join(f'<tr class="why"><td>{esc(name)}</td><td>{esc(level)}</td><td>'
                          f'{"<br>".join(esc(r) for r in reasons) or "-"}</td></tr>'
                          for name, level, reasons in article.reasons)
    return ('<h2>Why these places</h2>\n<table id="why"><thead><tr><th>place</th><th>level</th><th>why</th>'
            f'</tr></thead>\n<tbody>\n{why_rows}\n</tbody></table>\n')


def _short(sentence: str, limit: int = 80) -> str:
    sentence = re.sub(r"\s+", " ", sentence).strip()
    return sentence if len(sentence) <= limit else sentence[:limit - 1] + "…"
