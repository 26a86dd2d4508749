"""Throughput of the pages against a signed-in trivial view, on the
production stack on loopback.

Run from the repository root (PostgreSQL and Redis on loopback; nothing is
left behind):

    .venv/bin/python benchmarks/pages.py                      # as deployed
    .venv/bin/python benchmarks/pages.py --worker-class sync  # as before
    .venv/bin/python benchmarks/pages.py --only "session page" --runs 1

What it does:

1. Creates its own PostgreSQL database (`bench_pages`, dropped at the end)
   and uses Redis database 2 as the cache (sessions), emptied before and
   after (`--redis-url` to choose another).
2. Migrates, collects the static files into a temporary directory, loads
   the shipped workshop (`seed_workshop`), fills session 1 with
   `simulate_activity` (40 delegates, 240 comments with replies and
   endorsements, a closed ranking round, measures with answers), tops one
   item up to exactly 50 comments and opens the session for discussion.
3. Signs a delegate in: a server-side session (Django's `login`, as the
   sign-in form does) whose cookie the clients send.
4. Starts gunicorn on a free loopback port with the production settings
   (DEBUG off, HTTPS assumed: the clients send `X-Forwarded-Proto: https` as
   the proxy does), the benchmark's settings module
   (`benchmarks/bench_settings.py`, which only adds the trivial view of
   `benchmarks/bench_urls.py`), and the worker class and counts given (by
   default those of the Dockerfile).
5. For each page, `--runs` runs (median taken) of `--rounds` rounds; each
   round is a burst of `--requests` requests to the trivial view, then a
   burst of as many to the page, each burst shared by `--clients` client
   threads, each with its own keep-alive connection (http.client; it
   reconnects when a sync worker closes it). A burst also stops after
   `--burst-seconds`. Throughput is requests over the wall time of the
   bursts of that kind; the ratio is the page's throughput over the trivial
   view's, in the same run, so load from elsewhere on the machine affects
   both alike. The clients run on the same machine and take CPU from the
   server: a ratio near 1 is understated rather than overstated.
6. Prints a markdown table, and checks that every idle poll (and every
   reload of an unchanged page with its ETag) was answered 304.

Not a test: it asserts nothing and exits 0 unless the stack fails to start
(the 304 check prints its verdict and sets the exit status 1 when it fails).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE = "bench_pages"
TRIVIAL = "/bench/trivial/"
ITEM_COMMENTS = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--worker-class", default="gthread", choices=["sync", "gthread"]
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-alive", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=40, help="per burst")
    parser.add_argument("--rounds", type=int, default=4, help="per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--burst-seconds", type=float, default=15.0)
    parser.add_argument(
        "--only", action="append", default=[], help="a page's name (repeatable)"
    )
    parser.add_argument(
        "--server-url",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server (no database name); the benchmark's own is created",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--side", default=None, help="the delegate's delegation code")
    return parser.parse_args()


# -- the stack --------------------------------------------------------------


def admin_sql(server_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def environment(args, static_root: str) -> dict:
    return {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{args.server_url}/{DATABASE}",
        "CACHE_URL": args.redis_url,
        "STATIC_ROOT": static_root,
        "MEDIA_ROOT": str(Path(static_root).parent / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


@dataclass
class Fixture:
    cookie: str
    pages: dict[str, tuple[str, dict]] = field(default_factory=dict)


def fill(args) -> Fixture:
    """Seed and simulate, sign a delegate in; the URLs to measure."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from dialogue.models import (
        AgendaItem,
        Comment,
        Participant,
        Phase,
        Role,
        Session,
        Workshop,
    )

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("seed_workshop", verbosity=0)
    workshop = Workshop.objects.get()
    call_command(
        "simulate_activity",
        workshop.slug,
        "--delegates",
        "40",
        "--comments",
        "240",
        "--seed",
        "1",
        verbosity=0,
    )
    session = workshop.sessions.get(number=1)
    Session.objects.filter(pk=session.pk).update(phase=Phase.OPEN)
    delegations = list(workshop.delegations.order_by("code"))
    delegation = next((d for d in delegations if d.code == args.side), delegations[0])
    user = get_user_model().objects.create_user(
        "bench-delegate", first_name="Bench", last_name="Delegate"
    )
    Participant.objects.create(
        workshop=workshop, user=user, role=Role.DELEGATE, delegation=delegation
    )

    # One item with exactly 50 comments: the fullest one that has no more.
    items = [
        (item.comments.count(), item)
        for item in AgendaItem.objects.filter(session=session).order_by("number")
    ]
    count, item = max(
        ((c, i) for c, i in items if c <= ITEM_COMMENTS), key=lambda pair: pair[0]
    )
    authors = list(Participant.objects.filter(workshop=workshop, role=Role.DELEGATE))
    extra = []
    for i in range(ITEM_COMMENTS - count):
        comment = Comment(
            item=item,
            author=authors[i % len(authors)],
            body=f"Comment {i}: *a point* about [the text](https://example.org/{i})",
        )
        comment.render_body()
        extra.append(comment)
    Comment.objects.bulk_create(extra)

    client = Client()
    client.force_login(user)
    from django.conf import settings

    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    slug, number = workshop.slug, session.number
    htmx = {"HX-Request": "true"}
    fixture = Fixture(cookie=cookie)
    fixture.pages = {
        "session page": (reverse("session_detail", args=[slug, number]), {}),
        f"item page, {ITEM_COMMENTS} comments": (
            reverse("item_detail", args=[slug, number, item.number]),
            {},
        ),
        "measure board": (reverse("measure_board", args=[slug, number]), {}),
        "ranking results": (reverse("ranking_results", args=[slug, number, 1]), {}),
        "idle discussion poll (304)": (
            reverse("item_discussion", args=[slug, number, item.number]),
            htmx,
        ),
        "idle live fragment (304)": (
            reverse("session_live", args=[slug, number]),
            htmx,
        ),
        # A reload of an unchanged full page sends its ETag back.
        "session page reload (304)": (
            reverse("session_detail", args=[slug, number]),
            {},
        ),
        "measure board reload (304)": (
            reverse("measure_board", args=[slug, number]),
            {},
        ),
        "ranking results reload (304)": (
            reverse("ranking_results", args=[slug, number, 1]),
            {},
        ),
    }
    return fixture


