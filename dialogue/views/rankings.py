"""Priority ranking pages: the ballot, the facilitator's controls, results."""

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dialogue import permissions
from dialogue.live import live_page, session_etag
from dialogue.models import AgendaItem
from dialogue.models.rankings import MAX_ROUNDS
from dialogue.ranking_maths import starting_order
from dialogue.selectors import rankings
from dialogue.selectors.workshops import participation_get, session_get
from dialogue.services import rankings as services
from dialogue.services.rankings import RankingError
from dialogue.views.shared_pages import render_shared

POSITION_PREFIX = "position-"
RESULTS = "results"


@dataclass(frozen=True)
class BallotRow:
    item: AgendaItem
    position: int
    previous_position: int | None
    feedback: list


def _session_for(request, slug, number):
    participant = participation_get(user=request.user, slug=slug)
    session = session_get(participant=participant, number=number)
    return participant, session


def _items(session) -> list[AgendaItem]:
    return rankings.ranked_items(session=session)


def _ballot_rows(items, order, previous_order, feedback, shown=None):
    """The form's rows in `order` (unknown ids dropped, missing items last).

    `shown` maps item ids to the positions to display instead of 1, 2, 3...
    (a refused form is shown again as the delegate filled it in).
    """
    by_id = {item.id: item for item in items}
    ids = [i for i in order if i in by_id]
    ids += [item.id for item in items if item.id not in set(ids)]
    previous = {item_id: p for p, item_id in enumerate(previous_order or [], 1)}
    shown = shown or {}
    return [
        BallotRow(
            item=by_id[item_id],
            position=shown.get(item_id, position),
            previous_position=previous.get(item_id),
            feedback=feedback.get(item_id, []),
        )
        for position, item_id in enumerate(ids, start=1)
    ]


def _page_context(participant, session, *, posted_positions=None, error=None) -> dict:
    workshop = participant.workshop
    items = _items(session)
    rounds = rankings.session_rounds(session=session)
    current = rankings.open_round(rounds)
    context = {
        "workshop": workshop,
        "participant": participant,
        "session": session,
        "items": items,
        "rounds": rounds,
        "closed_rounds": [round_ for round_ in rounds if not round_.is_open],
        "current": current,
        "max_rounds": MAX_ROUNDS,
        "next_round_number": len(rounds) + 1,
        "can": permissions.Can(participant, session),
        "can_open_next": rankings.can_open_next_round(session=session, rounds=rounds),
        "error": error,
    }
    if current and context["can"].run_rounds:
        context["turnout"] = rankings.round_turnout(round_=current, workshop=workshop)
    if current and context["can"].rank:
        context.update(_ballot_context(participant, items, rounds, current))
        if posted_positions:
            context["rows"] = _ballot_rows(
                items,
                sorted(posted_positions, key=posted_positions.__getitem__),
                context["previous_order"],
                context["feedback"],
                shown=posted_positions,
            )
    return context


def _ballot_context(participant, items, rounds, current) -> dict:
    own = rankings.own_ballot(round_=current, participant=participant)
    previous_round = rounds[current.number - 2] if current.number > 1 else None
    previous_order, feedback = None, {}
    if previous_round is not None:
        delegations = list(participant.workshop.delegations.all())
        previous = rankings.own_ballot(round_=previous_round, participant=participant)
        previous_order = previous.order if previous else None
        feedback = rankings.round_feedback(
            round_=previous_round, items=items, delegations=delegations
        )
    # Pre-fill: this round's own ballot, else the delegate's own last round's
    # (a Delphi round revises one's answer in the light of the feedback),
    # else an order shuffled for this delegate and round (agenda order would
    # favour the items listed first).
    order = (
        own.order
        if own
        else previous_order
        or starting_order(
            [item.id for item in items], seed=f"{participant.pk}:{current.pk}"
        )
    )
    return {
        "own": own,
        "previous_round": previous_round,
        "previous_order": previous_order,
        "feedback": feedback,
        "positions": range(1, len(items) + 1),
        "rows": _ballot_rows(items, order, previous_order, feedback),
    }


@require_GET
@login_required
def ranking_page(request, slug, number):
    participant, session = _session_for(request, slug, number)
    context = _page_context(participant, session)
    return render(request, "ranking_page.html", context)


def _posted_positions(post) -> dict[int, int]:
    """Item id -> position from the form's `position-<item id>` selects.

    Raises RankingError for values that are not whole numbers or an item
    given twice; which items are listed is the service's to check.
    """
    positions = {}
    for key in post:
        if not key.startswith(POSITION_PREFIX):
            continue
        values = post.getlist(key)
        try:
            item_id = int(key.removeprefix(POSITION_PREFIX))
            position = int(values[0])
        except ValueError:
            raise RankingError(_("Positions must be whole numbers.")) from None
        if len(values) > 1:
            raise RankingError(_("The ranking lists an item more than once."))
        positions[item_id] = position
    if not positions:
        raise RankingError(_("No ranking was submitted."))
    return positions


