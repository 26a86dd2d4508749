"""Business rules for reciprocal measures: propose, answer, counter, endorse.

A measure moves through

    draft -> proposed -> under discussion (first answer)
          -> endorsed by one side -> endorsed by both sides

or leaves the race as withdrawn (by its proposer) or superseded (by a
counter-proposal, which is a new revision of the same chain). Every function
here locks the measure row (select_for_update) before it reads the state it
decides on, validates everything before it writes, records each change of
status as a MeasureEvent (who, when, from, to), and bumps the version of every
session whose items the measure is linked to, so live boards see the change.

How a delegation endorses (Workshop.endorsement_rule):

- ``head``: its head presses "endorse on behalf of the delegation".
- ``majority``: more than half of its delegates answer "support".
- ``head_or_majority`` (default): the head, where the delegation has one;
  otherwise the majority of its delegates.

A head's endorsement stands once given. A majority endorsement is recomputed
on every answer from that delegation: if supporters change their answers and
the majority is lost, the endorsement is removed (recorded as
``endorsement_lost``) and the status falls back accordingly.

Refusals raise MeasureError (a ValidationError) with a message for people;
views show it as a form error or a 400, and nothing has been written.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.live import session_touch
from dialogue.models import (
    AgendaItem,
    Delegation,
    EndorsementRule,
    MeasureEndorsement,
    MeasureEvent,
    MeasureResponse,
    MeasureStatus,
    MeasureType,
    Participant,
    ReciprocalMeasure,
    Reversibility,
    Role,
    Sequencing,
    Stance,
)

# Statuses in which a measure is alive: it can be answered and countered.
OPEN_STATUSES = (
    MeasureStatus.PROPOSED,
    MeasureStatus.UNDER_DISCUSSION,
    MeasureStatus.ENDORSED_ONE,
    MeasureStatus.ENDORSED_BOTH,
)
TITLE_MAX = 200
TIMEFRAME_MAX = 200

# Sequencing seen from the other side: "proposer first" becomes "other first".
MIRRORED_SEQUENCING = {
    Sequencing.PROPOSER_FIRST: Sequencing.OTHER_FIRST,
    Sequencing.OTHER_FIRST: Sequencing.PROPOSER_FIRST,
}


class MeasureError(ValidationError):
    """A measure action that the rules refuse; the message is for people."""


@dataclass(frozen=True)
class MeasureContent:
    """What a delegate writes in a measure (its links to items travel apart)."""

    title: str
    our_action: str
    their_action: str = ""
    sequencing: str = Sequencing.SIMULTANEOUS
    conditionality: str = ""
    verification: str = ""
    timeframe: str = ""
    reversibility: str = Reversibility.REVERSIBLE
    measure_type: str = MeasureType.OTHER

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def of(cls, measure: ReciprocalMeasure) -> "MeasureContent":
        return cls(**{name: getattr(measure, name) for name in cls.names()})

    @classmethod
    def from_dict(cls, data: dict) -> "MeasureContent":
        return cls(**{name: data[name] for name in cls.names() if name in data})

    def mirrored(self) -> "MeasureContent":
        """The same measure written by the other side: their action becomes
        ours and "proposer first" becomes "other first"."""
        values = asdict(self)
        values["our_action"], values["their_action"] = (
            self.their_action,
            self.our_action,
        )
        values["sequencing"] = MIRRORED_SEQUENCING.get(self.sequencing, self.sequencing)
        return MeasureContent(**values)


def content_for_side(measure: ReciprocalMeasure, delegation_id: int) -> MeasureContent:
    """The measure's content as a delegate of `delegation_id` would write it.

    A counter-proposal from the other side starts from this, so "what our
    side would do" keeps meaning the counter's proposer's side.
    """
    content = MeasureContent.of(measure)
    if delegation_id != measure.proposing_delegation_id and content.their_action:
        return content.mirrored()
    return content


def changed_fields(
    new: MeasureContent,
    new_items: Iterable[int],
    old: MeasureContent,
    old_items: Iterable[int],
) -> list[str]:
    """Names of the fields that differ (and "items" if the links differ)."""
    changed = [
        name
        for name in MeasureContent.names()
        if getattr(new, name) != getattr(old, name)
    ]
    if set(new_items) != set(old_items):
        changed.append("items")
    return changed


def measure_changes(measure: ReciprocalMeasure) -> list[str]:
    """The fields a counter-proposal changed against its previous revision.

    Needs ``revision_of`` (with its items prefetched) and the measure's items.
    """
    previous = measure.revision_of
    if previous is None:
        return []
    return changed_fields(
        MeasureContent.of(measure),
        [item.pk for item in measure.items.all()],
        content_for_side(previous, measure.proposing_delegation_id),
        [item.pk for item in previous.items.all()],
    )


def endorsement_mode(*, workshop, delegation_has_head: bool) -> str:
    """How this delegation endorses: MeasureEndorsement.HEAD or .MAJORITY."""
    rule = workshop.endorsement_rule
    if rule == EndorsementRule.MAJORITY:
        return MeasureEndorsement.MAJORITY
    if rule == EndorsementRule.HEAD or delegation_has_head:
        return MeasureEndorsement.HEAD
    return MeasureEndorsement.MAJORITY


# --- checks -----------------------------------------------------------------

# Whole sentences per action, so each translates as one.
_NOT_DELEGATE = {
    "propose": gettext_lazy("Only delegates can propose a measure."),
    "answer": gettext_lazy("Only delegates can answer a measure."),
    "counter": gettext_lazy("Only delegates can counter a measure."),
}
_NOT_PROPOSER = {
    "edit": gettext_lazy("Only its proposer can edit a measure."),
    "propose": gettext_lazy("Only its proposer can propose a draft."),
    "delete": gettext_lazy("Only its proposer can delete a draft."),
    "withdraw": gettext_lazy("Only its proposer can withdraw a measure."),
}
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


def _require_delegate(participant: Participant, workshop_id: int, action: str):
    if (
        participant.workshop_id != workshop_id
        or participant.role != Role.DELEGATE
        or not participant.delegation_id
    ):
        raise MeasureError(_NOT_DELEGATE[action])


def _require_proposer(measure: ReciprocalMeasure, participant: Participant, action):
    if measure.proposer_id != participant.pk:
        raise MeasureError(_NOT_PROPOSER[action])


def _refuse_closed(measure: ReciprocalMeasure, action: str) -> None:
    """Refuse `action` where the measure's status does not allow it."""
    message = _CLOSED.get((action, measure.status))
    if message is not None:
        raise MeasureError(message)


