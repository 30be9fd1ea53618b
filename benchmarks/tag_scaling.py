"""Tag-stage time per character, from 10 kB to 5 MB articles: is every finder linear?

    python benchmarks/tag_scaling.py [--sizes 10000,100000,1000000,5000000] [--repeat 3]

An article of each size (UTF-8 bytes) is made by joining the seed articles' clean
bodies, each copy with its numbers and names varied, so that places, codes, numbers,
outcomes and projects are found all along it as in a real report. An article shorter
than all the seeds together holds only the first ones, whose facts differ from the
rest: it is made once starting from each seed, and the times of these articles are
added, so that every size reads the same mix of text. Each finder and step of tag is
timed alone in CPU time (time.process_time), in --repeat rounds that each time every size
once (the median of five runs for articles under 1 MB, whose times are short), so that a
busy minute of a shared machine weighs on every size. The medians of the rounds are
printed, and on the last line, per finder and for the whole tag stage, the ratio of the
largest article's time per character to the smallest's (1.0 is linear; the check of
issue 17 asks for at most 1.5).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from govcase.clean import clean  # noqa: E402
from govcase.ingest import read_documents  # noqa: E402
from govcase.places import find_places  # noqa: E402
from govcase.records import RawDocument  # noqa: E402
from govcase.settings import default_data_dir  # noqa: E402
from govcase.placenames.scope import scope_places  # noqa: E402
from govcase.places import default_data_dir as places_data_dir  # noqa: E402
from govcase.records import CleanArticle  # noqa: E402
from govcase.tag import _link_project_places, main_place, tag  # noqa: E402
from govcase.tagging.codes import find_codes  # noqa: E402
from govcase.tagging.lexicon import load_lexicon  # noqa: E402
from govcase.tagging.numbers import find_quantities  # noqa: E402
from govcase.tagging.outcomes import find_outcomes  # noqa: E402
from govcase.tagging.projects import find_projects, link_outcomes  # noqa: E402
from govcase.text import split_sentences  # noqa: E402


def article_of(size: int, bodies: list[str], first: int = 0) -> str:
    """Seed bodies joined until ``size`` UTF-8 bytes, each copy's digits shifted, starting
    with seed number ``first``."""
    parts, total, i = [], 0, first
    while total < size:
        body = bodies[i % len(bodies)].translate(str.maketrans("0123456789", "1234567890" if i % 2 else "0123456789"))
        parts.append(body)
        total += len(body.encode("utf-8")) + 1
        i += 1
    text = "\n".join(parts)
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def timings(body: str, lexicon) -> dict[str, float]:
    times = {}

    def timed(name, fn):
        start = time.process_time()
        value = fn()
        times[name] = time.process_time() - start
        return value

    sentences = timed("sentences", lambda: split_sentences(body))
    places, mentions = timed("places", lambda: find_places(body, None, sentences=sentences))
    measures, _ = timed("codes", lambda: find_codes(body, sentences, lexicon, [(m.start, m.end) for m in mentions]))
    timed("numbers", lambda: find_quantities(body))
    main = main_place(places, mentions)
    outcomes = timed("outcomes", lambda: find_outcomes(body, sentences, mentions, measures, main))
    outcomes = timed("scope", lambda: scope_places(body, outcomes, places, mentions, sentences, main,
                                                   places_data_dir()))
    projects = timed("projects", lambda: find_projects(body, sentences, measures, lexicon))
    projects = timed("project places", lambda: _link_project_places(projects, mentions, sentences, main))
    timed("link", lambda: link_outcomes(body, projects, outcomes, sentences))
    timed("tag (all)", lambda: tag(CleanArticle(body=body), lexicon))
    return times


def measured(articles: list[str], lexicon, repeat: int) -> dict[str, float]:
    """The median over ``repeat`` runs of each step's time, summed over ``articles``."""
    runs = [timings(body, lexicon) for body in articles for _ in range(repeat)]
    return {k: sum(statistics.median(r[k] for r in runs[i * repeat:(i + 1) * repeat])
                   for i in range(len(articles))) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000,5000000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lexicon = load_lexicon(default_data_dir())
    bodies = [clean(d).body for d in read_documents([ROOT / "seeds" / "articles"]) if isinstance(d, RawDocument)]
    sizes = [int(s) for s in args.sizes.split(",")]
    per_char: dict[int, dict[str, float]] = {}
    whole = sum(len(b.encode("utf-8")) + 1 for b in bodies)  # all the seeds once
    articles = {size: [article_of(size, bodies, first) for first in range(len(bodies) if size < whole else 1)]
                for size in sizes}
    timings(articles[sizes[0]][0], lexicon)  # first-use costs (jieba, lazy tables) out of the timing
    # every size once per round, the rounds one after the other: a busy minute weighs on all sizes
    rounds: dict[int, list[dict[str, float]]] = {size: [] for size in sizes}
    for _ in range(args.repeat):
        for size in sizes:
            rounds[size].append(measured(articles[size], lexicon, 5 if size < 1_000_000 else 1))
    for size in sizes:
        chars = sum(len(body) for body in articles[size])
        times = {k: statistics.median(r[k] for r in rounds[size]) for k in rounds[size][0]}
        per_char[size] = {k: v / chars * 1e6 for k, v in times.items()}
        print(f"{size:>9} bytes, {len(articles[size])} article(s), {chars:>8} chars: " + ", ".join(
            f"{k} {v:.3f}s" for k, v in times.items()), flush=True)
    small, large = sizes[0], sizes[-1]
    print(f"per-character time ratio {large} / {small} bytes: " + ", ".join(
        f"{k} {per_char[large][k] / per_char[small][k]:.2f}" for k in per_char[small]))


if __name__ == "__main__":
    main()
