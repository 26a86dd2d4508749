"""The rapporteur's report: the workshop's index of reports, the draft page
(the text, the citation picker, sending for review) and the review page
(the revision under review by paragraph, corrections, sign-offs, release).

Who sees what is `permissions` (`sees_report_drafts`, `sees_report_review`);
this module only asks. A stranger, and anyone the draft is not shown to,
gets 404. `<part>` in the URL is a session's number, or "workshop" for the
workshop's own report.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dialogue import permissions, report_text
from dialogue.errors import refusal_response
from dialogue.forms.reports import (
    CorrectionForm,
    ReportForm,
    ResolveForm,
    SendForReviewForm,
)
from dialogue.models import (
    CorrectionKind,
    ReportCorrection,
    ReportDraft,
    Session,
    SummaryReport,
)
from dialogue.selectors.reports import (
    citation_picker,
    cited_comments,
    corrections_for,
    delegations_of,
    release_refusal,
    report_draft_find,
    report_index,
    report_numbers,
    revision_texts,
    revisions_of,
    section_label,
    sign_off_refusal,
    sign_offs_of,
)
from dialogue.selectors.workshops import participation_get, session_get
from dialogue.services import reports as services
from dialogue.services.reports import ReportError, StaleReport

WORKSHOP_PART = "workshop"


def _part(draft) -> str:
    return str(draft.session.number) if draft.session_id else WORKSHOP_PART


def _url(name, draft, anchor: str = "") -> str:
    url = reverse(name, args=[draft.workshop.slug, _part(draft)])
    return f"{url}#{anchor}" if anchor else url


def _scope(request, slug, part):
    """(participant, session or None, the draft or an unsaved one)."""
    participant = participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    if part == WORKSHOP_PART:
        session = None
    elif part.isdigit():
        session = session_get(participant=participant, number=int(part))
    else:
        raise Http404
    draft = report_draft_find(workshop=workshop, session=session)
    if draft is None:
        draft = ReportDraft(workshop=workshop, session=session)
    return participant, session, draft


def _drafter_scope(request, slug, part):
    participant, session, draft = _scope(request, slug, part)
    if not permissions.sees_report_drafts(participant, draft):
        raise Http404
    return participant, session, draft


def _reader_scope(request, slug, part):
    participant, session, draft = _scope(request, slug, part)
    if draft.pk is None or not permissions.sees_report(participant, draft):
        raise Http404
    return participant, session, draft


def _saved(draft):
    """The draft, created if this is its first write."""
    if draft.pk is not None:
        return draft
    if draft.session is not None:
        return services.report_draft_for(session=draft.session)
    return services.report_draft_for(workshop=draft.workshop)


def _links(workshop, texts) -> dict[int, str]:
    """{comment id: permalink} of every remark the texts cite."""
    ids = {n for text in texts for n in report_text.cited_ids(text)}
    return {
        pk: comment.item.get_absolute_url() + f"#comment-{pk}"
        for pk, comment in cited_comments(workshop=workshop, ids=ids).items()
    }


# -- the index ----------------------------------------------------------------------


@require_GET
@login_required
def reports_index(request, slug):
    participant = participation_get(user=request.user, slug=slug)
    rows = report_index(participant=participant)
    for row in rows:
        draft = row.draft or ReportDraft(
            workshop=participant.workshop, session=row.session
        )
        row.part = str(row.session.number) if row.session else WORKSHOP_PART
        row.can_write = permissions.sees_report_drafts(participant, draft)
        row.can_read = row.draft is not None and permissions.sees_report(
            participant, draft
        )
    context = {
        "workshop": participant.workshop,
        "participant": participant,
        "rows": rows,
    }
    return render(request, "report_index.html", context)


# -- the draft ----------------------------------------------------------------------


def _narrative_labels(draft, session) -> list[tuple[int, str]]:
    if session is not None:
        return [
            (
                item.number,
                _("Item %(number)d: %(title)s")
                % {"number": item.number, "title": item.title},
            )
            for item in session.items.order_by("number")
        ]
    numbers = report_numbers(draft=draft)
    sessions = Session.objects.filter(
        workshop_id=draft.workshop_id, number__in=numbers
    ).order_by("number")
    return [
        (
            s.number,
            _("Session %(number)d: %(title)s")
            % {"number": s.number, "title": s.display_title},
        )
        for s in sessions
    ]


def _initial(draft, latest) -> dict:
    initial = {"base": draft.revision}
    if latest is not None:
        initial |= {
            "takeaways": latest.takeaways,
            "convergence": latest.convergence,
            "divergence": latest.divergence,
            "open_questions": latest.open_questions,
        }
        initial |= {
            f"narrative_{number}": text
            for number, text in (latest.narratives or {}).items()
        }
    return initial


def _send_form(draft) -> SendForReviewForm:
    """Sending again proposes the deadline given last time, in the page's zone."""
    if draft.review_deadline is None:
        return SendForReviewForm()
    local = timezone.localtime(draft.review_deadline)
    return SendForReviewForm(initial={"deadline": local.strftime("%Y-%m-%dT%H:%M")})


