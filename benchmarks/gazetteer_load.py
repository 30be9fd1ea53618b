"""Print how long loading the national gazetteer takes and how much memory it adds.

    .venv/bin/python benchmarks/gazetteer_load.py
"""
from __future__ import annotations

import resource
import time
import tracemalloc

from govcase.placenames.gazetteer import gazetteer_path, load_gazetteer
from govcase.settings import default_data_dir


def main() -> None:
    path = gazetteer_path(default_data_dir())
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    gaz = load_gazetteer(path)
    elapsed = time.perf_counter() - t0
    rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB on disk, {len(gaz.units)} units to street level")
    print(f"load: {elapsed:.2f} s, peak RSS +{rss:.0f} MB")
    load_gazetteer.cache_clear()
    tracemalloc.start()
    gaz = load_gazetteer(path)
    current, peak = tracemalloc.get_traced_memory()
    print(f"python heap after load: {current / 1e6:.0f} MB retained, {peak / 1e6:.0f} MB peak")
    t0 = time.perf_counter()
    streets = [u.code for u in gaz.units.values() if u.level == "street"][:2000]
    n = sum(len(gaz.communities(code)) for code in streets)
    print(f"communities of 2000 streets on first use: {n} in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
