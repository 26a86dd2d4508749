"""The summaries pages: who may see, request, retry and download what."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogue.models import Role, SummaryReport, SummaryStatus
from dialogue.services import summaries as service
from tests.builders import (
    XSS_PAYLOADS,
    admin_organiser,
    make_participant,
    make_ranking_session,
)
from tests.factories import SummaryCommentFactory


@pytest.fixture
def in_process(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def session(workshop):
    return make_ranking_session(workshop, items=2, phase="closed")


@pytest.fixture
def rapporteur(workshop):
    return make_participant(workshop, role=Role.RAPPORTEUR).user


@pytest.fixture
def done(in_process, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())
    report.refresh_from_db()
    assert report.status == SummaryStatus.DONE
    return report


DAY = timedelta(days=1)


def url(name, session, *args):
    return reverse(name, args=[session.workshop.slug, session.number, *args])


# -- the list page ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_list_shows_versions_and_downloads_to_a_delegate(client, done, session, code):
    client.force_login(make_participant(session.workshop, code=code).user)

    response = client.get(url("summary_list", session))

    page = response.content.decode()
    assert response.status_code == 200
    assert [r.version for r in response.context["reports"]] == [1]
    assert url("summary_download", session, 1, "pdf") in page
    assert url("summary_request", session) not in page  # delegates do not compile


def test_list_offers_the_request_button_to_a_rapporteur(client, session, rapporteur):
    client.force_login(rapporteur)

    response = client.get(url("summary_list", session))

    assert response.status_code == 200
    assert url("summary_request", session) in response.content.decode()


def test_list_is_404_for_a_stranger_and_another_workshops_member(
    client, session, stranger, other_workshop_member
):
    for user in (stranger, other_workshop_member.user):
        client.force_login(user)

        response = client.get(url("summary_list", session))

        assert response.status_code == 404


def test_list_redirects_anonymous_visitors(client, session):
    response = client.get(url("summary_list", session))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_list_refuses_post(client, session, rapporteur):
    client.force_login(rapporteur)

    response = client.post(url("summary_list", session))

    assert response.status_code == 405


def _list_queries(client, session) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("summary_list", session))
    assert response.status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_versions(
    client, in_process, session, rapporteur
):
    client.force_login(rapporteur)
    SummaryReport.objects.create(
        session=session, version=1, confidentiality="chatham_house", status="failed"
    )
    one = _list_queries(client, session)
    for version in range(2, 12):
        SummaryReport.objects.create(
            session=session,
            version=version,
            confidentiality="chatham_house",
            status="failed",
        )

    assert _list_queries(client, session) == one


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


# -- downloads and preview -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("md", "text/markdown; charset=utf-8", b"# Summary of session 1"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK",
        ),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_every_participant_downloads_each_format(
    client, done, session, fmt, content_type, start
):
    client.force_login(make_participant(session.workshop, role=Role.OBSERVER).user)

    response = client.get(url("summary_download", session, 1, fmt))

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="{session.workshop.slug}-session-1-summary-v1.{fmt}"'
    )
    assert "no-store" in response["Cache-Control"]
    assert body.startswith(start)


def test_download_is_404_for_strangers_unknown_formats_and_unfinished_versions(
    client, done, session, stranger, rapporteur
):
    SummaryReport.objects.create(
        session=session, version=2, confidentiality="chatham_house"
    )
    client.force_login(stranger)
    strangers = client.get(url("summary_download", session, 1, "pdf"))
    client.force_login(rapporteur)

    unknown = client.get(url("summary_download", session, 1, "exe"))
    unfinished = client.get(url("summary_download", session, 2, "pdf"))

    assert [r.status_code for r in (strangers, unknown, unfinished)] == [
        404,
        404,
        404,
    ]


def test_download_redirects_anonymous_visitors_and_refuses_post(
    client, done, session, rapporteur
):
    anonymous = client.get(url("summary_download", session, 1, "md"))
    client.force_login(rapporteur)
    post = client.post(url("summary_download", session, 1, "md"))

    assert (anonymous.status_code, post.status_code) == (302, 405)


def test_files_are_not_under_a_public_url(done):
    assert not done.pdf_file.name.startswith("/")
    assert "media" not in reverse("summary_list", args=["x", 1])


def test_preview_shows_the_report_in_the_page(client, done, session):
    client.force_login(make_participant(session.workshop, code="CN").user)

    response = client.get(url("summary_preview", session, 1))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<article class="summary-report" lang="en">' in page
    assert "本纪要遵循查塔姆宫规则" in page
    assert " style=" not in page
    assert "<script>" not in page.split("</head>")[1]


def test_preview_is_404_for_a_stranger_and_an_unfinished_version(
    client, done, session, stranger, rapporteur
):
    SummaryReport.objects.create(
        session=session, version=2, confidentiality="chatham_house"
    )
    client.force_login(stranger)
    strangers = client.get(url("summary_preview", session, 1))
    client.force_login(rapporteur)
    unfinished = client.get(url("summary_preview", session, 2))

    assert (strangers.status_code, unfinished.status_code) == (404, 404)


# -- the panel on the session page ---------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_session_page_panel_offers_the_latest_downloads(client, done, session, code):
    client.force_login(make_participant(session.workshop, code=code).user)

    response = client.get(session.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert url("summary_download", session, 1, "pdf") in page
    assert url("summary_request", session) not in page


def test_session_page_panel_links_the_rapporteur_to_the_summaries(
    client, session, rapporteur
):
    client.force_login(rapporteur)

    response = client.get(session.get_absolute_url())

    page = response.content.decode()
    assert "No summary has been compiled for this session yet." in page
    assert url("summary_list", session) in page


def test_preview_renders_hostile_comments_inert(
    client, in_process, session, django_capture_on_commit_callbacks, monkeypatch
):
    """The preview marks the stored report HTML safe: every remark in it must
    already be escaped or sanitised (markdown-it safe preset, then nh3)."""
    from html.parser import HTMLParser

    # Quote every remark, not only the five most endorsed.
    monkeypatch.setattr(
        "dialogue.summary.build_discussion.MAX_REMARKS", len(XSS_PAYLOADS)
    )
    cn = make_participant(session.workshop, code="CN")
    for payload in XSS_PAYLOADS:
        SummaryCommentFactory(item=session.items.get(number=1), author=cn, body=payload)
    with django_capture_on_commit_callbacks(execute=True):
        service.summary_request(session=session, by=admin_organiser())
    client.force_login(make_participant(session.workshop, code="US").user)

    page = client.get(url("summary_preview", session, 1)).content.decode()
    article = page[page.index('<article class="summary-report"') :]

    class Audit(HTMLParser):
        live = []

        def handle_starttag(self, tag, attrs):
            if tag in {
                "script",
                "img",
                "iframe",
                "object",
                "embed",
                "style",
                "link",
                "meta",
                "base",
                "form",
                "input",
                "video",
                "audio",
                "math",
                "details",
                "body",
                "marquee",
            }:
                self.live.append(f"<{tag}>")
            for name, value in attrs:
                if name.startswith("on") or name == "style":
                    self.live.append(f"{tag}[{name}]")
                scheme = (value or "").split(":", 1)[0].strip().lower()
                if (
                    name in ("href", "src")
                    and ":" in (value or "")
                    and scheme
                    not in (
                        "http",
                        "https",
                        "mailto",
                    )
                ):
                    self.live.append(f"{tag}[{name}={value}]")

    audit = Audit()
    audit.feed(article)
    assert audit.live == []
    assert article.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    assert "&lt;img src=x onerror=alert(1)&gt;" in article


# -- the banner after a request and the entry say the same ------------------------


def _banner_and_entry(page: str, version: int) -> tuple[str, str]:
    banner = re.search(r'<p id="summary-announcement"[^>]*>([^<]*)</p>', page)
    entry = re.search(rf'id="summary-v{version}" data-stage="(\w+)"', page)
    return (banner.group(1) if banner else ""), (entry.group(1) if entry else "")


def test_after_an_inline_compile_the_banner_says_ready_as_the_entry_does(
    client, in_process, session, rapporteur, django_capture_on_commit_callbacks
):
    client.force_login(rapporteur)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("summary_request", session))
    page = client.get(response["Location"]).content.decode()

    assert _banner_and_entry(page, 1) == ("Version 1 of the summary is ready.", "done")


@pytest.mark.parametrize(
    ("status", "queued", "banner", "stage"),
    [
        ("queued", True, "Version 1 of the summary is being compiled.", "compiling"),
        ("running", True, "Version 1 of the summary is being compiled.", "compiling"),
        (
            "queued",
            False,
            "Version 1 is recorded, but the job queue cannot be reached right "
            "now; it will be sent as soon as it can.",
            "unsent",
        ),
        ("done", True, "Version 1 of the summary is ready.", "done"),
        ("failed", True, "Version 1 of the summary failed.", "failed"),
    ],
)
def test_the_banner_is_the_stage_the_entry_shows(
    client, session, rapporteur, status, queued, banner, stage
):
    SummaryReport.objects.create(
        session=session,
        version=1,
        confidentiality=session.workshop.confidentiality,
        status=status,
        queued_at=timezone.now() if queued else None,
    )
    client.force_login(rapporteur)

    page = client.get(url("summary_list", session) + "?requested=1").content.decode()
    plain = client.get(url("summary_list", session)).content.decode()

    assert _banner_and_entry(page, 1) == (banner, stage)
    assert _banner_and_entry(plain, 1) == ("", stage)


def test_the_poll_brings_the_banner_along_with_its_entry(client, session, rapporteur):
    report = SummaryReport.objects.create(
        session=session,
        version=1,
        confidentiality=session.workshop.confidentiality,
        status="running",
        queued_at=timezone.now(),
    )
    client.force_login(rapporteur)
    page = client.get(url("summary_list", session) + "?requested=1").content.decode()
    SummaryReport.objects.filter(pk=report.pk).update(status="done", progress=100)

    polled = client.get(
        url("summary_status", session, 1) + "?requested=1", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "summaries/v1/status/?requested=1" in page
    assert 'hx-swap-oob="true"' in polled
    assert _banner_and_entry(polled, 1) == (
        "Version 1 of the summary is ready.",
        "done",
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_banner_is_in_the_readers_language(client, session, rapporteur, language):
    SummaryReport.objects.create(
        session=session,
        version=1,
        confidentiality=session.workshop.confidentiality,
        status="done",
        queued_at=timezone.now(),
    )
    client.force_login(rapporteur)

    page = client.get(
        url("summary_list", session) + "?requested=1",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    banner, stage = _banner_and_entry(page.content.decode(), 1)
    assert stage == "done"
    assert banner  # its words come with the central catalogue merge
    assert page.context["announced"].stage == "done"
