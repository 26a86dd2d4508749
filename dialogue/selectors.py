"""Reads that several views share, each enforcing who may see what."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from dialogue.models import (
    AgendaItem,
    Comment,
    CommentState,
    Endorsement,
    Participant,
    Session,
    Workshop,
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
    """The session's items with their visible comment counts (one query)."""
    return session_items(session=session).annotate(
        comment_count=Count(
            "comments", filter=Q(comments__state=CommentState.VISIBLE), distinct=True
        )
    )


def item_get(*, session: Session, number: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("proposed_by", "addressed_to", "session")
        .filter(session=session, number=number)
        .first()
    )
    if item is None:
        raise Http404
    return item


def comment_get(*, participant: Participant, comment_id: int) -> Comment:
    """A comment of the participant's workshop, or 404."""
    comment = (
        Comment.objects.select_related("item__session", "author")
        .filter(pk=comment_id, item__session__workshop_id=participant.workshop_id)
        .first()
    )
    if comment is None:
        raise Http404
    return comment


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)


def item_discussion(*, item: AgendaItem, participant: Participant):
    """The item's comments as threads, and the ids this participant endorsed.

    Two queries whatever the number of comments.
    """
    comments = list(
        Comment.objects.filter(item=item).select_related(
            "author__user", "author__delegation", "point"
        )
    )
    endorsed = set(
        Endorsement.objects.filter(
            participant=participant, comment__item=item
        ).values_list("comment_id", flat=True)
    )
    nodes = {comment.pk: Thread(comment) for comment in comments}
    roots = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id)
        (parent.replies if parent else roots).append(node)
    return roots, endorsed


def session_live_version(*, user, slug: str, number: int) -> tuple[int, int] | None:
    """(session id, version) if the user belongs to the workshop, else None.

    One query: the cheap check behind every live poll's ETag.
    """
    if not user.is_authenticated:
        return None
    return (
        Session.objects.filter(
            workshop__slug=slug, number=number, workshop__participants__user=user
        )
        .values_list("pk", "version")
        .first()
    )
