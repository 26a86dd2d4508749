"""Reciprocal measures and packages of them: who proposes, answers,
counters, endorses, edits and withdraws."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.models import (
    Delegation,
    EndorsementRule,
    MeasurePackage,
    MeasureStatus,
    Participant,
    Phase,
    ReciprocalMeasure,
    Role,
    Workshop,
)
from dialogue.permissions.people import (
    _other_workshop,
    is_delegate,
    is_head,
    is_moderator,
)

# -- reciprocal measures ------------------------------------------------------------


def visible_measures(participant: Participant) -> Q:
    """The measures a participant may see: all of the workshop's, except other
    people's drafts (which answer 404, as if they did not exist) and, for
    anyone who may not see a draft session (`see_session_refusal`), those
    linked to one of its items."""
    visible = Q(workshop_id=participant.workshop_id) & (
        ~Q(status=MeasureStatus.DRAFT) | Q(proposer=participant)
    )
    if not is_moderator(participant):
        # Linked to an item of a session still in draft: not there yet.
        visible &= ~Q(items__session__phase=Phase.DRAFT)
    return visible


def write_measures_refusal(participant: Participant):
    """The measure pages' gate: anyone but a delegate reads measures and
    writes none, so every write page refuses them outright (403). A delegate
    refused one action is told why by that action's rule below."""
    if not is_delegate(participant):
        return _("Only delegates can propose and answer measures.")
    return None


def _trades_measures(participant: Participant, workshop_id: int) -> bool:
    """Delegates of the measure's own workshop propose, answer and counter."""
    return is_delegate(participant) and not _other_workshop(participant, workshop_id)


def propose_measure_refusal(participant: Participant):
    """Proposing a new measure (or saving it as a draft) in one's workshop."""
    if not _trades_measures(participant, participant.workshop_id):
        return _("Only delegates can propose a measure.")
    return None


def can_propose_measure(participant: Participant) -> bool:
    return propose_measure_refusal(participant) is None


def answer_measure_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _trades_measures(participant, measure.workshop_id):
        return _("Only delegates can answer a measure.")
    return None


def counter_measure_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _trades_measures(participant, measure.workshop_id):
        return _("Only delegates can counter a measure.")
    return None


def endorse_measure_refusal(
    participant: Participant, measure: ReciprocalMeasure, delegation: Delegation
):
    """Endorsing on behalf of `delegation`: its own head, in a workshop whose
    delegations endorse through their heads (not by majority alone)."""
    return _endorse_on_behalf_refusal(
        participant,
        measure.workshop,
        delegation,
        _(
            "In this workshop a delegation endorses when a majority of "
            "its delegates support a measure, not through its head."
        ),
    )


def _endorse_on_behalf_refusal(
    participant: Participant, workshop: Workshop, delegation: Delegation, majority
):
    """The endorsement rule for anything a delegation endorses (a measure, a
    package): its own head, unless the workshop's delegations endorse by
    majority alone (`majority` says so for the thing endorsed)."""
    if delegation.workshop_id != workshop.pk:
        return _("This delegation is not part of the workshop.")
    if not is_head(participant):
        return _("Only the head of a delegation can endorse on its behalf.")
    if participant.delegation_id != delegation.pk or _other_workshop(
        participant, workshop.pk
    ):
        return _("You head %(yours)s; you cannot endorse on behalf of %(other)s.") % {
            "yours": participant.delegation.display_name,
            "other": delegation.display_name,
        }
    if workshop.endorsement_rule == EndorsementRule.MAJORITY:
        return majority
    return None


# -- packages of measures ---------------------------------------------------------


def package_member_refusal(measure: ReciprocalMeasure):
    """A measure may join a package only while both sides see it on the
    table: proposed (a draft is its proposer's alone), not withdrawn or
    superseded, and linked to no item of a session still in draft (which
    only the organisers see)."""
    if measure.status == MeasureStatus.DRAFT:
        return _("A draft cannot join a package: propose it first.")
    if measure.status in (MeasureStatus.WITHDRAWN, MeasureStatus.SUPERSEDED):
        return _(
            "“%(title)s” is no longer on the table; only a measure both sides "
            "can still endorse can join a package."
        ) % {"title": measure.title}
    return None


def package_members() -> Q:
    """`package_member_refusal` as a filter on measures (without the titles)."""
    return Q(
        status__in=[
            MeasureStatus.PROPOSED,
            MeasureStatus.UNDER_DISCUSSION,
            MeasureStatus.ENDORSED_ONE,
            MeasureStatus.ENDORSED_BOTH,
        ]
    ) & ~Q(items__session__phase=Phase.DRAFT)


def visible_packages(participant: Participant) -> Q:
    """The packages a participant may see: every package of the workshop
    (its members are on the table for both sides), except, for anyone who
    may not see a draft session, one with a member linked to its items."""
    visible = Q(workshop_id=participant.workshop_id)
    if not is_moderator(participant):
        visible &= ~Q(members__items__session__phase=Phase.DRAFT)
    return visible


def create_package_refusal(participant: Participant):
    """Bundling measures into a package: a delegate of either side."""
    if not is_delegate(participant):
        return _("Only delegates can bundle measures into a package.")
    return None


def can_create_package(participant: Participant) -> bool:
    return create_package_refusal(participant) is None


def change_package_refusal(participant: Participant, package: MeasurePackage):
    """Adding or removing members, or withdrawing the package: its creator."""
    if package.created_by_id != participant.pk or _other_workshop(
        participant, package.workshop_id
    ):
        return _("Only the delegate who created a package can change or withdraw it.")
    return None


def endorse_package_refusal(
    participant: Participant, package: MeasurePackage, delegation: Delegation
):
    """Endorsing (or withdrawing the endorsement of) a package on behalf of
    `delegation`: as for a measure (`_endorse_on_behalf_refusal`)."""
    return _endorse_on_behalf_refusal(
        participant,
        package.workshop,
        delegation,
        _(
            "In this workshop a delegation endorses a package when a majority "
            "of its delegates support every measure in it, not through its head."
        ),
    )


def delegation_heads() -> Q:
    """The participants who head their delegation, as a filter: `is_head`
    for a query (does a delegation have a head; who may endorse for it)."""
    return Q(role=Role.DELEGATE, is_head=True, delegation__isnull=False)


def _is_proposer(participant: Participant, measure: ReciprocalMeasure) -> bool:
    return measure.proposer_id == participant.pk


def edit_measure_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _is_proposer(participant, measure):
        return _("Only its proposer can edit a measure.")
    return None


def withdraw_measure_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _is_proposer(participant, measure):
        return _("Only its proposer can withdraw a measure.")
    return None


def propose_draft_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _is_proposer(participant, measure):
        return _("Only its proposer can propose a draft.")
    return None


def delete_draft_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _is_proposer(participant, measure):
        return _("Only its proposer can delete a draft.")
    return None
