"""What a workshop file holds, as plain frozen dataclasses, and its one error.

`parse.validate` builds a `WorkshopSpec` from decoded JSON; the importer writes
one to the database; nothing here knows about either. The format itself is
documented in README.md ("Workshop files").
"""

import datetime as dt
from dataclasses import dataclass, field

from dialogue.times import DEFAULT_WORKSHOP_ZONE
from dialogue.vocabulary import PaperSize

FORMAT_VERSION = 1
MAX_TITLE = 300
MAX_TEXT = 100_000
# The workshop's zone when a file names none: the model's default.
DEFAULT_TIME_ZONE = DEFAULT_WORKSHOP_ZONE
# The paper size when a file names none: the model's default.
DEFAULT_PAPER_SIZE = PaperSize.A4.value


@dataclass(frozen=True)
class SourceSpec:
    title: str = ""
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    publisher: str = ""
    url: str = ""


@dataclass(frozen=True)
class DelegationSpec:
    code: str
    name: str
    name_zh: str = ""  # the name in the Chinese interface; "": the name


@dataclass(frozen=True)
class ItemSpec:
    number: int
    title: str
    body: str
    proposed_by: str
    addressed_to: str
    points: tuple[str, ...] = ()
    # The positions (1-based) of the points addressed to both delegations:
    # in the file, {"text": ..., "addressed_to_both": true} instead of a string.
    both: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SessionSpec:
    number: int
    title: str
    title_zh: str = ""  # the title in the Chinese interface; "": the title
    description: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    items: tuple[ItemSpec, ...] = ()


@dataclass(frozen=True)
class ResponseSpec:
    username: str
    stance: str
    reason: str
    at: dt.datetime | None = None


@dataclass(frozen=True)
class EndorsementSpec:
    delegation: str
    via: str
    by: str = ""
    at: dt.datetime | None = None


@dataclass(frozen=True)
class MeasureSpec:
    """One revision of a reciprocal measure. `key` is "<chain>-r<revision>":
    chains are numbered 1, 2, ... in the order they were first proposed."""

    key: str
    chain: int
    revision: int
    revision_of: str | None
    proposer: str
    proposing_delegation: str
    items: tuple[tuple[int, int], ...]
    title: str
    our_action: str
    their_action: str = ""
    sequencing: str = "simultaneous"
    conditionality: str = ""
    verification: str = ""
    timeframe: str = ""
    reversibility: str = "reversible"
    measure_type: str = "other"
    status: str = "proposed"
    proposed_at: dt.datetime | None = None
    responses: tuple[ResponseSpec, ...] = ()
    endorsements: tuple[EndorsementSpec, ...] = ()


@dataclass(frozen=True)
class LinkEndSpec:
    item: tuple[int, int]  # (session number, item number)
    point: int | None  # the point's position, or None for the whole item
    quote: str


@dataclass(frozen=True)
class LinkVerdictSpec:
    delegation: str
    decision: str  # "confirmed" or "rejected"; a delegation left out is pending
    by: str
    at: dt.datetime | None = None


@dataclass(frozen=True)
class AdoptionSpec:
    """A delegate's adoption of a response revision (dialogue.models.responses)."""

    by: str
    via: str
    at: dt.datetime | None = None


@dataclass(frozen=True)
class LinkSpec:
    """One item link; the pair of its ends is its key in the file."""

    kind: str
    a: LinkEndSpec
    b: LinkEndSpec
    note: str = ""
    suggested_by: str = ""  # a username; "" for the organisers
    suggested_for: str = ""  # a delegation code; "" for the organisers
    verdicts: tuple[LinkVerdictSpec, ...] = ()


@dataclass(frozen=True)
class AnswerRevisionSpec:
    """One revision of a delegation's response; numbered 1, 2, ... in order."""

    number: int
    stance: str
    reasoning: str
    conditions: str = ""
    asks_measure: str | None = None  # a measure key, "<chain>-r<revision>"
    author: str | None = None  # a username; None: the account is gone
    at: dt.datetime | None = None
    after_reveal: bool = False
    adoptions: tuple[AdoptionSpec, ...] = ()


@dataclass(frozen=True)
class AnswerReplySpec:
    author: str
    kind: str
    body: str
    at: dt.datetime | None = None


@dataclass(frozen=True)
class AnswerSpec:
    """A delegation's response to an item (session number, item number) or to
    one of its points (`point`: its position)."""

    delegation: str
    item: tuple[int, int]
    point: int | None
    revisions: tuple[AnswerRevisionSpec, ...]
    adopted: int | None = None  # the adopted revision's number
    replies: tuple[AnswerReplySpec, ...] = ()

    @property
    def ref(self) -> str:
        ref = f"{self.item[0]}.{self.item[1]}"
        return f"{ref}.{self.point}" if self.point else ref