def _draft_context(
    participant, session, draft, *, form=None, send_form=None, current=None
):
    latest = draft.revisions.order_by("-number").first() if draft.pk else None
    labels = _narrative_labels(draft, session)
    if form is None:
        form = ReportForm(initial=_initial(draft, latest), narratives=labels)
    can_write = permissions.write_report_refusal(participant, draft) is None
    is_open = permissions.report_open_refusal(draft) is None
    latest_texts = {} if can_write and is_open else revision_texts(latest)
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "draft": draft,
        "part": _part(draft),
        "latest": latest,
        "form": form,
        "send_form": send_form or _send_form(draft),
        "current": current,
        "current_texts": revision_texts(current) if current else {},
        "current_narratives": [
            (label, (current.narratives or {}).get(str(number), ""))
            for number, label in labels
        ]
        if current
        else [],
        "can_write": can_write and is_open,
        "picker": citation_picker(draft=draft) if can_write and is_open else [],
        # Read-only, for the facilitators (and anyone once it is final).
        "latest_sections": [
            (section_label(draft, key), text) for key, text in latest_texts.items()
        ],
        "links": _links(participant.workshop, latest_texts.values()),
    }


@require_GET
@login_required
def report_draft(request, slug, part):
    participant, session, draft = _drafter_scope(request, slug, part)
    return render(
        request, "report_draft.html", _draft_context(participant, session, draft)
    )


@require_POST
@login_required
def report_save(request, slug, part):
    participant, session, draft = _drafter_scope(request, slug, part)
    if reason := permissions.write_report_refusal(participant, draft):
        return refusal_response(request, ReportError(reason), status=403)
    labels = _narrative_labels(draft, session)
    form = ReportForm(request.POST, narratives=labels)
    status, current = 400, None
    if form.is_valid():
        data = form.cleaned_data
        draft = _saved(draft)
        try:
            services.report_save(
                draft=draft,
                by=participant,
                base=data["base"],
                takeaways=data["takeaways"],
                narratives=form.narratives(),
                convergence=data["convergence"],
                divergence=data["divergence"],
                open_questions=data["open_questions"],
            )
        except StaleReport as exc:
            # Keep what they wrote, on top of the current revision: saving
            # again, after comparing, is then a deliberate choice.
            posted = request.POST.copy()
            posted["base"] = str(exc.current.number if exc.current else 0)
            form = ReportForm(posted, narratives=labels)
            form.is_valid()
            form.add_error(None, exc)
            status, current = exc.status, exc.current
        except ReportError as exc:
            form.add_error(None, exc)
            status = exc.status
        else:
            messages.success(request, _("Saved as a new revision."))
            return redirect(_url("report_draft", draft))
    context = _draft_context(participant, session, draft, form=form, current=current)
    return render(request, "report_draft.html", context, status=status)


@require_POST
@login_required
def report_send(request, slug, part):
    participant, session, draft = _drafter_scope(request, slug, part)
    if reason := permissions.write_report_refusal(participant, draft):
        return refusal_response(request, ReportError(reason), status=403)
    send_form = SendForReviewForm(request.POST)
    status = 400
    if send_form.is_valid() and draft.pk is not None:
        try:
            services.report_send_for_review(
                draft=draft, by=participant, deadline=send_form.cleaned_data["deadline"]
            )
        except ReportError as exc:
            send_form.add_error(None, exc)
            status = exc.status
        else:
            messages.success(
                request, _("Sent for review: every participant can now read it.")
            )
            return redirect(_url("report_review", draft))
    elif draft.pk is None:
        send_form.add_error(None, _("Write the report before sending it for review."))
    context = _draft_context(participant, session, draft, send_form=send_form)
    return render(request, "report_draft.html", context, status=status)


# -- the review ---------------------------------------------------------------------


