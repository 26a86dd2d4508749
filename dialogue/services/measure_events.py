"""A measure's history: one constructor per kind of event.

Every change the transitions make is recorded here, with a kind from
`MeasureEventKind` and the detail its line of history needs
(`MeasureEvent.describe` reads it back). `moved` is the (from, to) pair of
statuses when the change moved the measure, as `move_status` returns it.
"""

import datetime as dt

from django.utils import timezone

from dialogue.models import (
    Delegation,
    EndorsementVia,
    MeasureEvent,
    MeasureEventKind,
    MeasureStatus,
    Participant,
    ReciprocalMeasure,
)

Moved = tuple[str, str] | None


def move_status(measure: ReciprocalMeasure, status: str | None) -> Moved:
    """Move the measure to `status` and save it; (from, to) for the event
    that records the move, or None when there is nothing to move."""
    old = measure.status
    if status is None or status == old:
        return None
    measure.status = status
    update = ["status", "updated_at"]
    if old == MeasureStatus.DRAFT and measure.proposed_at is None:
        measure.proposed_at = timezone.now()
        update.append("proposed_at")
    measure.save(update_fields=update)
    return old, status


def _event(
    measure: ReciprocalMeasure,
    kind: MeasureEventKind,
    by: Participant | None,
    *,
    moved: Moved = None,
    detail: dict | None = None,
    at: dt.datetime | None = None,
) -> MeasureEvent:
    from_status, to_status = moved or ("", "")
    return MeasureEvent.objects.create(
        measure=measure,
        kind=kind,
        actor=by,
        from_status=from_status,
        to_status=to_status,
        detail=detail or {},
        at=at or timezone.now(),
    )


def created(*, measure: ReciprocalMeasure, by: Participant, at: dt.datetime):
    """A new measure, proposed at once or kept as a draft."""
    return _event(
        measure, MeasureEventKind.CREATED, by, moved=("", measure.status), at=at
    )


def proposed(*, measure: ReciprocalMeasure, by: Participant, moved: Moved):
    return _event(measure, MeasureEventKind.PROPOSED, by, moved=moved)


def edited(*, measure: ReciprocalMeasure, by: Participant, changed: list[str]):
    return _event(measure, MeasureEventKind.EDITED, by, detail={"changed": changed})


def answered(*, measure: ReciprocalMeasure, by: Participant, stance: str, moved: Moved):
    return _event(
        measure, MeasureEventKind.ANSWERED, by, moved=moved, detail={"stance": stance}
    )


def answer_changed(
    *,
    measure: ReciprocalMeasure,
    by: Participant,
    stance: str,
    previous: str,
    moved: Moved,
):
    return _event(
        measure,
        MeasureEventKind.ANSWER_CHANGED,
        by,
        moved=moved,
        detail={"stance": stance, "previous_stance": previous},
    )


def endorsed(
    *,
    measure: ReciprocalMeasure,
    by: Participant,
    delegation: Delegation,
    via: str,
    moved: Moved,
):
    """By the delegation's head, or by the majority its delegates reached."""
    return _event(
        measure,
        MeasureEventKind.ENDORSED,
        by,
        moved=moved,
        detail={"delegation": delegation.code, "via": via},
    )


def endorsement_lost(
    *,
    measure: ReciprocalMeasure,
    by: Participant,
    delegation: Delegation,
    moved: Moved,
):
    """The delegation's majority endorsement, taken back after an answer."""
    return _event(
        measure,
        MeasureEventKind.ENDORSEMENT_LOST,
        by,
        moved=moved,
        detail={"delegation": delegation.code, "via": EndorsementVia.MAJORITY},
    )


def countered(
    *,
    measure: ReciprocalMeasure,
    by: Participant,
    changed: list[str],
    at: dt.datetime,
):
    """`measure` is the new revision; it starts proposed."""
    return _event(
        measure,
        MeasureEventKind.COUNTERED,
        by,
        moved=("", measure.status),
        detail={"revision_of": measure.revision_of.revision, "changed": changed},
        at=at,
    )


def superseded(*, measure: ReciprocalMeasure, by: Participant, counter, moved: Moved):
    return _event(
        measure,
        MeasureEventKind.SUPERSEDED,
        by,
        moved=moved,
        detail={"revision": counter.revision},
    )


def withdrawn(*, measure: ReciprocalMeasure, by: Participant, moved: Moved):
    return _event(measure, MeasureEventKind.WITHDRAWN, by, moved=moved)


def imported(*, measure: ReciprocalMeasure, from_status: str):
    """A workshop file set the measure's status (no one in the workshop did)."""
    return _event(
        measure,
        MeasureEventKind.IMPORTED,
        None,
        moved=(from_status, measure.status),
    )
