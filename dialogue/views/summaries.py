"""Session summaries: the versions page, requesting, progress, downloads.

Every view is for the workshop's participants only (404 for anyone else).
Requesting and retrying are for rapporteurs and organisers: the services
say so (`permissions.request_summary_refusal`), and a refusal is shown with
its status (403 for other roles). A GET never writes: a request recorded
while the broker was down is sent by the next request or by the periodic
sweep (`send_pending_summaries`), not by a page that shows it. Files are
served from MEDIA_ROOT through ``summary_download``, never from a public URL.
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

# The query parameter naming the version the banner is about.
ANNOUNCE = "requested"


def _get_session_for_user(request, slug, number):
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(participant=participant, number=number)
    return participant, session


def _get_report(session, version) -> SummaryReport:
    report = (
        SummaryReport.objects.select_related("session__workshop")
        .filter(session=session, version=version)
        .first()
    )
    if report is None:
        raise Http404
    return report


def _list_url(session) -> str:
    return reverse("summary_list", args=[session.workshop.slug, session.number])


def _context(participant, session, **extra) -> dict:
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "can": permissions.Can(participant, session),
        **extra,
    }


@never_cache
@require_GET
@login_required
def summary_list(request, slug, number):
    participant, session = _get_session_for_user(request, slug, number)
    reports = list(SummaryReport.objects.filter(session=session).order_by("-version"))
    wanted = positive_number(request.GET.get(ANNOUNCE))
    announced = next((r for r in reports if r.version == wanted), None)
    return render(
        request,
        "summary_list.html",
        _context(
            participant,
            session,
            reports=reports,
            announced=announced,
            request_form=SummaryRequestForm(),
        ),
    )


@require_POST
@login_required
def summary_request(request, slug, number):
    participant, session = _get_session_for_user(request, slug, number)
    form = SummaryRequestForm(request.POST)
    key = form.cleaned_data["submission"] if form.is_valid() else None
    try:
        report = service.summary_request(
            session=session, by=participant, submission_key=key
        )
    except service.SummaryError as exc:
        return refusal_response(request, exc, back=session)
    return redirect(_announce_url(session, report.version))


def _announce_url(session, version: int) -> str:
    """The list, with the banner about `version` (``SummaryReport.announcement``:
    the stage its entry shows, so the two always agree)."""
    return f"{_list_url(session)}?{ANNOUNCE}={version}#summary-v{version}"


@never_cache
@require_GET
@login_required
def summary_status(request, slug, number, version):
    participant, session = _get_session_for_user(request, slug, number)
    if not request.htmx:
        return redirect(f"{_list_url(session)}#summary-v{version}")
    report = _get_report(session, version)
    # The banner about this version follows its entry (swapped out of band).
    announced = report if request.GET.get(ANNOUNCE) else None
    return render(
        request,
        "summary_list.html#polled",
        _context(participant, session, report=report, announced=announced, oob=True),
    )


@require_POST
@login_required
def summary_retry(request, slug, number, version):
    participant, session = _get_session_for_user(request, slug, number)
    report = _get_report(session, version)
    try:
        service.summary_retry(report=report, by=participant)
    except service.SummaryError as exc:
        return refusal_response(request, exc, back=session)
    return redirect(_announce_url(session, version))


@never_cache
@require_GET
@login_required
def summary_download(request, slug, number, version, fmt):
    _participant, session = _get_session_for_user(request, slug, number)
    report = _get_report(session, version)
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
def summary_preview(request, slug, number, version):
    participant, session = _get_session_for_user(request, slug, number)
    report = _get_report(session, version)
    body = service.summary_preview_html(report=report)
    if body is None:
        raise Http404
    # The stored body was rendered by templates/summary_report.html with
    # autoescaping on (participant text is escaped there); it is our own
    # output, read back from MEDIA_ROOT, not user input.
    report_html = mark_safe(body)  # noqa: S308
    return render(
        request,
        "summary_preview.html",
        _context(participant, session, report=report, report_html=report_html),
    )
