"""Running a session: its phase and the item under discussion.

Both are the facilitator's (or an organiser's) to change, in the browser, or
an organiser's through the admin (a staff user with the session permission).
Every change is recorded with who made it, and touches the live pages.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from dialogue import permissions
from dialogue.errors import Forbidden, Refusal, require
from dialogue.live import session_touch
from dialogue.models import (
    AgendaItem,
    FocusChange,
    Participant,
    Phase,
    PhaseChange,
    Session,
)
from dialogue.services import rankings, summaries


class SessionError(Refusal):
    """A change to how a session runs that the rules refuse."""


class SessionForbidden(SessionError, Forbidden):
    """The actor's role does not run sessions (403)."""


def session_set_phase(*, session: Session, phase: str, by) -> bool:
    """Move a session to `phase`, recording who did it. False if already there.

    `by` is the facilitator or organiser (a Participant) or, from the admin,
    a staff user. Each area reacts to the move in the same transaction:
    entering ranking opens a round, leaving it closes the round, closing the
    session compiles its summary.
    """
    require(permissions.change_phase_refusal(by, session), SessionForbidden)
    if phase not in Phase.values:
        raise SessionError(_("Unknown phase."))
    user = permissions.acting_user(by)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.phase == phase:
            session.phase = phase
            return False
        old = locked.phase
        PhaseChange.objects.create(
            session=locked, from_phase=old, to_phase=phase, changed_by=user
        )
        locked.phase = phase
        locked.save(update_fields=["phase"])
        session_touch(session_id=locked.pk)
        rankings.on_session_phase_change(session=locked, old=old, new=phase, by=user)
        summaries.on_session_phase_change(session=locked, old=old, new=phase, by=user)
    session.phase = phase
    return True


def session_set_focus(
    *, participant: Participant, session: Session, item: AgendaItem | None
) -> bool:
    """Mark the item under discussion (None clears it). False if unchanged."""
    require(permissions.set_focus_refusal(participant, session), SessionForbidden)
    if item is not None and item.session_id != session.pk:
        raise SessionError(_("That item belongs to another session."))
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.current_item_id == (item.pk if item else None):
            return False
        locked.current_item = item
        locked.save(update_fields=["current_item"])
        FocusChange.objects.create(
            session=locked, item=item, changed_by=participant.user
        )
        session_touch(session_id=locked.pk)
    session.current_item = item
    return True