def start_gunicorn(args, env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"),
        "workshop.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        args.worker_class,
        "--workers",
        str(args.workers),
        "--keep-alive",
        str(args.keep_alive),
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn ended: {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer: {log.read_text()[-2000:]}")


# -- the clients ------------------------------------------------------------


class Clients:
    """`n` threads, each with its own keep-alive connection."""

    def __init__(self, port: int, cookie: str, n: int):
        self.port, self.n = port, n
        self.base = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
        }
        self.cookies = {"sessionid": cookie}
        self.base["Cookie"] = f"sessionid={cookie}"
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(n)

    def get(self, path: str, headers: dict) -> tuple[int, bytes, dict]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=30
            )
        for attempt in (1, 2):
            try:
                conn.request("GET", path, headers=self.base | headers)
                response = conn.getresponse()
                body = response.read()
                self.keep_cookies(response)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()  # a sync worker: the next request reconnects
                return response.status, body, dict(response.getheaders())
            except (http.client.RemoteDisconnected, ConnectionResetError):
                conn.close()  # a keep-alive connection the server timed out
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def keep_cookies(self, response) -> None:
        """Keep the CSRF cookie a page sets, as a browser does: a page's
        ETag names it."""
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name == "csrftoken":
                self.cookies[name] = rest.split(";", 1)[0]
                cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
                self.base = self.base | {"Cookie": cookie}

    def burst(self, path: str, headers: dict, count: int, seconds: float):
        """`count` GETs of `path` shared by the threads; (done, wall, statuses)."""
        tickets = itertools.count()
        deadline = time.monotonic() + seconds
        lock = threading.Lock()
        statuses: dict[int, int] = {}

        def work():
            done = 0
            while next(tickets) < count and time.monotonic() < deadline:
                status, _, _ = self.get(path, headers)
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                done += 1
            return done

        start = time.perf_counter()
        futures = [self.pool.submit(work) for _ in range(self.n)]
        done = sum(f.result() for f in futures)
        return done, time.perf_counter() - start, statuses


@dataclass
class Row:
    name: str
    status: int
    size: int
    ratios: list[float] = field(default_factory=list)
    page_rps: list[float] = field(default_factory=list)
    trivial_rps: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)


