"""Compiling a summary from its page: who may request one, its progress while
the worker compiles it, and retrying a failed one."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dialogue.models import Role, SummaryReport, SummaryStatus
from dialogue.services import summaries as service
from tests.builders import admin_organiser, make_participant, make_ranking_session
from tests.builders import session_url as url


@pytest.fixture
def session(workshop):
    return make_ranking_session(workshop, items=2, phase="closed")


DAY = timedelta(days=1)


# -- requesting ----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RAPPORTEUR, Role.ORGANISER])
def test_rapporteur_and_organiser_request_a_summary(
    client, in_process, session, role, django_capture_on_commit_callbacks
):
    client.force_login(make_participant(session.workshop, role=role).user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("summary_request", session))

    report = SummaryReport.objects.get(session=session)
    assert response.status_code == 302
    assert (
        response["Location"] == url("summary_list", session) + "?requested=1#summary-v1"
    )
    assert (report.version, report.status) == (1, "done")


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.DELEGATE, "CN"),
        (Role.DELEGATE, "US"),
        (Role.OBSERVER, None),
        (Role.FACILITATOR, None),
    ],
)
def test_other_roles_may_not_request(client, in_process, session, role, code):
    client.force_login(make_participant(session.workshop, role=role, code=code).user)

    response = client.post(url("summary_request", session))

    assert response.status_code == 403
    assert response.context["reasons"] == [
        "Only the rapporteur and the organisers compile summaries."
    ]
    assert SummaryReport.objects.count() == 0


def test_request_refuses_get(client, session, rapporteur):
    client.force_login(rapporteur)

    response = client.get(url("summary_request", session))

    assert response.status_code == 405


def test_request_is_404_for_a_stranger(client, session, stranger):
    client.force_login(stranger)

    response = client.post(url("summary_request", session))

    assert response.status_code == 404


def test_request_with_the_broker_down_says_so_and_keeps_the_request(
    client, settings, tmp_path, session, rapporteur, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    settings.MEDIA_ROOT = tmp_path
    client.force_login(rapporteur)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("summary_request", session), follow=True)

    page = response.content.decode()
    report = SummaryReport.objects.get(session=session)
    assert response.status_code == 200
    assert (report.status, report.queued_at) == ("queued", None)
    assert "the job queue cannot be reached right now" in page
    assert "The job queue cannot be reached right now." in page


# -- progress --------------------------------------------------------------------


def test_status_fragment_polls_while_the_summary_is_compiled(
    client, in_process, session, rapporteur
):
    report = service.summary_request(
        session=session, by=admin_organiser()
    )  # not sent: on_commit
    SummaryReport.objects.filter(pk=report.pk).update(
        status=SummaryStatus.RUNNING, progress=40, progress_note="Writing the PDF"
    )
    client.force_login(rapporteur)

    response = client.get(url("summary_status", session, 1), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<li class="summary-version" id="summary-v1"')
    assert 'hx-trigger="every 1s"' in page
    assert '<progress id="summary-progress-1" max="100" value="40">' in page
    assert "Compiling: Writing the PDF" in page


def test_status_says_the_worker_stopped_instead_of_a_frozen_bar(
    client, in_process, session, rapporteur
):
    now = timezone.now()
    for version, lease_until in ((1, now - timedelta(seconds=1)), (2, now + DAY)):
        SummaryReport.objects.create(
            session=session,
            version=version,
            confidentiality="chatham_house",
            status=SummaryStatus.RUNNING,
            queued_at=now - timedelta(minutes=2),
            progress=50,
            progress_note="Writing the Word document",
            lease_until=lease_until,
        )
    client.force_login(rapporteur)

    stopped = client.get(url("summary_status", session, 1), HTTP_HX_REQUEST="true")
    alive = client.get(url("summary_status", session, 2), HTTP_HX_REQUEST="true")

    stopped_page, alive_page = stopped.content.decode(), alive.content.decode()
    assert "The worker stopped responding; trying again." in stopped_page
    assert "<progress" not in stopped_page
    assert 'hx-trigger="every 1s"' in stopped_page
    assert "The worker stopped responding" not in alive_page
    assert '<progress id="summary-progress-2" max="100" value="50">' in alive_page


def test_the_stopped_worker_message_is_translated(
    client, in_process, session, rapporteur
):
    SummaryReport.objects.create(
        session=session,
        version=1,
        confidentiality="chatham_house",
        status=SummaryStatus.RUNNING,
        queued_at=timezone.now() - timedelta(minutes=2),
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    client.force_login(rapporteur)

    response = client.get(
        url("summary_status", session, 1),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert "后台处理程序已停止响应，正在重试。" in response.content.decode()


def test_pages_showing_a_waiting_request_do_not_send_it_the_sweep_does(
    client, in_process, session, rapporteur
):
    report = service.summary_request(session=session, by=admin_organiser())
    SummaryReport.objects.filter(pk=report.pk).update(  # on_commit never ran
        requested_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(rapporteur)

    listed = client.get(url("summary_list", session))
    polled = client.get(url("summary_status", session, 1), HTTP_HX_REQUEST="true")
    waiting = SummaryReport.objects.get(pk=report.pk)
    call_command("send_pending_summaries", stdout=io.StringIO())

    report.refresh_from_db()
    assert (listed.status_code, polled.status_code) == (200, 200)
    assert (waiting.status, waiting.queued_at) == ("queued", None)
    assert report.status == "done"


def test_status_fragment_stops_polling_when_done(client, done, session, rapporteur):
    client.force_login(rapporteur)

    response = client.get(url("summary_status", session, 1), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "hx-trigger" not in page
    assert "<progress" not in page
    assert url("summary_download", session, 1, "docx") in page


def test_status_fragment_of_a_failure_shows_the_reason_and_retry(
    client, in_process, session, rapporteur
):
    SummaryReport.objects.create(
        session=session,
        version=1,
        confidentiality="chatham_house",
        status="failed",
        error="OSError: disk full",
    )
    client.force_login(rapporteur)

    response = client.get(url("summary_status", session, 1), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "hx-trigger" not in page
    assert "Failed: OSError: disk full" in page
    assert url("summary_retry", session, 1) in page


def test_status_without_htmx_goes_to_the_list(client, done, session, rapporteur):
    client.force_login(rapporteur)

    response = client.get(url("summary_status", session, 1))

    assert response.status_code == 302
    assert response["Location"] == url("summary_list", session) + "#summary-v1"


def test_status_of_a_missing_version_is_404(client, session, rapporteur):
    client.force_login(rapporteur)

    response = client.get(url("summary_status", session, 9), HTTP_HX_REQUEST="true")

    assert response.status_code == 404


# -- retry -------------------------------------------------------------------------


@pytest.fixture
def failed(in_process, session):
    return SummaryReport.objects.create(
        session=session,
        version=1,
        confidentiality="chatham_house",
        status="failed",
        error="OSError: disk full",
    )


def test_rapporteur_retries_a_failed_summary(
    client, failed, session, rapporteur, django_capture_on_commit_callbacks
):
    client.force_login(rapporteur)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("summary_retry", session, 1))

    failed.refresh_from_db()
    assert response.status_code == 302
    assert (failed.version, failed.status, failed.error) == (1, "done", "")


def test_retry_of_a_summary_that_did_not_fail_is_400(client, done, session, rapporteur):
    client.force_login(rapporteur)

    response = client.post(url("summary_retry", session, 1))

    assert response.status_code == 400
    assert response.context["reasons"] == [
        "Only a summary that failed can be tried again."
    ]
    assert "Only a summary that failed can be tried again." in response.content.decode()


def test_retry_is_403_for_a_delegate_and_405_for_get(client, failed, session):
    client.force_login(make_participant(session.workshop, code="US").user)

    forbidden = client.post(url("summary_retry", session, 1))
    wrong_method = client.get(url("summary_retry", session, 1))

    assert (forbidden.status_code, wrong_method.status_code) == (403, 405)
