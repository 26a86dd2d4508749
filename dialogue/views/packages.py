"""Packages of measures: a package's page, the form that bundles measures,
and the actions on a package.

Everyone in the workshop reads; delegates bundle; heads endorse on behalf
of their delegation; the creator changes or withdraws the package (who may
do what: `permissions`). Anyone outside the workshop gets 404; observers and
rapporteurs read and are refused every action (403).
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
from dialogue.forms.packages import MemberForm, PackageForm
from dialogue.models import EndorsementRule
from dialogue.selectors.packages import (
    package_candidates,
    package_detail_data,
    package_get,
)
from dialogue.selectors.workshops import participation_get
from dialogue.services import packages as services
from dialogue.services.packages import PackageError, PackageForbidden
from dialogue.views.confirm import ConfirmStep, confirm_response, confirmed
from dialogue.views.params import positive_number


def _package_for(request, slug: str, pk: int):
    """(participant, package) for a package the user may see, or 404."""
    participant = participation_get(user=request.user, slug=slug)
    return participant, package_get(participant=participant, pk=pk)


def _detail_url(package) -> str:
    return reverse("package_detail", args=[package.workshop.slug, package.pk])


def _forbidden(request, participant):
    """Only delegates act on packages: 403 with the reason, or None."""
    if reason := permissions.write_measures_refusal(participant):
        return refusal_response(request, PackageForbidden(reason))
    return None


def _render_detail(request, participant, package, *, error=None, status=None):
    detail = package_detail_data(participant=participant, package=package)
    workshop = participant.workshop
    context = {
        "workshop": workshop,
        "participant": participant,
        "card": detail.card,
        "package": detail.card.package,
        "members": detail.members,
        "events": detail.events,
        "modes": detail.modes,
        "add_form": MemberForm(candidates=detail.candidates)
        if detail.candidates
        else None,
        "endorsement_rule": EndorsementRule(workshop.endorsement_rule).label,
        "error": error,
    }
    status = status or (400 if error else 200)
    return render(request, "package_detail.html", context, status=status)


@require_GET
@login_required
def package_detail(request, slug, pk):
    participant, package = _package_for(request, slug, pk)
    return _render_detail(request, participant, package)


def _package_action(act, done):
    """A POST that applies one service to the package, then goes back to it;
    a refusal shows the package with the reason."""

    @require_POST
    @login_required
    def view(request, slug, pk):
        participant, package = _package_for(request, slug, pk)
        if refused := _forbidden(request, participant):
            return refused
        try:
            act(request, participant, package)
        except PackageError as exc:
            return _render_detail(
                request, participant, package, error=exc.messages, status=exc.status
            )
        messages.success(request, done)
        return redirect(_detail_url(package))

    return view


def _member(request, candidates):
    """The measure a member form names, among `candidates`."""
    form = MemberForm(request.POST, candidates=candidates)
    if not form.is_valid():
        raise PackageError(_("Choose one of the measures offered."))
    return form.cleaned_data["measure"]


def _own_delegation(participant):
    if participant.delegation is None:
        raise PackageError(
            _("Only the head of a delegation can endorse on its behalf.")
        )
    return participant.delegation


def _endorse(request, participant, package):
    services.package_endorse(
        package=package, delegation=_own_delegation(participant), by=participant
    )


def _unendorse(request, participant, package):
    services.package_withdraw_endorsement(
        package=package, delegation=_own_delegation(participant), by=participant
    )


def _withdraw(request, participant, package):
    services.package_withdraw(package=package, by=participant)


def _add(request, participant, package):
    services.package_add_member(
        package=package,
        measure=_member(request, package_candidates(participant=participant)),
        by=participant,
    )


def _remove(request, participant, package):
    services.package_remove_member(
        package=package, measure=_member(request, package.members.all()), by=participant
    )


_endorse_confirmed = _package_action(
    _endorse, gettext_lazy("The package is endorsed on behalf of your delegation.")
)
package_withdraw_endorsement = _package_action(
    _unendorse,
    gettext_lazy("Your delegation's endorsement of the package is withdrawn."),
)
package_withdraw = _package_action(_withdraw, gettext_lazy("The package is withdrawn."))
package_add_member = _package_action(
    _add, gettext_lazy("The measure is added to the package.")
)
package_remove_member = _package_action(
    _remove, gettext_lazy("The measure is removed from the package.")
)


@require_http_methods(["GET", "POST"])
@login_required
def package_endorse(request, slug, pk):
    """Endorsing on behalf of the delegation asks first (views/confirm.py):
    only the confirmed POST endorses."""
    if confirmed(request):
        return _endorse_confirmed(request, slug, pk)
    participant, package = _package_for(request, slug, pk)
    if refused := _forbidden(request, participant):
        return refused
    delegation = participant.delegation
    if reason := permissions.endorse_package_refusal(participant, package, delegation):
        return _render_detail(request, participant, package, error=[reason])
    step = ConfirmStep(
        question=_("Endorse this package on behalf of %(name)s?")
        % {"name": delegation.name},
        consequence=_(
            "The endorsement speaks for the whole delegation and covers every "
            "measure in the package, as a whole. A change to any of them "
            "suspends it until the delegation endorses the package again."
        ),
        label=_("Endorse the package on behalf of %(name)s")
        % {"name": delegation.name},
        action=reverse("package_endorse", args=[slug, package.pk]),
        cancel=_detail_url(package),
    )
    context = {"workshop": participant.workshop, "package": package}
    return confirm_response(request, step, context=context)


@require_http_methods(["GET", "POST"])
@login_required
def package_create(request, slug):
    participant = participation_get(user=request.user, slug=slug)
    if refused := _forbidden(request, participant):
        return refused
    candidates = package_candidates(participant=participant)
    context = {"workshop": participant.workshop, "participant": participant}
    if request.method == "GET":
        ids = [positive_number(v) for v in request.GET.getlist("measure")]
        form = PackageForm(
            candidates=candidates,
            initial={"members": list(candidates.filter(pk__in=[i for i in ids if i]))},
        )
        return render(request, "package_form.html", {**context, "form": form})
    form = PackageForm(request.POST, candidates=candidates)
    status = 400
    if form.is_valid():
        try:
            package = services.package_create(
                by=participant,
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
                members=form.cleaned_data["members"],
                submission_key=form.cleaned_data["submission"],
            )
        except PackageError as exc:
            form.add_error(None, exc)
            status = exc.status
        else:
            messages.success(request, _("The package is on the table."))
            return redirect(_detail_url(package))
    return render(
        request, "package_form.html", {**context, "form": form}, status=status
    )
