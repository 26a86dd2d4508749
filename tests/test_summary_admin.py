"""Summaries in the organisers' admin: request, actions, downloads, read-only."""

import pytest
from django.urls import reverse

from dialogue.models import SummaryReport
from dialogue.services.summaries import summary_request
from tests.builders import admin_organiser, make_ranking_session
from tests.factories import UserFactory


@pytest.fixture
def session(workshop):
    return make_ranking_session(workshop, items=2, phase="closed")


def test_organiser_requests_a_summary_from_the_admin(
    client, in_process, organiser, session, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    add = client.get(reverse("admin:dialogue_summaryreport_add"))
    form = client.get(add["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add["Location"], {"session": session.pk})

    report = SummaryReport.objects.get(session=session)
    assert add.status_code == 302
    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:dialogue_summaryreport_change", args=[report.pk]
    )
    assert (report.version, report.status) == (1, "done")


def test_admin_request_form_reports_a_missing_session(client, in_process, organiser):
    client.force_login(organiser)

    response = client.post(reverse("admin:dialogue_summaryreport_request"), {})

    assert response.status_code == 200
    assert response.context["form"].errors == {"session": ["This field is required."]}
    assert SummaryReport.objects.count() == 0


def test_recompile_action_requests_one_new_version_per_session(
    client, in_process, organiser, session, django_capture_on_commit_callbacks
):
    first = SummaryReport.objects.create(
        session=session, version=1, confidentiality="chatham_house", status="done"
    )
    second = SummaryReport.objects.create(
        session=session, version=2, confidentiality="chatham_house", status="failed"
    )
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:dialogue_summaryreport_changelist"),
            {"action": "recompile", "_selected_action": [first.pk, second.pk]},
        )

    assert response.status_code == 302
    assert list(
        SummaryReport.objects.filter(session=session).values_list("version", "status")
    ) == [(3, "done"), (2, "failed"), (1, "done")]


def test_retry_action_recompiles_the_failed_reports(
    client, in_process, organiser, session, django_capture_on_commit_callbacks
):
    failed = SummaryReport.objects.create(
        session=session, version=1, confidentiality="chatham_house", status="failed"
    )
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:dialogue_summaryreport_changelist"),
            {"action": "retry_failed", "_selected_action": [failed.pk]},
        )

    failed.refresh_from_db()
    assert (failed.version, failed.status) == (1, "done")


def test_admin_change_page_is_read_only_with_downloads(
    client, in_process, organiser, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = summary_request(session=session, by=admin_organiser())
    client.force_login(organiser)

    page = client.get(reverse("admin:dialogue_summaryreport_change", args=[report.pk]))
    pdf = client.get(
        reverse("admin:dialogue_summaryreport_download", args=[report.pk, "pdf"])
    )

    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_admin_summaries_refuse_staff_without_permissions(client, session):
    report = SummaryReport.objects.create(
        session=session, version=1, confidentiality="chatham_house"
    )
    client.force_login(UserFactory(username="clerk", is_staff=True))

    urls = [
        reverse("admin:dialogue_summaryreport_request"),
        reverse("admin:dialogue_summaryreport_download", args=[report.pk, "pdf"]),
    ]

    assert [client.get(u).status_code for u in urls] == [403, 403]


def test_admin_never_deletes_a_version(client, organiser, session):
    report = SummaryReport.objects.create(
        session=session, version=1, confidentiality="chatham_house"
    )
    client.force_login(organiser)

    response = client.get(
        reverse("admin:dialogue_summaryreport_delete", args=[report.pk])
    )

    assert response.status_code == 403
