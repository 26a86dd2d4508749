"""Business rules for the discussion: comments, replies, endorsements and
moderation. Who may do each is decided in `dialogue.permissions`."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import permissions
from dialogue.errors import Refusal, require
from dialogue.live import item_touch
from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Comment,
    CommentState,
    Endorsement,
    Participant,
    Session,
)
from dialogue.user_text import clean_user_text


class CommentError(Refusal):
    """A refused action on the discussion; its message is for the person."""


def _require_open(session: Session) -> None:
    if not permissions.discussion_is_open(session):
        raise CommentError(permissions.discussion_closed_reason(session))


def _require_same_workshop(participant: Participant, session: Session) -> None:
    if session.workshop_id != participant.workshop_id:
        raise CommentError(_("This belongs to another workshop."))


HIDE_REASON_MAX_LENGTH = 1000


def _clean(value: str, *, label, max_length: int) -> str:
    """The one user-text check (dialogue.user_text), as a CommentError."""
    try:
        return clean_user_text(value, label=label, max_length=max_length)
    except ValidationError as exc:
        raise CommentError(exc.messages[0]) from None


def _clean_body(body: str) -> str:
    return _clean(body, label=_("The comment"), max_length=settings.COMMENT_MAX_LENGTH)


def comment_post(
    *,
    participant: Participant,
    item: AgendaItem,
    body: str,
    point: AgendaPoint | None = None,
    parent: Comment | None = None,
    submission_key: uuid.UUID | None = None,
) -> Comment:
    """Post a comment on an item, on one of its points, or in reply to one.

    With a `submission_key` (the form's), posting the same submission again
    returns the comment it created the first time and writes nothing.
    """
    require(permissions.comment_refusal(participant, item.session), CommentError)
    body = _clean_body(body)
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
        require(permissions.comment_refusal(participant, session), CommentError)
        if earlier := _submitted(participant, submission_key):
            return earlier
        try:
            with transaction.atomic():
                comment = Comment(
                    item=item,
                    point=point,
                    parent=parent,
                    author=participant,
                    body=body,
                    submission_key=submission_key,
                )
                comment.render_body()
                comment.save(force_insert=True)
        except IntegrityError:  # the same submission, committed meanwhile
            if earlier := _submitted(participant, submission_key):
                return earlier
            raise
        item_touch(item_id=comment.item_id, session_id=session.pk, created=comment.pk)
    return comment


def _submitted(participant: Participant, key: uuid.UUID | None) -> Comment | None:
    """The comment an earlier sending of the same form created, if any."""
    if key is None:
        return None
    return Comment.objects.filter(author=participant, submission_key=key).first()


def _locked(comment: Comment, participant: Participant) -> tuple[Comment, Session]:
    """Lock the session first, then the comment: one order for every writer."""
    session = Session.objects.select_for_update().get(pk=comment.item.session_id)
    _require_same_workshop(participant, session)
    return Comment.objects.select_for_update().get(pk=comment.pk), session


def comment_edit(*, participant: Participant, comment: Comment, body: str) -> Comment:
    body = _clean_body(body)
    require(permissions.edit_comment_refusal(participant, comment), CommentError)
    with transaction.atomic():
        comment, session = _locked(comment, participant)
        _require_open(session)
        if comment.state != CommentState.VISIBLE:
            raise CommentError(_("A withdrawn or hidden comment cannot be edited."))
        if not permissions.can_edit_comment(comment, participant):
            raise CommentError(
                _("Comments can be edited for %(minutes)d minutes after posting.")
                % {"minutes": settings.COMMENT_EDIT_SECONDS // 60}
            )
        if body != comment.body:
            comment.body = body
            comment.render_body()
            comment.edited_at = timezone.now()
            comment.save(
                update_fields=["body", "body_html", "body_html_version", "edited_at"]
            )
            item_touch(
                item_id=comment.item_id, session_id=session.pk, changed=[comment.pk]
            )
    return comment


def comment_withdraw(*, participant: Participant, comment: Comment) -> Comment:
    """Withdraw one's own comment; it stays, marked withdrawn, for its replies."""
    require(permissions.withdraw_comment_refusal(participant, comment), CommentError)
    with transaction.atomic():
        comment, session = _locked(comment, participant)
        _require_open(session)
        if comment.state != CommentState.VISIBLE:
            raise CommentError(_("This comment is already withdrawn or hidden."))
        comment.state = CommentState.WITHDRAWN
        comment.withdrawn_at = timezone.now()
        comment.save(update_fields=["state", "withdrawn_at"])
        item_touch(item_id=comment.item_id, session_id=session.pk, changed=[comment.pk])
    return comment


def comment_endorse(*, participant: Participant, comment: Comment) -> Endorsement:
    require(
        permissions.endorse_comment_refusal(participant, comment, comment.item.session),
        CommentError,
    )
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
        item_touch(item_id=comment.item_id, session_id=session.pk, changed=[comment.pk])
    return endorsement


def comment_hide(*, participant: Participant, comment: Comment, reason: str) -> Comment:
    """A facilitator hides a comment; the author sees the reason."""
    require(permissions.moderate_refusal(participant, action="hide"), CommentError)
    if not (reason or "").strip():
        raise CommentError(_("Give a reason: the author will see it."))
    reason = _clean(reason, label=_("The reason"), max_length=HIDE_REASON_MAX_LENGTH)
    with transaction.atomic():
        comment, session = _locked(comment, participant)
        if comment.state == CommentState.HIDDEN:
            raise CommentError(_("This comment is already hidden."))
        comment.state = CommentState.HIDDEN
        comment.hidden_reason = reason
        comment.hidden_by = participant
        comment.hidden_at = timezone.now()
        comment.save(update_fields=["state", "hidden_reason", "hidden_by", "hidden_at"])
        item_touch(item_id=comment.item_id, session_id=session.pk, changed=[comment.pk])
    return comment


def comment_unhide(*, participant: Participant, comment: Comment) -> Comment:
    require(permissions.moderate_refusal(participant, action="unhide"), CommentError)
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
        item_touch(item_id=comment.item_id, session_id=session.pk, changed=[comment.pk])
    return comment
