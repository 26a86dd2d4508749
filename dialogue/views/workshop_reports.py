"""The report on the whole workshop: its versions, requesting, progress,
downloads.

The same pattern as a session's summaries (``views.summaries``): every view
is for the workshop's participants only (404 for anyone else); requesting
and retrying are for the rapporteur and the organisers, as the services
say (``permissions.request_summary_refusal``); a GET never writes; files
are served from MEDIA_ROOT through ``workshop_report_download``.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dialogue import permissions
from dialogue.errors import refusal_response
from dialogue.forms.summaries import SummaryRequestForm
from dialogue.models import SummaryReport
from dialogue.selectors import workshops as selectors
from dialogue.services import summaries as service
from dialogue.summary.render import RENDERERS
from dialogue.views.params import positive_number

ANNOUNCE = "requested"


def _reports(workshop):
    """The workshop's own reports (no session), newest first."""
    return SummaryReport.objects.filter(
        workshop=workshop, session__isnull=True
    ).order_by("-version")


def _get_report(workshop, version) -> SummaryReport:
    report = _reports(workshop).select_related("workshop").filter(version=version)
    found = report.first()
    if found is None:
        raise Http404
    return found


def _list_url(workshop) -> str:
    return reverse("workshop_report_list", args=[workshop.slug])


def _announce_url(workshop, version: int) -> str:
    return f"{_list_url(workshop)}?{ANNOUNCE}={version}#report-v{version}"


def _context(participant, **extra) -> dict:
    workshop = participant.workshop
    return {
        "workshop": workshop,
        "participant": participant,
        "can_request": permissions.request_summary_refusal(participant, workshop.pk)
        is None,
        **extra,
    }


@never_cache
@require_GET
@login_required
def workshop_report_list(request, slug):
    participant = selectors.participation_get(user=request.user, slug=slug)
    reports = list(_reports(participant.workshop))
    wanted = positive_number(request.GET.get(ANNOUNCE))
    announced = next((r for r in reports if r.version == wanted), None)
    return render(
        request,
        "workshop_report_list.html",
        _context(
            participant,
            reports=reports,
            announced=announced,
            request_form=SummaryRequestForm(),
        ),
    )


@require_POST
@login_required
def workshop_report_request(request, slug):
    participant = selectors.participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    form = SummaryRequestForm(request.POST)
    key = form.cleaned_data["submission"] if form.is_valid() else None
    try:
        report = service.summary_request(
            workshop=workshop, by=participant, submission_key=key
        )
    except service.SummaryError as exc:
        return refusal_response(request, exc, back=workshop)
    return redirect(_announce_url(workshop, report.version))


@never_cache
@require_GET
@login_required
def workshop_report_status(request, slug, version):
    participant = selectors.participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    if not request.htmx:
        return redirect(f"{_list_url(workshop)}#report-v{version}")
    report = _get_report(workshop, version)
    announced = report if request.GET.get(ANNOUNCE) else None
    return render(
        request,
        "workshop_report_list.html#polled",
        _context(participant, report=report, announced=announced, oob=True),
    )


@require_POST
@login_required
def workshop_report_retry(request, slug, version):
    participant = selectors.participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    report = _get_report(workshop, version)
    try:
        service.summary_retry(report=report, by=participant)
    except service.SummaryError as exc:
        return refusal_response(request, exc, back=workshop)
    return redirect(_announce_url(workshop, version))


@never_cache
@require_GET
@login_required
def workshop_report_download(request, slug, version, fmt):
    participant = selectors.participation_get(user=request.user, slug=slug)
    report = _get_report(participant.workshop, version)
    field = service.summary_file(report=report, fmt=fmt)
    if field is None:
        raise Http404
    response = FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=service.download_name(report=report, fmt=fmt),
        content_type=RENDERERS[fmt].content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
@login_required
def workshop_report_preview(request, slug, version):
    participant = selectors.participation_get(user=request.user, slug=slug)
    report = _get_report(participant.workshop, version)
    body = service.summary_preview_html(report=report)
    if body is None:
        raise Http404
    # Rendered by templates/workshop_report.html with autoescaping on, read
    # back from MEDIA_ROOT: our own output, not user input.
    report_html = mark_safe(body)  # noqa: S308
    return render(
        request,
        "workshop_report_preview.html",
        _context(participant, report=report, report_html=report_html),
    )
