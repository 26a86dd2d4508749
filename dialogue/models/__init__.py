"""The domain model, one module per noun group; import from here."""

from dialogue.models.accounts import Invitation, Profile
from dialogue.models.comments import Comment, CommentState, Endorsement, FocusChange
from dialogue.models.measures import (
    MeasureEndorsement,
    MeasureEvent,
    MeasureEventKind,
    MeasureResponse,
    MeasureStatus,
    MeasureType,
    ReciprocalMeasure,
    Reversibility,
    Sequencing,
    Stance,
)
from dialogue.models.rankings import Ranking, RankingEntry, RankingRound
from dialogue.models.summaries import SummaryFormat, SummaryReport, SummaryStatus
from dialogue.models.workshops import (
    AgendaItem,
    AgendaPoint,
    Confidentiality,
    Delegation,
    EndorsementRule,
    Participant,
    Phase,
    PhaseChange,
    Role,
    Session,
    Workshop,
)

__all__ = [
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
    "MeasureType",
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
