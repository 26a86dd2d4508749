"""Reciprocal measures: the package board, the measure page and its actions.

Everyone in the workshop reads; delegates propose, answer and counter; heads
endorse on behalf of their delegation. Drafts exist only for their proposer:
anyone else gets the same 404 as for a measure that does not exist.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue.forms.measures import AnswerForm, MeasureForm
from dialogue.models import (
    AgendaItem,
    EndorsementRule,
    MeasureEndorsement,
    MeasureStatus,
    Participant,
    ReciprocalMeasure,
    Role,
    Sequencing,
    Stance,
)
from dialogue.selectors import workshops as selectors
from dialogue.services import measures as services
from dialogue.services.measures import MeasureContent, MeasureError

# Board columns, left to right, in the order a measure moves through them.
BOARD_COLUMNS = (
    MeasureStatus.PROPOSED,
    MeasureStatus.UNDER_DISCUSSION,
    MeasureStatus.ENDORSED_ONE,
    MeasureStatus.ENDORSED_BOTH,
)
CLOSED_COLUMNS = (MeasureStatus.WITHDRAWN, MeasureStatus.SUPERSEDED)
COUNTERABLE = (
    MeasureStatus.PROPOSED,
    MeasureStatus.UNDER_DISCUSSION,
    MeasureStatus.ENDORSED_ONE,
)
THROUGH = ReciprocalMeasure.items.through


def _poll_seconds() -> int:
    return getattr(settings, "LIVE_POLL_SECONDS", 3)


def _is_delegate(participant: Participant) -> bool:
    return participant.role == Role.DELEGATE and bool(participant.delegation_id)


def _visible(participant: Participant):
    """The measures of the participant's workshop they may see: everything
    but other people's drafts."""
    return ReciprocalMeasure.objects.filter(workshop_id=participant.workshop_id).filter(
        ~Q(status=MeasureStatus.DRAFT) | Q(proposer=participant)
    )


def _card_queryset(participant: Participant):
    """Measures as the board and the panels show them: three queries in all."""
    return (
        _visible(participant)
        .select_related("proposing_delegation")
        .annotate(answer_count=Count("responses"))
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related("session").order_by(
                    "session__number", "number"
                ),
            ),
            Prefetch(
                "endorsements",
                queryset=MeasureEndorsement.objects.select_related(
                    "delegation"
                ).order_by("delegation__code"),
            ),
        )
        .order_by("-created_at", "-id")
    )


def _measure_get(request, slug: str, pk: int):
    """(participant, measure) for a measure the user may see, or 404."""
    participant = selectors.participation_get(user=request.user, slug=slug)
    measure = (
        _visible(participant)
        .select_related("workshop", "proposer__user", "proposing_delegation")
        .filter(pk=pk)
        .first()
    )
    if measure is None:
        raise Http404
    return participant, measure


def _require_delegate(participant: Participant) -> None:
    if not _is_delegate(participant):
        raise PermissionDenied(_("Only delegates can propose and answer measures."))


def _detail_url(measure: ReciprocalMeasure, anchor: str = "") -> str:
    url = reverse("measure_detail", args=[measure.workshop.slug, measure.pk])
    return f"{url}#{anchor}" if anchor else url


# --- the package board ----------------------------------------------------------


def _board_url(base: str, item: int | None, delegation: str | None) -> str:
    params = {"item": item, "delegation": delegation}
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{base}?{query}" if query else base


def _board_filters(request, items, delegations):
    """(item, delegation) chosen by the GET parameters; ValueError if unknown."""
    item = delegation = None
    raw_item = request.GET.get("item", "")
    if raw_item:
        item = next((i for i in items if str(i.number) == raw_item), None)
        if item is None:
            raise ValueError(
                _("There is no item %(item)s in this session.") % {"item": raw_item}
            )
    raw_code = request.GET.get("delegation", "")
    if raw_code:
        delegation = next((d for d in delegations if d.code == raw_code), None)
        if delegation is None:
            raise ValueError(
                _("There is no delegation %(code)s in this workshop.")
                % {"code": raw_code}
            )
    return item, delegation


