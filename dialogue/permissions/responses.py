"""Responses: each side's answer to the recommendations addressed to it."""

from django.utils.translation import gettext_lazy as _

from dialogue.models import (
    Participant,
)
from dialogue.permissions.people import (
    _other_workshop,
    is_delegate,
    is_head,
    is_moderator,
    staff_runs_sessions,
)

# -- responses: each side's answer to the recommendations addressed to it -------------


def answers(delegation_id: int | None, item, point=None) -> bool:
    """The delegation answers this item (or point): the one it is addressed
    to, and for a point addressed to both governments, either delegation."""
    if delegation_id is None:
        return False
    if point is not None and point.addressed_to_both:
        return True
    return item.addressed_to_id == delegation_id


def run_responses_refusal(by, workshop_id: int):
    """Opening and revealing the workshop's response round: its organisers
    and facilitators, or an organiser in the admin."""
    if not isinstance(by, Participant):
        if staff_runs_sessions(by):
            return None
        return _("Only organisers can run the response round.")
    if _other_workshop(by, workshop_id):
        return _("This belongs to another workshop.")
    if not is_moderator(by):
        return _("Only the facilitator or an organiser runs the response round.")
    return None


def draft_response_refusal(participant: Participant, item, point=None):
    """Writing the delegation's response: any of its delegates, for what
    it answers."""
    if _other_workshop(participant, item.session.workshop_id):
        return _("This belongs to another workshop.")
    if not is_delegate(participant):
        return _("Only delegates write their delegation's responses.")
    if not answers(participant.delegation_id, item, point):
        return _(
            "This recommendation is addressed to the other delegation: it answers it."
        )
    return None


def sees_response_drafts(participant: Participant, response) -> bool:
    """A response is drafted in a space only its own delegation's delegates
    see: not the other side, observers, the rapporteur, the facilitator or
    the organisers."""
    return (
        is_delegate(participant) and participant.delegation_id == response.delegation_id
    )


def adopt_response_refusal(participant: Participant, response, *, mode: str):
    """Adopting a revision for the delegation, under the endorsement rule
    (`mode`, from measure_rules.endorsement_mode): its head, or each of its
    delegates towards a majority."""
    if not sees_response_drafts(participant, response):
        return _("Only the answering delegation's delegates adopt its response.")
    if mode == "head" and not is_head(participant):
        return _("In this workshop the head of the delegation adopts its responses.")
    return None


def sees_revealed_responses(participant: Participant, round_) -> bool:
    """Once revealed, everyone in the workshop reads both sides' adopted
    responses."""
    return (
        round_ is not None
        and round_.revealed
        and not _other_workshop(participant, round_.workshop_id)
    )


def reply_response_refusal(participant: Participant, response, *, kind: str):
    """After the reveal, delegates of either side reply on a response; a
    request for clarification comes from a side that put the recommendation."""
    if not sees_revealed_responses(participant, response.round):
        return _("Responses can be answered once they are revealed.")
    if not is_delegate(participant):
        return _("Only delegates reply on a response.")
    if kind == "clarification" and participant.delegation_id == response.delegation_id:
        return _("A delegation does not ask itself for clarification; reply instead.")
    return None
