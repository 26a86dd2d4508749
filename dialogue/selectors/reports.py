"""Reads of the rapporteur's report: a draft, its sections, what it may
cite, the names it must not print, and what each page lists.

Who may read what is `dialogue.permissions.reports`; the views ask it
before calling these.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from dialogue import permissions, report_text
from dialogue.models import (
    Comment,
    CommentState,
    Delegation,
    Participant,
    Phase,
    ReportCorrection,
    ReportDraft,
    ReportRevision,
    ReportSection,
    ReportSignOff,
    ReportState,
    Session,
    Workshop,
)


def report_draft_find(*, workshop: Workshop, session: Session | None):
    """The session's draft (the workshop's own with no session), or None."""
    drafts = ReportDraft.objects.select_related(
        "workshop", "session", "review_revision", "released_by"
    ).filter(workshop=workshop)
    if session is None:
        return drafts.filter(session__isnull=True).first()
    return drafts.filter(session=session).first()


def report_numbers(*, draft: ReportDraft) -> list[int]:
    """What the draft has a narrative on: the session's item numbers, or for
    the workshop's report the numbers of its sessions (not those still in
    preparation)."""
    if draft.session_id is not None:
        return list(
            draft.session.items.order_by("number").values_list("number", flat=True)
        )
    return list(
        Session.objects.filter(workshop_id=draft.workshop_id)
        .exclude(phase=Phase.DRAFT)
        .order_by("number")
        .values_list("number", flat=True)
    )


def revision_texts(revision: ReportRevision | None) -> dict[str, str]:
    """{section key: text} of a revision, every section it has text in, in
    the order the report prints them."""
    if revision is None:
        return {}
    numbers = sorted(int(n) for n in (revision.narratives or {}))
    texts = {
        "takeaways": revision.takeaways,
        **{report_text.narrative_key(n): revision.narratives[str(n)] for n in numbers},
        "convergence": revision.convergence,
        "divergence": revision.divergence,
        "open_questions": revision.open_questions,
    }
    return {key: text for key, text in texts.items() if text}


def section_label(draft: ReportDraft, key: str) -> str:
    """A section as people call it: "Key takeaways", "Item 3", "Session 2"."""
    if key.startswith(report_text.NARRATIVE):
        number = key[len(report_text.NARRATIVE) :]
        if draft.session_id is None:
            return _("Session %(number)s") % {"number": number}
        return _("Item %(number)s") % {"number": number}
    return str(ReportSection(key).label)


def citable_comments(*, draft: ReportDraft):
    """The remarks the draft may cite: visible ones (not hidden, not
    withdrawn) of its session, or of any session of the workshop."""
    comments = Comment.objects.filter(state=CommentState.VISIBLE)
    if draft.session_id is not None:
        return comments.filter(item__session_id=draft.session_id)
    return comments.filter(item__session__workshop_id=draft.workshop_id)


@dataclass
class Citable:
    """A remark in the citation picker."""

    comment: Comment
    reference: str
    first_words: str


def citation_picker(*, draft: ReportDraft, limit: int = 500) -> list[Citable]:
    """The citable remarks, by item, with their reference and first words."""
    comments = (
        citable_comments(draft=draft)
        .select_related("item__session", "author__delegation")
        .order_by("item__session__number", "item__number", "created_at", "pk")[:limit]
    )
    return [
        Citable(
            comment=comment,
            reference=report_text.citation(comment.pk),
            first_words=_first_words(comment.body),
        )
        for comment in comments
    ]


def _first_words(text: str, count: int = 12) -> str:
    words = (text or "").split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def cited_comments(*, workshop: Workshop, ids) -> dict[int, Comment]:
    """The workshop's remarks with these ids (for links to them)."""
    if not ids:
        return {}
    return {
        comment.pk: comment
        for comment in Comment.objects.filter(
            pk__in=list(ids), item__session__workshop=workshop
        ).select_related("item__session__workshop")
    }


