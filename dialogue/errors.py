"""One refusal family: what the rules refuse, and how a refusal is shown.

Every service raises a `Refusal` (or a subclass named after its area, such as
`CommentError`) when a rule says no. A refusal is a Django `ValidationError`,
so a form can take it with `form.add_error(None, exc)`; its `messages` are for
people, already translated, and its `status` is the HTTP status a view
answers with: 400 for a request the rules refuse, 403 (`Forbidden`) for a
role that may not act at all. A stranger to the workshop never reaches a
refusal: the views answer 404 before any rule is asked.

`refusal_response` is the one way a view renders a refusal that has no form
to sit in: a full page, or the bare fragment for htmx.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render


class Refusal(ValidationError):
    """A request the rules refuse; `messages` say why, for the person."""

    status = 400

    def __init__(self, message, code=None, params=None, *, status=None):
        super().__init__(message, code=code, params=params)
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.messages)


class Forbidden(Refusal):
    """The participant's role does not allow the action at all."""

    status = 403


def require(reason, error: type[Refusal] = Refusal) -> None:
    """Raise `error(reason)` unless `reason` is None.

    The permission predicates in `dialogue.permissions` return the reason an
    action is refused (or None); services pass it here.
    """
    if reason is not None:
        raise error(reason)


def refusal_response(request, exc: Refusal, *, back=None, status=None):
    """The refusal as a page (or an htmx fragment), with its status.

    `back` is an object with `get_absolute_url` to offer a way back.
    """
    return render(
        request,
        "refusal.html",
        {"reasons": exc.messages, "back": back},
        status=status or exc.status,
    )
