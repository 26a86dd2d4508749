"""Live pages: what invalidates them, their ETag, and the poll they answer.

Every change that a live page shows (a comment, an endorsement, moderation,
a phase, the item under discussion, a measure, a ranking round) calls
`session_touch`, which bumps `Session.version` with one UPDATE. A write on
one item's discussion calls `item_touch` instead, which also bumps that
item's `AgendaItem.version`.

A session-wide live page and its polled fragment carry the ETag built by
`session_etag`. An item's discussion carries `item_etag`: the item's version
plus the session's phase and item under discussion (not the session's
version), so a comment on another item, a measure or a ranking round leaves
it a 304. The phase is in the tag because it decides what the discussion
offers (the form, the buttons); the item under discussion so that a focus
switch still refreshes every item page (nothing on it shows the focus
today: the cost is one re-render per open page per switch, a few times an
hour, and a page that starts showing it needs no change here). The full item page
carries the same tag in `data-etag`, so its first poll is a 304 too.

An item's discussion is shown a page at a time (`page` in the tag, with
`t` for the newest page, which keeps growing while it is open). A poll sends
its tag back in If-None-Match and an unchanged page answers 304 after one
query (plus the user's, done by auth). A changed one answers with a delta
when it can: `parse_item_tag` reads the version the poll has out of its
tag, and `item_touch` stamps each comment it is told about with the new
version (`Comment.created_at_version`, `changed_at_version`), so the view
sends only the comments changed since (dialogue.views.comments). `live_poll` wraps a view in
Django's `condition(etag_func=...)` and marks the answer private and
uncached, so a proxy never serves one person's page to another.
"""

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from dialogue import times
from dialogue.models import AgendaItem, Comment, Participant, Session, Workshop


def session_touch(*, session_id: int, items: bool = False) -> None:
    """Bump the session's version: live pages see the change on their next poll.

    With `items`, every item's version too (their text or points changed),
    and every comment of theirs counts as changed (a comment shows its
    point's label), so open pages re-render in full rather than by delta.
    """
    Session.objects.filter(pk=session_id).update(version=F("version") + 1)
    if items:
        AgendaItem.objects.filter(session_id=session_id).update(
            version=F("version") + 1
        )
        Comment.objects.filter(item__session_id=session_id).update(
            changed_at_version=Subquery(
                AgendaItem.objects.filter(pk=OuterRef("item_id")).values("version")
            )
        )
        bump(_gen("x", session_id))
    bump(_gen("s", session_id))


def item_touch(
    *,
    item_id: int,
    session_id: int,
    changed: Iterable[int] = (),
    created: int | None = None,
) -> int:
    """A change to one item's discussion: its version (the item's page) and
    its session's (the session page shows each item's comment count).

    The one place that stamps comments with the version: `changed` are the
    ids of the comments a reader now sees differently, `created` the id of
    a new one. Called inside the writer's transaction, with the session row
    locked (every comment writer locks it first), so versions commit in
    order. Returns the item's new version.
    """
    AgendaItem.objects.filter(pk=item_id).update(version=F("version") + 1)
    version = AgendaItem.objects.values_list("version", flat=True).get(pk=item_id)
    if created is not None:
        Comment.objects.filter(pk=created).update(
            created_at_version=version, changed_at_version=version
        )
    if ids := [pk for pk in changed if pk != created]:
        Comment.objects.filter(pk__in=ids).update(changed_at_version=version)
    bump(_gen("i", item_id))
    session_touch(session_id=session_id)
    return version


def sessions_touch(*, session_ids: Iterable[int]) -> None:
    """Bump several sessions at once (a measure linked to items of two)."""
    ids = sorted(set(session_ids))
    if ids:
        Session.objects.filter(pk__in=ids).update(version=F("version") + 1)
        bump(*(_gen("s", pk) for pk in ids))


def workshop_touch(*, workshop_id: int) -> None:
    """A change every live page of the workshop shows (its response round):
    each session's and item's version moves on, with no comment changed, so
    an open discussion takes a delta of nothing and the new tag."""
    Session.objects.filter(workshop_id=workshop_id).update(version=F("version") + 1)
    AgendaItem.objects.filter(session__workshop_id=workshop_id).update(
        version=F("version") + 1
    )
    bump(_gen("w", workshop_id))