@require_GET
@login_required
def measure_board(request, slug, number):
    """Every measure linked to the session's items, in columns by status.

    The board region polls itself; an unchanged board answers 304 after two
    queries (the participant and the session's version), besides the ones
    the session and auth middleware make.
    """
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(workshop=participant.workshop, number=number)
    etag = (
        f'"measures.s{session.pk}.v{session.version}.p{participant.pk}'
        f'.{participant.role}.{get_language()}.{"f" if request.htmx else "p"}"'
    )
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response

    workshop = participant.workshop
    items = list(session.items.all())
    delegations = list(workshop.delegations.all())
    try:
        item, delegation = _board_filters(request, items, delegations)
    except ValueError as exc:
        context = {"workshop": workshop, "session": session, "message": str(exc)}
        return render(request, "measure_error.html", context, status=400)

    measures = _card_queryset(participant).filter(
        pk__in=THROUGH.objects.filter(agendaitem__session=session).values(
            "reciprocalmeasure_id"
        )
    )
    if item is not None:
        measures = measures.filter(
            pk__in=THROUGH.objects.filter(agendaitem=item).values(
                "reciprocalmeasure_id"
            )
        )
    if delegation is not None:
        measures = measures.filter(proposing_delegation=delegation)
    by_status = {status: [] for status in MeasureStatus.values}
    for measure in measures:
        by_status[measure.status].append(measure)

    base = reverse("measure_board", args=[workshop.slug, session.number])
    code = delegation.code if delegation else None
    number_ = item.number if item else None
    context = {
        "workshop": workshop,
        "participant": participant,
        "session": session,
        "item": item,
        "delegation": delegation,
        "drafts": by_status[MeasureStatus.DRAFT],
        "columns": [
            (status, MeasureStatus(status).label, by_status[status])
            for status in BOARD_COLUMNS
        ],
        "closed": [
            (status, MeasureStatus(status).label, by_status[status])
            for status in CLOSED_COLUMNS
        ],
        "item_links": [(_("All items"), _board_url(base, None, code), item is None)]
        + [(str(i.number), _board_url(base, i.number, code), i == item) for i in items],
        "delegation_links": [
            (_("All delegations"), _board_url(base, number_, None), delegation is None)
        ]
        + [
            (d.code, _board_url(base, number_, d.code), d == delegation)
            for d in delegations
        ],
        "poll_url": request.get_full_path(),
        "poll_seconds": _poll_seconds(),
        "can_propose": _is_delegate(participant),
    }
    template = "measure_board.html#board" if request.htmx else "measure_board.html"
    response = render(request, template, context)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "HX-Request, Cookie, Accept-Language"
    return response


# --- panels on the session and item pages ------------------------------------------


@require_GET
@login_required
def measure_session_counts(request, slug, number):
    """The counts by status that the session page's panel loads."""
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(workshop=participant.workshop, number=number)
    board = reverse("measure_board", args=[slug, number])
    if not request.htmx:
        return redirect(board)
    rows = (
        _visible(participant)
        .filter(
            pk__in=THROUGH.objects.filter(agendaitem__session=session).values(
                "reciprocalmeasure_id"
            )
        )
        .values("status")
        .annotate(n=Count("id"))
    )
    found = {row["status"]: row["n"] for row in rows}
    counts = [
        (status, label, found.get(status, 0))
        for status, label in MeasureStatus.choices
        if found.get(status) or status in BOARD_COLUMNS
    ]
    context = {
        "workshop": participant.workshop,
        "session": session,
        "counts": counts,
        "total": sum(found.values()),
        "board_url": board,
    }
    return render(request, "measure_session_panel.html#counts", context)


