"""Compiling the report on the whole workshop: in-process as `make run` does,
on a real Celery worker, and from the command line (`compile_summary
--workshop`); the sweep of the workshop's own reports."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from dialogue.models import Role, SummaryReport, SummaryStatus
from dialogue.services import summaries as service
from dialogue.services.summary_attempts import file_stem
from tests.builders import (
    admin_organiser,
    docx_text,
    make_participant,
    make_ranking_session,
    make_workshop_activity,
    pdf_text,
)
from tests.factories import WorkshopFactory


def test_in_process_compiles_every_format_of_the_workshop_report(
    workshop, in_process, django_capture_on_commit_callbacks
):
    make_workshop_activity(workshop, sessions=2)

    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(workshop=workshop, by=admin_organiser())
    report.refresh_from_db()

    stem = f"summaries/workshop-{workshop.pk}/v1/workshop-report-v1"
    assert (
        report.session_id,
        report.version,
        report.status,
        report.progress,
        report.progress_note,
        report.error,
    ) == (None, 1, SummaryStatus.DONE, 100, "Ready", "")
    assert (
        report.markdown_file.name,
        report.docx_file.name,
        report.pdf_file.name,
    ) == (f"{stem}.md", f"{stem}.docx", f"{stem}.pdf")
    markdown = report.markdown_file.read().decode()
    assert markdown.startswith(f"# Report on the workshop: {workshop.title}")
    assert "## Session 2: Session" in markdown
    assert "Session 2: Session" in docx_text(report.docx_file.read())
    assert "Measures endorsed by both sides" in pdf_text(report.pdf_file.read())
    assert service.summary_preview_html(report=report).startswith(
        '\n<article class="summary-report workshop-report"'
    )


def test_workshop_reports_are_numbered_apart_from_session_summaries(
    workshop, in_process, django_capture_on_commit_callbacks
):
    session = make_ranking_session(workshop, items=1, phase="closed")
    by = admin_organiser()

    with django_capture_on_commit_callbacks(execute=True):
        service.summary_request(session=session, by=by)
        first = service.summary_request(workshop=workshop, by=by)
        second = service.summary_request(workshop=workshop, by=by)

    assert list(
        SummaryReport.objects.order_by("pk").values_list(
            "session_id", "version", "status"
        )
    ) == [(session.pk, 1, "done"), (None, 1, "done"), (None, 2, "done")]
    assert (first.version, second.version) == (1, 2)
    assert (
        file_stem(second) == f"summaries/workshop-{workshop.pk}/v2/workshop-report-v2"
    )


def test_sweep_of_a_workshop_sends_only_its_own_reports(workshop, monkeypatch):
    session = make_ranking_session(workshop, items=1, phase="closed")
    other = WorkshopFactory()
    by = admin_organiser()
    # Recorded, never sent: the test's transaction never commits.
    own = service.summary_request(workshop=workshop, by=by)
    service.summary_request(session=session, by=by)
    service.summary_request(workshop=other, by=by)
    sent = []
    monkeypatch.setattr(
        service, "summary_send", lambda *, report_id: sent.append(report_id) or True
    )

    count = service.summary_send_pending(workshop_id=workshop.pk, grace=timedelta(0))

    assert (count, sent) == (1, [own.pk])


def test_retrying_a_failed_workshop_report_compiles_it_again(
    workshop, in_process, django_capture_on_commit_callbacks
):
    report = SummaryReport.objects.create(
        workshop=workshop,
        version=1,
        confidentiality="chatham_house",
        status=SummaryStatus.FAILED,
        error="boom",
    )

    with django_capture_on_commit_callbacks(execute=True):
        service.summary_retry(report=report, by=admin_organiser())
    report.refresh_from_db()

    assert (report.status, report.error, report.attempts) == ("done", "", 1)


# -- the command -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_compile_summary_workshop_writes_each_format(workshop, tmp_path, fmt):
    make_workshop_activity(workshop, sessions=2)
    out = tmp_path / f"report.{fmt}"
    err = io.StringIO()

    call_command(
        "compile_summary",
        "--workshop",
        workshop.slug,
        "--format",
        fmt,
        "-o",
        str(out),
        stderr=err,
    )

    data = out.read_bytes()
    title = f"Report on the workshop: {workshop.title}"
    if fmt == "md":
        assert data.decode().startswith(f"# {title}")
    elif fmt == "docx":
        assert Document(io.BytesIO(data)).paragraphs[0].text == title
    else:
        assert len(PdfReader(io.BytesIO(data)).pages) > 1
        assert title in " ".join(pdf_text(data).split())
    assert err.getvalue() == f"Wrote {out} ({len(data):,} bytes, Chatham House Rule).\n"


def test_compile_summary_workshop_follows_confidentiality(workshop, tmp_path):
    make_workshop_activity(workshop, sessions=1)
    out = tmp_path / "report.md"

    call_command(
        "compile_summary",
        "--workshop",
        workshop.slug,
        "--confidentiality",
        "on_record",
        "-o",
        str(out),
        stderr=io.StringIO(),
    )

    assert "Zqxfirstcn1 Zqxlastcn1, Zqx Institute of cn-1" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workshop", "nowhere"], "--workshop: there is no workshop 'nowhere'."),
        (
            ["SLUG", "1", "--workshop", "SLUG"],
            "--workshop: the report on the whole workshop takes no SLUG "
            "SESSION_NUMBER; give one or the other.",
        ),
        (
            [],
            "slug, session_number: give a workshop's SLUG and a SESSION_NUMBER, "
            "or --workshop SLUG for the whole workshop.",
        ),
    ],
)
def test_compile_summary_workshop_bad_input_names_the_field(workshop, args, message):
    args = [workshop.slug if a == "SLUG" else a for a in args]

    with pytest.raises(CommandError) as raised:
        call_command("compile_summary", *args, stdout=io.StringIO())

    assert str(raised.value) == message
    assert SummaryReport.objects.count() == 0


# -- a real worker -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_compiles_a_requested_workshop_report(client, workers, workshop, media):
    make_workshop_activity(workshop, sessions=2)
    rapporteur = make_participant(workshop, role=Role.RAPPORTEUR).user
    workers("workshop-report")
    client.force_login(rapporteur)

    response = client.post(reverse("workshop_report_request", args=[workshop.slug]))
    report = SummaryReport.objects.get(workshop=workshop, session__isnull=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in ("done", "failed"):
            break
        time.sleep(0.2)
    pdf = client.get(
        reverse("workshop_report_download", args=[workshop.slug, 1, "pdf"])
    )

    assert response.status_code == 302
    assert (report.status, report.version, report.attempts, report.error) == (
        "done",
        1,
        1,
        "",
    )
    assert (media / report.pdf_file.name).exists()
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
