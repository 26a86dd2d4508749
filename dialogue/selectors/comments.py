"""Reads of the discussion: one comment, and an item's comments as threads."""

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from dialogue import permissions, times
from dialogue.models import (
    AgendaItem,
    Comment,
    CommentState,
    Endorsement,
    Participant,
)


def comment_find(*, participant: Participant, comment_id: int) -> Comment | None:
    """A comment of the participant's workshop, in a session they may see,
    or None."""
    return (
        Comment.objects.select_related("item__session", "author")
        .filter(permissions.visible_sessions(participant, prefix="item__session__"))
        .filter(pk=comment_id)
        .first()
    )


def comment_get(*, participant: Participant, comment_id: int) -> Comment:
    """A comment of the participant's workshop, or 404."""
    comment = comment_find(participant=participant, comment_id=comment_id)
    if comment is None:
        raise Http404
    return comment


def reply_target(*, item: AgendaItem, comment_id: int) -> Comment | None:
    """The visible comment of `item` a reply would answer, or None."""
    return Comment.objects.filter(
        pk=comment_id, item=item, state=CommentState.VISIBLE
    ).first()


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
    # For one flat loop over the rows that still nests the HTML: whether this
    # row opens a replies container (else its <article> closes at once), and
    # how many containers (with their <article>) close after it.
    opens_replies: bool = False
    closes: range = range(0)


def _flatten(roots: list[Thread]) -> list[Thread]:
    """The threads in display order (each before its replies)."""
    rows, stack = [], list(reversed(roots))
    while stack:
        node = stack.pop()
        rows.append(node)
        stack.extend(reversed(node.replies))
    next_depths = [row.depth for row in rows[1:]] + [0]  # 0: after the last
    for row, next_depth in zip(rows, next_depths, strict=False):
        row.opens_replies = bool(row.replies)
        if not row.opens_replies:
            # Containers close down to the next row's level (to 0 at the end).
            row.closes = range(row.depth - next_depth)
    return rows


def _render_stale(comments: list[Comment]) -> None:
    """Render again, and store, the comments whose HTML an older renderer made
    (or none: rows written without the services). One UPDATE when any."""
    stale = [comment for comment in comments if comment.body_html_is_stale]
    for comment in stale:
        comment.render_body()
    if stale:
        Comment.objects.bulk_update(
            stale, ["body_html", "body_html_version"], batch_size=500
        )


def item_discussion(*, item: AgendaItem, participant: Participant):
    """The item's comments in display order, as flat rows (`Thread`: the
    comment, its depth, whom it answers when shown too deep to nest), and the
    ids this participant endorsed.

    Each comment gets `created_iso` and `created_label` (the active time zone
    and language), computed here once rather than by two filters per row.

    Two queries whatever the number of comments (a third, once, when stored
    HTML is stale).
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
    _render_stale(comments)
    now = timezone.now()
    nodes, roots = {}, []
    for comment in comments:  # oldest first: a parent comes before its replies
        comment.editable = permissions.can_edit_comment(comment, participant, now=now)
        comment.body_shown = comment.state != CommentState.HIDDEN or (
            permissions.can_see_hidden_body(participant, comment)
        )
        created = timezone.localtime(comment.created_at)
        comment.created_iso = created.isoformat()
        comment.created_label = times.when(created)
        if comment.edited_at:
            edited = timezone.localtime(comment.edited_at)
            comment.edited_iso = edited.isoformat()
            comment.edited_label = times.when(edited)
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
    return _flatten(roots), endorsed
