"""Reciprocal measures: the measure page, its actions, and the forms that
propose, edit and counter one.

Everyone in the workshop reads; delegates propose, answer and counter; heads
endorse on behalf of their delegation (who may do what: `permissions`).
Drafts exist only for their proposer: anyone else gets the same 404 as for a
measure that does not exist. The package board is in `measure_board`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue import permissions
from dialogue.errors import refusal_response
from dialogue.forms.measures import AnswerForm, MeasureForm
from dialogue.models import EndorsementRule, MeasureStatus, ReciprocalMeasure, Stance
from dialogue.selectors.links import link_get, measure_prefill
from dialogue.selectors.measures import measure_detail_data, measure_get
from dialogue.selectors.packages import packages_holding
from dialogue.selectors.workshops import participation_get
from dialogue.services import measures as services
from dialogue.services.measures import MeasureContent, MeasureError, MeasureForbidden
from dialogue.views.confirm import ConfirmStep, confirm_response, confirmed
from dialogue.views.params import positive_number


def _measure_for(request, slug: str, pk: int):
    """(participant, measure) for a measure the user may see, or 404."""
    participant = participation_get(user=request.user, slug=slug)
    return participant, measure_get(participant=participant, pk=pk)


def _forbidden(request, reason):
    """The page is not for this participant's role: 403 with the reason."""
    return refusal_response(request, MeasureForbidden(reason))


def _detail_url(measure: ReciprocalMeasure, anchor: str = "") -> str:
    url = reverse("measure_detail", args=[measure.workshop.slug, measure.pk])
    return f"{url}#{anchor}" if anchor else url


# --- the measure page -----------------------------------------------------------------


def _detail_context(participant, measure) -> dict:
    detail = measure_detail_data(participant=participant, measure=measure)
    actions = detail.actions
    workshop = participant.workshop
    return {
        "workshop": workshop,
        "participant": participant,
        "measure": detail.measure,
        "items": detail.items,
        "board_sessions": detail.board_sessions,
        "other_side": detail.other_side,
        "sequencing_side": detail.sequencing_side,
        "tally": detail.tally,
        "stances": Stance.choices,
        "responses": detail.responses,
        "endorsements": detail.endorsements,
        "chain": detail.chain,
        "latest": detail.latest,
        "events": detail.events,
        "changes": detail.changes,
        "previous": detail.previous,
        "my_answer": detail.my_answer,
        "is_draft": detail.measure.status == MeasureStatus.DRAFT,
        "can_answer": actions.answer,
        "can_edit": actions.edit,
        "can_counter": actions.counter,
        "can_withdraw": actions.withdraw,
        "can_endorse": actions.endorse,
        "can_propose_draft": actions.propose_draft,
        "can_delete_draft": actions.delete_draft,
        "endorsement_rule": EndorsementRule(workshop.endorsement_rule).label,
        "packages": packages_holding(participant=participant, measure=detail.measure),
    }


def _render_detail(
    request, participant, measure, *, answer_form=None, error=None, status=None
):
    context = _detail_context(participant, measure)
    mine = context["my_answer"]
    if answer_form is None:
        initial = {"stance": mine.stance, "reason": mine.reason} if mine else {}
        answer_form = AnswerForm(initial=initial)
    context["answer_form"] = answer_form
    context["error"] = error
    if status is None:
        status = 400 if error is not None or answer_form.errors else 200
    return render(request, "measure_detail.html", context, status=status)


def _refused(request, participant, measure, exc: MeasureError):
    """The measure's page with the reason the action was refused."""
    return _render_detail(
        request, participant, measure, error=exc.messages, status=exc.status
    )


@require_GET
@login_required
def measure_detail(request, slug, pk):
    participant, measure = _measure_for(request, slug, pk)
    return _render_detail(request, participant, measure)


@require_POST
@login_required
def measure_answer(request, slug, pk):
    participant, measure = _measure_for(request, slug, pk)
    if reason := permissions.write_measures_refusal(participant):
        return _forbidden(request, reason)
    form = AnswerForm(request.POST)
    status = 400
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
            status = exc.status
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect(_detail_url(measure, "answers"))
    return _render_detail(
        request, participant, measure, answer_form=form, status=status
    )


def _measure_action(act, done: str, *, writer_only: bool = False):
    """A POST that applies one service to the measure, then goes back to it
    (or to where `act` returns); a refusal shows the measure with the reason.
    `writer_only`: anyone but a delegate is refused the page outright."""

    @require_POST
    @login_required
    def view(request, slug, pk):
        participant, measure = _measure_for(request, slug, pk)
        if writer_only and (reason := permissions.write_measures_refusal(participant)):
            return _forbidden(request, reason)
        try:
            result = act(request, participant, measure)
        except MeasureError as exc:
            return _refused(request, participant, measure, exc)
        messages.success(request, done)
        return redirect(result or _detail_url(measure))

    return view


def _delegation(participant, code: str):
    """The workshop's delegation with this code; a refusal names a wrong one."""
    # Compared in Python, not in SQL: a posted code may hold any character
    # (PostgreSQL refuses a NUL in a query), and a workshop has two or three.
    delegation = next(
        (d for d in participant.workshop.delegations.all() if d.code == code), None
    )
    if delegation is None:
        shown = code if code.isprintable() and len(code) <= 12 else "?"
        raise MeasureError(
            _("There is no delegation %(code)s in this workshop.") % {"code": shown}
        )
    return delegation


def _endorse(request, participant, measure):
    delegation = _delegation(participant, request.POST.get("delegation", ""))
    services.measure_endorse(measure=measure, delegation=delegation, by=participant)


def _withdraw(request, participant, measure):
    services.measure_withdraw(measure=measure, by=participant)


def _propose(request, participant, measure):
    services.measure_propose(measure=measure, by=participant)


