"""PostgreSQL goes away under a running site, and comes back.

gunicorn (as docker-compose.yml runs it, DEBUG off) serves a freshly migrated
database of its own, faults_<random>, through a TCP proxy that the test cuts
and restores (tests/faults.py). While the database is away a page answers 503
with Retry-After and /healthz says so, each within 2 s; once it is back pages
answer 200 again without restarting anything. The recovery time is printed
and recorded as a junit property.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.faults import TcpProxy, free_port

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROD_KEY = "faults-test-key-3e9a1c7b5d2f8e4a6c0b9d1f3e5a7c9b2d4f6e8a0c1b3d5f7e9"

pytestmark = pytest.mark.postgres


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class Browser:
    """Just enough of a browser: cookies by hand, forms as urlencoded posts."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path, data=None, timeout=10):
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        start = time.monotonic()
        try:
            with _opener.open(request, timeout=timeout) as response:
                status, head, content = (
                    response.status,
                    response.headers,
                    response.read(),
                )
        except urllib.error.HTTPError as exc:
            status, head, content = exc.code, exc.headers, exc.read()
        elapsed = time.monotonic() - start
        for header in head.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return status, dict(head), content.decode(), elapsed

    def sign_in(self, username, password):
        _status, _head, page, _ = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        status, head, _page, _ = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        assert status == 302, _page


def _admin_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


@pytest.fixture(scope="module")
def database():
    name = f"faults_{secrets.token_hex(4)}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def proxy():
    db = settings.DATABASES["default"]
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)).start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def site(database, proxy, production_static, tmp_path_factory):
    """gunicorn with production settings on the proxied database."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    files = tmp_path_factory.mktemp("site")
    env = {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "0",
        "SECRET_KEY": PROD_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{auth}@127.0.0.1:{proxy.port}/{database}",
        "STATIC_ROOT": str(production_static),
        "MEDIA_ROOT": str(files / "media"),
    }

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=env,
            check=True,
            timeout=300,
            stdout=subprocess.DEVNULL,
        )

    manage("migrate", "--noinput", "-v0")
    manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('delegate', password='pw-for-tests-only')",
    )
    port = free_port()
    log = open(files / "gunicorn.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "workshop.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if Browser(base).request("/healthz", timeout=3)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (files / "gunicorn.log").read_text()
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def wait_until_served(browser, path, *, streak=10, limit=30.0) -> float:
    """Seconds until ``path`` answered 200 ``streak`` times in a row (both
    workers then have a connection again)."""
    start = time.monotonic()
    in_a_row = 0
    while in_a_row < streak:
        assert time.monotonic() - start < limit, f"still not served after {limit} s"
        status = browser.request(path)[0]
        in_a_row = in_a_row + 1 if status == 200 else 0
        if status != 200:
            time.sleep(0.1)
    return time.monotonic() - start


@pytest.mark.parametrize("mode", ["refuse", "blackhole"])
def test_pages_answer_503_quickly_and_recover_without_a_restart(
    site, proxy, mode, record_property
):
    """refuse: the server is down (connections refused); blackhole: the host
    accepts connections and never answers, so only connect_timeout and the
    pool's timeout bound a request."""
    browser = Browser(site)
    browser.sign_in("delegate", "pw-for-tests-only")
    status, _head, page, _ = browser.request("/")
    assert status == 200
    assert "Your workshops" in page

    proxy.cut(mode)
    cut_at = time.monotonic()

    for _ in range(4):  # both gunicorn workers, fresh and repeated failures
        status, head, page, elapsed = browser.request("/")
        assert status == 503, page
        assert head["Retry-After"] == "5"
        assert "<h1>The site is unavailable for a moment</h1>" in page
        assert elapsed < 2, f"503 after {elapsed:.2f} s"
    status, _head, body, elapsed = browser.request("/healthz")
    health = json.loads(body)
    assert status == 503
    assert health["database"]["ok"] is False
    assert health["broker"] == {"ok": True, "mode": "in-process"}
    assert elapsed < 2, f"/healthz after {elapsed:.2f} s"
    outage = time.monotonic() - cut_at

    proxy.restore()
    recovered = wait_until_served(browser, "/")

    print(
        f"\n[{mode}] database away {outage:.1f} s; "
        f"10 pages in a row served {recovered:.2f} s after it was back"
    )
    record_property(f"recovery_seconds_{mode}", round(recovered, 2))
    status, _head, body, _ = browser.request("/healthz")
    assert (status, json.loads(body)["database"]["ok"]) == (200, True)


def test_a_long_outage_is_noticed_as_soon_as_the_database_is_back(
    site, proxy, record_property
):
    """The pool's reconnection back-off would double past the outage (1, 2,
    4, 8, 16 s...); it gives up each series after 5 s instead, so the site
    is back within seconds of the database, not within the outage's length."""
    browser = Browser(site)
    browser.sign_in("delegate", "pw-for-tests-only")

    proxy.cut("refuse")
    cut_at = time.monotonic()
    while time.monotonic() - cut_at < 20:  # pages keep being asked for
        assert browser.request("/")[0] == 503
        time.sleep(0.5)
    proxy.restore()
    recovered = wait_until_served(browser, "/")

    print(f"\n[20 s outage] 10 pages in a row served {recovered:.2f} s after")
    record_property("recovery_seconds_long_outage", round(recovered, 2))
    assert recovered < 6