# -- tags without a query ---------------------------------------------------------
#
# An idle poll is most of what a live page costs, so the row its tag is built
# from (ids, version, phase, the viewer's role) is kept in the cache, per
# viewer and URL, beside the generations it was read under: one token per
# workshop ("w": its people), per session ("x": its phase, item under
# discussion and agenda; "s": anything its page shows) and per item ("i": its
# discussion). A writer replaces the tokens it invalidates (`bump`) in its
# transaction and again after commit; a reader reads the tokens *before* the
# database, so a row read before a commit is stored under tokens that the
# commit has since replaced, and is never trusted. A row found for the first
# time is stored without tokens (its ids were not known before the read) and
# trusted from the next poll on. Rows expire after TAG_SECONDS, which bounds
# the life of anything a lost write could leave. Only where the cache is shared
# by every process (Redis): LIVE_TAG_CACHE.

TAG_SECONDS = 60


def _gen(kind: str, pk: int) -> str:
    return f"live:g{kind}:{pk}"


def bump(*keys: str) -> None:
    """Replace the generation tokens `keys`, now and after commit."""
    if not settings.LIVE_TAG_CACHE or not keys:
        return

    def replace():
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)

    replace()
    transaction.on_commit(replace)


def _structure_changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete of the rows a tag's row is read from (also
    from the admin and imports): replace the tokens they decide."""
    if isinstance(instance, Workshop):
        bump(_gen("w", instance.pk))
    elif isinstance(instance, Participant):
        bump(_gen("w", instance.workshop_id))
    elif isinstance(instance, Session):
        bump(_gen("x", instance.pk), _gen("s", instance.pk))
    elif isinstance(instance, AgendaItem):
        bump(_gen("i", instance.pk), _gen("x", instance.session_id))


def connect_signals() -> None:
    for model in (Workshop, Participant, Session, AgendaItem):
        for signal in (post_save, post_delete):
            signal.connect(
                _structure_changed, sender=model, dispatch_uid=f"live-{model.__name__}"
            )


def _tokens(keys: list[str]) -> tuple | None:
    """The current tokens of `keys` (a missing one is created), or None if
    the cache cannot say (then nothing is stored)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, secrets.token_hex(8), timeout=None)
    if len(found) < len(keys):
        found = cache.get_many(keys)
    if len(found) < len(keys):
        return None
    return tuple(found[key] for key in keys)


# The ids a URL's row was last found with, per process: with them the row
# and its tokens are read in one round trip. Only a guess: a row is trusted
# when its own ids are the ones whose tokens were read.
_IDS: dict[str, tuple] = {}
_IDS_LIMIT = 20_000


def _row(key: str, gens, query):
    """`query()`'s (ids, row), from the cache when no token of `gens(ids)`
    has changed since it was read; None for no row (never cached)."""
    if not settings.LIVE_TAG_CACHE:
        found = query()
        return None if found is None else found[1]
    guess = _IDS.get(key)
    keys = [key, *gens(guess)] if guess else [key]
    found = cache.get_many(keys)
    held = found.get(key)
    tokens = None
    if held is not None:
        ids, row, seen = held
        if ids == guess and all(k in found for k in keys):
            tokens = tuple(found[k] for k in keys[1:])
        else:
            tokens = _tokens(gens(ids))
        if seen is not None and seen == tokens:
            return row
    found = query()
    if found is None:
        if held is not None:
            cache.delete(key)
        return None
    ids, row = found
    trusted = tokens if held is not None and held[0] == ids else None
    cache.set(key, (ids, row, trusted), TAG_SECONDS)
    if len(_IDS) >= _IDS_LIMIT:
        _IDS.clear()
    _IDS[key] = ids
    return row


