"""The rapporteur's text for summary tests: a session's ReportDraft and its
revisions, written straight to the database (the drafting pages are tested
elsewhere), and the remarks of `make_activity` to cite."""

from dialogue.models import Comment, ReportDraft, ReportRevision
from dialogue.report_text import citation


def remark_id(session, body: str) -> int:
    """The id of the remark of `session` with this text."""
    return Comment.objects.get(item__session=session, body=body).pk


def cite(session, body: str) -> str:
    """The citation of the remark with this text, as the rapporteur inserts it."""
    return citation(remark_id(session, body))


def write_report(
    session,
    *,
    takeaways: str = "",
    narratives: dict | None = None,
    convergence: str = "",
    divergence: str = "",
    open_questions: str = "",
    number: int | None = None,
) -> ReportRevision:
    """A new revision of the session's draft (the draft made if need be)."""
    draft, _created = ReportDraft.objects.get_or_create(
        workshop=session.workshop, session=session
    )
    draft.revision = number or draft.revision + 1
    draft.save(update_fields=["revision"])
    return ReportRevision.objects.create(
        draft=draft,
        number=draft.revision,
        takeaways=takeaways,
        narratives={str(k): v for k, v in (narratives or {}).items()},
        convergence=convergence,
        divergence=divergence,
        open_questions=open_questions,
    )
