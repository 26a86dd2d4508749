"""The summaries list page, the summaries panel on the session page, and the
banner after a request: who sees which versions, downloads and buttons."""

import re

import pytest
from django.utils import timezone

from dialogue.models import SummaryReport
from tests.builders import count_get_queries, make_participant, make_ranking_session
from tests.builders import session_url as url


@pytest.fixture
def session(workshop):
    return make_ranking_session(workshop, items=2, phase="closed")


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


def test_list_query_count_does_not_grow_with_versions(
    client, in_process, session, rapporteur
):
    client.force_login(rapporteur)
    SummaryReport.objects.create(
        session=session, version=1, confidentiality="chatham_house", status="failed"
    )
    one = count_get_queries(client, url("summary_list", session))
    for version in range(2, 12):
        SummaryReport.objects.create(
            session=session,
            version=version,
            confidentiality="chatham_house",
            status="failed",
        )

    assert count_get_queries(client, url("summary_list", session)) == one


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