def measure(clients: Clients, name: str, path: str, headers: dict, args) -> Row:
    status, body, response_headers = clients.get(path, headers)
    if "(304)" in name:
        # The poll (or the reload) names the version it has.
        etag = response_headers.get("ETag")
        if etag:
            headers = headers | {"If-None-Match": etag}
        status, body, _ = clients.get(path, headers)
    row = Row(name=name, status=status, size=len(body))
    for _ in range(2):  # warm every worker's templates and connections
        clients.burst(TRIVIAL, {}, args.clients * 2, args.burst_seconds)
        clients.burst(path, headers, args.clients * 2, args.burst_seconds)
    for _ in range(args.runs):
        totals = {"page": [0, 0.0], "trivial": [0, 0.0]}
        for _ in range(args.rounds):
            for kind, (p, h) in (("trivial", (TRIVIAL, {})), ("page", (path, headers))):
                done, wall, statuses = clients.burst(
                    p, h, args.requests, args.burst_seconds
                )
                totals[kind][0] += done
                totals[kind][1] += wall
                if kind == "page":
                    for code, n in statuses.items():
                        row.statuses[code] = row.statuses.get(code, 0) + n
        page = totals["page"][0] / totals["page"][1]
        trivial = totals["trivial"][0] / totals["trivial"][1]
        row.page_rps.append(page)
        row.trivial_rps.append(trivial)
        row.ratios.append(page / trivial)
    return row


def report(rows: list[Row], args, load_before, load_after) -> int:
    workers = (
        f"{args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f", keep-alive {args.keep_alive} s"
    )
    print(
        f"\ngunicorn {workers}; {args.clients} client threads; "
        f"{args.runs} runs x {args.rounds} rounds x {args.requests} requests per "
        f"kind; load average {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f} before, {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f} after\n"
    )
    print(
        "| page | answer | bytes | page req/s | trivial req/s "
        "| ratio (median of runs) | runs |"
    )
    print("|---|---|---|---|---|---|---|")
    failed = False
    for row in rows:
        runs = ", ".join(f"{r:.2f}" for r in row.ratios)
        print(
            f"| {row.name} | {row.status} | {row.size:,} "
            f"| {statistics.median(row.page_rps):.0f} "
            f"| {statistics.median(row.trivial_rps):.0f} "
            f"| **{statistics.median(row.ratios):.2f}** | {runs} |"
        )
    print()
    for row in rows:
        answered = sum(row.statuses.values())
        if "(304)" in row.name:
            ok = row.status == 304 and row.statuses == {304: answered}
            failed |= not ok
            verdict = "OK" if ok else "FAILED"
            print(
                f"304 check, {row.name}: {row.statuses.get(304, 0)} of {answered} "
                f"answered 304 (first: {row.status}) {verdict}"
            )
        elif set(row.statuses) != {200}:
            failed = True
            print(f"{row.name}: answers {row.statuses} FAILED")
    return 1 if failed else 0


def main() -> int:
    args = arguments()
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = environment(args, str(tmp / "static"))
    os.environ.update({k: v for k, v in env.items() if k not in ("PATH", "HOME")})
    sys.path.insert(0, str(ROOT))

    import redis

    cache = redis.Redis.from_url(args.redis_url)
    cache.flushdb()
    admin_sql(
        args.server_url,
        f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
        f"CREATE DATABASE {DATABASE}",
    )
    process = None
    try:
        fixture = fill(args)
        from django.db import connections

        for conn in connections.all():
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        names_known = list(fixture.pages)
        wanted = [n for n in names_known if not args.only or n in args.only]
        if not wanted:
            raise SystemExit(f"--only names none of: {', '.join(names_known)}")
        port = free_port()
        process = start_gunicorn(args, env, port, tmp / "gunicorn.log")
        clients = Clients(port, fixture.cookie, args.clients)
        status, _, _ = clients.get(TRIVIAL, {})
        if status != 200:
            raise SystemExit(f"the trivial view answered {status}: not signed in?")
        load_before = os.getloadavg()
        rows = []
        for name in wanted:
            path, headers = fixture.pages[name]
            rows.append(measure(clients, name, path, headers, args))
            print(
                f"  {name}: ratios {', '.join(f'{r:.2f}' for r in rows[-1].ratios)}",
                file=sys.stderr,
                flush=True,
            )
        clients.pool.shutdown()
        return report(rows, args, load_before, os.getloadavg())
    finally:
        if process is not None:
            process.terminate()  # the one process this script started
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        admin_sql(args.server_url, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        cache.flushdb()


if __name__ == "__main__":
    sys.exit(main())
