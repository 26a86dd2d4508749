"""One confirm step for the actions that cannot be taken back with one click:
withdrawing or hiding a comment, moving a session to ranking or closing it,
endorsing a measure on behalf of a delegation.

The page offers such an action as a GET form to the action's own URL. Without
JavaScript the GET answers a confirm page ("Withdraw your comment? [Withdraw]
[Cancel]"); with htmx the same step arrives as a fragment that `live.js`
shows in the page's <dialog>. Only a POST carrying `confirm=1` acts: a POST
without it changes nothing and answers 400 with the confirm step, so no
client can skip the question.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

CONFIRM_FIELD = "confirm"


@dataclass(frozen=True)
class ConfirmStep:
    """What the confirm step asks, and where its answer goes.

    `fields` are posted back unchanged (hidden); `reason`, when not None, is
    an editable field named "reason" (hiding a comment asks for one).
    `target` is the element the confirmed POST replaces when sent by htmx
    ("" sends a plain POST, which redirects).
    """

    question: str
    consequence: str
    label: str
    action: str
    cancel: str
    fields: tuple[tuple[str, str], ...] = ()
    reason: str | None = None
    reason_label: str = field(default=_("Reason (the author will see it)"))
    target: str = ""


def confirmed(request) -> bool:
    """A POST that answered the confirm step."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirm_response(request, step: ConfirmStep, *, context: dict):
    """The confirm step: a page, or the fragment for the page's dialog.

    200 for the GET that asks; 400 for a POST that did not confirm (nothing
    was done, and the step says so).
    """
    asked = request.method == "GET"
    template = "confirm.html#step" if request.htmx else "confirm.html"
    return render(
        request,
        template,
        {**context, "step": step, "unconfirmed": not asked},
        status=200 if asked else 400,
    )