def session_etag(request, *, slug: str, number: int, kind: str) -> str | None:
    """The ETag of a live view of this session, or None for anyone outside
    the workshop (the view then answers 404 as usual).

    One query, which also checks membership (none while the cache holds its
    row: see "tags without a query"). The tag names the view (`kind`),
    the session's version, the viewer and their role (pages differ per person
    and role), the language and, for htmx requests, that it is the fragment.
    """
    user = request.user
    if not user.is_authenticated:
        return None

    def query():
        found = (
            Session.objects.filter(
                workshop__slug=slug, number=number, workshop__participants__user=user
            )
            .values_list("workshop_id", "pk", "version", "workshop__participants__role")
            .first()
        )
        return None if found is None else (found[:2], found[1:])

    found = _row(
        f"live:s:{user.pk}:{slug}:{number}",
        lambda ids: [_gen("w", ids[0]), _gen("x", ids[1]), _gen("s", ids[1])],
        query,
    )
    if found is None:
        return None
    session_id, version, role = found
    variant = ".f" if getattr(request, "htmx", False) else ""
    return (
        f'"{kind}.s{session_id}.v{version}.u{user.pk}.{role}.{get_language()}'
        f'.{times.etag_part()}{variant}"'
    )


@dataclass(frozen=True)
class PageSpec:
    """Which page of an item's discussion a view shows: `number` (1 = the
    oldest threads; None = the newest page) and `tail`, set for the newest
    page, which goes on to show the threads started after it was opened."""

    number: int | None = None
    tail: bool = True

    @classmethod
    def from_query(cls, query) -> "PageSpec":
        raw = query.get("page", "")
        number = int(raw) if raw.isdigit() and 0 < int(raw) < 10**6 else None
        return cls(number, number is None or query.get("tail") == "1")


def _item_tag(
    *,
    kind,
    item_id,
    version,
    page: PageSpec,
    phase,
    focus_id,
    user_id,
    role,
    fragment: bool,
) -> str:
    variant = ".f" if fragment else ""
    shown = f"p{page.number or 0}{'t' if page.tail else ''}"
    return (
        f'"{kind}.i{item_id}.v{version}.{shown}.{phase}.c{focus_id}'
        f'.u{user_id}.{role}.{get_language()}.{times.etag_part()}{variant}"'
    )


_TAG = re.compile(r'^(?:W/)?"(?P<kind>\w+)\.i\d+\.v(?P<v>\d+)\.p(?P<p>\d+)(?P<t>t?)\.')


@dataclass(frozen=True)
class ClientTag:
    """What a poll's tag says it shows: the item version and the page."""

    version: int
    page: PageSpec
    tag: str


def parse_item_tag(tag: str | None) -> ClientTag | None:
    """The version and page a poll's ETag names, or None if it is not one
    of ours. The caller still compares the whole tag (viewer, role,
    language, phase) with one rebuilt for that version before trusting it."""
    match = _TAG.match((tag or "").strip())
    if match is None or len(tag) > 200:
        return None
    page = PageSpec(int(match["p"]) or None, bool(match["t"]))
    return ClientTag(int(match["v"]), page, tag.strip())


def item_etag(
    request, *, slug: str, number: int, item_number: int, kind: str
) -> str | None:
    """The ETag of an item's live discussion, or None for anyone outside the
    workshop (the view then answers 404 as usual).

    One query (none while the cache holds its row), which also checks
    membership and reads the item's version and
    its session's phase and item under discussion.
    """
    user = request.user
    if not user.is_authenticated:
        return None

    def query():
        found = (
            AgendaItem.objects.filter(
                session__workshop__slug=slug,
                session__number=number,
                number=item_number,
                session__workshop__participants__user=user,
            )
            .values_list(
                "session__workshop_id",
                "session_id",
                "pk",
                "version",
                "session__phase",
                "session__current_item_id",
                "session__workshop__participants__role",
            )
            .first()
        )
        return None if found is None else (found[:3], found[2:])

    found = _row(
        f"live:i:{user.pk}:{slug}:{number}:{item_number}",
        lambda ids: [_gen("w", ids[0]), _gen("x", ids[1]), _gen("i", ids[2])],
        query,
    )
    if found is None:
        return None
    item_id, version, phase, focus_id, role = found
    page = PageSpec.from_query(request.GET)
    if page.number is None:  # "the newest page": the one the poll's tag names
        client = parse_item_tag(request.headers.get("If-None-Match"))
        if client is not None and client.page.tail:
            page = client.page
    return _item_tag(
        kind=kind,
        item_id=item_id,
        version=version,
        page=page,
        phase=phase,
        focus_id=focus_id,
        user_id=user.pk,
        role=role,
        # The discussion's URL answers the same fragment with or without htmx.
        fragment=True,
    )


