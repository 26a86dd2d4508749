"""The landing page, the workshop page and the session page with the
facilitator's controls."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dialogue import selectors
from dialogue.models import AgendaItem, Phase
from dialogue.services import comments as comment_services
from dialogue.services import session_set_phase
from dialogue.services.comments import MODERATOR_ROLES, CommentError
from dialogue.views.comments import _live_headers, _number, live_etag, not_modified


@require_GET
@login_required
def home(request):
    participations = selectors.participations_for_user(user=request.user)
    return render(request, "home.html", {"participations": participations})


@require_GET
@login_required
def workshop_detail(request, slug):
    participant = selectors.participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    context = {
        "workshop": workshop,
        "participant": participant,
        "delegations": workshop.delegations.all(),
        "sessions": selectors.workshop_sessions(workshop=workshop),
    }
    return render(request, "workshop_detail.html", context)


def _session_context(participant, session, etag=None):
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "items": selectors.session_items_with_counts(session=session),
        "can_facilitate": participant.role in MODERATOR_ROLES,
        # The item under discussion is highlighted only while the session runs.
        "live_focus": session.phase in (Phase.OPEN, Phase.RANKING),
        "phases": Phase.choices,
        "etag": etag,
        "poll_seconds": settings.LIVE_POLL_SECONDS,
    }


@require_GET
@login_required
def session_detail(request, slug, number):
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(workshop=participant.workshop, number=number)
    return render(
        request, "session_detail.html", _session_context(participant, session)
    )


@require_GET
@login_required
def session_live(request, slug, number):
    """The session's item list (counts, item under discussion), polled live."""
    etag = live_etag(request, slug, number)
    if etag is None:
        raise Http404
    if response := not_modified(request, etag):
        return response
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(workshop=participant.workshop, number=number)
    response = render(
        request,
        "session_detail.html#live",
        _session_context(participant, session, etag=etag),
    )
    return _live_headers(response, etag)


def _session_for(request, slug, number):
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(workshop=participant.workshop, number=number)
    return participant, session


@require_POST
@login_required
def session_phase(request, slug, number):
    participant, session = _session_for(request, slug, number)
    phase = request.POST.get("phase", "")
    if participant.role not in MODERATOR_ROLES:
        return _forbidden(
            request, session, _("Only facilitators can change the session's phase.")
        )
    if phase not in Phase.values:
        return _forbidden(request, session, _("Unknown phase."), status=400)
    if session_set_phase(session=session, phase=phase, by=request.user):
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
    if raw:
        number = _number(raw)
        if number is not None:
            item = AgendaItem.objects.filter(session=session, number=number).first()
        if item is None:
            return _forbidden(request, session, _("Unknown item."), status=400)
    try:
        comment_services.session_set_focus(
            participant=participant, session=session, item=item
        )
    except CommentError as exc:
        return _forbidden(request, session, exc.message)
    return redirect(session.get_absolute_url())


def _forbidden(request, session, message, status=403):
    return render(
        request,
        "comment_error.html",
        {"messages": [message], "back": session},
        status=status,
    )