def name_terms(*, workshop: Workshop) -> list[str]:
    """Every participant's first name, last name, full name, username, email
    and affiliation: what the Chatham House Rule keeps out of the report."""
    terms: set[str] = set()
    for first, last, username, email, affiliation in Participant.objects.filter(
        workshop=workshop
    ).values_list(
        "user__first_name",
        "user__last_name",
        "user__username",
        "user__email",
        "affiliation",
    ):
        full = f"{first} {last}".strip()
        terms.update(t for t in (first, last, full, username, email, affiliation) if t)
    return sorted(terms)


def delegations_of(*, workshop: Workshop) -> list[Delegation]:
    return list(Delegation.objects.filter(workshop=workshop).order_by("code"))


def sign_offs_of(*, revision: ReportRevision | None) -> list[ReportSignOff]:
    if revision is None:
        return []
    return list(
        ReportSignOff.objects.filter(revision=revision).select_related(
            "delegation", "participant__user"
        )
    )


def corrections_for(*, participant: Participant, draft: ReportDraft):
    """The corrections the participant sees: their own, or all of them for
    the rapporteur and the facilitators."""
    corrections = ReportCorrection.objects.filter(draft=draft).select_related(
        "filed_by__user", "filed_by__delegation", "revision", "applied_in"
    )
    if not permissions.sees_report_drafts(participant, draft):
        corrections = corrections.filter(filed_by=participant)
    return list(corrections.order_by("created_at", "pk"))


def open_corrections(*, draft: ReportDraft):
    return ReportCorrection.objects.filter(draft=draft, status="open")


# -- what stands between the review and its end (read by the service, which
# asks them of the locked draft, and by the page, which shows why) ---------


def sign_off_refusal(*, draft: ReportDraft):
    """Why the revision under review cannot be signed off now (None: it can)."""
    if draft.state != ReportState.IN_REVIEW:
        return _("Only a report in review is signed off.")
    if draft.review_revision.number != draft.revision:
        return _(
            "The rapporteur has written a newer revision since this one was "
            "sent for review: it is signed off once it is sent for review again."
        )
    if open_corrections(draft=draft).exists():
        return _("Corrections are still open: the rapporteur resolves them first.")
    return None


def release_refusal(*, draft: ReportDraft):
    """Why the report cannot be released yet (None: it can)."""
    if draft.state != ReportState.IN_REVIEW:
        return _("Send the report for review before releasing it.")
    if draft.review_revision.number != draft.revision:
        # An applied correction or a later save: what was signed off is not
        # the text as it stands, and the final version must not drop it.
        return _(
            "A newer revision was written after this one was sent for review: "
            "send it for review and have it signed off before releasing."
        )
    if open_corrections(draft=draft).exists():
        return _("Corrections are still open: resolve them before releasing.")
    signed = set(
        ReportSignOff.objects.filter(revision=draft.review_revision).values_list(
            "delegation_id", flat=True
        )
    )
    missing = [
        d.code for d in delegations_of(workshop=draft.workshop) if d.pk not in signed
    ]
    if missing:
        return _("Not signed off yet by: %(codes)s.") % {"codes": ", ".join(missing)}
    return None


@dataclass
class IndexRow:
    """A line of the reports index: a session (None: the workshop) and its
    draft, if one was started."""

    session: Session | None
    draft: ReportDraft | None


def report_index(*, participant: Participant) -> list[IndexRow]:
    """One row per session the participant sees, then the workshop report
    (two queries, whatever the number of sessions)."""
    workshop = participant.workshop
    sessions = list(
        Session.objects.filter(permissions.visible_sessions(participant)).order_by(
            "number"
        )
    )
    drafts = ReportDraft.objects.filter(workshop=workshop).filter(
        Q(session__isnull=True) | Q(session__in=[s.pk for s in sessions])
    )
    by_session = {draft.session_id: draft for draft in drafts}
    rows = [IndexRow(session=s, draft=by_session.get(s.pk)) for s in sessions]
    rows.append(IndexRow(session=None, draft=by_session.get(None)))
    return rows


def revisions_of(*, participant: Participant, draft: ReportDraft):
    """The revisions the participant may read, newest first."""
    revisions = ReportRevision.objects.filter(draft=draft).select_related("author")
    if not permissions.sees_report_drafts(participant, draft):
        revisions = revisions.filter(pk=draft.review_revision_id)
    return list(revisions.order_by("-number"))
