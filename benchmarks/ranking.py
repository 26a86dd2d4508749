"""Benchmark ranking aggregation in pure Python.

Run from the repository root:

    .venv/bin/python benchmarks/ranking.py

Prints the median wall time (time.perf_counter) of ``aggregate`` for 200 and
2,000 rankers over 30 items, plus ``compare``. Ballots come from a seeded
random.Random, each a noisy copy of a shared consensus order, so nearly all
ballots are distinct (collapsing identical ballots does not help here: this
is close to the worst case). Exits with status 1 if 200 x 30 misses 200 ms.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dialogue.ranking_maths import aggregate, compare  # noqa: E402

N_ITEMS = 30
TARGET_MS = 200.0
SEED = 20240601


def make_ballots(rng: random.Random, n_rankers: int, n_items: int) -> list[list[int]]:
    """Noisy copies of the consensus order 0, 1, ..., n_items - 1."""
    items = list(range(n_items))
    ballots = []
    for _ in range(n_rankers):
        scores = {item: item + rng.gauss(0, n_items / 4) for item in items}
        ballots.append(sorted(items, key=scores.__getitem__))
    return ballots


def median_ms(function: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> int:
    rng = random.Random(SEED)
    candidates = list(range(N_ITEMS))
    print(f"Python {sys.version.split()[0]}, seed {SEED}, {N_ITEMS} items")
    results = {}
    for n_rankers, runs in ((200, 21), (2000, 7)):
        ballots = make_ballots(rng, n_rankers, N_ITEMS)
        ms = median_ms(lambda b=ballots: aggregate(b, candidates), runs)
        results[n_rankers] = ms
        print(
            f"aggregate {n_rankers:>5} rankers x {N_ITEMS} items: "
            f"median {ms:7.1f} ms over {runs} runs"
        )
    side_a = aggregate(make_ballots(rng, 200, N_ITEMS), candidates)
    side_b = aggregate(make_ballots(rng, 200, N_ITEMS), candidates)
    ms = median_ms(lambda: compare(side_a, side_b, candidates), 21)
    print(f"compare two aggregates of {N_ITEMS} items: median {ms:7.2f} ms")
    ok = results[200] < TARGET_MS
    verdict = "OK" if ok else "TOO SLOW"
    print(f"target: 200 x {N_ITEMS} under {TARGET_MS:.0f} ms -> {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
