"""CleanArticle -> TaggedArticle: places, measures, mechanisms, outcomes, projects (pure).

Each finder returns spans without side effects; this module only composes them
and links facts to each other (an outcome to its place, measure and project, a
project to its place).
"""
from __future__ import annotations

from bisect import bisect_left
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
    """Each project with the place last mentioned before it in its sentence, else ``fallback``."""
    linked = []
    starts = [m.start for m in mentions]
    in_order = starts == sorted(starts)  # as find_places gives them: the last one is then found by bisection
    for project in projects:
        sentence = sentence_at(sentences, project.start)
        if sentence is None:
            near = []
        elif in_order:  # the last mention starting in [sentence.start, min(sentence.end, project.start))
            last = bisect_left(starts, min(sentence.end, project.start)) - 1
            near = [mentions[last]] if last >= 0 and starts[last] >= sentence.start else []
        else:
            near = [m for m in mentions if sentence.start <= m.start < sentence.end and m.start < project.start]
        place = near[-1].place if near else fallback
        linked.append(Project(project.name, project.start, project.end, project.place or place,
                              project.measures))
    return linked


class Tagging:
    """One article on its way through the passes of tag: what each pass has found so far."""

    __slots__ = ("article", "sentences", "places", "place_mentions", "measures", "mechanisms", "tagged")

    def __init__(self, article: CleanArticle):
        self.article = article
        self.tagged: TaggedArticle | None = None


def find_article_places(job: Tagging, lexicon: Lexicon) -> None:
    """Pass 1: the sentences and the places."""
    article = job.article
    job.sentences = split_sentences(article.body)
    job.places, job.place_mentions = find_places(article.body, article.title, outlet=article.outlet,
                                                 sentences=job.sentences)


def find_article_codes(job: Tagging, lexicon: Lexicon) -> None:
    """Pass 2: measures and mechanisms (a place name is no cue)."""
    job.measures, job.mechanisms = find_codes(job.article.body, job.sentences, lexicon,
                                              [(m.start, m.end) for m in job.place_mentions])


def find_article_facts(job: Tagging, lexicon: Lexicon) -> None:
    """Pass 3: outcomes and projects, linked to places, measures and each other."""
    body, sentences, places, place_mentions = job.article.body, job.sentences, job.places, job.place_mentions
    main = main_place(places, place_mentions)
    outcomes = find_outcomes(body, sentences, place_mentions, job.measures, main)
    outcomes = scope_places(body, outcomes, places, place_mentions, sentences, main, places_data_dir())
    projects = _link_project_places(find_projects(body, sentences, job.measures, lexicon), place_mentions,
                                    sentences, main)
    outcomes = link_outcomes(body, projects, outcomes, sentences)
    job.tagged = TaggedArticle(
        places=tuple(places),
        place_mentions=tuple(place_mentions),
        measures=tuple(job.measures),
        mechanisms=tuple(job.mechanisms),
        outcomes=tuple(outcomes),
        projects=tuple(projects),
        sentences=sentences,
    )


# The passes of tag, in order. Run over a batch pass by pass (govcase.budget.tag_batch), an
# article's results are the same as tag's; the batch costs ~10-20 % less CPU than tagging its
# articles one by one, as each pass's tables and code stay in the processor's caches over the
# batch instead of being pushed out by the other two passes at every article.
PASSES = (find_article_places, find_article_codes, find_article_facts)


def tag(article: CleanArticle, lexicon: Lexicon) -> TaggedArticle:
    """Places, measures, mechanisms, outcomes and projects of one article."""
    job = Tagging(article)
    for step in PASSES:
        step(job, lexicon)
    return job.tagged
