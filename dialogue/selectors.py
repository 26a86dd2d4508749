"""Reads that several views share, each enforcing who may see what."""

from django.db.models import Count, Prefetch
from django.http import Http404

from dialogue.models import AgendaItem, Participant, Session, Workshop


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
