"""Who someone is, what a session's phase allows, who sees a session, and
who runs one (the facilitator, an organiser, staff in the admin)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.models import (
    Participant,
    Phase,
    Role,
    Session,
)

MODERATOR_ROLES = frozenset({Role.FACILITATOR, Role.ORGANISER})
SUMMARY_ROLES = frozenset({Role.RAPPORTEUR, Role.ORGANISER})


# -- who someone is ----------------------------------------------------------


def is_delegate(participant: Participant) -> bool:
    """A member of one delegation, who speaks for their side."""
    return participant.role == Role.DELEGATE and participant.delegation_id is not None


def is_moderator(participant: Participant) -> bool:
    """A facilitator or organiser: runs sessions and moderates."""
    return participant.role in MODERATOR_ROLES


def is_head(participant: Participant) -> bool:
    """The head of a delegation, who acts on its behalf."""
    return is_delegate(participant) and participant.is_head


def _other_workshop(participant: Participant, workshop_id: int) -> bool:
    return participant.workshop_id != workshop_id


# -- what a session's phase allows --------------------------------------------


def discussion_is_open(session: Session) -> bool:
    """Comments are written, edited and endorsed only in the open phase."""
    return session.phase == Phase.OPEN


def ranking_is_on(session: Session) -> bool:
    """Ranking rounds open and close only in the ranking phase."""
    return session.phase == Phase.RANKING


def focus_is_live(session: Session) -> bool:
    """The item under discussion is highlighted only while discussion is
    open: in ranking nothing is under discussion any more."""
    return session.phase == Phase.OPEN


def phase_move_needs_confirmation(phase: str) -> bool:
    """Moving a session to ranking or closing it ends something for everyone
    (discussion, or ranking too): the facilitator is asked first."""
    return phase in (Phase.RANKING, Phase.CLOSED)


def discussion_closed_reason(session: Session):
    return _("This session is not open for discussion (it is “%(phase)s”).") % {
        "phase": Phase(session.phase).label
    }


# -- who sees a session ----------------------------------------------------------


def see_session_refusal(participant: Participant, session: Session):
    """A session in draft is being prepared: only the organisers and
    facilitators see it. Everyone else is answered 404, as for a session
    that does not exist (its agenda, polls, ranking, measures, summaries)."""
    if _other_workshop(participant, session.workshop_id):
        return _("This belongs to another workshop.")
    if session.phase == Phase.DRAFT and not is_moderator(participant):
        return _("This session is still being prepared.")
    return None


def can_see_session(participant: Participant, session: Session) -> bool:
    return see_session_refusal(participant, session) is None


def visible_sessions(participant: Participant, prefix: str = "") -> Q:
    """`see_session_refusal` as a filter on sessions (or, with `prefix` such
    as ``"item__session__"``, on the rows that hang off a session)."""
    visible = Q(**{f"{prefix}workshop_id": participant.workshop_id})
    if not is_moderator(participant):
        visible &= ~Q(**{f"{prefix}phase": Phase.DRAFT})
    return visible


# -- running a session ---------------------------------------------------------


def staff_runs_sessions(user) -> bool:
    """An organiser in the admin: staff with the permission to change sessions."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("dialogue.change_session")
    )


def staff_issues_invitations(user) -> bool:
    """An organiser in the admin who may give participants their sign-in
    links (the admin's invitation action asks the same permission)."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("dialogue.change_participant")
    )


def staff_permission_reason(action: str) -> str:
    """Why the admin refuses a staff user an action (`action`, e.g. "import
    workshop files"): the account lacks the model permission it needs."""
    return _(
        "Your staff account does not have the permission to %(action)s. "
        "Ask an administrator to grant it."
    ) % {"action": action}


def acting_user(by):
    """The user behind an actor: a Participant's user, or the user itself."""
    return by.user if isinstance(by, Participant) else by


def change_phase_refusal(by, session: Session):
    """`by` is a participant in the browser, or a staff user in the admin."""
    if isinstance(by, Participant):
        allowed = is_moderator(by) and not _other_workshop(by, session.workshop_id)
    else:
        allowed = staff_runs_sessions(by)
    if not allowed:
        return _("Only facilitators can change the session's phase.")
    return None


def set_focus_refusal(participant: Participant, session: Session):
    if not is_moderator(participant):
        return _("Only facilitators can mark the item under discussion.")
    if _other_workshop(participant, session.workshop_id):
        return _("This belongs to another workshop.")
    return None
