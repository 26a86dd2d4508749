"""The landing page, the workshop page and the session page with the
facilitator's controls."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dialogue import permissions
from dialogue.errors import Refusal, refusal_response
from dialogue.live import live_poll
from dialogue.models import Phase
from dialogue.selectors.workshops import (
    item_by_number,
    participation_get,
    participations_for_user,
    session_get,
    session_items_with_counts,
    workshop_sessions,
)
from dialogue.services.sessions import (
    SessionError,
    session_set_focus,
    session_set_phase,
)
from dialogue.views.params import positive_number

SESSION = "session"

# Moving a session to one of these phases asks the facilitator first.
PHASE_CONFIRMATIONS = {
    Phase.CLOSED: gettext_lazy(
        "Close the session? Discussion and ranking end, and a summary is compiled."
    ),
}


@dataclass(frozen=True)
class PhaseButton:
    value: str
    label: str
    current: bool
    confirm: str


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
        "delegations": workshop.delegations.all(),
        "sessions": workshop_sessions(participant=participant),
    }
    return render(request, "workshop_detail.html", context)


def _session_context(participant, session, etag=None):
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "items": session_items_with_counts(session=session),
        "can": permissions.Can(participant, session),
        "phase_buttons": [
            PhaseButton(
                value=value,
                label=label,
                current=value == session.phase,
                confirm=PHASE_CONFIRMATIONS.get(value, ""),
            )
            for value, label in Phase.choices
        ],
        "etag": etag,
        "poll_seconds": settings.LIVE_POLL_SECONDS,
    }


def _session_for(request, slug, number):
    participant = participation_get(user=request.user, slug=slug)
    session = session_get(participant=participant, number=number)
    return participant, session


@require_GET
@login_required
def session_detail(request, slug, number):
    participant, session = _session_for(request, slug, number)
    return render(
        request, "session_detail.html", _session_context(participant, session)
    )


@require_GET
@login_required
@live_poll(SESSION)
def session_live(request, slug, number):
    """The session's item list (counts, item under discussion), polled live."""
    participant, session = _session_for(request, slug, number)
    context = _session_context(participant, session, etag=request.live_etag)
    return render(request, "session_detail.html#live", context)


@require_POST
@login_required
def session_phase(request, slug, number):
    participant, session = _session_for(request, slug, number)
    phase = request.POST.get("phase", "")
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
