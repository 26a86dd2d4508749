"""Responses: the workshop's overview (progress, the round's controls, every
answer once revealed) and one item's page (each side's answer to it, the
answering delegation's drafting space, the thread after the reveal).

Who sees what is the selectors' (`responses_for`) and `permissions`'; this
module only asks. A stranger gets 404 (`participation_get`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue import permissions
from dialogue.errors import refusal_response
from dialogue.forms.responses import ReplyForm, ResponseForm
from dialogue.models import MeasureStatus, ReciprocalMeasure, Response
from dialogue.selectors.responses import (
    adopted_by,
    adoption_mode,
    response_progress,
    response_round,
    responses_for,
)
from dialogue.selectors.workshops import item_get, participation_get, session_get
from dialogue.services import responses as services
from dialogue.services.responses import ResponseError, StaleResponse
from dialogue.views.confirm import ConfirmStep, confirm_response, confirmed
from dialogue.views.params import positive_number


def _overview_url(slug: str) -> str:
    return reverse("responses", args=[slug])


def _item_url(item, anchor: str = "") -> str:
    url = reverse(
        "response_item",
        args=[item.session.workshop.slug, item.session.number, item.number],
    )
    return f"{url}#{anchor}" if anchor else url


def _anchor(view) -> str:
    point = f"-p{view.ask.point.position}" if view.ask.point else ""
    return f"response-{view.ask.delegation.code}{point}"


def _run_context(participant, round_):
    workshop = participant.workshop
    return {
        "can_run": permissions.run_responses_refusal(participant, workshop.pk) is None,
        "round": round_,
    }


@require_GET
@login_required
def responses_overview(request, slug):
    participant = participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    round_ = response_round(workshop=workshop)
    views = responses_for(participant=participant, workshop=workshop, round_=round_)
    sessions: list[tuple] = []
    for view in views:
        session = view.ask.item.session
        if not sessions or sessions[-1][0] != session:
            sessions.append((session, []))
        sessions[-1][1].append(view)
    context = {
        "workshop": workshop,
        "participant": participant,
        "progress": response_progress(workshop=workshop, round_=round_),
        "sessions": sessions,
        **_run_context(participant, round_),
    }
    return render(request, "responses.html", context)


@require_POST
@login_required
def response_round_open(request, slug):
    participant = participation_get(user=request.user, slug=slug)
    try:
        _round, created = services.response_round_open(
            workshop=participant.workshop, by=participant
        )
    except ResponseError as exc:
        return refusal_response(request, exc, status=403)
    if created:
        messages.success(
            request,
            _("The response round is open: each delegation can now draft its answers."),
        )
    return redirect(_overview_url(slug))


@require_http_methods(["GET", "POST"])
@login_required
def response_reveal(request, slug):
    """Reveal both sides' responses. While some are unanswered, the
    facilitator is asked first (GET shows the question)."""
    participant = participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    if reason := permissions.run_responses_refusal(participant, workshop.pk):
        return refusal_response(request, ResponseError(reason), status=403)
    progress = response_progress(workshop=workshop)
    complete = all(side.complete for side in progress)
    if request.method == "GET" or (not complete and not confirmed(request)):
        left = ", ".join(
            _("%(code)s: %(left)d unanswered")
            % {"code": side.delegation.code, "left": side.required - side.answered}
            for side in progress
            if not side.complete
        )
        step = ConfirmStep(
            question=_("Reveal both sides' responses now?"),
            consequence=(
                _(
                    "Not every response has been adopted (%(left)s). The record "
                    "will say which were unanswered."
                )
                % {"left": left}
                if not complete
                else _("Both delegations have adopted all their responses.")
            ),
            label=_("Reveal the responses"),
            action=reverse("response_reveal", args=[slug]),
            cancel=_overview_url(slug),
        )
        return confirm_response(request, step, context={"workshop": workshop})
    try:
        services.response_reveal(workshop=workshop, by=participant, early=not complete)
    except ResponseError as exc:
        return refusal_response(request, exc)
    messages.success(request, _("The responses are revealed to both delegations."))
    return redirect(_overview_url(slug))


# -- one item ---------------------------------------------------------------------


def _item_for(request, slug, number, item_number):
    participant = participation_get(user=request.user, slug=slug)
    session = session_get(participant=participant, number=number)
    item = item_get(session=session, number=item_number)
    return participant, item


def _askable_measures(participant):
    """Measures a response may ask for in return: on the table, seen by both."""
    return (
        ReciprocalMeasure.objects.filter(workshop_id=participant.workshop_id)
        .exclude(
            status__in=[
                MeasureStatus.DRAFT,
                MeasureStatus.WITHDRAWN,
                MeasureStatus.SUPERSEDED,
            ]
        )
        .order_by("pk")
    )


def _forms_for(participant, views, *, bound=None):
    """A drafting form per ask the participant's delegation answers, and a
    reply form per revealed response; `bound` = (anchor, form) replaces one."""
    measures = _askable_measures(participant)
    for view in views:
        view.anchor = _anchor(view)
        view.form = view.reply_form = None
        if (
            view.own
            and permissions.draft_response_refusal(
                participant, view.ask.item, view.ask.point
            )
            is None
            and view.round_open
        ):
            latest = view.latest
            initial = {"base": view.response.revision if view.response else 0}
            if latest is not None:
                initial |= {
                    "stance": latest.stance,
                    "reasoning": latest.reasoning,
                    "conditions": latest.conditions,
                    "asks_measure": latest.asks_measure_id,
                }
            view.form = ResponseForm(initial=initial, measures=measures)
        view.can_clarify = False
        if view.response is not None and view.revealed:
            reply = permissions.reply_response_refusal
            if reply(participant, view.response, kind="reply") is None:
                view.reply_form = ReplyForm()
                view.can_clarify = (
                    reply(participant, view.response, kind="clarification") is None
                )
        if bound and bound[0] == view.anchor:
            if isinstance(bound[1], ReplyForm):
                view.reply_form = bound[1]
            else:
                view.form = bound[1]
    return views


def _item_context(participant, item, *, bound=None, error=None, current=None):
    round_ = response_round(workshop=participant.workshop)
    views = responses_for(
        participant=participant, workshop=participant.workshop, item=item, round_=round_
    )
    mode = None
    voted = adopted_by(participant=participant, revisions=[v.latest for v in views])
    for view in views:
        view.round_open = round_ is not None
        view.can_adopt, view.adopt_note = False, None
        if (
            view.own
            and view.latest is not None
            and not view.adopted_is_latest
            and permissions.sees_response_drafts(participant, view.response)
        ):
            # Offer the button only to whom the rule lets adopt; tell the others.
            mode = mode or adoption_mode(
                workshop=participant.workshop, delegation_id=participant.delegation_id
            )
            refusal = permissions.adopt_response_refusal(
                participant, view.response, mode=mode
            )
            view.can_adopt, view.adopt_note = refusal is None, refusal
            if view.can_adopt and view.latest.pk in voted:
                view.can_adopt = False
                view.adopt_note = _(
                    "You have adopted this revision; it becomes the delegation's "
                    "answer once a majority of its delegates have."
                )
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": item.session,
        "item": item,
        "views": _forms_for(participant, views, bound=bound),
        "progress": response_progress(workshop=participant.workshop, round_=round_),
        "error": error,
        "current": current,
        "measure_create_url": reverse(
            "measure_create", args=[participant.workshop.slug]
        )
        + f"?item={item.pk}",
        **_run_context(participant, round_),
    }


@require_GET
@login_required
def response_item(request, slug, number, item_number):
    participant, item = _item_for(request, slug, number, item_number)
    return render(request, "response_item.html", _item_context(participant, item))


def _point(item, data):
    position = positive_number(data.get("point"))
    if position is None:
        return None, True
    point = item.points.filter(position=position).first()
    return point, point is not None


def _view_anchor(participant, point):
    code = participant.delegation.code if participant.delegation_id else "-"
    return f"response-{code}" + (f"-p{point.position}" if point else "")


@require_POST
@login_required
def response_save(request, slug, number, item_number):
    participant, item = _item_for(request, slug, number, item_number)
    point, ok = _point(item, request.POST)
    if not ok:
        return refusal_response(request, ResponseError(_("There is no such point.")))
    if reason := permissions.draft_response_refusal(participant, item, point):
        return refusal_response(request, ResponseError(reason), status=403)
    form = ResponseForm(request.POST, measures=_askable_measures(participant))
    anchor = _view_anchor(participant, point)
    status, current = 400, None
    if form.is_valid():
        data = form.cleaned_data
        try:
            _response, _revision, wrote = services.response_save(
                participant=participant,
                item=item,
                point=point,
                stance=data["stance"],
                reasoning=data["reasoning"],
                conditions=data["conditions"],
                asks_measure=data["asks_measure"],
                base=data["base"],
            )
        except StaleResponse as exc:
            # Keep what they wrote, on top of the current revision: saving
            # again, after comparing, is then a deliberate choice.
            data = request.POST.copy()
            data["base"] = str(exc.current.response.revision)
            form = ResponseForm(data, measures=_askable_measures(participant))
            form.is_valid()
            form.add_error(None, exc)
            status, current = exc.status, exc.current
        except ResponseError as exc:
            form.add_error(None, exc)
            status = exc.status
        else:
            if wrote:
                messages.success(
                    request,
                    _(
                        "Saved. Your delegation sees it; adopt it to make it your answer."
                    ),
                )
            return redirect(_item_url(item, anchor))
    context = _item_context(participant, item, bound=(anchor, form), current=current)
    return render(request, "response_item.html", context, status=status)


def _response_of(participant, item, data):
    """The response a POST names (its point and answering delegation)."""
    point, ok = _point(item, data)
    code = data.get("delegation", "")
    if not ok:
        return None
    return (
        Response.objects.filter(
            round__workshop_id=participant.workshop_id,
            item=item,
            point=point,
            delegation__code=code,
        )
        .select_related("round__workshop", "delegation", "item__session")
        .first()
    )


@require_POST
@login_required
def response_adopt(request, slug, number, item_number):
    participant, item = _item_for(request, slug, number, item_number)
    response = _response_of(participant, item, request.POST)
    if response is None or not permissions.sees_response_drafts(participant, response):
        raise Http404(_("There is no such response."))
    revision = positive_number(request.POST.get("revision")) or 0
    try:
        adopted = services.response_adopt(
            participant=participant, response=response, revision=revision
        )
    except ResponseError as exc:
        return refusal_response(request, exc, back=None)
    if adopted:
        messages.success(request, _("Adopted: this is now your delegation's answer."))
    else:
        messages.success(
            request,
            _("Your adoption is counted; a majority of your delegation adopts it."),
        )
    return redirect(_item_url(item, _anchor_of(response)))


def _anchor_of(response) -> str:
    point = f"-p{response.point.position}" if response.point_id else ""
    return f"response-{response.delegation.code}{point}"


@require_POST
@login_required
def response_reply(request, slug, number, item_number):
    participant, item = _item_for(request, slug, number, item_number)
    response = _response_of(participant, item, request.POST)
    if response is None or not permissions.sees_revealed_responses(
        participant, response.round
    ):
        raise Http404(_("There is no such response."))
    form = ReplyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.response_reply(
                participant=participant,
                response=response,
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
                submission_key=form.cleaned_data["submission"],
            )
        except ResponseError as exc:
            form.add_error(None, exc)
            status = exc.status
        else:
            return redirect(_item_url(item, _anchor_of(response)))
    context = _item_context(participant, item, bound=(_anchor_of(response), form))
    return render(request, "response_item.html", context, status=status)
