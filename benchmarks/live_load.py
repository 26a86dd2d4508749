"""Load the live discussion the way a plenary does, on the production stack.

    .venv/bin/python benchmarks/live_load.py --delegates 200 --seconds 60

Starts gunicorn (DEBUG off) on loopback against a PostgreSQL database of
its own (`--database`, default bench_live, created and dropped here) and
Redis (`--redis`, the cache and sessions), loads the shipped workshop with
session 1 open and signs in N delegates (half per side). Each delegate is a
thread with one keep-alive HTTP connection: it opens an item page (the
delegates are spread over the session's items), then polls the discussion
every LIVE_POLL_SECONDS (3) with the page's ETag, as the page's script
does; across the session the delegates post about `--rate` comments a
second (10), each on the item it has open, through the same htmx form the
page uses (its submission key; a request that fails is retried once with
the same key, as a person would), and endorse about once a minute a comment
they have seen.

Printed at the end, with the machine's load (`uptime`) before and after:
per kind of request the count, errors (timeouts, refused connections,
statuses other than 200/304), p50 and p99 in milliseconds; the latency from
a comment's post to its first appearance in another delegate's poll of the
same item, measured by the clients (the post's send time to the poll's
receipt), with the posts nobody saw; and from the database afterwards, the
posts that answered 200 but are missing (lost) or stored more than once
(duplicated), by submission key.

No third-party load tool is needed: threads and http.client. Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent

ROW = re.compile(
    r'id="comment-(\d+)".*?(?:class="comment-body">\s*<p>load-([0-9a-f]{32})|</article>)',
    re.S,
)
ETAG = re.compile(r'data-etag="([^"]+)"')
POLL_URL = re.compile(r'hx-get="([^"]+/discussion/[^"]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENDORSE = re.compile(r'hx-post="([^"]+/endorse/)"')


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "workshop.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"{args.postgres}/{args.database}",
            "CACHE_URL": args.redis,
            "CELERY_BROKER_URL": args.redis,
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": str(ROOT / "test-artifacts" / f"{args.database}-static"),
        }
    )
    return env


def psql(args, sql: str) -> None:
    subprocess.run(
        [PYTHON, "-c", PSQL, f"{args.postgres}/postgres", sql], check=True, cwd=ROOT
    )


PSQL = """
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(sys.argv[2])
"""

SETUP = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management import call_command
from dialogue.models import Participant, Role, Session, Workshop
n = int(sys.argv[1])
call_command("migrate", verbosity=0)
call_command("collectstatic", verbosity=0, interactive=False)
call_command("seed_workshop", verbosity=0)
workshop = Workshop.objects.get()
session = workshop.sessions.get(number=1)
Session.objects.filter(pk=session.pk).update(phase="open")
delegations = list(workshop.delegations.order_by("code"))
users = get_user_model().objects
out = {"slug": workshop.slug, "items": [i.number for i in session.items.all()],
       "delegates": []}
for i in range(n):
    user = users.create_user(f"bench{i}", first_name=f"Bench {i}")
    Participant.objects.create(workshop=workshop, user=user, role=Role.DELEGATE,
                               delegation=delegations[i % 2])
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    out["delegates"].append({"side": delegations[i % 2].code, "cookie": store.session_key})
print(json.dumps(out))
"""

