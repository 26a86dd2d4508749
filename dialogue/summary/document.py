"""A session summary as plain data: built once, rendered to every format.

Pure module: no Django, no database, no models. ``dialogue.summary.build``
fills these dataclasses from the database, naming people only as the
workshop's confidentiality mode allows (``dialogue.summary.attribution``:
under the Chatham House Rule an author becomes "a participant from the X
delegation"; off the record no remark is kept at all). The renderers in
``dialogue.summary.render`` only ever see this tree, so no renderer can leak
a name that the builder left out.

Every string here is final display text (already translated where it comes
from the interface, verbatim where it comes from a participant).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Printed in English AND Chinese whatever the interface language, so a plain
# constant rather than a translatable string.
DISCLAIMER = (
    "Prepared by the rapporteur; does not necessarily reflect consensus.",
    "由报告员编写，不一定反映各方共识。",
)


@dataclass(frozen=True)
class DelegationCount:
    name: str
    code: str
    participants: int


@dataclass(frozen=True)
class Header:
    workshop_title: str
    session_title: str
    session_number: int
    dates: str  # e.g. "2026-03-01 09:00 – 12:00 UTC", or "" when unknown
    conveners: tuple[str, ...]  # by role only unless on the record
    delegations: tuple[DelegationCount, ...]
    confidentiality: str  # the mode's value, e.g. "chatham_house"
    confidentiality_label: str  # e.g. "Chatham House Rule"
    statement_en: str
    statement_zh: str
    disclaimer_en: str
    disclaimer_zh: str
    source: str  # the workshop's source citation, or ""
    version: int
    compiled_at: str  # e.g. "2026-03-01 12:30 UTC"
    venue: str = ""  # the workshop's venue, or ""
    paper_size: str = "a4"  # PaperSize value: "a4" or "letter", in DOCX and PDF
    # The report's standing, for the title page and every page's header:
    # e.g. "Draft for review (revision 3)" or "Final"; "" for a summary
    # compiled without the rapporteur's text.
    status: str = ""
    final: bool = False


@dataclass(frozen=True)
class Remark:
    """One visible comment, already attributed as the mode allows."""

    attribution: str
    text: str
    endorsements: int
    point_label: str = ""  # e.g. "3.2" when the remark is on a sub-point
    replies: tuple[Remark, ...] = ()
    reply_count: int = 0  # visible replies, including those not shown


@dataclass(frozen=True)
class DelegationDiscussion:
    delegation: str
    remark_count: int  # visible top-level remarks by this delegation
    reply_count: int  # visible replies by this delegation (to anyone)
    remarks: tuple[Remark, ...]  # most-endorsed first; empty off the record

    @property
    def omitted(self) -> int:
        """Top-level remarks counted but not quoted (the summary shows the top)."""
        return max(0, self.remark_count - len(self.remarks))


@dataclass(frozen=True)
class Tally:
    delegation: str
    support: int = 0
    support_with_changes: int = 0
    oppose: int = 0
    clarify: int = 0

    @property
    def total(self) -> int:
        return self.support + self.support_with_changes + self.oppose + self.clarify


@dataclass(frozen=True)
class MeasureSummary:
    title: str
    proposed_by: str  # delegation name
    our_action: str  # "" off the record
    their_action: str
    status: str  # display label
    status_value: str
    sequencing: str
    timeframe: str
    revision: int
    # The chain that led to this revision, oldest first: (revision, the
    # delegation name that proposed it); one entry when never countered.
    revisions: tuple[tuple[int, str], ...]
    endorsed_by: tuple[str, ...]  # delegation names
    tallies: tuple[Tally, ...]  # one per delegation, by code
    item_numbers: tuple[int, ...]


@dataclass(frozen=True)
class PackageSummary:
    """A package of measures, endorsed only as a whole."""

    title: str
    status: str  # display label
    status_value: str
    members: tuple[tuple[str, str, str], ...]  # (title, proposed by, status)
    endorsed_by: tuple[str, ...]  # delegation names
    suspended_for: tuple[str, ...]  # delegations whose endorsement is suspended


@dataclass(frozen=True)
class ItemRank:
    delegation: str
    rank: float | None  # None when the delegation submitted no ranking


@dataclass(frozen=True)
class ResponseSummary:
    """A delegation's adopted response, shown only after the reveal: the
    delegation's own collective word, so no one is named in any mode."""

    delegation: str  # display name
    point_label: str  # "3.2" for a response to a point, "" for the item
    stance: str  # display label
    stance_value: str
    reasoning: str
    conditions: str


@dataclass(frozen=True)
class ResponseProgress:
    """How far a delegation has got, all the summary tells before the reveal."""

    delegation: str  # code, e.g. "CN"
    answered: int
    required: int


