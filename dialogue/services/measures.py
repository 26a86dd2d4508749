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

Who may do each action is decided in `dialogue.permissions`; what a
measure's status allows, in `dialogue.measure_rules`; the content
as a value, in `dialogue.measure_content`; each kind of event, in
`dialogue.services.measure_events`. Refusals raise MeasureError (a Refusal,
status 400), or MeasureForbidden (403) when the participant's role does not
trade measures at all; nothing has been written.
"""

import uuid
from collections.abc import Iterable
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import permissions
from dialogue.errors import Forbidden, Refusal, require
from dialogue.live import sessions_touch
from dialogue.measure_content import (
    REASON_MAX,
    TIMEFRAME_MAX,
    TITLE_MAX,
    MeasureContent,
    changed_fields,
    content_errors,
    content_for_side,
    measure_changes,
)
from dialogue.measure_rules import (
    endorsement_mode,
    majority_reached,
    measure_refusal,
    settled_status,
)
from dialogue.models import (
    AgendaItem,
    Delegation,
    EndorsementVia,
    MeasureEndorsement,
    MeasureResponse,
    MeasureStatus,
    Participant,
    ReciprocalMeasure,
    Role,
    Stance,
)
from dialogue.services import measure_events as events
from dialogue.services import package_members
from dialogue.user_text import clean_user_text

__all__ = [
    "TIMEFRAME_MAX",
    "TITLE_MAX",
    "MeasureContent",
    "MeasureError",
    "MeasureForbidden",
    "content_for_side",
    "endorsement_mode",
    "measure_answer",
    "measure_changes",
    "measure_counter",
    "measure_create",
    "measure_delete_draft",
    "measure_endorse",
    "measure_propose",
    "measure_refusal",
    "measure_update",
    "measure_withdraw",
    "on_session_phase_change",
]


class MeasureError(Refusal):
    """A measure action that the rules refuse; the message is for people (400)."""


class MeasureForbidden(MeasureError, Forbidden):
    """The participant's role does not trade measures at all (403)."""


# --- checks -----------------------------------------------------------------


def _require_state(measure: ReciprocalMeasure, action: str, **known) -> None:
    require(measure_refusal(measure=measure, action=action, **known), MeasureError)


def _validate_content(content: MeasureContent) -> None:
    errors = content_errors(content)
    if errors:
        raise MeasureError(errors)


def _item_ids(
    items: Iterable[AgendaItem], workshop_id: int, by: Participant
) -> list[int]:
    """The items' ids, each of the workshop and of a session `by` may see
    (an item of a draft session does not exist for a delegate)."""
    ids = sorted({item.pk for item in items})
    if not ids:
        raise MeasureError(
            {"items": _("Link the measure to at least one agenda item.")}
        )
    found = AgendaItem.objects.filter(
        permissions.visible_sessions(by, prefix="session__"),
        pk__in=ids,
        session__workshop_id=workshop_id,
    )
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


def _session_ids(measure: ReciprocalMeasure) -> set[int]:
    return set(
        AgendaItem.objects.filter(measures=measure).values_list("session_id", flat=True)
    )


def _touch(session_ids: Iterable[int]) -> None:
    """Live boards of these sessions see the change on their next poll."""
    sessions_touch(session_ids=session_ids)


def _member_changed(
    measure: ReciprocalMeasure,
    by: Participant,
    change: str,
    replacement: ReciprocalMeasure | None = None,
) -> None:
    """The one place where a change to a measure on the table reaches the
    packages that hold it: their endorsements are suspended, and a
    counter-proposal takes its original's place (`package_members`)."""
    package_members.on_member_changed(
        measure=measure, by=by, change=change, replacement=replacement
    )


def _settled_status(measure: ReciprocalMeasure) -> str:
    """The status that the measure's endorsements and answers imply."""
    return settled_status(
        endorsed=measure.endorsements.count(),
        delegations=Delegation.objects.filter(workshop_id=measure.workshop_id).count(),
        answered=measure.responses.exists(),
    )


