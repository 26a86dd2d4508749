"""Reads that several views share, each enforcing who may see what."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from dialogue.models import (
    AgendaItem,
    Comment,
    CommentState,
    Endorsement,
    Participant,
    Session,
    Workshop,
)
from dialogue.services.comments import comment_can_edit


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


MAX_THREAD_DEPTH = 4


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)
    depth: int = 0
    # Set when the reply is shown one level up from its parent (too deep).
    replying_to: Comment | None = None
    # The thread this one is listed under (its parent's, when too deep).
    container: "Thread | None" = None


def item_discussion(*, item: AgendaItem, participant: Participant):
    """The item's comments as threads, and the ids this participant endorsed.

    Two queries whatever the number of comments.
    """
    comments = list(
        Comment.objects.filter(item=item).select_related(
            "author__user", "author__delegation", "point__item"
        )
    )
    endorsed = set(
        Endorsement.objects.filter(
            participant=participant, comment__item=item
        ).values_list("comment_id", flat=True)
    )
    now = timezone.now()
    nodes, roots = {}, []
    for comment in comments:  # oldest first: a parent comes before its replies
        comment.editable = comment_can_edit(comment, participant, now=now)
        node = nodes[comment.pk] = Thread(comment)
        parent = nodes.get(comment.parent_id)
        if parent is None:
            roots.append(node)
            continue
        # Threads nest MAX_THREAD_DEPTH deep; deeper replies line up under
        # the deepest shown ancestor, still saying whom they answer.
        node.depth = parent.depth + 1
        if node.depth > MAX_THREAD_DEPTH:
            node.depth = MAX_THREAD_DEPTH
            node.replying_to = parent.comment
            parent = parent.container
        node.container = parent
        parent.replies.append(node)
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
