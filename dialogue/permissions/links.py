"""Item links: who suggests one, who decides on it, who sees it."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.models import (
    Delegation,
    Participant,
    Phase,
    Role,
    Workshop,
)
from dialogue.permissions.people import (
    _other_workshop,
    is_delegate,
    is_head,
    is_moderator,
)

# -- item links ----------------------------------------------------------------


def visible_links(participant: Participant) -> Q:
    """The links a participant may see: the workshop's, except (for anyone
    who may not see a draft session, `see_session_refusal`) those with an end
    in a session still in draft."""
    visible = Q(workshop_id=participant.workshop_id)
    if not is_moderator(participant):
        visible &= ~Q(item_a__session__phase=Phase.DRAFT)
        visible &= ~Q(item_b__session__phase=Phase.DRAFT)
    return visible


def suggest_link_refusal(participant: Participant, workshop_id: int):
    """Suggesting a link: the organisers, or any delegate for their delegation.
    Observers, rapporteurs and facilitators read links and suggest none."""
    if _other_workshop(participant, workshop_id):
        return _("This belongs to another workshop.")
    if participant.role == Role.ORGANISER or is_delegate(participant):
        return None
    return _("Only the organisers and the delegates can suggest a link.")


def link_suggested_for(participant: Participant) -> Delegation | None:
    """The delegation a suggestion is made for: a delegate's own; none for
    the organisers (the suggestion is theirs)."""
    return participant.delegation if is_delegate(participant) else None


def can_suggest_link(participant: Participant) -> bool:
    return suggest_link_refusal(participant, participant.workshop_id) is None


def staff_suggests_links(user) -> bool:
    """An organiser in the admin or at the command line: staff who may add links."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("dialogue.add_itemlink")
    )


def decide_link_refusal(
    participant: Participant,
    workshop: Workshop,
    delegation: Delegation | None,
    *,
    head_decides: bool,
):
    """Confirming or rejecting a link on behalf of `delegation`.

    The same rule as endorsing a measure, without the vote: `head_decides`
    is `measure_rules.endorsement_mode(...) == EndorsementVia.HEAD` for this
    delegation (the caller asks it: that module is a sibling of this one).
    Where the delegation endorses through its head, only the head decides;
    where it endorses by majority (the workshop's rule is "majority", or the
    default rule and the delegation has no head), a link is a reading of the
    texts, not a commitment, so any one of its delegates decides for it.
    """
    if _other_workshop(participant, workshop.pk):
        return _("This belongs to another workshop.")
    if not is_delegate(participant) or delegation is None:
        return _("Only a delegation's delegates can confirm or reject a link.")
    if delegation.workshop_id != workshop.pk:
        return _("This delegation is not part of the workshop.")
    if participant.delegation_id != delegation.pk:
        return _(
            "You belong to %(yours)s; you cannot decide on behalf of %(other)s."
        ) % {
            "yours": participant.delegation.display_name,
            "other": delegation.display_name,
        }
    if head_decides and not is_head(participant):
        return _(
            "In this workshop the head of %(name)s confirms or rejects links on "
            "its behalf."
        ) % {"name": delegation.display_name}
    return None