def _recount_majority(
    measure: ReciprocalMeasure, delegation: Delegation, by: Participant
) -> None:
    """Give or take back the delegation's majority endorsement after an answer."""
    existing = MeasureEndorsement.objects.filter(
        measure=measure, delegation=delegation
    ).first()
    if existing and existing.via == EndorsementVia.HEAD:
        return  # a head's endorsement stands once given
    delegates = Participant.objects.filter(delegation=delegation, role=Role.DELEGATE)
    mode = endorsement_mode(
        workshop=measure.workshop,
        delegation_has_head=delegates.filter(permissions.delegation_heads()).exists(),
    )
    reached = False
    if mode == EndorsementVia.MAJORITY:
        supporters = MeasureResponse.objects.filter(
            measure=measure,
            stance=Stance.SUPPORT,
            participant__delegation=delegation,
            participant__role=Role.DELEGATE,
        ).count()
        reached = majority_reached(supporters=supporters, delegates=delegates.count())
    if reached and existing is None:
        MeasureEndorsement.objects.create(
            measure=measure, delegation=delegation, via=EndorsementVia.MAJORITY
        )
        events.endorsed(
            measure=measure,
            by=by,
            delegation=delegation,
            via=EndorsementVia.MAJORITY,
            moved=events.move_status(measure, _settled_status(measure)),
        )
    elif not reached and existing is not None:
        existing.delete()
        events.endorsement_lost(
            measure=measure,
            by=by,
            delegation=delegation,
            moved=events.move_status(measure, _settled_status(measure)),
        )
    else:
        return
    # A package endorsed by majority follows its members' endorsements.
    package_members.on_member_endorsement(measure=measure, delegation=delegation, by=by)


# --- the transitions ----------------------------------------------------------


def measure_create(
    *,
    proposer: Participant,
    content: MeasureContent,
    items: Iterable[AgendaItem],
    propose: bool = True,
    submission_key: uuid.UUID | None = None,
) -> ReciprocalMeasure:
    """A new measure: proposed at once, or a private draft (`propose=False`).

    With a `submission_key` (the form's), the same proposal sent again
    returns the measure it created the first time and writes nothing.
    """
    require(permissions.propose_measure_refusal(proposer), MeasureForbidden)
    _validate_content(content)
    item_ids = _item_ids(items, proposer.workshop_id, proposer)
    if earlier := _submitted(proposer, submission_key):
        return earlier
    now = timezone.now()
    status = MeasureStatus.PROPOSED if propose else MeasureStatus.DRAFT
    try:
        with transaction.atomic():
            measure = _create(proposer, content, item_ids, status, now, submission_key)
    except IntegrityError:  # the same submission, committed meanwhile
        if earlier := _submitted(proposer, submission_key):
            return earlier
        raise
    return measure


def _submitted(proposer: Participant, key: uuid.UUID | None):
    """The measure an earlier sending of the same form created, if any."""
    if key is None:
        return None
    return ReciprocalMeasure.objects.filter(
        proposer=proposer, submission_key=key
    ).first()


def _create(proposer, content, item_ids, status, now, submission_key):
    measure = ReciprocalMeasure.objects.create(
        workshop_id=proposer.workshop_id,
        proposer=proposer,
        proposing_delegation_id=proposer.delegation_id,
        status=status,
        created_at=now,
        proposed_at=now if status == MeasureStatus.PROPOSED else None,
        submission_key=submission_key,
        **asdict(content),
    )
    measure.root = measure
    measure.save(update_fields=["root"])
    measure.items.set(item_ids)
    events.created(measure=measure, by=proposer, at=now)
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
    item_ids = _item_ids(items, measure.workshop_id, by)
    with transaction.atomic():
        locked = _lock(measure)
        require(permissions.edit_measure_refusal(by, locked), MeasureError)
        _require_state(locked, "edit")
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
        events.edited(measure=locked, by=by, changed=changed)
        _member_changed(locked, by, "edited")
        _touch(sessions | _session_ids(locked))
    return locked


def measure_propose(
    *, measure: ReciprocalMeasure, by: Participant
) -> ReciprocalMeasure:
    """Make a draft visible to everyone: draft -> proposed."""
    with transaction.atomic():
        locked = _lock(measure)
        require(permissions.propose_draft_refusal(by, locked), MeasureError)
        _require_state(locked, "propose")
        moved = events.move_status(locked, MeasureStatus.PROPOSED)
        events.proposed(measure=locked, by=by, moved=moved)
        _touch(_session_ids(locked))
    return locked


def measure_delete_draft(*, measure: ReciprocalMeasure, by: Participant) -> None:
    """Discard a draft. A proposed measure is withdrawn instead, never deleted."""
    with transaction.atomic():
        locked = _lock(measure)
        require(permissions.delete_draft_refusal(by, locked), MeasureError)
        _require_state(locked, "delete")
        sessions = _session_ids(locked)
        locked.delete()
        _touch(sessions)