def measure_refusal(*, measure: ReciprocalMeasure, action: str) -> str | None:
    """Why `action` ("answer", "counter", "edit", ...) is refused in the
    measure's present state, or None. For pages deciding what to offer; the
    transitions check again under the row lock."""
    message = _CLOSED.get((action, measure.status))
    if message is None and action == "edit":
        editable = measure.status == MeasureStatus.DRAFT or (
            measure.status == MeasureStatus.PROPOSED and not measure.responses.exists()
        )
        message = None if editable else _ANSWERED
    return str(message) if message is not None else None


def _validate_content(content: MeasureContent) -> None:
    errors = {}
    if not content.title.strip():
        errors["title"] = _("Give the measure a title.")
    elif len(content.title) > TITLE_MAX:
        errors["title"] = _("The title is too long (at most %(max)d characters).") % {
            "max": TITLE_MAX
        }
    if not content.our_action.strip():
        errors["our_action"] = _("Say what the proposing side would do.")
    if len(content.timeframe) > TIMEFRAME_MAX:
        errors["timeframe"] = _(
            "The timeframe is too long (at most %(max)d characters)."
        ) % {"max": TIMEFRAME_MAX}
    for name, choices in (
        ("sequencing", Sequencing),
        ("reversibility", Reversibility),
        ("measure_type", MeasureType),
    ):
        if getattr(content, name) not in choices.values:
            errors[name] = _("%(value)r is not a valid choice.") % {
                "value": getattr(content, name)
            }
    if errors:
        raise MeasureError(errors)


def _item_ids(items: Iterable[AgendaItem], workshop_id: int) -> list[int]:
    ids = sorted({item.pk for item in items})
    if not ids:
        raise MeasureError(
            {"items": _("Link the measure to at least one agenda item.")}
        )
    found = AgendaItem.objects.filter(pk__in=ids, session__workshop_id=workshop_id)
    if found.count() != len(ids):
        raise MeasureError(
            {"items": _("Every agenda item must belong to this workshop.")}
        )
    return ids


# --- writing helpers --------------------------------------------------------


