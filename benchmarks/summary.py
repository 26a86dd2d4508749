"""Benchmark compiling a session summary: time and peak memory per format.

Run from the repository root:

    .venv/bin/python benchmarks/summary.py            # 1x and 10x
    .venv/bin/python benchmarks/summary.py --factors 1

The data: one session of 12 agenda items with 40 synthetic delegates
(`manage.py simulate_activity`, seed 1) and 5,000 comments PER ITEM (60,000
in the session; 30% of them replies, with endorsements), a closed ranking
round, reciprocal measures with answers, and the rapporteur's text: key
takeaways, a narrative per item and the three leads, citing 40 remarks
(``CITATIONS``); then the same at 10x the
comments (600,000). It is built once into a SQLite file in the temporary
directory (reused by later runs; --rebuild makes it again), or into the database of --database-url.

Each measurement runs in a fresh subprocess, so its peak memory is its own:
the subprocess sets up Django, then builds the SummaryDocument and renders
one format (or all three, as a worker does) and reports the wall time
(time.perf_counter) of build + render and the process's peak resident
memory (resource.getrusage ru_maxrss, which includes Python, Django and
the renderers' libraries: the "baseline" column is the same process's peak
before compiling). Target: each format under 10 s and 300 MB at 1x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 12
DELEGATES = 40
COMMENTS_PER_ITEM = 5_000
FORMATS = ("md", "docx", "pdf", "all")
TARGET_SECONDS = 10.0
TARGET_MB = 300.0
CITATIONS = 40


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(slug: str, fmt: str, database_url: str) -> dict:
    """Run in the subprocess: compile one format and report the figures."""
    _django(database_url)
    from dialogue.models import Session
    from dialogue.summary.build import build_summary_document
    from dialogue.summary.render.docx import render_docx
    from dialogue.summary.render.markdown import render_markdown
    from dialogue.summary.render.pdf import render_html, render_pdf

    session = Session.objects.get(workshop__slug=slug, number=1)
    # Import the renderers' libraries before measuring, as a worker has.
    import cairosvg  # noqa: F401
    import docx  # noqa: F401
    import weasyprint  # noqa: F401

    baseline = _peak_mb()
    start = time.perf_counter()
    document = build_summary_document(session=session, version=1)
    built = time.perf_counter()
    sizes = {}
    if fmt in ("md", "all"):
        sizes["md"] = len(render_markdown(document).encode())
    if fmt in ("docx", "all"):
        sizes["docx"] = len(render_docx(document))
    if fmt in ("pdf", "all"):
        sizes["pdf"] = len(render_pdf(document))
    if fmt == "all":
        sizes["html"] = len(render_html(document, fragment=True))
    done = time.perf_counter()
    notes = len(document.narrative.notes) if document.narrative else 0
    if notes != CITATIONS and session.items.count() == ITEMS:
        raise SystemExit(f"the narrative has {notes} notes, not {CITATIONS}")
    return {
        "build_s": built - start,
        "total_s": done - start,
        "peak_mb": _peak_mb(),
        "baseline_mb": baseline,
        "bytes": sum(sizes.values()),
    }


def ensure_data(database_url: str, factor: int, rebuild: bool) -> str:
    """Create the benchmark workshop for `factor` unless it exists; its slug."""
    _django(database_url)
    from django.core.management import call_command

    from dialogue.models import AgendaItem, Delegation, Session, Workshop

    call_command("migrate", verbosity=0)
    slug = f"summary-benchmark-{factor}x"
    existing = Workshop.objects.filter(slug=slug).first()
    if existing and not rebuild:
        ensure_narrative(slug)
        return slug
    if existing:
        existing.delete()
    workshop = Workshop.objects.create(slug=slug, title=f"Summary benchmark {factor}x")
    cn = Delegation.objects.create(
        workshop=workshop, code="CN", name="Chinese scholars"
    )
    us = Delegation.objects.create(
        workshop=workshop, code="US", name="American scholars"
    )
    session = Session.objects.create(workshop=workshop, number=1, title="Benchmark")
    AgendaItem.objects.bulk_create(
        AgendaItem(
            session=session,
            number=n,
            title=f"Recommendation {n}: keep channels open and reduce risk",
            body="A recommendation paragraph. " * 20,
            proposed_by=cn if n % 2 else us,
            addressed_to=us if n % 2 else cn,
        )
        for n in range(1, ITEMS + 1)
    )
    started = time.perf_counter()
    call_command(
        "simulate_activity",
        slug,
        "--delegates",
        str(DELEGATES),
        "--comments",
        str(COMMENTS_PER_ITEM * ITEMS * factor),
        "--measures",
        "24",
        "--seed",
        "1",
    )
    print(f"  (data for {factor}x made in {time.perf_counter() - started:.1f} s)")
    ensure_narrative(slug)
    return slug


def ensure_narrative(slug: str) -> None:
    """The rapporteur's text citing CITATIONS visible remarks, spread over
    the session's items."""
    from dialogue.models import (
        Comment,
        CommentState,
        ReportDraft,
        ReportRevision,
        Session,
    )
    from dialogue.report_text import citation

    session = Session.objects.get(workshop__slug=slug, number=1)
    # Made again each run (it is cheap), so a change here is measured.
    ReportDraft.objects.filter(session=session).delete()
    visible = list(
        Comment.objects.filter(item__session=session, state=CommentState.VISIBLE)
        .order_by("item__number", "pk")
        .values_list("pk", flat=True)
    )
    step = max(1, len(visible) // CITATIONS)
    cited = [citation(pk) for pk in visible[::step][:CITATIONS]]
    sentence = "The delegations weighed how a channel for crises could work. "
    # In review, as a summary prints only a revision every participant reads.
    draft = ReportDraft.objects.create(
        workshop=session.workshop, session=session, revision=1, state="in_review"
    )
    revision = ReportRevision.objects.create(
        draft=draft,
        number=1,
        takeaways="\n\n".join(f"- {sentence}{c}" for c in cited[:10]),
        narratives={
            str(n): (sentence * 4 + "".join(cited[10 + 2 * (n - 1) : 10 + 2 * n]))
            for n in range(1, ITEMS + 1)
        },
        convergence=sentence + "".join(cited[34:37]),
        divergence=sentence + "".join(cited[37:39]),
        open_questions=sentence + "".join(cited[39:]),
    )
    draft.review_revision = revision
    draft.save(update_fields=["review_revision"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10")
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path(tempfile.gettempdir()) / 'summary-benchmark.sqlite3'}",
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", nargs=2, metavar=("SLUG", "FORMAT"))
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure, args.database_url)))
        return 0

    factors = [int(f) for f in args.factors.split(",")]
    slugs = {}
    for factor in factors:
        # Data is made in a subprocess too, so this process stays small.
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from benchmarks.summary import ensure_data; "
            "print(ensure_data(sys.argv[2], int(sys.argv[3]), sys.argv[4] == '1'))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), args.database_url]
            + [str(factor), "1" if args.rebuild else "0"],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        lines = out.stdout.strip().splitlines()
        for line in lines[:-1]:
            print(line)
        slugs[factor] = lines[-1]

    print(
        f"Summary compile, {ITEMS} items x {COMMENTS_PER_ITEM:,} comments per item "
        f"x {DELEGATES} delegates (database: {args.database_url.split(':')[0]})"
    )
    print(
        f"{'comments':>9} {'format':>6} {'build s':>8} {'total s':>8} "
        f"{'peak MB':>8} {'baseline MB':>12} {'output KB':>10}"
    )
    misses = []
    for factor in factors:
        comments = COMMENTS_PER_ITEM * ITEMS * factor
        for fmt in FORMATS:
            out = subprocess.run(
                [sys.executable, __file__, "--database-url", args.database_url]
                + ["--measure", slugs[factor], fmt],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{comments:>9,} {fmt:>6} {row['build_s']:>8.2f} {row['total_s']:>8.2f} "
                f"{row['peak_mb']:>8.0f} {row['baseline_mb']:>12.0f} "
                f"{row['bytes'] / 1024:>10.0f}"
            )
            if (
                factor == 1
                and fmt != "all"
                and (row["total_s"] > TARGET_SECONDS or row["peak_mb"] > TARGET_MB)
            ):
                misses.append(fmt)
    if misses:
        print(f"MISSED the target ({TARGET_SECONDS:g} s, {TARGET_MB:g} MB): {misses}")
        return 1
    print(f"Every format at 1x is within {TARGET_SECONDS:g} s and {TARGET_MB:g} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
