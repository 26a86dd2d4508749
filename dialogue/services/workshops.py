"""Business rules for workshops: session phases and live versions."""

from django.db import transaction
from django.db.models import F

from dialogue.models import Phase, PhaseChange, Session


class PhaseError(ValueError):
    pass


def session_set_phase(*, session: Session, phase: str, by=None) -> bool:
    """Move a session to `phase`, recording who did it. False if already there."""
    if phase not in Phase.values:
        raise PhaseError(f"{phase!r} is not a session phase")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.phase == phase:
            session.phase = phase
            return False
        old = locked.phase
        PhaseChange.objects.create(
            session=locked, from_phase=old, to_phase=phase, changed_by=by
        )
        locked.phase = phase
        locked.save(update_fields=["phase"])
        session_touch(session_id=locked.pk)
        # Each area reacts to the move in the same transaction: ranking opens
        # or closes its round, closing compiles the summary.
        from dialogue.services import rankings, summaries

        rankings.on_session_phase_change(session=locked, old=old, new=phase, by=by)
        summaries.on_session_phase_change(session=locked, old=old, new=phase, by=by)
    session.phase = phase
    return True


def session_touch(*, session_id: int) -> None:
    """Bump the session's version: live pages see the change on their next poll."""
    Session.objects.filter(pk=session_id).update(version=F("version") + 1)
