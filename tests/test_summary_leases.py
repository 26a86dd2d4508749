"""Whose report is it: the worker's lease, its heartbeat, the sweep that sends
again what a dead worker or a lost message left behind, and an attempt that
meets the database down.

These run in-process (SQLite will do); the same faults with real worker
processes, Redis and PostgreSQL are in test_faults_worker.py.
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from dialogue import tasks
from dialogue.models import SummaryReport, WorkerState
from dialogue.models.summaries import worker_state
from dialogue.services import summaries as service
from dialogue.services import summary_attempts as attempts
from tests.builders import make_ranking_session
from workshop.celery import app, beat_schedule

NOW = timezone.now()
AGO = timedelta(seconds=1)
STOPPED_NOTE = "The worker stopped responding; trying again."


@pytest.fixture
def session(workshop):
    return make_ranking_session(workshop, items=2, phase="closed")


def _report(session, version=1, **fields) -> SummaryReport:
    """A report in the given state, written directly (its on_commit never runs)."""
    return SummaryReport.objects.create(
        session=session, version=version, confidentiality="chatham_house", **fields
    )


def _stored(media) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file())


# -- the one rule of whether a worker is alive -----------------------------------


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"status": "done"}, WorkerState.FINISHED),
        ({"status": "failed", "lease_until": NOW - AGO}, WorkerState.FINISHED),
        ({"status": "queued"}, WorkerState.UNSENT),
        ({"status": "queued", "queued_at": NOW - AGO}, WorkerState.WAITING),
        (
            {"status": "queued", "queued_at": NOW - timedelta(seconds=121)},
            WorkerState.LOST,
        ),
        (
            {"status": "queued", "queued_at": NOW - AGO, "lease_until": NOW + AGO},
            WorkerState.WAITING,  # an attempt waits for its retry
        ),
        (
            {"status": "running", "queued_at": NOW, "lease_until": NOW + AGO},
            WorkerState.WORKING,
        ),
        (
            {"status": "running", "queued_at": NOW, "lease_until": NOW - AGO},
            WorkerState.STOPPED,
        ),
        (
            {"status": "queued", "queued_at": NOW, "lease_until": NOW - AGO},
            WorkerState.STOPPED,  # the retry never came
        ),
        (
            {"status": "running", "started_at": NOW - timedelta(seconds=29)},
            WorkerState.WORKING,
        ),
        (
            {"status": "running", "started_at": NOW - timedelta(seconds=31)},
            WorkerState.STOPPED,  # a worker from before leases
        ),
    ],
)
def test_worker_state_reads_the_lease_and_the_time_sent(fields, state):
    report = SummaryReport(**fields)

    assert worker_state(report, now=NOW) == state


def test_worker_state_timings_are_settings_read_when_used(settings):
    sent = SummaryReport(status="queued", queued_at=NOW - timedelta(seconds=20))
    running = SummaryReport(status="running", started_at=NOW - timedelta(seconds=20))
    before = (worker_state(sent, now=NOW), worker_state(running, now=NOW))

    settings.SUMMARY_START_GRACE_SECONDS = 10
    settings.SUMMARY_STALE_SECONDS = 10

    assert before == (WorkerState.WAITING, WorkerState.WORKING)
    assert (worker_state(sent, now=NOW), worker_state(running, now=NOW)) == (
        WorkerState.LOST,
        WorkerState.STOPPED,
    )


# -- the lease ---------------------------------------------------------------------


def test_a_report_held_by_a_live_lease_is_not_claimed_again(in_process, session):
    report = _report(session, status="queued", queued_at=timezone.now())
    first = attempts._claim(report.pk)

    second = attempts._claim(report.pk)

    report.refresh_from_db()
    assert first is not None
    assert second is None
    assert (report.status, report.attempts) == ("running", 1)
    assert report.lease_token == first[1].token
    assert report.lease_until > timezone.now()


def test_a_lease_that_ran_out_is_claimed_by_the_next_attempt(in_process, session):
    report = _report(session, status="queued", queued_at=timezone.now())
    _first, lease = attempts._claim(report.pk)
    SummaryReport.objects.filter(pk=report.pk).update(lease_until=timezone.now() - AGO)

    _report_again, taken = attempts._claim(report.pk)

    report.refresh_from_db()
    assert taken.token != lease.token
    assert (report.attempts, report.lease_token) == (2, taken.token)
    with pytest.raises(attempts.LeaseLost):
        lease.renew()


def test_a_retry_takes_its_own_live_lease_back(in_process, session):
    report = _report(session, status="queued", queued_at=timezone.now())
    _first, lease = attempts._claim(report.pk)

    again = attempts._claim(report.pk, lease=str(lease.token))

    assert again is not None
    assert SummaryReport.objects.get(pk=report.pk).attempts == 2


def test_an_attempt_that_loses_its_lease_stores_nothing_and_stops(in_process, session):
    report = _report(session, status="queued", queued_at=timezone.now())
    thief = uuid.uuid4()
    steps = []

    def between_steps():
        steps.append(len(steps))
        if len(steps) == 2:  # the Markdown is being written: another takes over
            SummaryReport.objects.filter(pk=report.pk).update(
                lease_token=thief, lease_until=timezone.now() + timedelta(minutes=1)
            )

    attempt = attempts.summary_attempt(report_id=report.pk, between_steps=between_steps)

    report.refresh_from_db()
    assert attempt == attempts.Attempt(status="running")
    assert (report.status, report.lease_token, report.attempts) == (
        "running",
        thief,
        1,
    )
    assert _stored(in_process.MEDIA_ROOT) == []
    assert report.markdown_file.name == ""


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_during_a_long_step(in_process, session):
    in_process.SUMMARY_HEARTBEAT_SECONDS = 0.05
    report = _report(session, status="queued", queued_at=timezone.now())
    seen = []

    def long_step():
        if not seen:
            claimed = SummaryReport.objects.get(pk=report.pk).heartbeat_at
            time.sleep(0.5)
            seen.extend([claimed, SummaryReport.objects.get(pk=report.pk).heartbeat_at])

    attempt = attempts.summary_attempt(
        report_id=report.pk, keep_alive=True, between_steps=long_step
    )

    assert attempt.status == "done"
    assert seen[1] > seen[0]


# -- the sweep ----------------------------------------------------------------------


def test_the_sweep_sends_again_only_what_a_dead_worker_or_the_broker_lost(
    in_process, session, monkeypatch
):
    now = timezone.now()
    long_ago = now - timedelta(minutes=10)
    stopped = _report(
        session,
        1,
        status="running",
        queued_at=long_ago,
        lease_token=uuid.uuid4(),
        lease_until=now - AGO,
        progress=50,
    )
    lost = _report(session, 2, status="queued", queued_at=long_ago)
    unsent = _report(session, 3, status="queued", requested_at=long_ago)
    working = _report(
        session, 4, status="running", queued_at=long_ago, lease_until=now + AGO * 30
    )
    waiting = _report(session, 5, status="queued", queued_at=now)
    _report(session, 6, status="done", queued_at=long_ago, lease_until=now - AGO)
    sent = []
    monkeypatch.setattr(
        service, "summary_send", lambda *, report_id: sent.append(report_id) or True
    )

    count = service.summary_send_pending()

    assert (count, sent) == (3, [stopped.pk, lost.pk, unsent.pk])
    rescued = SummaryReport.objects.get(pk=stopped.pk)
    assert (
        rescued.status,
        rescued.queued_at,
        rescued.lease_token,
        rescued.progress,
        rescued.progress_note,
    ) == ("queued", None, None, 0, STOPPED_NOTE)
    assert SummaryReport.objects.get(pk=working.pk).status == "running"
    assert SummaryReport.objects.get(pk=waiting.pk).queued_at is not None


def test_the_sweep_leaves_a_report_whose_worker_renewed_meanwhile(
    in_process, session, monkeypatch
):
    report = _report(
        session,
        status="running",
        queued_at=timezone.now(),
        lease_until=timezone.now() - AGO,
    )
    real = service.worker_state

    def renewed_while_reading(report_read, *, now):
        SummaryReport.objects.filter(pk=report.pk).update(
            lease_until=timezone.now() + timedelta(seconds=30)
        )
        return real(report_read, now=now)

    monkeypatch.setattr(service, "worker_state", renewed_while_reading)

    sent = service.summary_send_pending()

    report.refresh_from_db()
    assert (sent, report.status, report.queued_at is not None) == (0, "running", True)


def test_the_sweep_compiles_a_report_whose_worker_died(in_process, session):
    report = _report(
        session,
        status="running",
        attempts=1,
        queued_at=timezone.now() - timedelta(minutes=5),
        lease_token=uuid.uuid4(),
        lease_until=timezone.now() - AGO,
    )

    tasks.send_pending_summaries()

    report.refresh_from_db()
    assert (report.status, report.attempts, report.lease_token) == ("done", 2, None)


def test_beat_sends_the_sweep_every_setting_seconds(settings):
    settings.SUMMARY_SWEEP_SECONDS = 7

    schedule = beat_schedule()

    assert schedule == {
        "summary-sweep": {
            "task": service.SWEEP_TASK_NAME,
            "schedule": 7.0,
            "options": {"expires": 7.0},
        }
    }
    assert app.conf.beat_schedule["summary-sweep"]["task"] == service.SWEEP_TASK_NAME


# -- the database down during an attempt ----------------------------------------------


class DeadDatabase:
    """The connection dies when the builder runs: every query on it fails (and
    is listed in ``failed_queries``) until it is closed. ``down`` keeps the
    database itself unreachable, so a new connection fails too."""

    def __init__(self, monkeypatch, *, down=False):
        self.dead = False
        self.down = down
        self.failed_queries = []
        self.closed = 0
        real_build = attempts.build_summary_document
        real_close = connection.close

        def build(**kwargs):
            if self.builds_left_failing:
                self.builds_left_failing -= 1
                self.dead = True
                raise OperationalError("server closed the connection unexpectedly")
            return real_build(**kwargs)

        def close():
            self.closed += 1
            self.dead = self.down
            real_close()

        self.builds_left_failing = 1
        monkeypatch.setattr(attempts, "build_summary_document", build)
        monkeypatch.setattr(connection, "close", close)

    def __call__(self, execute, sql, params, many, context):
        if self.dead:
            self.failed_queries.append(sql.split()[0])
            raise OperationalError("the connection is broken")
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_a_database_error_closes_the_connection_writes_nothing_and_asks_a_retry(
    in_process, session, monkeypatch
):
    report = _report(session, status="queued", queued_at=timezone.now())
    database = DeadDatabase(monkeypatch)

    with connection.execute_wrapper(database):
        attempt = attempts.summary_attempt(report_id=report.pk)
    held = SummaryReport.objects.get(pk=report.pk)
    retried = attempts.summary_attempt(
        report_id=report.pk, retries=1, lease=attempt.lease
    )

    assert database.failed_queries == []
    assert database.closed >= 1
    assert (attempt.retry_in, attempt.lease) == (5, str(held.lease_token))
    assert isinstance(attempt.error, OperationalError)
    assert (held.status, held.attempts, held.error) == ("running", 1, "")
    assert retried.status == "done"
    assert SummaryReport.objects.get(pk=report.pk).attempts == 2


@pytest.mark.django_db(transaction=True)
def test_the_task_retries_after_a_database_error_with_its_lease(
    in_process, session, monkeypatch
):
    report = _report(session, status="queued", queued_at=timezone.now())
    database = DeadDatabase(monkeypatch)

    with connection.execute_wrapper(database):
        tasks.compile_summary.apply(args=[report.pk], throw=False)  # retried at once

    report.refresh_from_db()
    assert database.failed_queries == []
    assert (report.status, report.attempts, report.lease_token) == ("done", 2, None)


@pytest.mark.django_db(transaction=True)
def test_the_last_retry_with_the_database_still_down_leaves_it_to_the_sweep(
    in_process, session, monkeypatch
):
    report = _report(session, status="queued", queued_at=timezone.now())
    database = DeadDatabase(monkeypatch, down=True)

    with connection.execute_wrapper(database):
        attempt = attempts.summary_attempt(
            report_id=report.pk, retries=attempts.MAX_ATTEMPTS - 1
        )
        database.down = database.dead = False  # the database is back
        SummaryReport.objects.filter(pk=report.pk).update(  # its lease ran out
            lease_until=timezone.now() - AGO
        )
        service.summary_send_pending()

    report.refresh_from_db()
    assert (attempt.status, attempt.retry_in) == ("unknown", None)
    assert database.failed_queries == ["UPDATE"]  # the one try to record it
    assert (report.status, report.attempts) == ("done", 2)
