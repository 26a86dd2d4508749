"""The landing page, the workshop page and the session page with the
facilitator's controls."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue import permissions
from dialogue.errors import Refusal, refusal_response
from dialogue.live import live_page, live_poll, phase_changed
from dialogue.models import Phase
from dialogue.selectors.responses import revealed_stances
from dialogue.selectors.workshops import (
    item_by_number,
    participation_get,
    participations_for_user,
    session_get,
    session_items_with_counts,
    workshop_roster,
    workshop_sessions,
)
from dialogue.services.sessions import (
    SessionError,
    session_set_focus,
    session_set_phase,
)
from dialogue.summary.attribution import names_inside_workshop
from dialogue.views.confirm import ConfirmStep, confirm_response, confirmed
from dialogue.views.params import positive_number
from dialogue.views.shared_pages import render_shared

SESSION = "session"
# The session page's regions outside the polled agenda that the phase decides:
# a poll that finds the phase moved sends them too (dialogue/live.py).
PHASE_REGIONS = ("facilitator", "ranking", "summary")
OOB = {"oob": True}
SESSION_PAGE = "session.page"

# What the facilitator is asked before a move that ends something for
# everyone (permissions.phase_move_needs_confirmation; the step itself is
# dialogue/views/confirm.py): the question, what it ends, the button.
PHASE_CONFIRMATIONS = {
    Phase.RANKING: (
        gettext_lazy("Move the session to ranking?"),
        gettext_lazy(
            "Discussion ends for everyone: no one can post, reply or endorse "
            "any more, and a ranking round opens."
        ),
        gettext_lazy("Move to ranking"),
    ),
    Phase.CLOSED: (
        gettext_lazy("Close the session?"),
        gettext_lazy("Discussion and ranking end, and a summary is compiled."),
        gettext_lazy("Close the session"),
    ),
}


@dataclass(frozen=True)
class PhaseButton:
    value: str
    label: str
    current: bool
    confirm: bool


@require_GET
@login_required
def home(request):
    participations = participations_for_user(user=request.user)
    return render(request, "home.html", {"participations": participations})


@require_GET
@login_required
def workshop_detail(request, slug):
    participant = participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    context = {
        "workshop": workshop,
        "participant": participant,
        "roster": workshop_roster(
            workshop=workshop,
            names=names_inside_workshop(workshop.confidentiality),
        ),
        "sessions": workshop_sessions(participant=participant),
        "issues_invitations": permissions.staff_issues_invitations(request.user),
    }
    return render(request, "workshop_detail.html", context)


def _session_context(participant, session, etag=None):
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "items": _with_stances(session),
        "can": permissions.Can(participant, session),
        "phase_buttons": [
            PhaseButton(
                value=value,
                label=label,
                current=value == session.phase,
                confirm=permissions.phase_move_needs_confirmation(value),
            )
            for value, label in Phase.choices
        ],
        "etag": etag,
        "poll_seconds": settings.LIVE_POLL_SECONDS,
    }


def _with_stances(session):
    """The agenda, each item carrying its revealed responses (stance badges)."""
    items = list(session_items_with_counts(session=session))
    stances = revealed_stances(session=session)
    for item in items:
        item.stances = stances.get(item.pk, ())
    return items


def _session_for(request, slug, number):
    participant = participation_get(user=request.user, slug=slug)
    session = session_get(participant=participant, number=number)
    return participant, session


@require_GET
@login_required
@live_page(SESSION_PAGE)
def session_detail(request, slug, number):
    """The session page: an unchanged one answers 304 (`live_page`), and it
    is rendered once per version for everyone who sees the same page."""
    participant, session = _session_for(request, slug, number)
    return render_shared(
        request,
        "session_detail.html",
        lambda: _session_context(participant, session),
        participant=participant,
        parts=[SESSION_PAGE, session.pk, session.version],
    )


@require_GET
@login_required
@live_poll(SESSION)
def session_live(request, slug, number):
    """The session's item list (counts, item under discussion), polled live."""
    participant, session = _session_for(request, slug, number)
    context = _session_context(participant, session, etag=request.live_etag)
    response = render(request, "session_detail.html#live", context)
    if phase_changed(request, session):
        for region in PHASE_REGIONS:
            oob = render(request, f"session_detail.html#{region}", context | OOB)
            response.content += oob.content
    return response


def _phase_step(request, participant, session, phase):
    """The confirm step of a move to `phase`, or the refusal (nothing to ask
    someone who may not move it, or about a phase that does not exist)."""
    if reason := permissions.change_phase_refusal(participant, session):
        return refusal_response(request, SessionError(reason), back=session, status=403)
    if phase not in Phase.values:
        return refusal_response(
            request, SessionError(_("Unknown phase.")), back=session
        )
    question, consequence, label = PHASE_CONFIRMATIONS.get(
        phase,
        (
            _("Move the session to “%(phase)s”?") % {"phase": Phase(phase).label},
            "",
            Phase(phase).label,
        ),
    )
    step = ConfirmStep(
        question=question,
        consequence=consequence,
        label=label,
        action=reverse(
            "session_phase", args=[participant.workshop.slug, session.number]
        ),
        cancel=session.get_absolute_url(),
        fields=(("phase", phase),),
    )
    context = {"workshop": participant.workshop, "session": session}
    return confirm_response(request, step, context=context)


@require_http_methods(["GET", "POST"])
@login_required
def session_phase(request, slug, number):
    """Move the session to another phase; a move that ends something for
    everyone (permissions.phase_move_needs_confirmation) asks first: GET
    shows the question."""
    participant, session = _session_for(request, slug, number)
    data = request.POST if request.method == "POST" else request.GET
    phase = data.get("phase", "")
    if request.method == "GET" or (
        permissions.phase_move_needs_confirmation(phase) and not confirmed(request)
    ):
        return _phase_step(request, participant, session, phase)
    try:
        changed = session_set_phase(session=session, phase=phase, by=participant)
    except Refusal as exc:
        return refusal_response(request, exc, back=session)
    if changed:
        messages.success(
            request,
            _("The session is now “%(phase)s”.") % {"phase": Phase(phase).label},
        )
    return redirect(session.get_absolute_url())


@require_POST
@login_required
def session_focus(request, slug, number):
    participant, session = _session_for(request, slug, number)
    raw = request.POST.get("item", "")
    item = None
    try:
        if raw:
            item = item_by_number(session=session, number=positive_number(raw))
            if item is None:
                raise SessionError(_("Unknown item."))
        session_set_focus(participant=participant, session=session, item=item)
    except Refusal as exc:
        return refusal_response(request, exc, back=session)
    return redirect(session.get_absolute_url())
