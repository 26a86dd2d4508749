"""Reads of workshops, sessions and items, each enforcing who may see what."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from dialogue import permissions
from dialogue.models import (
    AgendaItem,
    Comment,
    CommentState,
    Participant,
    Session,
)


def participation_get(*, user, slug: str) -> Participant:
    """The user's place in the workshop `slug`, or 404 for anyone else.

    A stranger gets the same 404 as for a workshop that does not exist, so
    the answer gives away nothing about which workshops exist.
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
    return participant


def participations_for_user(*, user):
    """The workshops a user belongs to, for the home page; each participant's
    `sessions` are the ones their role may see (`can_see_session`)."""
    participations = list(
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
    for participant in participations:
        participant.sessions = [
            session
            for session in participant.workshop.sessions.all()
            if permissions.can_see_session(participant, session)
        ]
    return participations


def workshop_sessions(*, participant: Participant):
    """The sessions of the participant's workshop that they may see."""
    return Session.objects.filter(permissions.visible_sessions(participant)).annotate(
        item_count=Count("items")
    )


def session_get(*, participant: Participant, number: int) -> Session:
    """A session of the participant's workshop that they may see, or 404
    (a draft, for a delegate, is as absent as a session that does not exist)."""
    session = (
        Session.objects.filter(permissions.visible_sessions(participant))
        .filter(number=number)
        .first()
    )
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
