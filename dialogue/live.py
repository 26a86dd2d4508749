"""Live pages: what invalidates them, their ETag, and the poll they answer.

Every change that a live page shows (a comment, an endorsement, moderation,
a phase, the item under discussion, a measure, a ranking round) calls
`session_touch`, which bumps `Session.version` with one UPDATE. A live page
and its polled fragment carry the ETag built by `session_etag`; the poll
sends it back in If-None-Match and an unchanged page answers 304 after one
query (plus the user's, done by auth). `live_poll` wraps a view in Django's
`condition(etag_func=...)` and marks the answer private and uncached, so a
proxy never serves one person's page to another.
"""

from collections.abc import Iterable
from functools import wraps

from django.db.models import F
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from dialogue.models import Session


def session_touch(*, session_id: int) -> None:
    """Bump the session's version: live pages see the change on their next poll."""
    Session.objects.filter(pk=session_id).update(version=F("version") + 1)


def sessions_touch(*, session_ids: Iterable[int]) -> None:
    """Bump several sessions at once (a measure linked to items of two)."""
    ids = sorted(set(session_ids))
    if ids:
        Session.objects.filter(pk__in=ids).update(version=F("version") + 1)


def session_etag(request, *, slug: str, number: int, kind: str) -> str | None:
    """The ETag of a live view of this session, or None for anyone outside
    the workshop (the view then answers 404 as usual).

    One query, which also checks membership. The tag names the view (`kind`),
    the session's version, the viewer and their role (pages differ per person
    and role), the language and, for htmx requests, that it is the fragment.
    """
    user = request.user
    if not user.is_authenticated:
        return None
    found = (
        Session.objects.filter(
            workshop__slug=slug, number=number, workshop__participants__user=user
        )
        .values_list("pk", "version", "workshop__participants__role")
        .first()
    )
    if found is None:
        return None
    session_id, version, role = found
    variant = ".f" if getattr(request, "htmx", False) else ""
    return (
        f'"{kind}.s{session_id}.v{version}.u{user.pk}.{role}.{get_language()}{variant}"'
    )


def live_poll(kind: str):
    """Decorate a GET view `view(request, slug, number, ...)` of a live page.

    An If-None-Match equal to the current ETag gets a 304 without running the
    view; otherwise the view runs with `request.live_etag` set, for the
    template to hand to the next poll (`data-etag`).
    """

    def decorator(view):
        def etag_func(request, slug, number, *args, **kwargs):
            request.live_etag = session_etag(
                request, slug=slug, number=number, kind=kind
            )
            return request.live_etag

        conditional = condition(etag_func=etag_func)(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if getattr(request, "live_etag", None) is not None:
                patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ("HX-Request",))
            return response

        return wrapped

    return decorator


def fresh_etag(request, *, slug: str, number: int, kind: str) -> str | None:
    """The ETag after a write, for the fragment a POST answers with."""
    request.live_etag = session_etag(request, slug=slug, number=number, kind=kind)
    return request.live_etag