def item_fragment_etag(
    *,
    participant: Participant,
    session: Session,
    item: AgendaItem,
    kind: str,
    page: PageSpec,
    version: int | None = None,
) -> str:
    """The tag `item_etag` gives the item's polled fragment, from the rows a
    full page has already read (no query): the page hands it to its first
    poll in `data-etag`. Read before the discussion, so that a write in
    between makes the tag older, never newer, than what the page shows;
    `version`, when given, replaces the item's (the delta's rebuilt tag)."""
    return _item_tag(
        kind=kind,
        item_id=item.pk,
        version=item.version if version is None else version,
        page=page,
        phase=session.phase,
        focus_id=session.current_item_id,
        user_id=participant.user_id,
        role=participant.role,
        fragment=True,
    )


def live_poll(kind: str, *, etag=session_etag):
    """Decorate a GET view `view(request, slug, number, ...)` of a live page;
    `etag` is `session_etag`, or `item_etag` for a view of one item.

    An If-None-Match equal to the current ETag gets a 304 without running the
    view; otherwise the view runs with `request.live_etag` set, for the
    template to hand to the next poll (`data-etag`).
    """

    def decorator(view):
        def etag_func(request, slug, number, *args, **kwargs):
            request.live_etag = etag(
                request, slug=slug, number=number, kind=kind, **kwargs
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


# -- the regions that follow the phase ---------------------------------------------
#
# A polled region (the item's discussion, the session's agenda) sends back the
# phase it shows (`PHASE_PARAM`, from hx-vals). When the session has moved on,
# its answer also carries, out of band, the regions outside it that the phase
# decides (the comment form, the facilitator's controls, the ranking panel):
# they follow within one poll, and are not re-rendered while the phase holds
# (a half-typed comment stays). The tags above already change with the phase.

PHASE_PARAM = "phase"


def phase_changed(request, session: Session) -> bool:
    """The polling page shows another phase than the session's now."""
    shown = request.GET.get(PHASE_PARAM)
    return shown is not None and shown != session.phase


def fresh_etag(
    request, *, slug: str, number: int, kind: str, etag=session_etag, **kwargs
) -> str | None:
    """The ETag after a write, for the fragment a POST answers with."""
    request.live_etag = etag(request, slug=slug, number=number, kind=kind, **kwargs)
    return request.live_etag


def page_etag(request, tag: str | None) -> str | None:
    """The ETag of a full live page (not its polled region) built on `tag`.

    A full page shows more than its region: the CSRF token of its forms and
    any flash message. So the tag also names the CSRF cookie (a digest: it
    changes when the token rotates at sign-in), and a page is given no tag
    (a full render, as before) while messages wait to be shown, or when the
    browser has no CSRF cookie yet (its page would carry a token it cannot
    use). An htmx request keeps `tag` as it is.
    """
    if tag is None or getattr(request, "htmx", False):
        return tag
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not secret or len(get_messages(request)):
        return None
    digest = hashlib.blake2s(secret.encode(), digest_size=6).hexdigest()
    return f'{tag[:-1]}.p{digest}"'


def live_page(kind: str, *, etag=session_etag):
    """`live_poll` for a view that serves a full page as well as (for htmx)
    its region: the full page carries `page_etag`, so reloading an unchanged
    page is a 304 too. Without a tag (see `page_etag`) the view runs."""

    def page_tag(request, **kwargs):
        return page_etag(request, etag(request, **kwargs))

    return live_poll(kind, etag=page_tag)