@require_GET
@login_required
def measure_item_list(request, slug, number, item_number):
    """The measures linked to one item, for the panel on the item page."""
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(workshop=participant.workshop, number=number)
    item = session.items.filter(number=item_number).first()
    if item is None:
        raise Http404
    board = reverse("measure_board", args=[slug, number])
    if not request.htmx:
        return redirect(f"{board}?{urlencode({'item': item.number})}")
    measures = _card_queryset(participant).filter(
        pk__in=THROUGH.objects.filter(agendaitem=item).values("reciprocalmeasure_id")
    )
    context = {
        "workshop": participant.workshop,
        "participant": participant,
        "item": item,
        "measures": measures,
        "board_url": f"{board}?{urlencode({'item': item.number})}",
    }
    return render(request, "measure_item_panel.html#list", context)


# --- the measure page -----------------------------------------------------------------


def _tally(workshop, delegations, responses, endorsements):
    """Per delegation: counts per stance, total, and its endorsement if any."""
    by_code = {e.delegation.code: e for e in endorsements}
    rows = []
    for delegation in delegations:
        counts = dict.fromkeys(Stance.values, 0)
        for response in responses:
            if response.participant.delegation_id == delegation.pk:
                counts[response.stance] += 1
        rows.append(
            {
                "delegation": delegation,
                "counts": [counts[stance] for stance in Stance.values],
                "total": sum(counts.values()),
                "endorsement": by_code.get(delegation.code),
                "mode": services.endorsement_mode(
                    workshop=workshop,
                    delegation_has_head=delegation.head_count > 0,
                ),
            }
        )
    return rows


def _detail_context(participant: Participant, measure: ReciprocalMeasure) -> dict:
    workshop = participant.workshop
    items_qs = AgendaItem.objects.select_related("session").order_by(
        "session__number", "number"
    )
    measure = (
        ReciprocalMeasure.objects.select_related(
            "workshop", "proposer__user", "proposing_delegation", "revision_of"
        )
        .prefetch_related(
            Prefetch("items", queryset=items_qs),
            Prefetch("revision_of__items", queryset=items_qs),
        )
        .get(pk=measure.pk)
    )
    delegations = list(
        workshop.delegations.annotate(
            head_count=Count("participants", filter=Q(participants__is_head=True))
        )
    )
    responses = list(
        measure.responses.select_related("participant__user", "participant__delegation")
    )
    endorsements = list(
        measure.endorsements.select_related("delegation", "endorsed_by__user").order_by(
            "delegation__code"
        )
    )
    chain = list(
        ReciprocalMeasure.objects.filter(root_id=measure.root_id or measure.pk)
        .exclude(status=MeasureStatus.DRAFT)
        .select_related("proposing_delegation")
        .order_by("revision")
    )
    events = list(measure.events.select_related("actor__user", "actor__delegation"))
    labels = dict(Stance.choices)
    for event in events:
        event.stance_label = labels.get(event.detail.get("stance"), "")
        event.previous_label = labels.get(event.detail.get("previous_stance"), "")
    items = list(measure.items.all())
    board_sessions = list(
        {item.session.number: item.session for item in items}.values()
    )
    others = [d for d in delegations if d.pk != measure.proposing_delegation_id]
    other_side = others[0] if len(others) == 1 else None
    mine = next((r for r in responses if r.participant_id == participant.pk), None)
    endorsed_ids = {e.delegation_id for e in endorsements}
    is_proposer = measure.proposer_id == participant.pk
    status = measure.status
    changes = services.measure_changes(measure)
    previous = None
    if measure.revision_of is not None:
        previous = services.content_for_side(
            measure.revision_of, measure.proposing_delegation_id
        )
    latest = chain[-1] if chain else measure
    sequencing = {
        Sequencing.PROPOSER_FIRST: measure.proposing_delegation.name,
        Sequencing.OTHER_FIRST: other_side.name if other_side else "",
    }.get(measure.sequencing, "")
    return {
        "workshop": workshop,
        "participant": participant,
        "measure": measure,
        "items": items,
        "board_sessions": board_sessions,
        "other_side": other_side,
        "sequencing_side": sequencing,
        "tally": _tally(workshop, delegations, responses, endorsements),
        "stances": Stance.choices,
        "responses": responses,
        "endorsements": endorsements,
        "chain": chain,
        "latest": latest,
        "events": events,
        "changes": changes,
        "previous": previous,
        "my_answer": mine,
        "is_draft": status == MeasureStatus.DRAFT,
        "can_answer": _is_delegate(participant) and status in services.OPEN_STATUSES,
        "can_edit": is_proposer
        and (
            status == MeasureStatus.DRAFT
            or (status == MeasureStatus.PROPOSED and not responses)
        ),
        "can_counter": _is_delegate(participant) and status in COUNTERABLE,
        "can_withdraw": is_proposer and status in COUNTERABLE,
        "can_endorse": participant.is_head
        and workshop.endorsement_rule != EndorsementRule.MAJORITY
        and status in services.OPEN_STATUSES
        and participant.delegation_id not in endorsed_ids,
        "endorsement_rule": EndorsementRule(workshop.endorsement_rule).label,
    }


