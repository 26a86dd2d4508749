"""What a measure's state allows, and how a delegation endorses.

These are business rules about the measure and its workshop, not about who
asks (that is `dialogue.permissions`): nobody answers a withdrawn measure,
and under the default rule a delegation without a head endorses by the
majority of its delegates. The transitions check them under the row lock;
pages ask them to decide what to offer.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.models import (
    EndorsementRule,
    EndorsementVia,
    MeasureStatus,
    ReciprocalMeasure,
    Workshop,
)

# The actions each status refuses, with the reason: whole sentences per
# action, so each translates as one.
_CLOSED = {
    ("answer", MeasureStatus.DRAFT): gettext_lazy(
        "A draft cannot be answered: propose it first."
    ),
    ("endorse", MeasureStatus.DRAFT): gettext_lazy(
        "A draft cannot be endorsed: propose it first."
    ),
    ("counter", MeasureStatus.DRAFT): gettext_lazy(
        "A draft cannot be countered: edit it instead."
    ),
    ("withdraw", MeasureStatus.DRAFT): gettext_lazy(
        "A draft is not on the table yet; delete it instead."
    ),
    ("answer", MeasureStatus.WITHDRAWN): gettext_lazy(
        "This measure was withdrawn; it can no longer be answered."
    ),
    ("endorse", MeasureStatus.WITHDRAWN): gettext_lazy(
        "This measure was withdrawn; it can no longer be endorsed."
    ),
    ("counter", MeasureStatus.WITHDRAWN): gettext_lazy(
        "This measure was withdrawn; it can no longer be countered."
    ),
    ("edit", MeasureStatus.WITHDRAWN): gettext_lazy(
        "This measure was withdrawn; it can no longer be edited."
    ),
    ("withdraw", MeasureStatus.WITHDRAWN): gettext_lazy(
        "This measure is already withdrawn."
    ),
    ("answer", MeasureStatus.SUPERSEDED): gettext_lazy(
        "This measure was superseded by a counter-proposal; answer its latest "
        "revision instead."
    ),
    ("endorse", MeasureStatus.SUPERSEDED): gettext_lazy(
        "This measure was superseded by a counter-proposal; endorse its latest "
        "revision instead."
    ),
    ("counter", MeasureStatus.SUPERSEDED): gettext_lazy(
        "This measure was already superseded by a counter-proposal; counter its "
        "latest revision instead."
    ),
    ("edit", MeasureStatus.SUPERSEDED): gettext_lazy(
        "This measure was superseded by a counter-proposal; it can no longer be edited."
    ),
    ("withdraw", MeasureStatus.SUPERSEDED): gettext_lazy(
        "This measure was superseded by a counter-proposal; it can no longer be "
        "withdrawn."
    ),
    ("counter", MeasureStatus.ENDORSED_BOTH): gettext_lazy(
        "Both delegations have endorsed this measure; it can no longer be countered."
    ),
    ("withdraw", MeasureStatus.ENDORSED_BOTH): gettext_lazy(
        "Both delegations have endorsed this measure; it can no longer be withdrawn."
    ),
}
_ANSWERED = gettext_lazy(
    "This measure has been answered, so it can no longer be edited: counter it "
    "or withdraw it instead."
)


def measure_refusal(
    *, measure: ReciprocalMeasure, action: str, answered: bool | None = None
) -> str | None:
    """Why `action` ("answer", "counter", "edit", "withdraw", "endorse",
    "propose", "delete") is refused in the measure's present state, or None.

    "edit" asks whether the measure has answers; pass `answered` when it is
    known, to save the query.
    """
    status = measure.status
    message = _CLOSED.get((action, status))
    if message is None and action == "edit":
        if answered is None:
            answered = measure.responses.exists()
        editable = status == MeasureStatus.DRAFT or (
            status == MeasureStatus.PROPOSED and not answered
        )
        message = None if editable else _ANSWERED
    if action == "propose" and status != MeasureStatus.DRAFT:
        message = _(
            "Only a draft can be proposed; this measure is already %(status)s."
        ) % {"status": measure.get_status_display().lower()}
    if action == "delete" and status != MeasureStatus.DRAFT:
        message = _("Only a draft can be deleted; withdraw a proposed measure instead.")
    return str(message) if message is not None else None


def endorsement_mode(*, workshop: Workshop, delegation_has_head: bool) -> str:
    """How this delegation endorses: EndorsementVia.HEAD or .MAJORITY."""
    rule = workshop.endorsement_rule
    if rule == EndorsementRule.MAJORITY:
        return EndorsementVia.MAJORITY
    if rule == EndorsementRule.HEAD or delegation_has_head:
        return EndorsementVia.HEAD
    return EndorsementVia.MAJORITY


def majority_reached(*, supporters: int, delegates: int) -> bool:
    """Whether `supporters` of a delegation's `delegates` are a majority."""
    return supporters * 2 > delegates


def settled_status(*, endorsed: int, delegations: int, answered: bool) -> str:
    """The status a proposed measure's endorsements and answers imply: every
    delegation endorsed, some did, answered only, or nothing yet."""
    if endorsed and endorsed >= delegations:
        return MeasureStatus.ENDORSED_BOTH
    if endorsed:
        return MeasureStatus.ENDORSED_ONE
    if answered:
        return MeasureStatus.UNDER_DISCUSSION
    return MeasureStatus.PROPOSED