@dataclass(frozen=True)
class ResponseRoundSpec:
    opened_by: str | None = None
    opened_at: dt.datetime | None = None
    revealed_by: str | None = None
    revealed_at: dt.datetime | None = None
    unanswered: tuple[tuple[str, str], ...] = ()  # (delegation code, ref)


@dataclass(frozen=True)
class PackageEndorsementSpec:
    delegation: str
    via: str
    by: str = ""  # the head's username; "" for a majority
    at: dt.datetime | None = None
    suspended_at: dt.datetime | None = None  # None: the endorsement stands


@dataclass(frozen=True)
class PackageEventSpec:
    """One line of a package's history. In `detail`, measures are named by
    their keys in the file ("measure", "replaces", "members"[].measure);
    None for one that has no key (deleted since)."""

    kind: str
    actor: str | None  # a username; None: nobody (or the account is gone)
    detail: dict
    at: dt.datetime | None = None


@dataclass(frozen=True)
class PackageSpec:
    """A package of measures; `key` is "p<number>", numbered 1, 2, ... in
    the order the packages were created."""

    key: str
    number: int
    title: str
    creator: str
    members: tuple[str, ...]  # measure keys
    status: str
    created_at: dt.datetime | None
    note: str = ""
    endorsements: tuple[PackageEndorsementSpec, ...] = ()
    history: tuple[PackageEventSpec, ...] = ()


@dataclass(frozen=True)
class ReportRemarkSpec:
    """A remark a report draft cites. In the file's texts ``[#c<number>]``
    names the draft's remark `number` (1, 2, ... in the order first cited),
    not a database id: ids change across databases, this key does not. The
    import finds the remark by its item (and point), author and time."""

    number: int
    item: tuple[int, int]  # (session number, item number)
    point: int | None  # the point's position, or None for the whole item
    author: str  # a participant's username
    posted_at: dt.datetime


@dataclass(frozen=True)
class ReportRevisionSpec:
    """One revision of a report draft; numbered 1, 2, ... in order. The
    narratives are (number, text): by item number in a session's report, by
    session number in the workshop's."""

    number: int
    author: str | None = None  # a username; None: the account is gone
    takeaways: str = ""
    narratives: tuple[tuple[int, str], ...] = ()
    convergence: str = ""
    divergence: str = ""
    open_questions: str = ""
    at: dt.datetime | None = None


@dataclass(frozen=True)
class ReportCorrectionSpec:
    revision: int
    section: str  # "takeaways", "narrative:<number>", or a lead's name
    paragraph: int  # from 1
    kind: str
    note: str
    filed_by: str  # a participant's username
    suggestion: str = ""
    status: str = "open"
    reason: str = ""
    resolved_by: str | None = None  # a username
    at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    applied_in: int | None = None  # the revision the wording went into


@dataclass(frozen=True)
class ReportSignOffSpec:
    revision: int
    delegation: str
    participant: str  # the delegation head's username
    at: dt.datetime | None = None


@dataclass(frozen=True)
class ReportDraftSpec:
    """The rapporteur's report on one session (`session`: its number) or on
    the whole workshop (`session` None)."""

    session: int | None
    state: str = "drafting"
    review_revision: int | None = None
    review_deadline: dt.datetime | None = None
    sent_for_review_at: dt.datetime | None = None
    released_at: dt.datetime | None = None
    released_by: str | None = None
    remarks: tuple[ReportRemarkSpec, ...] = ()
    revisions: tuple[ReportRevisionSpec, ...] = ()
    corrections: tuple[ReportCorrectionSpec, ...] = ()
    sign_offs: tuple[ReportSignOffSpec, ...] = ()


@dataclass(frozen=True)
class WorkshopSpec:
    slug: str
    title: str
    description: str
    source: SourceSpec
    confidentiality: str
    delegations: tuple[DelegationSpec, ...]
    sessions: tuple[SessionSpec, ...] = field(default=())
    # None: the file has no "measures" key, and the import leaves measures be.
    measures: tuple[MeasureSpec, ...] | None = None
    # None: the file has no "links" key, and the import leaves links be.
    links: tuple[LinkSpec, ...] | None = None
    title_zh: str = ""  # the title in the Chinese interface; "": the title
    time_zone: str = DEFAULT_TIME_ZONE
    # None: the file has neither "response_round" nor "responses", and the
    # import leaves the response round be. Otherwise `response_round` None
    # means the workshop has no round.
    response_round: ResponseRoundSpec | None = None
    responses: tuple[AnswerSpec, ...] | None = None
    # None: the file has no "packages" key, and the import leaves packages be.
    packages: tuple[PackageSpec, ...] | None = None
    venue: str = ""
    paper_size: str = DEFAULT_PAPER_SIZE
    # None: the file has no "report_drafts" key, and the import leaves the
    # rapporteur's drafts be.
    report_drafts: tuple[ReportDraftSpec, ...] | None = None


class WorkshopFileError(Exception):
    """A workshop file that cannot be imported; `errors` is [(path, message)]."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("\n".join(f"{path}: {message}" for path, message in errors))
