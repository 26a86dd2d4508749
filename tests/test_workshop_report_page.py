"""The workshop report's page: its versions, downloads and preview for every
participant, requesting and retrying for the rapporteur and organisers, 404
for strangers; the workshop page links to it; the admin lists it."""

import pytest
from django.urls import reverse

from dialogue.models import Role, SummaryReport, SummaryStatus
from dialogue.services import summaries as service
from tests.builders import admin_organiser, count_get_queries, make_participant


def url(name, workshop, *args):
    return reverse(name, args=[workshop.slug, *args])


@pytest.fixture
def compiled(in_process, workshop, django_capture_on_commit_callbacks):
    """Version 1 of the workshop's own report, compiled."""
    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(workshop=workshop, by=admin_organiser())
    report.refresh_from_db()
    assert report.status == SummaryStatus.DONE
    return report


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.DELEGATE, "CN"),
        (Role.DELEGATE, "US"),
        (Role.OBSERVER, None),
        (Role.FACILITATOR, None),
    ],
)
def test_every_participant_sees_versions_and_downloads_but_no_request(
    client, compiled, workshop, role, code
):
    client.force_login(make_participant(workshop, role=role, code=code).user)

    response = client.get(url("workshop_report_list", workshop))

    page = response.content.decode()
    assert response.status_code == 200
    assert [r.version for r in response.context["reports"]] == [1]
    assert [
        fmt
        for fmt in ("pdf", "docx", "md")
        if url("workshop_report_download", workshop, 1, fmt) in page
    ] == ["pdf", "docx", "md"]
    assert url("workshop_report_request", workshop) not in page


@pytest.mark.parametrize("code", ["CN", "US"])
@pytest.mark.parametrize(
    ("fmt", "start"),
    [("md", b"# Report on the workshop"), ("docx", b"PK"), ("pdf", b"%PDF-")],
)
def test_every_delegate_downloads_each_format(
    client, compiled, workshop, code, fmt, start
):
    client.force_login(make_participant(workshop, code=code).user)

    response = client.get(url("workshop_report_download", workshop, 1, fmt))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{workshop.slug}-workshop-report-v1.{fmt}"'
    )
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(start)


def test_preview_shows_the_stored_report(client, compiled, workshop):
    client.force_login(make_participant(workshop, code="CN").user)

    response = client.get(url("workshop_report_preview", workshop, 1))

    assert response.status_code == 200
    assert "Participants by delegation" in response.content.decode()


@pytest.mark.parametrize("role", [Role.RAPPORTEUR, Role.ORGANISER])
def test_rapporteur_and_organiser_request_one_version_per_form(
    client, in_process, workshop, role, django_capture_on_commit_callbacks
):
    client.force_login(make_participant(workshop, role=role).user)
    page = client.get(url("workshop_report_list", workshop))
    key = page.context["request_form"]["submission"].value()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            url("workshop_report_request", workshop), {"submission": key}
        )
        again = client.post(
            url("workshop_report_request", workshop), {"submission": key}
        )

    assert [first.status_code, again.status_code] == [302, 302]
    assert first["Location"] == (
        url("workshop_report_list", workshop) + "?requested=1#report-v1"
    )
    assert again["Location"] == first["Location"]
    assert list(
        SummaryReport.objects.values_list("session_id", "version", "status")
    ) == [(None, 1, "done")]
    assert url("workshop_report_request", workshop) in page.content.decode()


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.DELEGATE, "CN"), (Role.DELEGATE, "US"), (Role.OBSERVER, None)],
)
def test_other_roles_may_not_request_or_retry(client, in_process, workshop, role, code):
    failed = SummaryReport.objects.create(
        workshop=workshop, version=1, confidentiality="chatham_house", status="failed"
    )
    client.force_login(make_participant(workshop, role=role, code=code).user)

    request = client.post(url("workshop_report_request", workshop))
    retry = client.post(url("workshop_report_retry", workshop, 1))

    assert [request.status_code, retry.status_code] == [403, 403]
    assert request.context["reasons"] == [
        "Only the rapporteur and the organisers compile summaries."
    ]
    failed.refresh_from_db()
    assert (SummaryReport.objects.count(), failed.status) == (1, "failed")


