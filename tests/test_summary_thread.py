"""The embedded default's worker: without a broker, a summary compiles in a
background thread after the request (``SUMMARY_IN_PROCESS=thread``), so the
page shows the progress bar as it does on Celery.

These tests run the thread for real, on its own database connection, so
they commit (``transaction=True``). The compile is held at its first step by
a gate around the document builder, only to make "the request answered
before the compile ended" observable; the build itself runs unchanged.
"""

import threading

import pytest
from django.urls import reverse

from dialogue.models import Role, SummaryReport, SummaryStatus
from dialogue.services import summaries as service
from dialogue.services import summary_attempts
from tests.builders import make_participant, make_ranking_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def threaded(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SUMMARY_IN_PROCESS = "thread"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def gate(monkeypatch):
    """Hold the compile at its first step until the test opens the gate."""
    opened, reached = threading.Event(), threading.Event()
    build = summary_attempts.build_summary_document

    def held(*args, **kwargs):
        reached.set()
        assert opened.wait(30), "the test never opened the gate"
        return build(*args, **kwargs)

    monkeypatch.setattr(summary_attempts, "build_summary_document", held)
    yield opened, reached
    opened.set()  # never leave a thread waiting


def _wait_for_compile(report: SummaryReport) -> None:
    """Join the report's compile thread (gone already if it has ended)."""
    name = f"{service.THREAD_PREFIX}{report.pk}"
    for thread in threading.enumerate():
        if thread.name == name:
            thread.join(60)
            assert not thread.is_alive()


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_request_answers_before_the_compile_ends_and_the_page_shows_progress(
    client, threaded, workshop, gate, code
):
    opened, reached = gate
    session = make_ranking_session(workshop, items=2, phase="closed")
    make_participant(workshop, code=code)  # a delegate of either side, for the count
    client.force_login(make_participant(workshop, role=Role.RAPPORTEUR).user)
    list_url = reverse("summary_list", args=[workshop.slug, session.number])

    response = client.post(
        reverse("summary_request", args=[workshop.slug, session.number])
    )
    assert reached.wait(30)
    report = SummaryReport.objects.get(session=session)
    while_compiling = client.get(list_url).content.decode()
    opened.set()
    _wait_for_compile(report)
    report.refresh_from_db()
    after = client.get(list_url).content.decode()

    assert response.status_code == 302
    assert f'id="summary-progress-{report.version}"' in while_compiling
    assert report.status == SummaryStatus.DONE
    assert report.progress == 100
    assert f'id="summary-progress-{report.version}"' not in after
    assert report.pdf_file and report.docx_file and report.markdown_file


def test_an_error_in_the_thread_fails_the_report_as_a_worker_would(
    client, threaded, workshop, monkeypatch
):
    session = make_ranking_session(workshop, items=2, phase="closed")

    def broken(*args, **kwargs):
        raise ValueError("the agenda could not be read")

    monkeypatch.setattr(summary_attempts, "build_summary_document", broken)
    client.force_login(make_participant(workshop, role=Role.RAPPORTEUR).user)

    client.post(reverse("summary_request", args=[workshop.slug, session.number]))
    report = SummaryReport.objects.get(session=session)
    _wait_for_compile(report)
    report.refresh_from_db()

    assert report.status == SummaryStatus.FAILED
    assert "the agenda could not be read" in report.error
    assert report.lease_token is None