def _lock(measure: ReciprocalMeasure) -> ReciprocalMeasure:
    """The measure's row, locked until the transaction ends, freshly read."""
    return (
        ReciprocalMeasure.objects.select_for_update()
        .select_related("workshop")
        .get(pk=measure.pk)
    )


def _record(
    measure: ReciprocalMeasure,
    kind: str,
    by: Participant | None,
    *,
    status: str | None = None,
    detail: dict | None = None,
) -> None:
    """Record an event; with `status`, move the measure there as part of it."""
    old = measure.status
    moved = status is not None and status != old
    if moved:
        measure.status = status
        update = ["status", "updated_at"]
        if old == MeasureStatus.DRAFT and measure.proposed_at is None:
            measure.proposed_at = timezone.now()
            update.append("proposed_at")
        measure.save(update_fields=update)
    MeasureEvent.objects.create(
        measure=measure,
        kind=kind,
        actor=by,
        from_status=old if moved else "",
        to_status=status if moved else "",
        detail=detail or {},
    )


def _session_ids(measure: ReciprocalMeasure) -> set[int]:
    return set(
        AgendaItem.objects.filter(measures=measure).values_list("session_id", flat=True)
    )


def _touch(session_ids: Iterable[int]) -> None:
    # Sorted: two transactions touching the same sessions lock them in the
    # same order, so they cannot deadlock on each other.
    for session_id in sorted(set(session_ids)):
        session_touch(session_id=session_id)


def _settled_status(measure: ReciprocalMeasure) -> str:
    """The status that the measure's endorsements and answers imply."""
    endorsed = measure.endorsements.count()
    delegations = Delegation.objects.filter(workshop_id=measure.workshop_id).count()
    if endorsed and endorsed >= delegations:
        return MeasureStatus.ENDORSED_BOTH
    if endorsed:
        return MeasureStatus.ENDORSED_ONE
    if measure.responses.exists():
        return MeasureStatus.UNDER_DISCUSSION
    return MeasureStatus.PROPOSED


def _recount_majority(
    measure: ReciprocalMeasure, delegation: Delegation, by: Participant
) -> None:
    """Give or take back the delegation's majority endorsement after an answer."""
    existing = MeasureEndorsement.objects.filter(
        measure=measure, delegation=delegation
    ).first()
    if existing and existing.via == MeasureEndorsement.HEAD:
        return  # a head's endorsement stands once given
    delegates = Participant.objects.filter(delegation=delegation, role=Role.DELEGATE)
    mode = endorsement_mode(
        workshop=measure.workshop,
        delegation_has_head=delegates.filter(is_head=True).exists(),
    )
    reached = False
    if mode == MeasureEndorsement.MAJORITY:
        supporters = MeasureResponse.objects.filter(
            measure=measure,
            stance=Stance.SUPPORT,
            participant__delegation=delegation,
            participant__role=Role.DELEGATE,
        ).count()
        reached = supporters * 2 > delegates.count()
    detail = {"delegation": delegation.code, "via": MeasureEndorsement.MAJORITY}
    if reached and existing is None:
        MeasureEndorsement.objects.create(
            measure=measure, delegation=delegation, via=MeasureEndorsement.MAJORITY
        )
        _record(measure, "endorsed", by, status=_settled_status(measure), detail=detail)
    elif not reached and existing is not None:
        existing.delete()
        _record(
            measure,
            "endorsement_lost",
            by,
            status=_settled_status(measure),
            detail=detail,
        )


# --- the transitions ----------------------------------------------------------


def measure_create(
    *,
    proposer: Participant,
    content: MeasureContent,
    items: Iterable[AgendaItem],
    propose: bool = True,
) -> ReciprocalMeasure:
    """A new measure: proposed at once, or a private draft (`propose=False`)."""
    _require_delegate(proposer, proposer.workshop_id, "propose")
    _validate_content(content)
    item_ids = _item_ids(items, proposer.workshop_id)
    now = timezone.now()
    status = MeasureStatus.PROPOSED if propose else MeasureStatus.DRAFT
    with transaction.atomic():
        measure = ReciprocalMeasure.objects.create(
            workshop_id=proposer.workshop_id,
            proposer=proposer,
            proposing_delegation_id=proposer.delegation_id,
            status=status,
            created_at=now,
            proposed_at=now if propose else None,
            **asdict(content),
        )
        measure.root = measure
        measure.save(update_fields=["root"])
        measure.items.set(item_ids)
        MeasureEvent.objects.create(
            measure=measure, kind="created", actor=proposer, to_status=status, at=now
        )
        _touch(_session_ids(measure))
    return measure


