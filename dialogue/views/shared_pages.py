"""Full pages rendered once per version and shared by everyone who sees the
same thing.

A session page or a ranking round's results look the same to every
participant of one role and side (`Can` asks the role, the delegation and
whether they head it), in one language and time zone, at one version of the session. So
the page is rendered once with two stand-ins, for the only parts that are
the viewer's own in them (the CSRF token of the forms and the display name in
the header), kept in the cache under the session's version (`dialogue.live`:
every change those pages show bumps it), and each request gets a copy with
its own token and name put in. A page is rendered afresh, and not kept,
while the viewer has a flash message waiting: messages are the viewer's own
too. Entries also expire after `TTL_SECONDS`, which bounds how long an edit
that bumps no version (an organiser's in the admin) stays unseen.

Only for pages whose template reads nothing else of the viewer: `user`
offers `is_authenticated`, `is_staff`, and the name fields the
`display_name` filter reads (what base.html reads), nothing more.
"""

import hashlib

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language

from dialogue.naming import user_display_name

TTL_SECONDS = 300
# Stand-ins: letters and digits only, so escaping leaves them as they are.
CSRF_STAND_IN = "sharedpageCSRFtokenStandIn0000000000000000000000000000000000000"
NAME_STAND_IN = "sharedpageViewerNameStandIn"


class _Viewer:
    """What base.html reads of the user, with the name as its stand-in."""

    is_authenticated = True
    first_name = ""
    last_name = ""

    def __init__(self, user):
        self.is_staff = user.is_staff

    def get_username(self) -> str:
        return NAME_STAND_IN


def _key(request, participant, parts) -> str:
    """The cache key: the page (path and query), the version and whatever
    else `parts` names, the language, and what decides the viewer's view."""
    raw = "|".join(
        [
            request.get_full_path(),
            get_language(),
            timezone.get_current_timezone_name(),
            participant.role,
            str(participant.delegation_id),
            str(participant.is_head),
            str(request.user.is_staff),
            *map(str, parts),
        ]
    )
    return "page:" + hashlib.blake2s(raw.encode(), digest_size=16).hexdigest()


def _personal(request, html: str) -> HttpResponse:
    html = html.replace(CSRF_STAND_IN, get_token(request)).replace(
        NAME_STAND_IN, escape(user_display_name(request.user))
    )
    return HttpResponse(html)


def render_shared(request, template: str, context, *, participant, parts):
    """The page `template` for this viewer, from the cache when it has it.

    `context` is a function that builds the template's context (called only
    on a miss); `parts` name the version of what the page shows (e.g. the
    session's version), read BEFORE the data, so a write in between leaves
    newer content under an older key, never the reverse.
    """
    if len(get_messages(request)):
        return HttpResponse(render_to_string(template, context(), request))
    key = _key(request, participant, parts)
    html = cache.get(key)
    if html is None:
        shared = context() | {
            "csrf_token": CSRF_STAND_IN,
            "user": _Viewer(request.user),
        }
        html = render_to_string(template, shared, request)
        cache.set(key, html, TTL_SECONDS)
    return _personal(request, html)
