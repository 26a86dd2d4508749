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
# A page shows this many threads (a top-level comment and all its replies).
# Pages are counted from the oldest thread, so a page's threads never move
# to another page and a permalink's page stays the same.
THREADS_PER_PAGE = 25


@dataclass
class Ref:
    """A comment known by its id only (whom a deep reply answers)."""

    pk: int


@dataclass
class Thread:
    """One row of the discussion: the comment and where it sits."""

    comment: Comment
    depth: int = 0
    # Set when the reply is shown one level up from its parent (too deep).
    replying_to: Ref | None = None
    # The comment whose replies box lists this one (None: top level).
    container_id: int | None = None
    # For one flat loop over the rows that still nests the HTML: whether the
    # row opens its replies box (rows shown at MAX_THREAD_DEPTH have none:
    # their replies line up beside them), and how many boxes close after it.
    has_box: bool = True
    closes: range = range(0)
    urls: dict = field(default_factory=dict)


@dataclass
class Outline:
    """An item's comments as ids only, in display order (one cheap query,
    whatever their text): which thread and page each is on, how deep it
    sits, and the versions at which each was posted and last changed."""

    order: list[int]
    parent: dict[int, int | None]
    root: dict[int, int]
    depth: dict[int, int]
    container: dict[int, int | None]
    created: dict[int, int]
    changed: dict[int, int]
    roots: list[int]
    root_index: dict[int, int]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.roots) // THREADS_PER_PAGE))

    @property
    def version(self) -> int:
        """The newest change among the comments read (0 for none)."""
        return max(self.changed.values(), default=0)

    def page_of(self, comment_id: int) -> int | None:
        root = self.root.get(comment_id)
        if root is None:
            return None
        return self.root_index[root] // THREADS_PER_PAGE + 1

    def ids_on(self, number: int, *, tail: bool) -> list[int]:
        """The ids shown on page `number` (with `tail`, and every later
        thread too), in display order."""
        first = (number - 1) * THREADS_PER_PAGE
        last = None if tail else first + THREADS_PER_PAGE
        shown = set(self.roots[first:last])
        return [pk for pk in self.order if self.root[pk] in shown]


def item_outline(*, item: AgendaItem) -> Outline:
    """The item's comment tree as ids (`Outline`): one query of four
    integers a comment, so paging and deltas never read a text they do not
    show."""
    rows = Comment.objects.filter(item=item).values_list(
        "pk", "parent_id", "created_at_version", "changed_at_version"
    )
    parent, root, depth, container, created, changed = {}, {}, {}, {}, {}, {}
    children: dict[int | None, list[int]] = {}
    roots = []
    for pk, parent_id, born, touched in rows:  # oldest first: parents first
        parent[pk], created[pk], changed[pk] = parent_id, born, touched
        if parent_id is None or parent_id not in parent:
            root[pk], depth[pk], container[pk] = pk, 0, None
            roots.append(pk)
            children.setdefault(None, []).append(pk)
            continue
        root[pk] = root[parent_id]
        # Threads nest MAX_THREAD_DEPTH deep; deeper replies line up under
        # the deepest shown ancestor, still saying whom they answer.
        if depth[parent_id] + 1 > MAX_THREAD_DEPTH:
            depth[pk], container[pk] = MAX_THREAD_DEPTH, container[parent_id]
        else:
            depth[pk], container[pk] = depth[parent_id] + 1, parent_id
        children.setdefault(container[pk], []).append(pk)
    order, stack = [], list(reversed(children.get(None, [])))
    while stack:  # each comment before its replies, siblings oldest first
        pk = stack.pop()
        order.append(pk)
        stack.extend(reversed(children.get(pk, [])))
    return Outline(
        order=order,
        parent=parent,
        root=root,
        depth=depth,
        container=container,
        created=created,
        changed=changed,
        roots=roots,
        root_index={pk: i for i, pk in enumerate(roots)},
    )


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


def _row(outline: Outline, comment: Comment, *, next_depth: int | None) -> Thread:
    pk = comment.pk
    depth = outline.depth[pk]
    parent = outline.parent[pk]
    row = Thread(
        comment,
        depth=depth,
        container_id=outline.container[pk],
        has_box=depth < MAX_THREAD_DEPTH,
        replying_to=(
            Ref(parent)
            if parent is not None and outline.container[pk] != parent
            else None
        ),
    )
    if next_depth is None:  # shown alone (a delta): closes its own box
        next_depth = depth
    # Boxes close down to the next row's level (its own too, when it has one).
    row.closes = range(depth - next_depth + (1 if row.has_box else 0))
    return row


def discussion_rows(
    *, outline: Outline, ids: list[int], participant: Participant, alone=False
) -> tuple[list[Thread], set[int]]:
    """The rows of the comments `ids` (in display order, as `ids_on` gives
    them), ready for the template, and the ids this participant endorsed.

    Each comment gets `editable`, `body_shown`, `created_iso` and
    `created_label` (the active time zone and language), computed here once
    rather than by filters per row. With `alone`, each row is laid out to
    stand by itself (a delta). Two queries whatever the number of comments
    (a third, once, when stored HTML is stale); none for no ids.
    """
    if not ids:
        return [], set()
    by_id = {
        comment.pk: comment
        for comment in Comment.objects.filter(pk__in=ids).select_related(
            "author__user", "author__delegation", "point__item"
        )
    }
    endorsed = set(
        Endorsement.objects.filter(
            participant=participant, comment_id__in=ids
        ).values_list("comment_id", flat=True)
    )
    comments = [by_id[pk] for pk in ids if pk in by_id]  # none deleted meanwhile
    _render_stale(comments)
    now = timezone.now()
    rows = []
    depths = [outline.depth[c.pk] for c in comments[1:]] + [0]
    for comment, next_depth in zip(comments, depths, strict=True):
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
        rows.append(_row(outline, comment, next_depth=None if alone else next_depth))
    return rows, endorsed


def item_discussion(*, item: AgendaItem, participant: Participant):
    """Every comment of the item as rows in display order, and the ids this
    participant endorsed (all pages at once: exports and tests)."""
    outline = item_outline(item=item)
    return discussion_rows(outline=outline, ids=outline.order, participant=participant)
