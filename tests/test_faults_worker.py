"""Faults of the worker side, with the real parts: Celery worker processes (and
a beat process) on Redis, writing the PostgreSQL test database.

* a worker killed outright in the middle of a compile: the sweep sends the
  report again once its lease has run out, and it finishes once;
* a message lost by a Redis restart without persistence: the sweep sends it
  again;
* a re-send that overlaps the original: the second worker finds the lease
  and leaves the report alone;
* the database connection lost in the middle of a compile: the attempt
  closes it, writes nothing on it, and its retry finishes the report.

The subprocesses run a settings module written by the test with short
timings (a heartbeat each second, a lease of 5 s, a sweep every 2 s), and
the test process uses the same ones. FAULTS_DEFAULT_TIMINGS=1 runs them with
the production defaults instead, to measure those recovery times. Every
process a test starts (workers, beat, redis-server) it stops, by its PID.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.db import connection

from dialogue.models import SummaryReport
from dialogue.services import summaries as service
from dialogue.tasks import STEP_DELAY_ENV
from tests.builders import admin_organiser, make_ranking_session
from workshop.celery import app

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SHORT = {
    "SUMMARY_HEARTBEAT_SECONDS": 1,
    "SUMMARY_STALE_SECONDS": 5,
    "SUMMARY_START_GRACE_SECONDS": 5,
    "SUMMARY_SWEEP_SECONDS": 2,
}
DEFAULTS = {
    "SUMMARY_HEARTBEAT_SECONDS": 5,
    "SUMMARY_STALE_SECONDS": 30,
    "SUMMARY_START_GRACE_SECONDS": 120,
    "SUMMARY_SWEEP_SECONDS": 30,
}
# Time for a worker to start and compile a small session on a loaded machine.
COMPILE_BUDGET = 45


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load() -> str:
    """The load averages (1, 5, 15 min), as `uptime` prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _report(pk) -> SummaryReport:
    return SummaryReport.objects.get(pk=pk)


def _log(tmp_path, name) -> str:
    path = tmp_path / f"{name}.log"
    return path.read_text(errors="replace") if path.exists() else ""


def _files(media, report) -> list[str]:
    folder = media / "summaries" / str(report.session_id) / f"v{report.version}"
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def timings(settings, tmp_path):
    """The timings, for this process and (through ``env``) the subprocesses."""
    chosen = DEFAULTS if os.environ.get("FAULTS_DEFAULT_TIMINGS") == "1" else SHORT
    for name, value in chosen.items():
        setattr(settings, name, value)
    lines = ["from workshop.settings import *  # noqa: F403"]
    lines += [f"{name} = {value!r}" for name, value in chosen.items()]
    (tmp_path / "fault_settings.py").write_text("\n".join(lines) + "\n")
    env = {
        "DJANGO_SETTINGS_MODULE": "fault_settings",
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}",
        # Long enough that only the sweep, not the broker handing an
        # unacknowledged job out again, can rescue a report in these tests.
        "CELERY_VISIBILITY_TIMEOUT": "900",
    }
    return SimpleNamespace(**chosen, env=env)


