"""Reads of workshops, sessions and items, each enforcing who may see what."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import ngettext

from dialogue import times
from dialogue.models import (
    AgendaItem,
    Comment,
    CommentState,
    Delegation,
    Participant,
    Role,
    Session,
    Workshop,
)
from dialogue.naming import person_name


def participation_get(*, user, slug: str) -> Participant:
    """The user's place in the workshop `slug`, or 404 for anyone else.

    A stranger gets the same 404 as for a workshop that does not exist, so
    the answer gives away nothing about which workshops exist. Every page of
    the workshop passes here, so its times are shown in the workshop's zone
    from here on, unless the person chose their own (``dialogue.times``).
    """
    if not user.is_authenticated:
        raise Http404
    participant = (
        Participant.objects.select_related("workshop", "delegation")
        .filter(user=user, workshop__slug=slug)
        .first()
    )
    if participant is None:
        raise Http404
    times.workshop_entered(participant.workshop)
    return participant


def participations_for_user(*, user):
    """The workshops a user belongs to, with their sessions, for the home page."""
    return (
        Participant.objects.filter(user=user)
        .select_related("workshop", "delegation")
        .prefetch_related(
            Prefetch(
                "workshop__sessions",
                queryset=Session.objects.annotate(item_count=Count("items")),
            )
        )
        .order_by("workshop__title")
    )


def workshop_sessions(*, workshop: Workshop):
    return workshop.sessions.annotate(item_count=Count("items"))


def session_get(*, workshop: Workshop, number: int) -> Session:
    session = Session.objects.filter(workshop=workshop, number=number).first()
    if session is None:
        raise Http404
    return session


def session_items(*, session: Session):
    return (
        AgendaItem.objects.filter(session=session)
        .select_related("proposed_by", "addressed_to")
        .prefetch_related("points")
    )


def session_items_with_counts(*, session: Session):
    """The session's items with their visible comment counts (one query).

    A count per item in a subquery (the (item, created_at) index finds its
    rows), not COUNT(DISTINCT) over a join of every comment, whose sort
    spilled to disk at a few thousand comments.
    """
    visible = (
        Comment.objects.filter(item=OuterRef("pk"), state=CommentState.VISIBLE)
        .order_by()
        .values("item")
        .annotate(count=Count("*"))
        .values("count")
    )
    return session_items(session=session).annotate(
        comment_count=Coalesce(Subquery(visible, output_field=IntegerField()), 0)
    )


def item_by_number(*, session: Session, number: int | None) -> AgendaItem | None:
    """The session's item with this number, or None."""
    if number is None:
        return None
    return AgendaItem.objects.filter(session=session, number=number).first()


def item_neighbours(*, item: AgendaItem) -> dict:
    """The items before and after `item` in its session, for the page's links."""
    items = AgendaItem.objects.filter(session_id=item.session_id)
    return {
        "previous_item": items.filter(number__lt=item.number).last(),
        "next_item": items.filter(number__gt=item.number).first(),
    }


def item_get(*, session: Session, number: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("proposed_by", "addressed_to", "session")
        .filter(session=session, number=number)
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class RosterEntry:
    name: str  # "" when the page may not name people
    is_head: bool


@dataclass(frozen=True)
class RosterGroup:
    """One delegation's participants (or the people outside the delegations:
    `delegation` None), by role in the order of `Role`."""

    delegation: Delegation | None
    head: RosterEntry | None
    by_role: list[tuple[str, list[RosterEntry]]]  # ("3 delegates", people)


def workshop_roster(*, workshop: Workshop, names: bool) -> list[RosterGroup]:
    """Everyone in the workshop by delegation (by code), then the people
    outside the delegations, each group by role; in one query besides the
    delegations. Names are read only when `names` (the confidentiality
    mode's answer, `summary.attribution.names_inside_workshop`)."""
    fields = ["role", "delegation_id", "is_head"]
    if names:
        fields += ["user__username", "user__first_name", "user__last_name"]
    rows = Participant.objects.filter(workshop=workshop).values(*fields)
    delegations = list(workshop.delegations.all())
    people: dict[tuple[int | None, str], list[RosterEntry]] = {}
    heads: dict[int | None, RosterEntry] = {}
    for row in sorted(rows, key=_roster_order):
        entry = RosterEntry(
            name=_roster_name(row) if names else "", is_head=row["is_head"]
        )
        people.setdefault((row["delegation_id"], row["role"]), []).append(entry)
        if entry.is_head:
            heads[row["delegation_id"]] = entry
    groups = []
    for delegation in [*delegations, None]:
        key = delegation.pk if delegation else None
        by_role = [
            (_role_count(role, len(people[(key, role)])), people[(key, role)])
            for role in Role.values
            if (key, role) in people
        ]
        if delegation is not None or by_role:
            groups.append(RosterGroup(delegation, heads.get(key), by_role))
    return groups


def _role_count(role: str, n: int) -> str:
    """ "3 delegates", "1 observer": a roster group's heading."""
    # Literal calls, so that the catalogue finds each message.
    counts = {
        Role.ORGANISER: lambda: ngettext("%(n)d organiser", "%(n)d organisers", n),
        Role.FACILITATOR: lambda: ngettext(
            "%(n)d facilitator", "%(n)d facilitators", n
        ),
        Role.DELEGATE: lambda: ngettext("%(n)d delegate", "%(n)d delegates", n),
        Role.OBSERVER: lambda: ngettext("%(n)d observer", "%(n)d observers", n),
        Role.RAPPORTEUR: lambda: ngettext("%(n)d rapporteur", "%(n)d rapporteurs", n),
    }
    return counts[role]() % {"n": n}


def _roster_name(row) -> str:
    """The display name (naming.person_name)."""
    return person_name(
        row["user__first_name"], row["user__last_name"], row["user__username"]
    )


def _roster_order(row):
    # The head first, then by name (the username when there is none).
    name = _roster_name(row) if "user__username" in row else ""
    return (not row["is_head"], name.casefold())
