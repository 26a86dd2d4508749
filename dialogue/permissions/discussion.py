"""The discussion, priority ranking and summaries: who comments, endorses,
moderates, ranks, runs rounds and requests a summary."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models import (
    Comment,
    CommentState,
    Participant,
    Session,
)
from dialogue.permissions.people import (
    SUMMARY_ROLES,
    _other_workshop,
    change_phase_refusal,
    discussion_closed_reason,
    discussion_is_open,
    is_delegate,
    is_moderator,
    see_session_refusal,
    staff_runs_sessions,
)

# -- the discussion ----------------------------------------------------------------


def comment_refusal(participant: Participant, session: Session):
    """Posting a comment or a reply."""
    if not is_delegate(participant):
        return _("Only delegates can take part in the discussion.")
    if _other_workshop(participant, session.workshop_id):
        return _("This belongs to another workshop.")
    if not discussion_is_open(session):
        return discussion_closed_reason(session)
    return None


def endorse_comment_refusal(
    participant: Participant, comment: Comment, session: Session
):
    if not is_delegate(participant):
        return _("Only delegates can take part in the discussion.")
    if comment.author_id == participant.pk:
        return _("You cannot endorse your own comment.")
    if _other_workshop(participant, session.workshop_id):
        return _("This belongs to another workshop.")
    if not discussion_is_open(session):
        return discussion_closed_reason(session)
    return None


def edit_comment_refusal(participant: Participant, comment: Comment):
    """Who may edit a comment; when is `can_edit_comment`."""
    if comment.author_id != participant.pk:
        return _("You can only edit your own comments.")
    return None


def can_edit_comment(comment: Comment, participant: Participant, now=None) -> bool:
    """Its author, while it is visible and for COMMENT_EDIT_SECONDS after posting."""
    now = now or timezone.now()
    window = dt.timedelta(seconds=settings.COMMENT_EDIT_SECONDS)
    return (
        comment.author_id == participant.pk
        and comment.state == CommentState.VISIBLE
        and now - comment.created_at <= window
    )


def withdraw_comment_refusal(participant: Participant, comment: Comment):
    if comment.author_id != participant.pk:
        return _("You can only withdraw your own comments.")
    return None


def moderate_refusal(participant: Participant, *, action: str = "hide"):
    """Hiding and restoring comments."""
    if is_moderator(participant):
        return None
    if action == "unhide":
        return _("Only facilitators can restore comments.")
    return _("Only facilitators can hide comments.")


def can_moderate(participant: Participant) -> bool:
    return moderate_refusal(participant) is None


def can_see_hidden_body(participant: Participant, comment: Comment) -> bool:
    """A hidden comment's text is shown to the moderators and its author."""
    return is_moderator(participant) or comment.author_id == participant.pk


def can_endorse_comment(participant: Participant, comment: Comment) -> bool:
    """For the page: the button shows on visible comments of others."""
    return (
        is_delegate(participant)
        and comment.author_id != participant.pk
        and comment.state == CommentState.VISIBLE
    )


# -- priority ranking --------------------------------------------------------------


def rank_refusal(participant: Participant, session: Session):
    if not is_delegate(participant) or _other_workshop(
        participant, session.workshop_id
    ):
        return _("Only delegates rank the agenda items.")
    return see_session_refusal(participant, session)


def run_rounds_refusal(by, session: Session):
    """Opening and closing ranking rounds: as for the session's phase."""
    if change_phase_refusal(by, session) is not None:
        return _("Only facilitators and organisers run the ranking rounds.")
    return None


def see_turnout_refusal(participant: Participant):
    if not is_moderator(participant):
        return _("Only facilitators and organisers see the turnout.")
    return None


# -- summaries ---------------------------------------------------------------------


def request_summary_refusal(by, workshop_id: int):
    """Requesting and retrying a summary of a session of the workshop, or
    its whole report (everyone in the workshop downloads): the rapporteur or
    an organiser, or a staff user in the admin."""
    if isinstance(by, Participant):
        allowed = by.role in SUMMARY_ROLES and not _other_workshop(by, workshop_id)
    else:
        allowed = staff_runs_sessions(by)
    if not allowed:
        return _("Only the rapporteur and the organisers compile summaries.")
    return None