def _order(positions: dict[int, int]) -> list[int]:
    """Item ids best first; refused when two items share a position."""
    shared = sorted(p for p, count in Counter(positions.values()).items() if count > 1)
    if shared:
        raise RankingError(
            _(
                "Position %(position)d is given to more than one item; give each "
                "item its own position."
            )
            % {"position": shared[0]}
        )
    return sorted(positions, key=positions.__getitem__)


def _round_number(post) -> int | None:
    try:
        return int(post["round"])
    except (KeyError, ValueError):
        return None


@require_POST
@login_required
def ranking_submit(request, slug, number):
    participant, session = _session_for(request, slug, number)
    positions = None
    try:
        positions = _posted_positions(request.POST)
        services.ranking_submit(
            session=session,
            participant=participant,
            order=_order(positions),
            round_number=_round_number(request.POST),
        )
    except RankingError as exc:
        context = _page_context(
            participant, session, posted_positions=positions, error=exc.message
        )
        return render(request, "ranking_page.html", context, status=exc.status)
    messages.success(
        request,
        _("Your ranking is saved. You can change it until the round closes."),
    )
    return redirect("ranking_page", slug=slug, number=number)


def _facilitator_action(request, slug, number, action):
    participant, session = _session_for(request, slug, number)
    try:
        round_ = action(session=session, by=participant)
    except RankingError as exc:
        context = _page_context(participant, session, error=exc.message)
        return None, render(request, "ranking_page.html", context, status=exc.status)
    return round_, None


@require_POST
@login_required
def ranking_close(request, slug, number):
    round_, refused = _facilitator_action(
        request, slug, number, services.ranking_round_close
    )
    if refused:
        return refused
    messages.success(
        request,
        _("Round %(round)d is closed; its results are visible to every participant.")
        % {"round": round_.number},
    )
    return redirect(
        "ranking_results", slug=slug, number=number, round_number=round_.number
    )


@require_POST
@login_required
def ranking_open(request, slug, number):
    round_, refused = _facilitator_action(
        request, slug, number, services.ranking_round_open
    )
    if refused:
        return refused
    messages.success(
        request,
        _("Round %(round)d is open. Delegates see last round's feedback.")
        % {"round": round_.number},
    )
    return redirect("ranking_page", slug=slug, number=number)


@require_GET
@login_required
def ranking_turnout(request, slug, number):
    """The facilitator's turnout box alone, for htmx polling."""
    participant, session = _session_for(request, slug, number)
    error = permissions.see_turnout_refusal(participant)
    if error is not None:
        context = _page_context(participant, session, error=error)
        return render(request, "ranking_page.html", context, status=403)
    rounds = rankings.session_rounds(session=session)
    current = rankings.open_round(rounds)
    context = {
        "workshop": participant.workshop,
        "session": session,
        "current": current,
        "can": permissions.Can(participant, session),
        "turnout": (
            rankings.round_turnout(round_=current, workshop=participant.workshop)
            if current
            else None
        ),
    }
    return render(request, "ranking_page.html#turnout", context)


def _results_etag(request, *, slug, number, kind, round_number):
    """A closed round's results change only with the session's version (the
    rounds listed, the items' titles), so the session's tag, per round."""
    return session_etag(
        request, slug=slug, number=number, kind=f"{kind}.r{round_number}"
    )


@require_GET
@login_required
@live_page(RESULTS, etag=_results_etag)
def ranking_results(request, slug, number, round_number):
    """A closed round's results: 304 when unchanged (`live_page`), rendered
    once per session version for everyone who sees the same page."""
    participant, session = _session_for(request, slug, number)
    round_ = rankings.closed_round_get(session=session, number=round_number)
    if round_ is None:
        # An open round has no results yet: the same answer as a missing one.
        raise Http404
    return render_shared(
        request,
        "ranking_results.html",
        lambda: _results_context(participant, session, round_),
        participant=participant,
        parts=[RESULTS, session.pk, session.version, round_.pk],
    )


def _results_context(participant, session, round_) -> dict:
    results = rankings.round_results(
        round_=round_,
        items=_items(session),
        delegations=list(participant.workshop.delegations.all()),
    )
    charts = [
        # slope_chart escapes every text it draws; nothing else is marked safe.
        mark_safe(pair.chart_svg)  # noqa: S308
        for pair in results.pairs
    ]
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "round": round_,
        "results": results,
        "pairs": list(zip(results.pairs, charts, strict=True)),
        "closed_rounds": [
            r for r in rankings.session_rounds(session=session) if not r.is_open
        ],
        "ranking_url": reverse(
            "ranking_page", args=[participant.workshop.slug, session.number]
        ),
    }