def _render_detail(request, participant, measure, *, answer_form=None, error=None):
    context = _detail_context(participant, measure)
    mine = context["my_answer"]
    if answer_form is None:
        initial = {"stance": mine.stance, "reason": mine.reason} if mine else {}
        answer_form = AnswerForm(initial=initial)
    context["answer_form"] = answer_form
    context["error"] = error
    bad = error is not None or answer_form.errors
    return render(request, "measure_detail.html", context, status=400 if bad else 200)


@require_GET
@login_required
def measure_detail(request, slug, pk):
    participant, measure = _measure_get(request, slug, pk)
    return _render_detail(request, participant, measure)


@require_POST
@login_required
def measure_answer(request, slug, pk):
    participant, measure = _measure_get(request, slug, pk)
    _require_delegate(participant)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.measure_answer(
                measure=measure,
                by=participant,
                stance=form.cleaned_data["stance"],
                reason=form.cleaned_data["reason"],
            )
        except MeasureError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect(_detail_url(measure, "answers"))
    return _render_detail(request, participant, measure, answer_form=form)


def _action(request, slug, pk, act, done: str):
    """Run a one-button action; on refusal show the measure with the reason."""
    participant, measure = _measure_get(request, slug, pk)
    try:
        result = act(participant, measure)
    except MeasureError as exc:
        return _render_detail(request, participant, measure, error=exc.messages)
    messages.success(request, done)
    return redirect(result or _detail_url(measure))


@require_POST
@login_required
def measure_endorse(request, slug, pk):
    def act(participant, measure):
        _require_delegate(participant)
        code = request.POST.get("delegation", "")
        delegation = participant.workshop.delegations.filter(code=code).first()
        if delegation is None:
            raise MeasureError(
                _("There is no delegation %(code)s in this workshop.") % {"code": code}
            )
        services.measure_endorse(measure=measure, delegation=delegation, by=participant)

    return _action(
        request,
        slug,
        pk,
        act,
        _("The measure is endorsed on behalf of your delegation."),
    )


@require_POST
@login_required
def measure_withdraw(request, slug, pk):
    def act(participant, measure):
        services.measure_withdraw(measure=measure, by=participant)

    return _action(request, slug, pk, act, _("The measure is withdrawn."))


@require_POST
@login_required
def measure_propose(request, slug, pk):
    def act(participant, measure):
        services.measure_propose(measure=measure, by=participant)

    return _action(request, slug, pk, act, _("The measure is proposed."))


@require_POST
@login_required
def measure_delete(request, slug, pk):
    def act(participant, measure):
        services.measure_delete_draft(measure=measure, by=participant)
        return reverse("workshop_detail", args=[slug])

    return _action(request, slug, pk, act, _("The draft is deleted."))