def measure_update(
    *,
    measure: ReciprocalMeasure,
    by: Participant,
    content: MeasureContent,
    items: Iterable[AgendaItem],
) -> ReciprocalMeasure:
    """Edit a draft, or a proposed measure nobody has answered yet."""
    _validate_content(content)
    item_ids = _item_ids(items, measure.workshop_id)
    with transaction.atomic():
        locked = _lock(measure)
        _require_proposer(locked, by, "edit")
        _refuse_closed(locked, "edit")
        if locked.status != MeasureStatus.DRAFT and (
            locked.status != MeasureStatus.PROPOSED or locked.responses.exists()
        ):
            raise MeasureError(_ANSWERED)
        old_items = list(locked.items.values_list("pk", flat=True))
        changed = changed_fields(
            content, item_ids, MeasureContent.of(locked), old_items
        )
        if not changed:
            return locked
        sessions = _session_ids(locked)
        for name, value in asdict(content).items():
            setattr(locked, name, value)
        locked.save()
        locked.items.set(item_ids)
        _record(locked, "edited", by, detail={"changed": changed})
        _touch(sessions | _session_ids(locked))
    return locked


def measure_propose(
    *, measure: ReciprocalMeasure, by: Participant
) -> ReciprocalMeasure:
    """Make a draft visible to everyone: draft -> proposed."""
    with transaction.atomic():
        locked = _lock(measure)
        _require_proposer(locked, by, "propose")
        if locked.status != MeasureStatus.DRAFT:
            raise MeasureError(
                _("Only a draft can be proposed; this measure is already %(status)s.")
                % {"status": locked.get_status_display().lower()}
            )
        _record(locked, "proposed", by, status=MeasureStatus.PROPOSED)
        _touch(_session_ids(locked))
    return locked


def measure_delete_draft(*, measure: ReciprocalMeasure, by: Participant) -> None:
    """Discard a draft. A proposed measure is withdrawn instead, never deleted."""
    with transaction.atomic():
        locked = _lock(measure)
        _require_proposer(locked, by, "delete")
        if locked.status != MeasureStatus.DRAFT:
            raise MeasureError(
                _("Only a draft can be deleted; withdraw a proposed measure instead.")
            )
        sessions = _session_ids(locked)
        locked.delete()
        _touch(sessions)


def measure_answer(
    *, measure: ReciprocalMeasure, by: Participant, stance: str, reason: str
) -> MeasureResponse:
    """Record a delegate's answer; a second answer replaces the first."""
    _require_delegate(by, measure.workshop_id, "answer")
    if stance not in Stance.values:
        raise MeasureError({"stance": _("Choose one of the answers.")})
    reason = reason.strip()
    if not reason:
        raise MeasureError({"reason": _("Give a reason for your answer.")})
    with transaction.atomic():
        locked = _lock(measure)
        _refuse_closed(locked, "answer")
        response = MeasureResponse.objects.filter(
            measure=locked, participant=by
        ).first()
        now = timezone.now()
        if response is None:
            response = MeasureResponse.objects.create(
                measure=locked,
                participant=by,
                stance=stance,
                reason=reason,
                created_at=now,
                updated_at=now,
            )
            kind, detail = "answered", {"stance": stance}
        elif (response.stance, response.reason) == (stance, reason):
            return response
        else:
            detail = {"stance": stance, "previous_stance": response.stance}
            kind = "answer_changed"
            response.stance, response.reason, response.updated_at = stance, reason, now
            response.save(update_fields=["stance", "reason", "updated_at"])
        first = locked.status == MeasureStatus.PROPOSED
        _record(
            locked,
            kind,
            by,
            status=MeasureStatus.UNDER_DISCUSSION if first else None,
            detail=detail,
        )
        _recount_majority(locked, by.delegation, by)
        _touch(_session_ids(locked))
    return response


