"""Benchmark the item page and its polled discussion, in-process.

Run from the repository root (SQLite in memory, or the database named by
DATABASE_URL, in a throw-away test database):

    .venv/bin/python benchmarks/item_page.py

Builds the shipped workshop with two items of 50 and 1,000 comments (a
third top-level, the rest replies to the comment before, some deeper than
threads nest), signs in a delegate and, in rounds, GETs through the test
client: the item page, the discussion fragment (htmx, no If-None-Match: a
full render), an idle poll (its ETag: the 304) and the home page as a
yardstick. The discussion is paged (25 threads a page; the page opens on
the newest), so it also GETs page 1 (a full page of 25 threads), the
permalink of the item's first comment (`?comment=ID`, which lands on page
1), and a delta poll: the tag from before one endorsement, answered with
that one changed row. The requests alternate within each round, so load on
the machine affects them alike; the figures printed are medians in
milliseconds, the response size, and the ratio to the yardstick. The
150 ms / 300 KB target of the 1,000-comment page applies to every page view.
Not a test: it checks only that the permalink lands on its comment.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from dialogue.models import Comment, Participant, Role, Session, Workshop  # noqa: E402

try:
    from dialogue.services import comments as comment_services  # noqa: E402
except ImportError:  # pragma: no cover - an older tree
    comment_services = None

SIZES = (50, 1000)
ROUNDS = {50: 41, 1000: 9}
SEED = 20261201


def build(workshop: Workshop, item, authors: list[Participant], n: int) -> None:
    rng = random.Random(SEED + n)
    previous = None
    for i in range(n):
        comment = Comment(
            item=item,
            author=authors[i % len(authors)],
            body=f"Comment {i}: *a point* about [the text](https://example.org/{i})"
            "\n\nand a second paragraph with `code`.",
            parent=None if i % 3 == 0 else previous,
            endorsement_count=rng.randrange(5),
        )
        if hasattr(comment, "render_body"):  # stored HTML, where the code has it
            comment.render_body()
        comment.save()
        previous = comment


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def main() -> int:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    call_command("seed_workshop", verbosity=0)
    workshop = Workshop.objects.get()
    session = workshop.sessions.get(number=1)
    Session.objects.filter(pk=session.pk).update(phase="open")
    session.refresh_from_db()
    users = get_user_model().objects
    authors = [
        Participant.objects.create(
            workshop=workshop,
            user=users.create_user(f"delegate{i}", first_name=f"D{i}"),
            role=Role.DELEGATE,
            delegation=workshop.delegations.order_by("code")[i % 2],
        )
        for i in range(20)
    ]
    items = {n: session.items.get(number=k) for k, n in enumerate(SIZES, start=1)}
    for n, item in items.items():
        build(workshop, item, authors, n)
    client = Client()
    client.force_login(authors[0].user)
    home = reverse("home")
    load = os.getloadavg()
    print(
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
        f"{connection.vendor}, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    for n, item in items.items():
        args = [workshop.slug, session.number, item.number]
        page_url = reverse("item_detail", args=args)
        fragment_url = reverse("item_discussion", args=args)
        before = client.get(fragment_url, HTTP_HX_REQUEST="true")["ETag"]
        delta = {"HTTP_HX_REQUEST": "true", "HTTP_IF_NONE_MATCH": before}
        if comment_services is not None:  # one endorsement: a one-row delta
            newest = item.comments.filter(parent=None).exclude(author=authors[1])
            comment_services.comment_endorse(
                participant=authors[1], comment=newest.last()
            )
        etag = client.get(fragment_url, HTTP_HX_REQUEST="true")["ETag"]
        first = item.comments.order_by("created_at", "id").first()
        requests = {
            "home page (yardstick)": (home, {}),
            "item page": (page_url, {}),
            "item page 1": (f"{page_url}?page=1", {}),
            "permalink, 1st comment": (f"{page_url}?comment={first.pk}", {}),
            "discussion fragment": (fragment_url, {"HTTP_HX_REQUEST": "true"}),
            "idle poll (304)": (
                fragment_url,
                {"HTTP_HX_REQUEST": "true", "HTTP_IF_NONE_MATCH": etag},
            ),
            "delta poll (1 change)": (fragment_url, delta),
        }
        timings = {name: [] for name in requests}
        sizes = {}
        for _ in range(3):  # warm caches, templates, lazy re-rendering
            for url, headers in requests.values():
                client.get(url, **headers)
        for _ in range(ROUNDS[n]):
            for name, (url, headers) in requests.items():
                start = time.perf_counter()
                response = client.get(url, **headers)
                timings[name].append(time.perf_counter() - start)
                sizes[name] = (response.status_code, len(response.content))
                if name == "permalink, 1st comment":
                    assert f'id="comment-{first.pk}"' in response.content.decode()
        yardstick = median_ms(timings["home page (yardstick)"])
        print(f"{n} comments, median of {ROUNDS[n]} rounds:")
        for name, values in timings.items():
            ms = median_ms(values)
            status, size = sizes[name]
            print(
                f"  {name:<24} {ms:8.1f} ms  {status}  {size:>9,} bytes"
                f"  x{ms / yardstick:5.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
