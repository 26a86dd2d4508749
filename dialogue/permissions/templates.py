"""What a participant may do on a page, for templates (`Can`)."""

from django.utils.functional import cached_property

from dialogue.models import (
    Participant,
    Session,
)
from dialogue.permissions.discussion import (
    can_moderate,
    comment_refusal,
    rank_refusal,
    request_summary_refusal,
    run_rounds_refusal,
)
from dialogue.permissions.measures import can_create_package, can_propose_measure
from dialogue.permissions.people import (
    change_phase_refusal,
    discussion_is_open,
    focus_is_live,
    ranking_is_on,
)

# -- for templates -----------------------------------------------------------------


class Can:
    """What one participant may do on one page, for templates.

    `{% if can.comment %}` asks `comment_refusal(participant, session)`; each
    answer is computed once per request.
    """

    def __init__(self, participant: Participant, session: Session | None = None):
        self.participant = participant
        self.session = session

    @cached_property
    def comment(self) -> bool:
        return comment_refusal(self.participant, self.session) is None

    @cached_property
    def comment_refusal(self):
        """Why this participant cannot comment here (None if they can)."""
        return comment_refusal(self.participant, self.session)

    @cached_property
    def moderate(self) -> bool:
        return can_moderate(self.participant)

    @cached_property
    def run_session(self) -> bool:
        return change_phase_refusal(self.participant, self.session) is None

    @cached_property
    def rank(self) -> bool:
        return rank_refusal(self.participant, self.session) is None

    @cached_property
    def run_rounds(self) -> bool:
        return run_rounds_refusal(self.participant, self.session) is None

    @cached_property
    def request_summary(self) -> bool:
        return (
            request_summary_refusal(self.participant, self.session.workshop_id) is None
        )

    @cached_property
    def propose_measure(self) -> bool:
        return can_propose_measure(self.participant)

    @cached_property
    def create_package(self) -> bool:
        return can_create_package(self.participant)

    @cached_property
    def discussion_is_open(self) -> bool:
        return self.session is not None and discussion_is_open(self.session)

    @cached_property
    def ranking_is_on(self) -> bool:
        return self.session is not None and ranking_is_on(self.session)

    @cached_property
    def focus_is_live(self) -> bool:
        return self.session is not None and focus_is_live(self.session)