@pytest.fixture
def beat(worker_env, tmp_path):
    """start(**extra_env) -> Popen of `celery beat`; stopped afterwards."""
    started = []

    def start(**extra):
        process = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "workshop",
                "beat",
                "--schedule",
                str(tmp_path / "celerybeat-schedule"),
                "--max-interval",
                "1",
                "--loglevel",
                "INFO",
            ],
            cwd=REPO,
            env={**worker_env, **extra},
            stdout=open(tmp_path / "beat.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class OwnRedis:
    """A redis-server of the test's own, without persistence, on a free port."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp_path = tmp_path
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "redis-server to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), 1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = OwnRedis(tmp_path)
    yield redis
    if redis.process is not None and redis.process.poll() is None:
        redis.kill()


def test_a_killed_worker_s_summary_is_finished_once_after_the_beat_sweep(
    workers, beat, timings, workshop, media, tmp_path
):
    session = make_ranking_session(workshop, items=3, phase="closed")
    first = workers("killed", **timings.env, **{STEP_DELAY_ENV: "3"})
    report = service.summary_request(session=session, by=admin_organiser())
    wait_for(
        lambda: (r := _report(report.pk)).status == "running" and r.progress >= 30,
        90,
        "the first worker to be inside the compile",
    )

    os.kill(first.pid, signal.SIGKILL)  # --pool solo: the process compiling
    first.wait(timeout=10)
    killed_at = time.monotonic()
    interrupted = _report(report.pk)
    workers("rescuer", **timings.env)
    beat(**timings.env)
    done = wait_for(
        lambda: (r := _report(report.pk)).status == "done" and r,
        timings.SUMMARY_STALE_SECONDS + timings.SUMMARY_SWEEP_SECONDS + COMPILE_BUDGET,
        "the sweep to send the report again and a worker to finish it",
    )
    recovery = time.monotonic() - killed_at

    print(
        f"\nkilled worker: finished {recovery:.1f} s after SIGKILL "
        f"(lease {timings.SUMMARY_STALE_SECONDS} s, sweep every "
        f"{timings.SUMMARY_SWEEP_SECONDS} s; load {load()})"
    )
    logs = _log(tmp_path, "killed") + _log(tmp_path, "rescuer")
    assert (interrupted.status, interrupted.attempts) == ("running", 1)
    assert (done.status, done.attempts, done.version, done.error) == (
        "done",
        2,
        1,
        "",
    )
    assert SummaryReport.objects.filter(session=session).count() == 1
    assert _files(media, done) == [
        "summary-s1-v1.docx",
        "summary-s1-v1.html",
        "summary-s1-v1.md",
        "summary-s1-v1.pdf",
    ]
    assert logs.count("started (lease") == 2
    assert "its worker stopped responding; sending it again" in logs
    assert "dialogue.send_pending_summaries" in _log(tmp_path, "beat")


def test_a_message_lost_by_a_redis_restart_is_sent_again_by_the_sweep(
    workers, timings, own_redis, workshop, media, settings
):
    session = make_ranking_session(workshop, items=2, phase="closed")
    own_redis.start()
    settings.CELERY_BROKER_URL = own_redis.url
    report = service.summary_request(session=session, by=admin_organiser())
    sent = _report(report.pk)

    own_redis.kill()  # no persistence: the message is gone
    own_redis.start()
    restarted_at = time.monotonic()
    workers("after-restart", **timings.env, CELERY_BROKER_URL=own_redis.url)

    def swept_and_done():
        service.summary_send_pending()
        return (r := _report(report.pk)).status == "done" and r

    done = wait_for(
        swept_and_done,
        timings.SUMMARY_START_GRACE_SECONDS + COMPILE_BUDGET,
        "the sweep to send the lost message again and the worker to finish it",
    )
    recovery = time.monotonic() - restarted_at

    print(
        f"\nlost message: finished {recovery:.1f} s after the Redis restart "
        f"(grace {timings.SUMMARY_START_GRACE_SECONDS} s; load {load()})"
    )
    assert (sent.status, sent.queued_at is not None) == ("queued", True)
    assert (done.status, done.attempts) == ("done", 1)
    assert done.queued_at > sent.queued_at


def test_an_overlapping_resend_does_not_compile_the_version_twice(
    workers, timings, workshop, media, broker_url, tmp_path
):
    session = make_ranking_session(workshop, items=2, phase="closed")
    workers("original", **timings.env, **{STEP_DELAY_ENV: "2"})
    report = service.summary_request(session=session, by=admin_organiser())
    wait_for(
        lambda: _report(report.pk).status == "running",
        90,
        "the first worker to start compiling",
    )
    workers("overlap", **timings.env)

    with app.connection_for_write(broker_url) as broker:
        app.send_task(service.TASK_NAME, args=[report.pk], connection=broker)
    wait_for(
        lambda: "compile_summary[" in _log(tmp_path, "overlap"),
        60,
        "the second worker to receive the re-sent report",
    )
    done = wait_for(
        lambda: (r := _report(report.pk)).status == "done" and r,
        90,
        "the first worker to finish",
    )

    original, overlap = _log(tmp_path, "original"), _log(tmp_path, "overlap")
    assert (done.attempts, done.error) == (1, "")
    assert original.count("started (lease") == 1
    assert "started (lease" not in overlap
    assert "is being compiled by another attempt" in overlap
    assert _files(media, done) == [
        "summary-s1-v1.docx",
        "summary-s1-v1.html",
        "summary-s1-v1.md",
        "summary-s1-v1.pdf",
    ]


@pytest.fixture
def database_outage():
    """cut(): the test database refuses new connections and every session on
    it but the test's own is ended, as when PostgreSQL restarts; restore()
    lets connections in again.

    Only the test's own database is touched (ALTER DATABASE must be run from
    another one: the server's maintenance database), never the server's
    settings or another database.
    """
    db = connection.settings_dict
    name = db["NAME"]
    assert name.startswith("test_"), name
    maintenance = psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"],
        port=db["PORT"] or 5432,
        autocommit=True,
    )

    class Outage:
        cut_at = None

        def cut(self):
            maintenance.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            self.cut_at = time.monotonic()

        def restore(self):
            maintenance.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    outage = Outage()
    yield outage
    outage.restore()
    maintenance.close()


def test_a_compile_cut_off_by_a_database_outage_is_retried_and_finished(
    workers, timings, workshop, media, tmp_path, database_outage
):
    session = make_ranking_session(workshop, items=2, phase="closed")
    workers("outage", **timings.env, **{STEP_DELAY_ENV: "2"})
    report = service.summary_request(session=session, by=admin_organiser())
    wait_for(
        lambda: (r := _report(report.pk)).status == "running" and r.progress >= 30,
        90,
        "the worker to be inside the compile",
    )

    database_outage.cut()
    time.sleep(8)  # longer than the first retry's wait (5 s)
    database_outage.restore()
    done = wait_for(
        lambda: (r := _report(report.pk)).status == "done" and r,
        120,
        "the retried compile to finish",
    )
    recovery = time.monotonic() - database_outage.cut_at

    print(
        f"\ndatabase outage of 8 s: finished {recovery:.1f} s after the cut "
        f"(load {load()})"
    )
    log = _log(tmp_path, "outage")
    assert (done.status, done.attempts, done.error) == ("done", 2, "")
    assert "trying again in 5 s" in log
    assert "Retry in 5s" in log