def _delete(request, participant, measure):
    services.measure_delete_draft(measure=measure, by=participant)
    return reverse("workshop_detail", args=[participant.workshop.slug])


_endorse_confirmed = _measure_action(
    _endorse,
    gettext_lazy("The measure is endorsed on behalf of your delegation."),
    writer_only=True,
)


@require_http_methods(["GET", "POST"])
@login_required
def measure_endorse(request, slug, pk):
    """Endorsing on behalf of a delegation asks first (views/confirm.py):
    a GET, or a POST without confirm=1, shows the question and changes
    nothing; only the confirmed POST endorses."""
    if confirmed(request):
        return _endorse_confirmed(request, slug, pk)
    participant, measure = _measure_for(request, slug, pk)
    if reason := permissions.write_measures_refusal(participant):
        return _forbidden(request, reason)
    data = request.POST if request.method == "POST" else request.GET
    try:
        delegation = _delegation(participant, data.get("delegation", ""))
        if reason := permissions.endorse_measure_refusal(
            participant, measure, delegation
        ):
            raise MeasureError(reason)
    except MeasureError as exc:
        return _refused(request, participant, measure, exc)
    step = ConfirmStep(
        question=_("Endorse this measure on behalf of %(name)s?")
        % {"name": delegation.name},
        consequence=_(
            "The endorsement speaks for the whole delegation; everyone in the "
            "workshop will see it, and it cannot be withdrawn here."
        ),
        label=_("Endorse on behalf of %(name)s") % {"name": delegation.name},
        action=reverse("measure_endorse", args=[slug, measure.pk]),
        cancel=_detail_url(measure, "answers"),
        fields=(("delegation", delegation.code),),
    )
    context = {"workshop": participant.workshop, "measure": measure}
    return confirm_response(request, step, context=context)


measure_withdraw = _measure_action(_withdraw, gettext_lazy("The measure is withdrawn."))
measure_propose = _measure_action(_propose, gettext_lazy("The measure is proposed."))
measure_delete = _measure_action(_delete, gettext_lazy("The draft is deleted."))


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
    participant = participation_get(user=request.user, slug=slug)
    if reason := permissions.write_measures_refusal(participant):
        return _forbidden(request, reason)
    workshop = participant.workshop
    context = _form_context(participant, "create", heading=_("Propose a measure"))
    if request.method == "GET":
        ids = [positive_number(v) for v in request.GET.getlist("item")]
        # "Propose a measure from this pair" (the links page): ?link=<id>.
        prefill = {}
        if (link_id := positive_number(request.GET.get("link"))) is not None:
            link = link_get(participant=participant, pk=link_id)
            prefill = measure_prefill(participant=participant, link=link)
            ids += prefill.pop("item_ids")
        form = MeasureForm.blank(
            workshop=workshop,
            participant=participant,
            item_ids=[i for i in ids if i is not None],
        )
        form.initial.update(prefill)
        return _render_form(request, context, form)
    form = MeasureForm(request.POST, workshop=workshop, participant=participant)
    status = 400
    if form.is_valid():
        try:
            measure = services.measure_create(
                proposer=participant,
                content=form.content(),
                items=form.cleaned_data["items"],
                propose=request.POST.get("action") != "draft",
                submission_key=form.cleaned_data["submission"],
            )
        except MeasureError as exc:
            form.add_error(None, exc)
            status = exc.status
        else:
            if measure.status == MeasureStatus.DRAFT:
                messages.success(request, _("Draft saved. Only you can see it."))
            else:
                messages.success(request, _("The measure is proposed."))
            return redirect(reverse("measure_detail", args=[slug, measure.pk]))
    return _render_form(request, context, form, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def measure_edit(request, slug, pk):
    participant, measure = _measure_for(request, slug, pk)
    if reason := permissions.edit_measure_refusal(participant, measure):
        return _forbidden(request, reason)
    workshop = participant.workshop
    context = _form_context(participant, "edit", measure, _("Edit the measure"))
    if request.method == "GET":
        if refusal := services.measure_refusal(measure=measure, action="edit"):
            return _render_detail(request, participant, measure, error=[refusal])
        initial = MeasureForm.initial_from(
            MeasureContent.of(measure), measure.items.all()
        )
        return _render_form(
            request,
            context,
            MeasureForm(workshop=workshop, participant=participant, initial=initial),
        )
    form = MeasureForm(request.POST, workshop=workshop, participant=participant)
    status = 400
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
            status = exc.status
        else:
            messages.success(request, _("The measure is saved."))
            return redirect(_detail_url(measure))
    return _render_form(request, context, form, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def measure_counter(request, slug, pk):
    participant, measure = _measure_for(request, slug, pk)
    if reason := permissions.write_measures_refusal(participant):
        return _forbidden(request, reason)
    workshop = participant.workshop
    context = _form_context(
        participant,
        "counter",
        measure,
        _("Counter-proposal to “%(title)s”") % {"title": measure.title},
    )
    if request.method == "GET":
        if refusal := services.measure_refusal(measure=measure, action="counter"):
            return _render_detail(request, participant, measure, error=[refusal])
        content = services.content_for_side(measure, participant.delegation_id)
        initial = MeasureForm.initial_from(content, measure.items.all())
        return _render_form(
            request,
            context,
            MeasureForm(workshop=workshop, participant=participant, initial=initial),
        )
    form = MeasureForm(request.POST, workshop=workshop, participant=participant)
    status = 400
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
            status = exc.status
        else:
            messages.success(
                request,
                _("Your counter-proposal is revision %(revision)d of the measure.")
                % {"revision": counter.revision},
            )
            return redirect(reverse("measure_detail", args=[slug, counter.pk]))
    return _render_form(request, context, form, status=status)