def measure_answer(
    *, measure: ReciprocalMeasure, by: Participant, stance: str, reason: str
) -> MeasureResponse:
    """Record a delegate's answer; a second answer replaces the first."""
    require(permissions.answer_measure_refusal(by, measure), MeasureForbidden)
    if stance not in Stance.values:
        raise MeasureError({"stance": _("Choose one of the answers.")})
    if not (reason or "").strip():
        raise MeasureError({"reason": _("Give a reason for your answer.")})
    try:
        reason = clean_user_text(reason, label=_("The reason"), max_length=REASON_MAX)
    except ValidationError as exc:
        raise MeasureError({"reason": exc.messages[0]}) from None
    with transaction.atomic():
        locked = _lock(measure)
        _require_state(locked, "answer")
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
            previous = None
        elif (response.stance, response.reason) == (stance, reason):
            return response
        else:
            previous = response.stance
            response.stance, response.reason, response.updated_at = stance, reason, now
            response.save(update_fields=["stance", "reason", "updated_at"])
        # The first answer puts a proposed measure under discussion.
        first = locked.status == MeasureStatus.PROPOSED
        moved = events.move_status(
            locked, MeasureStatus.UNDER_DISCUSSION if first else None
        )
        if previous is None:
            events.answered(measure=locked, by=by, stance=stance, moved=moved)
        else:
            events.answer_changed(
                measure=locked, by=by, stance=stance, previous=previous, moved=moved
            )
        _recount_majority(locked, by.delegation, by)
        _touch(_session_ids(locked))
    return response


def measure_endorse(
    *, measure: ReciprocalMeasure, delegation: Delegation, by: Participant
) -> ReciprocalMeasure:
    """A delegation head endorses the measure on behalf of the delegation."""
    with transaction.atomic():
        locked = _lock(measure)
        require(
            permissions.endorse_measure_refusal(by, locked, delegation), MeasureError
        )
        _require_state(locked, "endorse")
        existing = MeasureEndorsement.objects.filter(
            measure=locked, delegation=delegation
        ).first()
        if existing and existing.via == EndorsementVia.HEAD:
            raise MeasureError(
                _("%(delegation)s has already endorsed this measure.")
                % {"delegation": delegation.display_name}
            )
        now = timezone.now()
        if existing:  # a majority endorsement becomes the head's: it now stands
            existing.via, existing.endorsed_by, existing.endorsed_at = (
                EndorsementVia.HEAD,
                by,
                now,
            )
            existing.save()
        else:
            MeasureEndorsement.objects.create(
                measure=locked,
                delegation=delegation,
                via=EndorsementVia.HEAD,
                endorsed_by=by,
                endorsed_at=now,
            )
        events.endorsed(
            measure=locked,
            by=by,
            delegation=delegation,
            via=EndorsementVia.HEAD,
            moved=events.move_status(locked, _settled_status(locked)),
        )
        _touch(_session_ids(locked))
    return locked


def measure_withdraw(
    *, measure: ReciprocalMeasure, by: Participant
) -> ReciprocalMeasure:
    """The proposer takes the measure off the table."""
    with transaction.atomic():
        locked = _lock(measure)
        require(permissions.withdraw_measure_refusal(by, locked), MeasureError)
        _require_state(locked, "withdraw")
        moved = events.move_status(locked, MeasureStatus.WITHDRAWN)
        events.withdrawn(measure=locked, by=by, moved=moved)
        _member_changed(locked, by, "withdrawn")
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
    require(permissions.counter_measure_refusal(by, measure), MeasureForbidden)
    _validate_content(content)
    item_ids = _item_ids(items, measure.workshop_id, by)
    with transaction.atomic():
        locked = _lock(measure)
        _require_state(locked, "counter")
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
        events.countered(measure=counter, by=by, changed=changed, at=now)
        sessions = _session_ids(locked)
        moved = events.move_status(locked, MeasureStatus.SUPERSEDED)
        events.superseded(measure=locked, by=by, counter=counter, moved=moved)
        _member_changed(locked, by, "countered", replacement=counter)
        _touch(sessions | _session_ids(counter))
    return counter


def on_session_phase_change(*, session, old: str, new: str, by) -> None:
    """Called inside session_set_phase's transaction after the phase moved.

    Measures do not depend on the session's phase: delegations keep trading
    them until the workshop ends, so nothing happens here.
    """
