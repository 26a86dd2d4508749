"""The package board of a session, and the measure panels that the session
and item pages load. Everyone in the workshop reads them."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dialogue import permissions
from dialogue.errors import refusal_response
from dialogue.forms.measures import BoardFilterForm
from dialogue.live import live_page
from dialogue.models import MeasureStatus
from dialogue.selectors.measures import (
    BOARD_COLUMNS,
    CLOSED_COLUMNS,
    board_measures,
    item_measures,
    session_measure_counts,
)
from dialogue.selectors.packages import board_packages
from dialogue.selectors.workshops import item_get, participation_get, session_get
from dialogue.services.measures import MeasureError

BOARD = "board"


def _board_url(base: str, item: int | None, delegation: str | None) -> str:
    params = {"item": item, "delegation": delegation}
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{base}?{query}" if query else base


def _columns(by_status, statuses):
    return [
        (status, MeasureStatus(status).label, by_status[status]) for status in statuses
    ]


def _filter_links(base, items, delegations, item, delegation):
    """The filter bar: every item and every delegation as a real link."""
    code = delegation.code if delegation else None
    number = item.number if item else None
    item_links = [(_("All items"), _board_url(base, None, code), item is None)] + [
        (str(i.number), _board_url(base, i.number, code), i == item) for i in items
    ]
    delegation_links = [
        (_("All delegations"), _board_url(base, number, None), delegation is None)
    ] + [
        (d.code, _board_url(base, number, d.code), d == delegation) for d in delegations
    ]
    return item_links, delegation_links


@require_GET
@login_required
@live_page(BOARD)
def measure_board(request, slug, number):
    """Every measure linked to the session's items, in columns by status.

    The board region polls itself; an unchanged board answers 304 after the
    one query of `live_poll`, besides the ones the session and auth
    middleware make.
    """
    participant = participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    session = session_get(participant=participant, number=number)
    items = list(session.items.all())
    delegations = list(workshop.delegations.all())
    filters = BoardFilterForm(request.GET, items=items, delegations=delegations)
    if not filters.is_valid():
        reasons = [reason for field in filters.errors.values() for reason in field]
        return refusal_response(request, MeasureError(reasons), back=session)
    item, delegation = filters.cleaned_data["item"], filters.cleaned_data["delegation"]

    by_status = board_measures(
        participant=participant, session=session, item=item, delegation=delegation
    )
    base = reverse("measure_board", args=[workshop.slug, session.number])
    item_links, delegation_links = _filter_links(
        base, items, delegations, item, delegation
    )
    context = {
        "workshop": workshop,
        "participant": participant,
        "session": session,
        "item": item,
        "delegation": delegation,
        "drafts": by_status[MeasureStatus.DRAFT],
        "packages": board_packages(
            participant=participant,
            session=session,
            delegations=delegations,
            item=item,
            delegation=delegation,
        ),
        "columns": _columns(by_status, BOARD_COLUMNS),
        "closed": _columns(by_status, CLOSED_COLUMNS),
        "item_links": item_links,
        "delegation_links": delegation_links,
        "poll_url": request.get_full_path(),
        "poll_seconds": settings.LIVE_POLL_SECONDS,
        "can": permissions.Can(participant, session),
    }
    template = "measure_board.html#board" if request.htmx else "measure_board.html"
    return render(request, template, context)


@require_GET
@login_required
def measure_session_counts(request, slug, number):
    """The counts by status that the session page's panel loads."""
    participant = participation_get(user=request.user, slug=slug)
    session = session_get(participant=participant, number=number)
    board = reverse("measure_board", args=[slug, number])
    if not request.htmx:
        return redirect(board)
    counts, total = session_measure_counts(participant=participant, session=session)
    context = {
        "workshop": participant.workshop,
        "session": session,
        "counts": counts,
        "total": total,
        "board_url": board,
    }
    return render(request, "measure_session_panel.html#counts", context)


@require_GET
@login_required
def measure_item_list(request, slug, number, item_number):
    """The measures linked to one item, for the panel on the item page."""
    participant = participation_get(user=request.user, slug=slug)
    session = session_get(participant=participant, number=number)
    item = item_get(session=session, number=item_number)
    board = reverse("measure_board", args=[slug, number])
    board_url = f"{board}?{urlencode({'item': item.number})}"
    if not request.htmx:
        return redirect(board_url)
    context = {
        "workshop": participant.workshop,
        "participant": participant,
        "item": item,
        "measures": item_measures(participant=participant, item=item),
        "board_url": board_url,
    }
    return render(request, "measure_item_panel.html#list", context)
