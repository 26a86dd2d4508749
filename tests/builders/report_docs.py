"""The rapporteur's text for summary tests: a session's ReportDraft and its
revisions, written straight to the database (the drafting pages are tested
elsewhere), and the remarks of `make_activity` to cite."""

from dialogue.models import (
    Comment,
    Confidentiality,
    ReportDraft,
    ReportRevision,
    ReportState,
)
from dialogue.report_text import citation
from dialogue.summary.attribution import STATEMENTS
from dialogue.summary.document import (
    DISCLAIMER,
    DelegationCount,
    DelegationDiscussion,
    Header,
    ItemSection,
    Narrative,
    Note,
    Remark,
    SummaryDocument,
)


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
    sent: bool = True,
) -> ReportRevision:
    """A new revision of the session's draft (the draft made if need be),
    sent for review unless `sent` is False: a summary prints only a revision
    every participant may read."""
    draft, _created = ReportDraft.objects.get_or_create(
        workshop=session.workshop, session=session
    )
    revision = ReportRevision.objects.create(
        draft=draft,
        number=number or draft.revision + 1,
        takeaways=takeaways,
        narratives={str(k): v for k, v in (narratives or {}).items()},
        convergence=convergence,
        divergence=divergence,
        open_questions=open_questions,
    )
    _written(draft, revision, sent=sent)
    return revision


def _written(draft: ReportDraft, revision: ReportRevision, *, sent: bool) -> None:
    draft.revision = revision.number
    if sent:
        draft.state, draft.review_revision = ReportState.IN_REVIEW, revision
    draft.save(update_fields=["revision", "state", "review_revision"])


def write_workshop_report(
    workshop,
    *,
    takeaways: str = "",
    narratives: dict | None = None,
    convergence: str = "",
    sent: bool = True,
) -> ReportRevision:
    """A new revision of the workshop's own draft (no session): its
    narratives keyed by session number; sent for review unless not `sent`."""
    draft, _created = ReportDraft.objects.get_or_create(workshop=workshop, session=None)
    revision = ReportRevision.objects.create(
        draft=draft,
        number=draft.revision + 1,
        takeaways=takeaways,
        narratives={str(k): v for k, v in (narratives or {}).items()},
        convergence=convergence,
    )
    _written(draft, revision, sent=sent)
    return revision


# -- a hand-made report for the pure rendering tests --------------------------

LOREM = (
    "The delegations weighed how a channel for crises could work in "
    "practice, who would staff it and what it would be allowed to say. "
)


def report_document(
    *,
    paper_size: str = "a4",
    items: int = 6,
    filler: int = 3,
    quiet: tuple[int, ...] = (3,),
    mode: str = "chatham_house",
) -> SummaryDocument:
    """A report of `items` items, each with a narrative of `filler`
    paragraphs and a remark per delegation, except the `quiet` ones, about
    which nothing was said; key takeaways citing two notes."""
    statement_en, statement_zh = STATEMENTS[mode]
    sections = []
    for number in range(1, items + 1):
        said = number not in quiet
        sections.append(
            ItemSection(
                number=number,
                title=f"Recommendation {number} on crisis channels",
                proposed_by="Chinese scholars",
                addressed_to="American scholars",
                body=f"Open channel {number}. It should be staffed day and night."
                "\n\nA second paragraph of the recommendation's full text.",
                points=((f"{number}.1", f"Point text of item {number}."),),
                discussion=tuple(
                    DelegationDiscussion(
                        delegation=name,
                        remark_count=1 if said else 0,
                        reply_count=0,
                        remarks=(
                            Remark(
                                attribution=f"a participant from the {name} delegation",
                                text=LOREM * 2,
                                endorsements=1,
                            ),
                        )
                        if said
                        else (),
                    )
                    for name in ("American scholars", "Chinese scholars")
                ),
                ranks=(),
                measures=(),
                narrative="\n\n".join([LOREM * 3] * filler) + "[^1]" if said else "",
                first_sentence=f"Open channel {number}.",
            )
        )
    return SummaryDocument(
        header=Header(
            workshop_title="What Should the Other Side Do?",
            session_title="Suggestions",
            session_number=1,
            dates="2026-03-01 09:00 – 12:00 UTC",
            conveners=("1 organiser", "1 facilitator"),
            delegations=(
                DelegationCount(name="American scholars", code="US", participants=3),
                DelegationCount(name="Chinese scholars", code="CN", participants=3),
            ),
            confidentiality=mode,
            confidentiality_label=str(Confidentiality(mode).label),
            statement_en=statement_en,
            statement_zh=statement_zh,
            disclaimer_en=DISCLAIMER[0],
            disclaimer_zh=DISCLAIMER[1],
            source="",
            version=2,
            compiled_at="2026-03-01 12:30 UTC",
            venue="Online",
            paper_size=paper_size,
            status="Draft (revision 3)",
        ),
        items=tuple(sections),
        ranking=None,
        convergence=("Item 1 is a shared priority.",),
        divergence=(),
        open_questions=(),
        remarks_included=True,
        notes=("Only visible remarks are reported.",),
        narrative=Narrative(
            takeaways="Both sides want **a hotline**[^1].\n\n- Verify it[^2]",
            convergence="Broad agreement[^2].",
            divergence="",
            open_questions="",
            notes=(
                Note(
                    number=1,
                    text="A participant from the American scholars "
                    "delegation, on item 1: “We need *a* hotline.”",
                ),
                Note(
                    number=2,
                    text="A participant from the Chinese scholars "
                    "delegation, on item 2: “同意。”",
                ),
            ),
            revision=3,
        ),
    )