def test_rapporteur_retries_a_failed_version(
    client, in_process, workshop, rapporteur, django_capture_on_commit_callbacks
):
    SummaryReport.objects.create(
        workshop=workshop, version=1, confidentiality="chatham_house", status="failed"
    )
    client.force_login(rapporteur)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("workshop_report_retry", workshop, 1))

    assert response.status_code == 302
    assert SummaryReport.objects.get().status == "done"


def test_status_poll_returns_the_version_entry(client, compiled, workshop, rapporteur):
    client.force_login(rapporteur)

    response = client.get(
        url("workshop_report_status", workshop, 1), headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith('<li class="summary-version" id="report-v1"')


def test_every_page_is_404_for_strangers_and_other_workshops_members(
    client, compiled, workshop, stranger, other_workshop_member
):
    pages = [
        ("get", url("workshop_report_list", workshop)),
        ("get", url("workshop_report_download", workshop, 1, "pdf")),
        ("get", url("workshop_report_preview", workshop, 1)),
        ("get", url("workshop_report_status", workshop, 1)),
        ("post", url("workshop_report_request", workshop)),
        ("post", url("workshop_report_retry", workshop, 1)),
    ]
    statuses = []
    for user in (stranger, other_workshop_member.user):
        client.force_login(user)
        statuses += [
            getattr(client, method)(path).status_code for method, path in pages
        ]

    assert statuses == [404] * 12
    assert SummaryReport.objects.count() == 1


def test_unknown_versions_and_formats_are_404(client, compiled, workshop, rapporteur):
    client.force_login(rapporteur)

    codes = [
        client.get(url("workshop_report_download", workshop, 2, "pdf")).status_code,
        client.get(url("workshop_report_download", workshop, 1, "exe")).status_code,
    ]

    assert codes == [404, 404]


def test_workshop_page_links_to_the_report(client, workshop):
    client.force_login(make_participant(workshop, code="US").user)

    response = client.get(reverse("workshop_detail", args=[workshop.slug]))

    assert url("workshop_report_list", workshop) in response.content.decode()


def test_list_query_count_does_not_grow_with_versions(client, workshop, rapporteur):
    client.force_login(rapporteur)
    for version in (1,):
        SummaryReport.objects.create(
            workshop=workshop, version=version, confidentiality="chatham_house"
        )
    one = count_get_queries(client, url("workshop_report_list", workshop))
    for version in (2, 3):
        SummaryReport.objects.create(
            workshop=workshop, version=version, confidentiality="chatham_house"
        )

    three = count_get_queries(client, url("workshop_report_list", workshop))

    assert three == one


def test_admin_lists_workshop_reports(admin_client, compiled, workshop):
    response = admin_client.get(reverse("admin:dialogue_summaryreport_changelist"))

    assert response.status_code == 200
    assert [str(r) for r in response.context["cl"].result_list] == [
        f"{workshop.title}: summary v1 (done)"
    ]


def test_admin_recompile_action_requests_a_new_workshop_report(
    client, in_process, organiser, workshop, django_capture_on_commit_callbacks
):
    first = SummaryReport.objects.create(
        workshop=workshop, version=1, confidentiality="chatham_house", status="done"
    )
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:dialogue_summaryreport_changelist"),
            {"action": "recompile", "_selected_action": [first.pk]},
        )

    assert response.status_code == 302
    assert list(
        SummaryReport.objects.values_list("session_id", "version", "status")
    ) == [(None, 2, "done"), (None, 1, "done")]


def test_wrong_methods_are_refused(client, compiled, workshop, rapporteur):
    client.force_login(rapporteur)

    codes = [
        client.get(url("workshop_report_request", workshop)).status_code,
        client.get(url("workshop_report_retry", workshop, 1)).status_code,
        client.post(url("workshop_report_list", workshop)).status_code,
        client.post(url("workshop_report_download", workshop, 1, "pdf")).status_code,
    ]

    assert codes == [405, 405, 405, 405]
    assert SummaryReport.objects.count() == 1


def test_status_without_htmx_goes_back_to_the_list(client, compiled, workshop):
    client.force_login(make_participant(workshop, code="CN").user)

    response = client.get(url("workshop_report_status", workshop, 1))

    assert response.status_code == 302
    assert response["Location"] == url("workshop_report_list", workshop) + "#report-v1"
