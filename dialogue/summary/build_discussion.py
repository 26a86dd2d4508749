"""The discussion of each item in a summary, and the questions left unanswered.

* Visible remarks only (withdrawn and hidden ones are left out), grouped by
  the author's delegation (delegations by code, then participants without
  one), the most-endorsed first (ties: the earlier first); at most
  ``MAX_REMARKS`` top-level remarks per delegation and item, each with at
  most ``MAX_REPLIES`` replies; the rest are counted.
* Unanswered questions: visible top-level remarks containing a question
  mark that have no visible reply; at most ``MAX_QUESTIONS_PER_ITEM`` of
  them are quoted per item, cut to ``QUESTION_CHARS``.
* Remarks are read only when the mode quotes them, and their authors are
  named by ``attribution.People``; otherwise only counts are read.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _

from dialogue.models import Comment, CommentState, Session
from dialogue.summary.attribution import People
from dialogue.summary.document import DelegationDiscussion, Remark

MAX_REMARKS = 5
MAX_REPLIES = 1
MAX_QUESTIONS_PER_ITEM = 3
QUESTION_CHARS = 240
NO_DELEGATION = None  # the group of participants outside the delegations
_BEST_FIRST = [F("endorsement_count").desc(), F("created_at").asc(), F("id").asc()]


@dataclass(frozen=True)
class Discussion:
    by_item: dict[int, tuple[DelegationDiscussion, ...]]  # item id -> groups
    remarks: Counter  # item id -> visible top-level remarks, every group


@dataclass(frozen=True)
class Questions:
    unanswered: Counter  # item id -> visible questions with no visible reply
    quoted: dict[int, list[tuple[str, str]]]  # item id -> (who, excerpt)


def _visible(session: Session):
    return Comment.objects.filter(item__session=session, state=CommentState.VISIBLE)


def discussion(
    *, session: Session, items, delegations: dict, people: People, quote: bool
) -> Discussion:
    """Each item's remarks per delegation (`delegations` by code)."""
    visible = _visible(session)
    counts: dict[tuple, Counter] = defaultdict(Counter)
    top_level = ExpressionWrapper(Q(parent__isnull=True), output_field=BooleanField())
    for row in (
        visible.values("item_id", "author__delegation_id", top=top_level)
        .annotate(n=Count("id"))
        .order_by()
    ):
        kind = "top" if row["top"] else "reply"
        counts[(row["item_id"], row["author__delegation_id"])][kind] += row["n"]
    quoted = _quoted_remarks(visible, people) if quote else {}
    by_item = {}
    remarks = Counter()
    for item in items:
        groups = []
        for group in [*delegations, NO_DELEGATION]:
            count = counts.get((item.pk, group), Counter())
            remarks[item.pk] += count["top"]
            if not count and group is NO_DELEGATION:
                continue
            groups.append(
                DelegationDiscussion(
                    delegation=(
                        _("Participants outside the delegations")
                        if group is NO_DELEGATION
                        else delegations[group].display_name
                    ),
                    remark_count=count["top"],
                    reply_count=count["reply"],
                    remarks=tuple(quoted.get((item.pk, group), ())),
                )
            )
        by_item[item.pk] = tuple(groups)
    return Discussion(by_item=by_item, remarks=remarks)


def _quoted_remarks(visible, people: People) -> dict[tuple, list[Remark]]:
    """The best remarks per (item, delegation), each with its best replies."""
    top = list(
        visible.filter(parent__isnull=True)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("item_id"), F("author__delegation_id")],
                order_by=_BEST_FIRST,
            ),
            replies_n=Coalesce(
                Subquery(
                    Comment.objects.filter(
                        parent=OuterRef("pk"), state=CommentState.VISIBLE
                    )
                    .order_by()
                    .values("parent")
                    .annotate(n=Count("id"))
                    .values("n")
                ),
                0,
            ),
        )
        .filter(rank__lte=MAX_REMARKS)
        .values(
            "id",
            "item_id",
            "author_id",
            "author__delegation_id",
            "body",
            "endorsement_count",
            "point__position",
            "point__item__number",
            "replies_n",
            "rank",
        )
        .order_by("item_id", "author__delegation_id", "rank")
    )
    replies: dict[int, list[Remark]] = defaultdict(list)
    parent_ids = [row["id"] for row in top if row["replies_n"]]
    if parent_ids:
        for row in (
            Comment.objects.filter(parent_id__in=parent_ids, state=CommentState.VISIBLE)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("parent_id")], order_by=_BEST_FIRST
                )
            )
            .filter(rank__lte=MAX_REPLIES)
            .values("parent_id", "author_id", "body", "endorsement_count", "rank")
            .order_by("parent_id", "rank")
        ):
            replies[row["parent_id"]].append(
                Remark(
                    attribution=people.attribution(row["author_id"]),
                    text=row["body"],
                    endorsements=row["endorsement_count"],
                )
            )
    quoted: dict[tuple, list[Remark]] = defaultdict(list)
    for row in top:
        point = ""
        if row["point__position"]:
            point = f"{row['point__item__number']}.{row['point__position']}"
        quoted[(row["item_id"], row["author__delegation_id"])].append(
            Remark(
                attribution=people.attribution(row["author_id"]),
                text=row["body"],
                endorsements=row["endorsement_count"],
                point_label=point,
                replies=tuple(replies.get(row["id"], ())),
                reply_count=row["replies_n"],
            )
        )
    return quoted


def questions(*, session: Session, people: People, quote: bool) -> Questions:
    """Top-level remarks with a question mark and no visible reply."""
    unanswered = (
        _visible(session)
        .filter(parent__isnull=True)
        .filter(Q(body__contains="?") | Q(body__contains="？"))
        .exclude(replies__state=CommentState.VISIBLE)
    )
    per_item = Counter(
        dict(unanswered.values_list("item_id").annotate(n=Count("id")).order_by())
    )
    quoted: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if quote and per_item:
        for row in (
            unanswered.annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("item_id")], order_by=_BEST_FIRST
                )
            )
            .filter(rank__lte=MAX_QUESTIONS_PER_ITEM)
            .values("item_id", "author_id", "body")
            .order_by("item_id", "rank")
        ):
            quoted[row["item_id"]].append(
                (people.attribution(row["author_id"]), excerpt(row["body"]))
            )
    return Questions(unanswered=per_item, quoted=quoted)


def excerpt(body: str, limit: int = QUESTION_CHARS) -> str:
    """A remark on one line, cut at a word boundary when it is long."""
    flat = " ".join(body.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
