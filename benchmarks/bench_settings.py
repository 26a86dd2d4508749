"""Settings of `benchmarks/pages.py` only: the production settings (the
environment decides everything, DEBUG off) with the benchmark's URL module,
which adds one trivial signed-in view as the yardstick. Never used by the
site: nothing outside benchmarks/ names this module."""

from workshop.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