# --- propose, edit, counter ----------------------------------------------------------


def _render_form(request, context, form, status=200):
    context["form"] = form
    return render(request, "measure_form.html", context, status=status)


def _form_context(participant, mode, measure=None, heading=""):
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "measure": measure,
        "mode": mode,
        "heading": heading,
    }


@require_http_methods(["GET", "POST"])
@login_required
def measure_create(request, slug):
    participant = selectors.participation_get(user=request.user, slug=slug)
    _require_delegate(participant)
    workshop = participant.workshop
    context = _form_context(participant, "create", heading=_("Propose a measure"))
    if request.method == "GET":
        initial = {"sequencing": Sequencing.SIMULTANEOUS, "reversibility": "reversible"}
        initial["measure_type"] = "other"
        raw = request.GET.getlist("item")
        ids = [int(v) for v in raw if v.isascii() and v.isdigit() and len(v) < 19]
        initial["items"] = list(
            AgendaItem.objects.filter(pk__in=ids, session__workshop=workshop)
        )
        return _render_form(
            request, context, MeasureForm(workshop=workshop, initial=initial)
        )
    form = MeasureForm(request.POST, workshop=workshop)
    if form.is_valid():
        try:
            measure = services.measure_create(
                proposer=participant,
                content=form.content(),
                items=form.cleaned_data["items"],
                propose=request.POST.get("action") != "draft",
            )
        except MeasureError as exc:
            form.add_error(None, exc)
        else:
            if measure.status == MeasureStatus.DRAFT:
                messages.success(request, _("Draft saved. Only you can see it."))
            else:
                messages.success(request, _("The measure is proposed."))
            return redirect(reverse("measure_detail", args=[slug, measure.pk]))
    return _render_form(request, context, form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def measure_edit(request, slug, pk):
    participant, measure = _measure_get(request, slug, pk)
    if measure.proposer_id != participant.pk:
        raise PermissionDenied(_("Only its proposer can edit a measure."))
    workshop = participant.workshop
    context = _form_context(participant, "edit", measure, _("Edit the measure"))
    if request.method == "GET":
        refusal = services.measure_refusal(measure=measure, action="edit")
        if refusal:
            return _render_detail(request, participant, measure, error=[refusal])
        initial = MeasureForm.initial_from(
            MeasureContent.of(measure), measure.items.all()
        )
        return _render_form(
            request, context, MeasureForm(workshop=workshop, initial=initial)
        )
    form = MeasureForm(request.POST, workshop=workshop)
    if form.is_valid():
        try:
            services.measure_update(
                measure=measure,
                by=participant,
                content=form.content(),
                items=form.cleaned_data["items"],
            )
        except MeasureError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect(_detail_url(measure))
    return _render_form(request, context, form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def measure_counter(request, slug, pk):
    participant, measure = _measure_get(request, slug, pk)
    _require_delegate(participant)
    workshop = participant.workshop
    context = _form_context(
        participant,
        "counter",
        measure,
        _("Counter-proposal to “%(title)s”") % {"title": measure.title},
    )
    if request.method == "GET":
        refusal = services.measure_refusal(measure=measure, action="counter")
        if refusal:
            return _render_detail(request, participant, measure, error=[refusal])
        content = services.content_for_side(measure, participant.delegation_id)
        initial = MeasureForm.initial_from(content, measure.items.all())
        return _render_form(
            request, context, MeasureForm(workshop=workshop, initial=initial)
        )
    form = MeasureForm(request.POST, workshop=workshop)
    if form.is_valid():
        try:
            counter = services.measure_counter(
                measure=measure,
                by=participant,
                content=form.content(),
                items=form.cleaned_data["items"],
            )
        except MeasureError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your counter-proposal is revision %(revision)d of the measure.")
                % {"revision": counter.revision},
            )
            return redirect(reverse("measure_detail", args=[slug, counter.pk]))
    return _render_form(request, context, form, status=400)