@dataclass(frozen=True)
class ResponsesOverview:
    """The workshop's response round as the report shows it."""

    revealed: bool
    revealed_at: str  # "" while sealed
    progress: tuple[ResponseProgress, ...]
    unanswered: tuple[str, ...] = ()  # "CN 2.1" at an early reveal


@dataclass(frozen=True)
class ItemSection:
    number: int
    title: str
    proposed_by: str
    addressed_to: str
    body: str
    points: tuple[tuple[str, str], ...]  # (label, text)
    discussion: tuple[DelegationDiscussion, ...]
    ranks: tuple[ItemRank, ...]
    measures: tuple[MeasureSummary, ...]
    # After the reveal, each delegation's adopted responses to the item and
    # its points; empty before it.
    responses: tuple[ResponseSummary, ...] = ()
    # The rapporteur's narrative of the item (NarrativeText), or "".
    narrative: str = ""
    # The body's first sentence, quoted in the report's body; the full text
    # (body and points) goes to the annex.
    first_sentence: str = ""


@dataclass(frozen=True)
class RankingRow:
    number: int
    title: str
    overall_rank: float
    ranks: tuple[ItemRank, ...]
    median: float | None
    iqr: float | None


@dataclass(frozen=True)
class RankingResult:
    round_number: int
    closed_at: str
    rankers: tuple[tuple[str, int], ...]  # (delegation name, ballots)
    rows: tuple[RankingRow, ...]  # by overall rank, then item number
    tau_b: float | None  # agreement between two delegations, when defined
    chart_svg: str  # "" unless exactly two delegations both ranked
    chart_title: str


@dataclass(frozen=True)
class LinkEndSummary:
    label: str  # "1.5", or "1.5, point 7"
    title: str  # the item's title
    quote: str  # the passage of the item the link rests on


@dataclass(frozen=True)
class LinkSummary:
    """A mirror pair with an end in the session (rejected ones left out)."""

    agreed: bool  # both delegations confirmed it; otherwise suggested
    ends: tuple[LinkEndSummary, ...]  # in the order of the delegations


@dataclass(frozen=True)
class Note:
    """A citation's footnote, worded as the confidentiality mode allows: on
    the record the speaker's name and the remark; under the Chatham House
    Rule "A participant from the X delegation" and the remark; off the
    record no remark, only how many remarks the delegation made there."""

    number: int  # from 1, across the whole document
    text: str


@dataclass(frozen=True)
class Narrative:
    """The rapporteur's text, as the report prints it.

    Every text field here (and ``ItemSection.narrative``,
    ``SessionReport.narrative``) is Markdown-lite as the rapporteur wrote
    it, each citation replaced by a footnote reference ``[^n]`` whose
    wording is ``notes[n - 1]``. A citation of a remark that is no longer
    visible is dropped by the builder.
    """

    takeaways: str
    convergence: str  # the lead above the computed convergence list
    divergence: str
    open_questions: str
    notes: tuple[Note, ...]
    revision: int


@dataclass(frozen=True)
class SummaryDocument:
    header: Header
    items: tuple[ItemSection, ...]
    ranking: RankingResult | None
    convergence: tuple[str, ...]
    divergence: tuple[str, ...]
    open_questions: tuple[str, ...]
    remarks_included: bool  # False off the record: only aggregates
    notes: tuple[str, ...] = field(default=())  # how the sections were made
    language: str = "en"  # the interface language the text was built in
    mirror_pairs: tuple[LinkSummary, ...] = ()
    responses: ResponsesOverview | None = None  # None: no response round
    packages: tuple[PackageSummary, ...] = field(default=())
    narrative: Narrative | None = None  # None: compiled from the data alone


@dataclass(frozen=True)
class SessionReport:
    """One session's section of the workshop's report."""

    number: int
    title: str
    dates: str
    narrative: str  # the workshop report's narrative of the session, or ""
    items: tuple[ItemSection, ...]
    convergence: tuple[str, ...]
    divergence: tuple[str, ...]
    open_questions: tuple[str, ...]
    ranking: RankingResult | None = None


@dataclass(frozen=True)
class ParticipantList:
    delegation: str  # display name
    count: int
    names: tuple[str, ...]  # empty unless on the record


@dataclass(frozen=True)
class WorkshopDocument:
    """The report on the whole workshop (``Header.session_number`` is 0)."""

    header: Header
    sessions: tuple[SessionReport, ...]
    measures: tuple[MeasureSummary, ...]  # those endorsed by both sides
    packages: tuple[PackageSummary, ...]  # those endorsed by both sides
    methodology: tuple[str, ...]  # rounds, confidentiality: one paragraph each
    participants: tuple[ParticipantList, ...]
    remarks_included: bool
    narrative: Narrative | None = None
    responses: ResponsesOverview | None = None
    mirror_pairs: tuple[LinkSummary, ...] = ()
    notes: tuple[str, ...] = ()  # how the sections were made
    language: str = "en"