CHECK = """
import json, sys
import django
django.setup()
from django.db.models import Count
from dialogue.models import Comment
keys = json.load(open(sys.argv[1]))
counts = dict(Comment.objects.filter(submission_key__in=keys)
              .values_list("submission_key").annotate(n=Count("id")))
counts = {str(k): v for k, v in counts.items()}
print(json.dumps({"lost": sum(1 for k in keys if k not in counts),
                  "duplicated": sum(1 for k in keys if counts.get(k, 0) > 1),
                  "comments": Comment.objects.count()}))
"""


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.error_kinds = defaultdict(int)
        self.posted = {}  # token -> (send time, item)
        self.seen = {}  # token -> first latency seen by another delegate
        self.keys = []  # submission keys of posts that answered 200

    def record(self, kind, seconds, ok, detail=""):
        with self.lock:
            self.times[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
                self.error_kinds[f"{kind}: {detail}"] += 1


class Delegate(threading.Thread):
    def __init__(self, index, cookie, item_path, args, stats, stop_at):
        super().__init__(daemon=True)
        self.index, self.args, self.stats, self.stop_at = index, args, stats, stop_at
        self.item_path = item_path
        self.cookies = {"sessionid": cookie}
        self.conn = None
        self.rng = random.Random(index)
        self.seen_ids = set()
        self.endorsable = []
        self.mine = set()

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Host"] = f"127.0.0.1:{self.args.port}"
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a keep-alive socket the server closed: reopen once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.args.port, timeout=self.args.timeout
                )
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (
                http.client.RemoteDisconnected,
                BrokenPipeError,
                ConnectionResetError,
            ):
                self.conn.close()
                self.conn = None
                if attempt == 2 or method != "GET":
                    raise
                continue
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.headers.get("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response, data.decode("utf-8", "replace")
        raise AssertionError("unreachable")

    def timed(self, kind, method, path, **kwargs):
        start = time.perf_counter()
        try:
            response, text = self.request(method, path, **kwargs)
        except Exception as exc:  # a timeout, a refused or reset connection
            if self.conn is not None:
                self.conn.close()
                self.conn = None
            self.stats.record(
                kind, time.perf_counter() - start, False, type(exc).__name__
            )
            return None, ""
        status = response.status
        ok = status in (200, 304)
        name = kind
        if kind == "poll":
            name = (
                "poll 304"
                if status == 304
                else (
                    "poll delta"
                    if response.headers.get("X-Live-Delta")
                    else "poll full"
                )
            )
        self.stats.record(name, time.perf_counter() - start, ok, str(status))
        return (response if ok else None), text

    def look(self, text, received):
        for pk, token in ROW.findall(text):
            pk = int(pk)
            self.seen_ids.add(pk)
            if token and token in self.stats.posted and pk not in self.mine:
                sent, _ = self.stats.posted[token]
                with self.stats.lock:
                    self.stats.seen.setdefault(token, received - sent)
        for url in ENDORSE.findall(text):
            self.endorsable.append(url)
        del self.endorsable[:-50]

    def open_page(self):
        response, text = self.timed("page", "GET", self.item_path)
        if response is None:
            return False
        self.etag = ETAG.search(text).group(1).replace("&quot;", '"')
        self.poll_url = POLL_URL.search(text).group(1).replace("&amp;", "&")
        self.csrf = CSRF.search(text).group(1)
        self.look(text, time.perf_counter())
        return True

    def poll(self):
        response, text = self.timed(
            "poll",
            "GET",
            self.poll_url,
            headers={"HX-Request": "true", "If-None-Match": self.etag},
        )
        if response is None:
            return
        received = time.perf_counter()
        if response.status == 200:
            self.etag = response.headers.get("ETag", self.etag)
            if not response.headers.get("X-Live-Delta"):
                found = POLL_URL.search(text)
                if found:
                    self.poll_url = found.group(1).replace("&amp;", "&")
            self.look(text, received)

    def post(self):
        token = uuid.uuid4().hex
        key = str(uuid.uuid4())
        form = {
            "csrfmiddlewaretoken": self.csrf,
            "body": f"load-{token} from delegate {self.index}",
            "submission": key,
        }
        headers = {
            "HX-Request": "true",
            "X-Live-Etag": self.etag,
            "X-CSRFToken": self.csrf,
        }
        self.stats.posted[token] = (time.perf_counter(), self.item_path)
        for _attempt in (1, 2):  # one retry, with the same submission key
            response, text = self.timed(
                "post", "POST", self.item_path + "comments/", body=form, headers=headers
            )
            if response is not None:
                with self.stats.lock:
                    self.stats.keys.append(key)
                for pk, seen_token in ROW.findall(text):
                    if seen_token == token:
                        self.mine.add(int(pk))
                return

    def endorse(self):
        own = [
            u for u in self.endorsable if not any(f"/{pk}/" in u for pk in self.mine)
        ]
        if not own:
            return
        url = self.rng.choice(own)
        self.endorsable.remove(url)
        headers = {
            "HX-Request": "true",
            "X-Live-Etag": self.etag,
            "X-CSRFToken": self.csrf,
        }
        self.timed(
            "endorse",
            "POST",
            url,
            body={"csrfmiddlewaretoken": self.csrf},
            headers=headers,
        )

    def run(self):
        time.sleep(self.rng.uniform(0, self.args.poll))
        if not self.open_page():
            return
        post_every = self.args.delegates / self.args.rate
        next_poll = time.monotonic() + self.args.poll
        next_post = time.monotonic() + self.rng.uniform(0, post_every)
        next_endorse = time.monotonic() + self.rng.uniform(0, 60)
        while time.monotonic() < self.stop_at:
            now = time.monotonic()
            if now >= next_post:
                self.post()
                next_post += self.rng.expovariate(1 / post_every)
            elif now >= next_endorse:
                self.endorse()
                next_endorse += self.rng.uniform(30, 90)
            elif now >= next_poll:
                self.poll()
                next_poll = max(next_poll + self.args.poll, time.monotonic())
            else:
                time.sleep(min(next_poll, next_post, next_endorse) - now)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(stats, check, args, load_before, load_after, elapsed):
    print(
        f"\n{args.delegates} delegates ({args.delegates // 2} per side), "
        f"{args.seconds} s, {args.rate}/s comments, gunicorn {args.gunicorn}"
    )
    print(f"uptime before: {load_before}\nuptime after:  {load_after}")
    print(
        f"{'kind':<12}{'count':>8}{'errors':>8}{'p50 ms':>10}{'p99 ms':>10}{'req/s':>8}"
    )
    for kind in sorted(stats.times):
        values = stats.times[kind]
        print(
            f"{kind:<12}{len(values):>8}{stats.errors[kind]:>8}"
            f"{percentile(values, 50) * 1000:>10.0f}{percentile(values, 99) * 1000:>10.0f}"
            f"{len(values) / elapsed:>8.1f}"
        )
    for detail, count in sorted(stats.error_kinds.items()):
        print(f"  error {detail}: {count}")
    latencies = list(stats.seen.values())
    unseen = len(stats.posted) - len(latencies)
    if latencies:
        print(
            f"post to seen by another delegate: n={len(latencies)} "
            f"p50 {percentile(latencies, 50):.2f} s, p99 {percentile(latencies, 99):.2f} s, "
            f"max {max(latencies):.2f} s; posts nobody saw: {unseen}"
        )
    print(
        f"database: {check['comments']} comments; of {len(stats.keys)} posts answered "
        f"200: lost {check['lost']}, duplicated {check['duplicated']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delegates", type=int, default=40, help="40, 200 or 500")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--rate", type=float, default=10, help="comments/s, session-wide"
    )
    parser.add_argument("--poll", type=float, default=3)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_live")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    parser.add_argument(
        "--gunicorn",
        default="-c gunicorn.conf.py",
        help="gunicorn arguments (default: the deployed settings, gthread; "
        "e.g. '--workers 2' for sync workers)",
    )
    args = parser.parse_args()
    env = environment(args)
    psql(args, f"DROP DATABASE IF EXISTS {args.database}")
    psql(args, f"CREATE DATABASE {args.database}")
    server = None
    try:
        import json

        setup = subprocess.run(
            [PYTHON, "-c", SETUP, str(args.delegates)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        world = json.loads(setup.stdout.strip().splitlines()[-1])
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "workshop.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                *args.gunicorn.split(),
                "--timeout",
                "60",
            ],
            env=env,
            cwd=ROOT,
        )
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=2).request(
                    "GET", "/healthz"
                )
                break
            except OSError:
                time.sleep(0.2)
        # Warm every worker (imports, templates, connections) off the clock.
        cookie = world["delegates"][0]["cookie"]
        for i in range(4 * len(world["items"])):
            warm = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
            path = f"/w/{world['slug']}/sessions/1/items/{world['items'][i % len(world['items'])]}/"
            warm.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            warm.getresponse().read()
            warm.close()
        stats = Stats()
        load_before = subprocess.run(
            ["uptime"], capture_output=True, text=True
        ).stdout.strip()
        stop_at = time.monotonic() + args.seconds
        items = world["items"]
        delegates = [
            Delegate(
                i,
                d["cookie"],
                f"/w/{world['slug']}/sessions/1/items/{items[i % len(items)]}/",
                args,
                stats,
                stop_at,
            )
            for i, d in enumerate(world["delegates"])
        ]
        started = time.monotonic()
        for delegate in delegates:
            delegate.start()
        for delegate in delegates:
            delegate.join(timeout=args.seconds + args.timeout * 3)
        elapsed = time.monotonic() - started
        load_after = subprocess.run(
            ["uptime"], capture_output=True, text=True
        ).stdout.strip()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        keys = ROOT / "test-artifacts" / "live_load_keys.json"
        keys.parent.mkdir(exist_ok=True)
        keys.write_text(json.dumps(stats.keys))
        check = json.loads(
            subprocess.run(
                [PYTHON, "-c", CHECK, str(keys)],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        keys.unlink()
        report(stats, check, args, load_before, load_after, elapsed)
    finally:
        if server is not None:
            server.kill()
            server.wait()
        psql(args, f"DROP DATABASE IF EXISTS {args.database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
