"""The rapporteur's text in a summary: its sections, and each citation as a note.

* The text is the report's draft revision (the one a SummaryReport was
  compiled with); without one, the revision of the session's ReportDraft
  that every participant may read, the one in review or released (the
  workshop's own draft, whose session is empty, for the report on the
  whole workshop); a revision never sent for review is never printed, and
  without one the report has no narrative.
* The workshop's draft has a narrative per session, not per item
  (``revision.narratives`` keyed by session number), and may cite a remark
  of any session of the workshop; ``narrative`` reads either, given the
  numbers its narratives are keyed by and the remarks it may cite.
* Every citation ``[#c123]`` becomes a footnote reference ``[^k]``, numbered
  from 1 in the order first cited across the document (key takeaways, the
  items' narratives in agenda order, then the leads of convergence,
  divergence and open questions, ``report_text.section_keys``); citing a
  remark again reuses its number.
* A citation of a remark that is not visible in this session (in any of
  its sessions, for the workshop's report: hidden, withdrawn, on another
  session's item, or gone) is dropped.
* Each note is worded by ``attribution.People.note``: off the record the
  remark's text is not even read, only the count of its delegation's
  visible remarks on the item.

Three queries whatever the number of citations: the revision, the cited
remarks, and (off the record) the counts.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from dialogue import report_text
from dialogue.models import (
    Comment,
    CommentState,
    ReportDraft,
    ReportRevision,
    ReportState,
    Session,
    Workshop,
)
from dialogue.summary.attribution import People, quotes_remarks
from dialogue.summary.document import Narrative, Note
from dialogue.user_text import markdown_to_text

# A citation with the spaces before it, so a dropped one leaves no gap.
_CITED = re.compile(r"[ \t]*" + report_text.CITATION.pattern)


@dataclass(frozen=True)
class Built:
    narrative: Narrative | None
    by_item: dict[int, str]  # item number -> the item's narrative


def shared_revision(session: Session) -> ReportRevision | None:
    """The revision of the session's draft that a summary prints unless told
    which: the one every participant may read (the one in review, or the
    one released; ``dialogue.permissions.reports``). Summaries are read by
    every participant, so a revision the rapporteur has not sent for review
    never reaches one."""
    return _shared(ReportDraft.objects.filter(session=session))


def shared_workshop_revision(workshop: Workshop) -> ReportRevision | None:
    """The same for the workshop's own draft (no session)."""
    return _shared(ReportDraft.objects.filter(workshop=workshop, session__isnull=True))


def _shared(drafts) -> ReportRevision | None:
    draft = (
        drafts.exclude(state=ReportState.DRAFTING)
        .select_related("review_revision")
        .first()
    )
    return draft.review_revision if draft is not None else None


def narrative(
    *,
    session: Session | None = None,
    workshop: Workshop | None = None,
    revision: ReportRevision | None,
    item_numbers: list[int],
    people: People,
) -> Built:
    """The revision's text with its citations made notes.

    For a session's summary, ``item_numbers`` are its items' and only its
    remarks may be cited; for the report on the whole workshop (``workshop``
    given instead), they are the sessions' numbers (``Built.by_item`` is
    then by session) and a remark of any of its sessions may be cited.
    """
    if revision is None:
        return Built(narrative=None, by_item={})
    keys = report_text.section_keys(item_numbers)
    narratives = revision.narratives or {}
    texts = {
        "takeaways": revision.takeaways,
        **{
            report_text.narrative_key(n): str(narratives.get(str(n), ""))
            for n in item_numbers
        },
        "convergence": revision.convergence,
        "divergence": revision.divergence,
        "open_questions": revision.open_questions,
    }
    cited = []
    for key in keys:
        cited += report_text.cited_ids(texts[key])
    cited = list(dict.fromkeys(cited))
    remarks = (
        Comment.objects.filter(item__session=session)
        if session is not None
        else Comment.objects.filter(item__session__workshop=workshop)
    )
    notes = _notes(
        remarks=remarks, ids=cited, people=people, with_session=session is None
    )
    numbers: dict[int, int] = {}

    def reference(match: re.Match) -> str:
        comment_id = int(match.group(1))
        if comment_id not in notes:
            return ""
        if comment_id not in numbers:
            numbers[comment_id] = len(numbers) + 1
        return f"[^{numbers[comment_id]}]"

    done = {key: _CITED.sub(reference, texts[key] or "").strip() for key in keys}
    return Built(
        narrative=Narrative(
            takeaways=done["takeaways"],
            convergence=done["convergence"],
            divergence=done["divergence"],
            open_questions=done["open_questions"],
            notes=tuple(
                Note(number=n, text=notes[comment_id])
                for comment_id, n in numbers.items()
            ),
            revision=revision.number,
        ),
        by_item={n: done[report_text.narrative_key(n)] for n in item_numbers},
    )


def _notes(
    *, remarks, ids: list[int], people: People, with_session: bool
) -> dict[int, str]:
    """comment id -> its note, for the visible ones of ``remarks``; the item
    numbered within its session ("2.3") when ``with_session``."""
    if not ids:
        return {}
    quote = quotes_remarks(people.mode)
    fields = [
        "id",
        "author_id",
        "author__delegation_id",
        "item_id",
        "item__number",
        "item__session__number",
    ]
    rows = list(
        remarks.filter(pk__in=ids, state=CommentState.VISIBLE).values(
            *fields, *(["body"] if quote else [])
        )
    )
    counts: Counter = Counter()
    if not quote and rows:
        for row in (
            Comment.objects.filter(
                item_id__in={row["item_id"] for row in rows},
                state=CommentState.VISIBLE,
            )
            .values("item_id", "author__delegation_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[(row["item_id"], row["author__delegation_id"])] = row["n"]
    return {
        row["id"]: people.note(
            row["author_id"],
            text=markdown_to_text(row["body"]) if quote else "",
            item=f"{row['item__session__number']}.{row['item__number']}"
            if with_session
            else row["item__number"],
            count=counts[(row["item_id"], row["author__delegation_id"])],
        )
        for row in rows
    }
