"""The queued path with REAL Celery worker processes on Redis and PostgreSQL.

The test process publishes to the broker named by CELERY_BROKER_URL (the
`broker_url` fixture: its settings are not eager then) and the workers read
and write the test database (`pg_url`), so what they record is what the test
reads back.
"""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue.models import Role, SummaryReport
from dialogue.services import summaries as service
from dialogue.tasks import STEP_DELAY_ENV
from tests.builders import (
    admin_organiser,
    make_activity,
    make_participant,
    make_ranking_session,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def _report(pk) -> SummaryReport:
    return SummaryReport.objects.get(pk=pk)


def test_worker_compiles_a_requested_summary(client, workers, workshop, media):
    activity = make_activity(workshop)
    session = activity.session
    rapporteur = make_participant(workshop, role=Role.RAPPORTEUR).user
    workers("summary-a")
    client.force_login(rapporteur)

    response = client.post(
        reverse("summary_request", args=[workshop.slug, session.number])
    )
    report = SummaryReport.objects.get(session=session)
    done = wait_for(
        lambda: _report(report.pk).status == "done" and _report(report.pk),
        timeout=90,
        what="the worker to compile the summary",
    )
    pdf = client.get(
        reverse("summary_download", args=[workshop.slug, session.number, 1, "pdf"])
    )

    assert response.status_code == 302
    assert done.queued_at is not None
    assert (done.version, done.attempts, done.progress, done.error) == (1, 1, 100, "")
    assert (media / done.pdf_file.name).exists()
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_killed_worker_task_completes_once_on_another_worker(workers, workshop, media):
    session = make_ranking_session(workshop, items=3, phase="closed")
    first = workers("summary-killed", **{STEP_DELAY_ENV: "3"})

    report = service.summary_request(
        session=session, by=admin_organiser()
    )  # sent on commit
    running = wait_for(
        lambda: (
            (r := _report(report.pk)).status == "running" and r.progress >= 30 and r
        ),
        timeout=90,
        what="the first worker to be inside the task",
    )
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    interrupted = _report(report.pk)
    # The broker hands the unacknowledged job out again once it is older than
    # the visibility timeout; a worker looks for such jobs when it starts.
    ready_at = running.started_at.timestamp() + 62
    time.sleep(max(0.0, ready_at - timezone.now().timestamp()))
    workers("summary-rescuer")
    done = wait_for(
        lambda: (r := _report(report.pk)).status == "done" and r,
        timeout=120,
        what="the second worker to finish the interrupted job",
    )

    assert interrupted.status == "running"
    assert interrupted.attempts == 1
    assert list(
        SummaryReport.objects.filter(session=session).values_list("version", "status")
    ) == [(1, "done")]
    assert done.attempts == 2
    assert (media / done.markdown_file.name).read_text().startswith("# Summary")


def test_unreachable_broker_then_send_pending_with_a_worker(
    workers, workshop, media, settings
):
    session = make_ranking_session(workshop, items=2, phase="closed")
    real_broker = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    report = service.summary_request(session=session, by=admin_organiser())
    unsent = _report(report.pk)
    settings.CELERY_BROKER_URL = real_broker
    workers("summary-later")

    sent = service.summary_send_pending(grace=timedelta(0))
    done = wait_for(
        lambda: (r := _report(report.pk)).status == "done" and r,
        timeout=90,
        what="the worker to compile the summary sent late",
    )

    assert (unsent.status, unsent.queued_at) == ("queued", None)
    assert sent == 1
    assert done.attempts == 1
