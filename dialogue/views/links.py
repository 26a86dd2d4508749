"""Item links: the links page (both lists side by side, the chart, the list
with its verdicts and the form), and its actions.

Everyone in the workshop reads; the organisers and the delegates suggest;
a delegation's head, or any of its delegates where it decides by majority,
confirms or rejects for it (who may do what: `permissions`). A stranger or
a member of another workshop gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dialogue import permissions
from dialogue.forms.links import LinkForm
from dialogue.selectors.links import link_get, linkable_items, links_page
from dialogue.selectors.workshops import participation_get
from dialogue.services import links as services
from dialogue.services.links import LinkEnd, LinkError


def _page_url(slug: str, anchor: str = "") -> str:
    url = reverse("links_page", args=[slug])
    return f"{url}#{anchor}" if anchor else url


def _render_page(request, participant, *, form=None, error=None, status=200):
    page = links_page(participant=participant)
    if form is None:
        form = LinkForm(items=linkable_items(participant=participant))
    context = {
        "workshop": participant.workshop,
        "participant": participant,
        "page": page,
        # link_chart escapes every text it draws; nothing else is marked safe.
        "chart": mark_safe(page.chart_svg),  # noqa: S308
        "form": form,
        "error": error,
        "can_decide": page.can_decide,
        "can_propose_measure": permissions.can_propose_measure(participant),
        "suggest_for": permissions.link_suggested_for(participant),
    }
    return render(request, "link_page.html", context, status=status)


@require_GET
@login_required
def link_page(request, slug):
    participant = participation_get(user=request.user, slug=slug)
    return _render_page(request, participant)


@require_POST
@login_required
def link_suggest(request, slug):
    participant = participation_get(user=request.user, slug=slug)
    form = LinkForm(request.POST, items=linkable_items(participant=participant))
    status = 400
    if form.is_valid():
        point_a, point_b = form.point("a"), form.point("b")
    if form.is_valid():
        data = form.cleaned_data
        try:
            link = services.link_suggest(
                by=participant,
                workshop=participant.workshop,
                kind=data["kind"],
                end_a=LinkEnd(data["item_a"], point_a, data["quote_a"]),
                end_b=LinkEnd(data["item_b"], point_b, data["quote_b"]),
                note=data["note"],
            )
        except LinkError as exc:
            form.add_error(None, exc)
            status = exc.status
        else:
            messages.success(request, _("The link is suggested to both delegations."))
            return redirect(_page_url(slug, f"link-{link.pk}"))
    return _render_page(request, participant, form=form, status=status)


def _decision(act, done: str):
    @require_POST
    @login_required
    def view(request, slug, pk):
        participant = participation_get(user=request.user, slug=slug)
        link = link_get(participant=participant, pk=pk)
        try:
            act(link=link, by=participant)
        except LinkError as exc:
            return _render_page(
                request, participant, error=exc.messages, status=exc.status
            )
        messages.success(request, done)
        return redirect(_page_url(slug, f"link-{link.pk}"))

    return view


link_confirm = _decision(
    services.link_confirm, gettext_lazy("Your delegation has confirmed the link.")
)
link_reject = _decision(
    services.link_reject, gettext_lazy("Your delegation has rejected the link.")
)