def measure_endorse(
    *, measure: ReciprocalMeasure, delegation: Delegation, by: Participant
) -> ReciprocalMeasure:
    """A delegation head endorses the measure on behalf of the delegation."""
    if delegation.workshop_id != measure.workshop_id:
        raise MeasureError(_("This delegation is not part of the workshop."))
    if not (by.role == Role.DELEGATE and by.is_head and by.delegation_id):
        raise MeasureError(
            _("Only the head of a delegation can endorse on its behalf.")
        )
    if by.delegation_id != delegation.pk or by.workshop_id != measure.workshop_id:
        raise MeasureError(
            _("You head %(yours)s; you cannot endorse on behalf of %(other)s.")
            % {"yours": by.delegation.name, "other": delegation.name}
        )
    with transaction.atomic():
        locked = _lock(measure)
        if locked.workshop.endorsement_rule == EndorsementRule.MAJORITY:
            raise MeasureError(
                _(
                    "In this workshop a delegation endorses when a majority of "
                    "its delegates support a measure, not through its head."
                )
            )
        _refuse_closed(locked, "endorse")
        existing = MeasureEndorsement.objects.filter(
            measure=locked, delegation=delegation
        ).first()
        if existing and existing.via == MeasureEndorsement.HEAD:
            raise MeasureError(
                _("%(delegation)s has already endorsed this measure.")
                % {"delegation": delegation.name}
            )
        now = timezone.now()
        if existing:  # a majority endorsement becomes the head's: it now stands
            existing.via, existing.endorsed_by, existing.endorsed_at = (
                MeasureEndorsement.HEAD,
                by,
                now,
            )
            existing.save()
        else:
            MeasureEndorsement.objects.create(
                measure=locked,
                delegation=delegation,
                via=MeasureEndorsement.HEAD,
                endorsed_by=by,
                endorsed_at=now,
            )
        _record(
            locked,
            "endorsed",
            by,
            status=_settled_status(locked),
            detail={"delegation": delegation.code, "via": MeasureEndorsement.HEAD},
        )
        _touch(_session_ids(locked))
    return locked


def measure_withdraw(
    *, measure: ReciprocalMeasure, by: Participant
) -> ReciprocalMeasure:
    """The proposer takes the measure off the table."""
    with transaction.atomic():
        locked = _lock(measure)
        _require_proposer(locked, by, "withdraw")
        _refuse_closed(locked, "withdraw")
        _record(locked, "withdrawn", by, status=MeasureStatus.WITHDRAWN)
        _touch(_session_ids(locked))
    return locked


def measure_counter(
    *,
    measure: ReciprocalMeasure,
    by: Participant,
    content: MeasureContent,
    items: Iterable[AgendaItem],
) -> ReciprocalMeasure:
    """A counter-proposal: a new revision that supersedes `measure`.

    The counter is written from its proposer's side (see `content_for_side`)
    and must change something; the changed fields are recorded on its event.
    """
    _require_delegate(by, measure.workshop_id, "counter")
    _validate_content(content)
    item_ids = _item_ids(items, measure.workshop_id)
    with transaction.atomic():
        locked = _lock(measure)
        _refuse_closed(locked, "counter")
        old_items = list(locked.items.values_list("pk", flat=True))
        changed = changed_fields(
            content, item_ids, content_for_side(locked, by.delegation_id), old_items
        )
        if not changed:
            raise MeasureError(
                _("A counter-proposal must change something in the measure.")
            )
        now = timezone.now()
        counter = ReciprocalMeasure.objects.create(
            workshop_id=locked.workshop_id,
            proposer=by,
            proposing_delegation_id=by.delegation_id,
            status=MeasureStatus.PROPOSED,
            revision_of=locked,
            root_id=locked.root_id or locked.pk,
            revision=locked.revision + 1,
            created_at=now,
            proposed_at=now,
            **asdict(content),
        )
        counter.items.set(item_ids)
        MeasureEvent.objects.create(
            measure=counter,
            kind="countered",
            actor=by,
            to_status=MeasureStatus.PROPOSED,
            at=now,
            detail={"revision_of": locked.revision, "changed": changed},
        )
        sessions = _session_ids(locked)
        _record(
            locked,
            "superseded",
            by,
            status=MeasureStatus.SUPERSEDED,
            detail={"revision": counter.revision},
        )
        _touch(sessions | _session_ids(counter))
    return counter


def on_session_phase_change(*, session, old: str, new: str, by) -> None:
    """Called inside session_set_phase's transaction after the phase moved.

    Measures do not depend on the session's phase: delegations keep trading
    them until the workshop ends, so nothing happens here.
    """
