"""Business rules for the discussion: comments, replies, endorsements,
moderation and the item under discussion."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Comment,
    CommentState,
    Endorsement,
    FocusChange,
    Participant,
    Phase,
    Role,
    Session,
)
from dialogue.services.workshops import session_touch


class CommentError(ValidationError):
    """A refused action; its message is shown to the person as it is."""


MODERATOR_ROLES = (Role.FACILITATOR, Role.ORGANISER)


def _require_delegate(participant: Participant) -> None:
    if participant.role != Role.DELEGATE:
        raise CommentError(_("Only delegates can take part in the discussion."))


def _require_open(session: Session) -> None:
    if session.phase != Phase.OPEN:
        raise CommentError(
            _("This session is not open for discussion (it is “%(phase)s”).")
            % {"phase": Phase(session.phase).label}
        )


def _require_same_workshop(participant: Participant, session: Session) -> None:
    if session.workshop_id != participant.workshop_id:
        raise CommentError(_("This belongs to another workshop."))


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise CommentError(_("The comment is empty."))
    if len(body) > settings.COMMENT_MAX_LENGTH:
        raise CommentError(
            _("The comment is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(body), "limit": settings.COMMENT_MAX_LENGTH}
        )
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in body):
        raise CommentError(_("The comment contains control characters."))
    return body


def comment_post(
    *,
    participant: Participant,
    item: AgendaItem,
    body: str,
    point: AgendaPoint | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Post a comment on an item, on one of its points, or in reply to one."""
    _require_delegate(participant)
    body = _clean_body(body)
    _require_same_workshop(participant, item.session)
    if point is not None and point.item_id != item.pk:
        raise CommentError(_("That point belongs to another item."))
    if parent is not None:
        if parent.item_id != item.pk:
            raise CommentError(_("You can only reply to a comment on the same item."))
        if parent.state != CommentState.VISIBLE:
            raise CommentError(_("That comment was withdrawn or hidden."))
        point = parent.point  # a reply belongs where its parent does
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=item.session_id)
        _require_open(session)
        comment = Comment.objects.create(
            item=item, point=point, parent=parent, author=participant, body=body
        )
        session_touch(session_id=session.pk)
    return comment


def comment_can_edit(comment: Comment, participant: Participant, now=None) -> bool:
    now = now or timezone.now()
    window = dt.timedelta(seconds=settings.COMMENT_EDIT_SECONDS)
    return (
        comment.author_id == participant.pk
        and comment.state == CommentState.VISIBLE
        and now - comment.created_at <= window
    )


def _locked(comment: Comment, participant: Participant) -> tuple[Comment, Session]:
    """Lock the session first, then the comment: one order for every writer."""
    session = Session.objects.select_for_update().get(pk=comment.item.session_id)
    _require_same_workshop(participant, session)
    return Comment.objects.select_for_update().get(pk=comment.pk), session


def comment_edit(*, participant: Participant, comment: Comment, body: str) -> Comment:
    body = _clean_body(body)
    if comment.author_id != participant.pk:
        raise CommentError(_("You can only edit your own comments."))
    with transaction.atomic():
        comment, session = _locked(comment, participant)
        _require_open(session)
        if comment.state != CommentState.VISIBLE:
            raise CommentError(_("A withdrawn or hidden comment cannot be edited."))
        if not comment_can_edit(comment, participant):
            raise CommentError(
                _("Comments can be edited for %(minutes)d minutes after posting.")
                % {"minutes": settings.COMMENT_EDIT_SECONDS // 60}
            )
        if body != comment.body:
            comment.body = body
            comment.edited_at = timezone.now()
            comment.save(update_fields=["body", "edited_at"])
            session_touch(session_id=session.pk)
    return comment


def comment_withdraw(*, participant: Participant, comment: Comment) -> Comment:
    """Withdraw one's own comment; it stays, marked withdrawn, for its replies."""
    if comment.author_id != participant.pk:
        raise CommentError(_("You can only withdraw your own comments."))
    with transaction.atomic():
        comment, session = _locked(comment, participant)
        _require_open(session)
        if comment.state != CommentState.VISIBLE:
            raise CommentError(_("This comment is already withdrawn or hidden."))
        comment.state = CommentState.WITHDRAWN
        comment.withdrawn_at = timezone.now()
        comment.save(update_fields=["state", "withdrawn_at"])
        session_touch(session_id=session.pk)
    return comment


def comment_endorse(*, participant: Participant, comment: Comment) -> Endorsement:
    _require_delegate(participant)
    if comment.author_id == participant.pk:
        raise CommentError(_("You cannot endorse your own comment."))
    with transaction.atomic():
        comment, session = _locked(comment, participant)
        _require_open(session)
        if comment.state != CommentState.VISIBLE:
            raise CommentError(_("A withdrawn or hidden comment cannot be endorsed."))
        if comment.endorsements.filter(participant=participant).exists():
            raise CommentError(_("You have already endorsed this comment."))
        try:
            with transaction.atomic():
                endorsement = Endorsement.objects.create(
                    comment=comment, participant=participant
                )
        except IntegrityError:  # a double click racing itself
            raise CommentError(_("You have already endorsed this comment.")) from None
        Comment.objects.filter(pk=comment.pk).update(
            endorsement_count=F("endorsement_count") + 1
        )
        session_touch(session_id=session.pk)
    return endorsement


def comment_hide(*, participant: Participant, comment: Comment, reason: str) -> Comment:
    """A facilitator hides a comment; the author sees the reason."""
    if participant.role not in MODERATOR_ROLES:
        raise CommentError(_("Only facilitators can hide comments."))
    reason = (reason or "").strip()
    if not reason:
        raise CommentError(_("Give a reason: the author will see it."))
    if len(reason) > 1000:
        raise CommentError(_("The reason is too long (at most 1,000 characters)."))
    with transaction.atomic():
        comment, session = _locked(comment, participant)
        if comment.state == CommentState.HIDDEN:
            raise CommentError(_("This comment is already hidden."))
        comment.state = CommentState.HIDDEN
        comment.hidden_reason = reason
        comment.hidden_by = participant
        comment.hidden_at = timezone.now()
        comment.save(update_fields=["state", "hidden_reason", "hidden_by", "hidden_at"])
        session_touch(session_id=session.pk)
    return comment


def comment_unhide(*, participant: Participant, comment: Comment) -> Comment:
    if participant.role not in MODERATOR_ROLES:
        raise CommentError(_("Only facilitators can restore comments."))
    with transaction.atomic():
        comment, session = _locked(comment, participant)
        if comment.state != CommentState.HIDDEN:
            raise CommentError(_("This comment is not hidden."))
        comment.state = (
            CommentState.WITHDRAWN if comment.withdrawn_at else CommentState.VISIBLE
        )
        comment.hidden_reason = ""
        comment.hidden_by = None
        comment.hidden_at = None
        comment.save(update_fields=["state", "hidden_reason", "hidden_by", "hidden_at"])
        session_touch(session_id=session.pk)
    return comment


def session_set_focus(
    *, participant: Participant, session: Session, item: AgendaItem | None
) -> bool:
    """Mark the item under discussion (None clears it). False if unchanged."""
    if participant.role not in MODERATOR_ROLES:
        raise CommentError(_("Only facilitators can mark the item under discussion."))
    _require_same_workshop(participant, session)
    if item is not None and item.session_id != session.pk:
        raise CommentError(_("That item belongs to another session."))
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