def _review_context(participant, draft, *, bound=None, error=None):
    """`bound`: (anchor, form) of a correction or resolve form sent with an
    error, shown again where it was sent from."""
    revision = draft.review_revision
    texts = revision_texts(revision)
    can_file = permissions.file_correction_refusal(participant, draft) is None
    sections = [
        {
            "key": key,
            "label": section_label(draft, key),
            "paragraphs": [
                {
                    "number": number,
                    "text": text,
                    "anchor": f"para-{key.replace(':', '-')}-{number}",
                    "submission": uuid.uuid4(),
                }
                for number, text in enumerate(report_text.paragraphs(body), start=1)
            ],
        }
        for key, body in texts.items()
    ]
    corrections = corrections_for(participant=participant, draft=draft)
    can_resolve = (
        permissions.write_report_refusal(participant, draft) is None
        and permissions.report_open_refusal(draft) is None
    )
    for correction in corrections:
        correction.label = section_label(draft, correction.section)
        correction.anchor = f"correction-{correction.pk}"
    sign_offs = {s.delegation_id: s for s in sign_offs_of(revision=revision)}
    signatures = [
        {"delegation": d, "sign_off": sign_offs.get(d.pk)}
        for d in delegations_of(workshop=draft.workshop)
    ]
    sign_refusal = None
    can_sign = False
    if revision is not None and (
        permissions.sign_off_report_refusal(participant, draft) is None
    ):
        sign_refusal = sign_off_refusal(draft=draft)
        can_sign = sign_refusal is None and participant.delegation_id not in sign_offs
    release_note = None
    can_release = False
    if can_resolve and revision is not None:
        release_note = release_refusal(draft=draft)
        can_release = release_note is None
    finals = list(
        SummaryReport.objects.filter(draft_revision__draft=draft, final=True)
        .select_related("draft_revision")
        .order_by("-version")
    )
    return {
        "workshop": draft.workshop,
        "participant": participant,
        "draft": draft,
        "session": draft.session,
        "part": _part(draft),
        "revision": revision,
        "sections": sections,
        "links": _links(draft.workshop, texts.values()),
        "kinds": CorrectionKind.choices,
        "can_file": can_file,
        "can_resolve": can_resolve,
        "sees_all": permissions.sees_report_drafts(participant, draft),
        "corrections": corrections,
        "signatures": signatures,
        "can_sign": can_sign,
        "sign_refusal": sign_refusal,
        "can_release": can_release,
        "release_refusal": release_note,
        "revisions": revisions_of(participant=participant, draft=draft),
        "finals": finals,
        "bound": bound,
        "error": error,
    }


@require_GET
@login_required
def report_review(request, slug, part):
    participant, _session, draft = _reader_scope(request, slug, part)
    return render(request, "report_review.html", _review_context(participant, draft))


@require_POST
@login_required
def report_correction_file(request, slug, part):
    participant, _session, draft = _reader_scope(request, slug, part)
    form = CorrectionForm(request.POST)
    status = 400
    anchor = ""
    if form.is_valid():
        data = form.cleaned_data
        anchor = f"para-{data['section'].replace(':', '-')}-{data['paragraph']}"
        try:
            correction = services.report_correction_file(
                draft=draft,
                by=participant,
                section=data["section"],
                paragraph=data["paragraph"],
                kind=data["kind"],
                note=data["note"],
                suggestion=data["suggestion"],
                submission_key=data["submission"],
            )
        except ReportError as exc:
            form.add_error(None, exc)
            status = exc.status
        else:
            messages.success(
                request, _("Correction filed: the rapporteur will answer it.")
            )
            return redirect(_url("report_review", draft, f"correction-{correction.pk}"))
    else:
        anchor = "para-{}-{}".format(
            request.POST.get("section", "").replace(":", "-"),
            request.POST.get("paragraph", ""),
        )
    context = _review_context(participant, draft, bound=(anchor, form))
    return render(request, "report_review.html", context, status=status)


@require_POST
@login_required
def report_correction_resolve(request, slug, part, pk):
    participant, _session, draft = _reader_scope(request, slug, part)
    correction = (
        ReportCorrection.objects.filter(pk=pk, draft=draft)
        .select_related("draft", "revision")
        .first()
    )
    if correction is None or not permissions.sees_correction(participant, correction):
        raise Http404
    if reason := permissions.write_report_refusal(participant, draft):
        return refusal_response(request, ReportError(reason), status=403)
    form = ResolveForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_correction_resolve(
                correction=correction,
                by=participant,
                accept=data["decision"] == "accept",
                reason=data["reason"],
                apply=data["apply"],
            )
        except ReportError as exc:
            form.add_error(None, exc)
            status = exc.status
        else:
            return redirect(_url("report_review", draft, f"correction-{pk}"))
    context = _review_context(participant, draft, bound=(f"correction-{pk}", form))
    return render(request, "report_review.html", context, status=status)


@require_POST
@login_required
def report_sign_off(request, slug, part):
    participant, _session, draft = _reader_scope(request, slug, part)
    try:
        services.report_sign_off(draft=draft, by=participant)
    except ReportError as exc:
        return refusal_response(request, exc, back=None)
    messages.success(request, _("Signed off for your delegation."))
    return redirect(_url("report_review", draft, "sign-offs"))


@require_POST
@login_required
def report_release(request, slug, part):
    participant, _session, draft = _reader_scope(request, slug, part)
    try:
        services.report_release(draft=draft, by=participant)
    except ReportError as exc:
        return refusal_response(request, exc, back=None)
    messages.success(request, _("Released: the final version is being compiled."))
    return redirect(_url("report_review", draft, "finals"))
