"""The domain model, one module per noun group, and the vocabularies
(dialogue.vocabulary) the models use; import all of them from here."""

from dialogue.models.accounts import Invitation, Profile
from dialogue.models.comments import Comment, Endorsement, FocusChange
from dialogue.models.measures import (
    MeasureEndorsement,
    MeasureEvent,
    MeasureResponse,
    ReciprocalMeasure,
)
from dialogue.models.packages import MeasurePackage, PackageEndorsement, PackageEvent
from dialogue.models.rankings import Ranking, RankingEntry, RankingRound
from dialogue.models.summaries import SummaryReport
from dialogue.models.workshops import (
    AgendaItem,
    AgendaPoint,
    Delegation,
    Participant,
    PhaseChange,
    Session,
    Workshop,
)
from dialogue.vocabulary import (
    CommentState,
    Confidentiality,
    EndorsementRule,
    EndorsementVia,
    MeasureEventKind,
    MeasureStatus,
    MeasureType,
    PackageEventKind,
    PackageStatus,
    Phase,
    Reversibility,
    Role,
    Sequencing,
    Stance,
    SummaryFormat,
    SummaryStatus,
    WorkerState,
)

__all__ = [
    "WorkerState",
    "EndorsementVia",
    "AgendaItem",
    "AgendaPoint",
    "Comment",
    "CommentState",
    "Confidentiality",
    "Delegation",
    "Endorsement",
    "EndorsementRule",
    "FocusChange",
    "Invitation",
    "MeasureEndorsement",
    "MeasureEvent",
    "MeasureEventKind",
    "MeasureResponse",
    "MeasureStatus",
    "MeasurePackage",
    "MeasureType",
    "PackageEndorsement",
    "PackageEvent",
    "PackageEventKind",
    "PackageStatus",
    "Participant",
    "Phase",
    "PhaseChange",
    "Profile",
    "Ranking",
    "RankingEntry",
    "RankingRound",
    "ReciprocalMeasure",
    "Reversibility",
    "Role",
    "Sequencing",
    "Session",
    "Stance",
    "SummaryFormat",
    "SummaryReport",
    "SummaryStatus",
    "Workshop",
]
