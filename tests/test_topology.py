"""The production topology without Docker: gunicorn, a Celery worker and Celery
beat as real processes against the loopback PostgreSQL and Redis, checked over
HTTP.

This is what docker-compose.yml runs (web = gunicorn, worker and beat =
celery), with the same production settings: DEBUG off, a real SECRET_KEY,
HTTPS assumed.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from celery import Celery

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROD_KEY = "topology-test-key-6f1d0c9b8a7e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db,
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # report the redirect itself, do not follow it


_opener = urllib.request.build_opener(_NoRedirect)


def get(url: str, headers=None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def production_env(pg_url, broker_url, production_static, tmp_path):
    return {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "0",
        "SECRET_KEY": PROD_KEY,
        # As in docker-compose.yml: the site's public name only; /healthz
        # still answers the container's own address.
        "ALLOWED_HOSTS": "dialogue.example.org",
        "DATABASE_URL": pg_url,
        "CELERY_BROKER_URL": broker_url,
        "STATIC_ROOT": str(production_static),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


@pytest.fixture
def processes():
    started = []
    yield started
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (OSError, urllib.error.URLError) as exc:
            last = exc
        time.sleep(0.3)
    raise AssertionError(f"gave up waiting: {last}")


def test_gunicorn_and_celery_worker_serve_the_app(
    production_env, processes, broker_url, tmp_path
):
    port = free_port()
    processes.append(
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "workshop.wsgi",
                # As the Dockerfile and docker-compose.yml run it, on loopback.
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=REPO,
            env=production_env,
            stdout=open(tmp_path / "gunicorn.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
    )
    worker_name = f"topology-{port}@localhost"
    processes.append(
        subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "workshop",
                "worker",
                "--pool",
                "solo",
                "--hostname",
                worker_name,
                "--loglevel",
                "INFO",
            ],
            cwd=REPO,
            env=production_env,
            stdout=open(tmp_path / "worker.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
    )
    # As docker-compose.yml's beat service runs it.
    processes.append(
        subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "workshop",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(tmp_path / "celerybeat-schedule"),
                "--max-interval",
                "1",
            ],
            cwd=REPO,
            # The summaries sweep every second, so the test sees it run.
            env={**production_env, "SUMMARY_SWEEP_SECONDS": "1"},
            stdout=open(tmp_path / "beat.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
    )
    beat = processes[-1]
    base = f"http://127.0.0.1:{port}"

    # A worker's first request loads the broker's client and the pool: on a
    # busy machine that alone has taken more than five seconds.
    status, headers, body = wait_for(lambda: get(f"{base}/healthz"), timeout=90)
    health = json.loads(body)
    assert status == 200, body
    assert health == {
        "status": "ok",
        "database": {"ok": True, "vendor": "postgresql"},
        "broker": {"ok": True, "mode": "worker"},
    }

    # Threaded workers that keep the proxy's connection open between
    # requests (gunicorn.conf.py): two requests, one connection.
    assert b"Using worker: gthread" in (tmp_path / "gunicorn.log").read_bytes()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    answers = []
    for _ in range(2):
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        answers.append((response.status, response.getheader("Connection")))
    local_port = connection.sock.getsockname()[1]
    connection.request("GET", "/healthz")
    connection.getresponse().read()
    assert connection.sock.getsockname()[1] == local_port  # not reconnected
    connection.close()
    assert answers == [(200, "keep-alive"), (200, "keep-alive")]

    # A real page through gunicorn, as the TLS-terminating proxy forwards it.
    public = {"Host": "dialogue.example.org", "X-Forwarded-Proto": "https"}
    status, headers, body = get(f"{base}/accounts/login/", headers=public)
    assert status == 200
    assert "Content-Security-Policy" in headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert b"/static/css/site." in body  # hashed name from the manifest

    # Plain HTTP is redirected to HTTPS (except /healthz, above).
    status, headers, _ = get(
        f"{base}/accounts/login/", headers={"Host": "dialogue.example.org"}
    )
    assert status == 301
    assert headers["Location"] == "https://dialogue.example.org/accounts/login/"
    # Any other Host is refused.
    status, _, _ = get(
        f"{base}/accounts/login/", headers=public | {"Host": "evil.example"}
    )
    assert status == 400

    # The worker answers on the broker.
    app = Celery(broker=broker_url)
    replies = wait_for(
        lambda: app.control.ping(destination=[worker_name], timeout=1.0), timeout=60
    )
    assert replies == [{worker_name: {"ok": "pong"}}]

    # beat is up with the same settings, stays up, and its sweep reaches the
    # worker.
    wait_for(lambda: b"beat: Starting..." in (tmp_path / "beat.log").read_bytes())
    wait_for(
        lambda: (
            b"dialogue.send_pending_summaries" in (tmp_path / "beat.log").read_bytes()
            and b"dialogue.send_pending_summaries["
            in (tmp_path / "worker.log").read_bytes()
        ),
        timeout=60,
    )
    assert beat.poll() is None, (tmp_path / "beat.log").read_text()
