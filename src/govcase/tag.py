"""CleanArticle -> TaggedArticle: places, measures, mechanisms, outcomes, projects (pure).

Each finder returns spans without side effects; this module only composes them
and links facts to each other (an outcome to its place, measure and project, a
project to its place).
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from govcase.tagging.codes import find_codes
from govcase.tagging.lexicon import Lexicon
from govcase.tagging.outcomes import find_outcomes
from govcase.places import default_data_dir as places_data_dir, find_places
from govcase.placenames.scope import scope_places
from govcase.tagging.projects import find_projects, link_outcomes
from govcase.records import LEVEL_DEPTH, CleanArticle, Place, PlaceMention, Project, Sentence, TaggedArticle
from govcase.text import sentence_at, split_sentences



def main_place(places: Sequence[Place], mentions: Sequence[PlaceMention]) -> str | None:
    """The place the case is about: the most-mentioned place at street level or below
    (deeper wins a tie), else the most specific place named at all."""
    by_key = {p.key: p for p in places}
    counts = Counter(m.place for m in mentions if m.place in by_key)
    if not counts:
        return None
    depth = lambda key: LEVEL_DEPTH.get(by_key[key].level, 0)  # noqa: E731
    local = [k for k in counts if depth(k) >= LEVEL_DEPTH["street"]]
    pool = local or list(counts)
    first = {m.place: i for i, m in reversed(list(enumerate(mentions)))}
    return max(pool, key=lambda k: (counts[k], depth(k), -first[k]))


def _link_project_places(projects: Sequence[Project], mentions: Sequence[PlaceMention],
                         sentences: tuple[Sentence, ...], fallback: str | None) -> list[Project]:
    linked = []
    for project in projects:
        sentence = sentence_at(sentences, project.start)
        near = [m for m in mentions if sentence and sentence.start <= m.start < sentence.end
                and m.start < project.start]
        place = near[-1].place if near else fallback
        linked.append(Project(project.name, project.start, project.end, project.place or place,
                              project.measures))
    return linked


def tag(article: CleanArticle, lexicon: Lexicon) -> TaggedArticle:
    body = article.body
    sentences = split_sentences(body)
    places, place_mentions = find_places(body, article.title, outlet=article.outlet, sentences=sentences)
    measures, mechanisms = find_codes(body, sentences, lexicon, [(m.start, m.end) for m in place_mentions])
    main = main_place(places, place_mentions)
    outcomes = find_outcomes(body, sentences, place_mentions, measures, main)
    outcomes = scope_places(body, outcomes, places, place_mentions, sentences, main, places_data_dir())
    projects = _link_project_places(find_projects(body, sentences, measures, lexicon), place_mentions,
                                    sentences, main)
    outcomes = link_outcomes(body, projects, outcomes, sentences)
    return TaggedArticle(
        places=tuple(places),
        place_mentions=tuple(place_mentions),
        measures=tuple(measures),
        mechanisms=tuple(mechanisms),
        outcomes=tuple(outcomes),
        projects=tuple(projects),
        sentences=sentences,
    )
