"""Each side's answer to the recommendations addressed to it.

The round: `response_round_open` (an organiser or the facilitator) lets the
delegations draft; `response_reveal` shows both sides' adopted responses at
once, when both have adopted all of theirs, or earlier when asked to
(`early`), the round then recording which were unanswered.

A response: `response_save` writes a new revision. It names the revision it
was made on (`base`); if another delegate saved one meanwhile, it is refused
with `StaleResponse`, which carries the current revision for the page to
show: no update is lost. Saving what the latest revision already says writes
nothing (a form sent twice). `response_adopt` adopts the latest revision
under the workshop's endorsement rule (`selectors.responses.adoption_mode`): the
head's adoption, or a majority of the delegation's delegates. A new revision
needs adopting again; until then the adopted one stands (after the reveal,
the one everybody reads).

Every write locks the round's row first, so writes of one workshop's
responses are serialised. What the workshop's live pages show (progress,
revealed responses, replies) bumps them; a draft does not.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import permissions
from dialogue.errors import Refusal, require
from dialogue.live import workshop_touch
from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    EndorsementVia,
    Participant,
    ReciprocalMeasure,
    Response,
    ResponseAdoption,
    ResponseReply,
    ResponseReplyKind,
    ResponseRevision,
    ResponseRound,
    ResponseStance,
    Role,
    Workshop,
)
from dialogue.selectors.responses import adoption_mode, response_progress
from dialogue.user_text import clean_user_text

MAX_TEXT = 8000

# Stances that say what would make the recommendation acceptable.
CONDITIONAL = frozenset(
    {
        ResponseStance.ACCEPT_IN_PART,
        ResponseStance.ACCEPT_IF,
        ResponseStance.NOT_NOW,
        ResponseStance.CANNOT_ACCEPT,
    }
)


class ResponseError(Refusal):
    """A response action the rules refuse (400, or 403 for the role)."""


class StaleResponse(ResponseError):
    """The edit was made on an older revision: `current` is the latest."""

    status = 409

    def __init__(self, current: ResponseRevision):
        super().__init__(
            _(
                "Someone in your delegation saved a newer version (revision "
                "%(number)d) while you were editing. It is shown below: "
                "compare, then save yours again."
            )
            % {"number": current.number}
        )
        self.current = current


def _lock_round(workshop_id: int) -> ResponseRound:
    round_ = (
        ResponseRound.objects.select_for_update()
        .filter(workshop_id=workshop_id)
        .first()
    )
    if round_ is None:
        raise ResponseError(_("The response round has not been opened yet."))
    return round_


def _touch(round_: ResponseRound) -> None:
    ResponseRound.objects.filter(pk=round_.pk).update(version=F("version") + 1)
    workshop_touch(workshop_id=round_.workshop_id)


def response_round_open(*, workshop: Workshop, by) -> tuple[ResponseRound, bool]:
    """Open the workshop's response round; (round, False) if it was open."""
    require(permissions.run_responses_refusal(by, workshop.pk), ResponseError)
    with transaction.atomic():
        Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
        round_, created = ResponseRound.objects.get_or_create(
            workshop=workshop, defaults={"opened_by": permissions.acting_user(by)}
        )
        if created:
            _touch(round_)
    return round_, created


def _clean(stance, reasoning, conditions) -> tuple[str, str, str]:
    if stance not in ResponseStance.values:
        raise ResponseError(_("Choose a stance."))
    reasoning = _text(reasoning, _("The reasoning"), required=True)
    conditions = _text(conditions, _("What would make it acceptable"), required=False)
    if stance in CONDITIONAL and not conditions:
        raise ResponseError(
            _("Say what would make it acceptable: a stance of “%(stance)s” needs it.")
            % {"stance": ResponseStance(stance).label}
        )
    return stance, reasoning, conditions


def _text(value, label, *, required: bool) -> str:
    try:
        return clean_user_text(
            value or "", label=label, max_length=MAX_TEXT, required=required
        )
    except ValidationError as exc:
        raise ResponseError(exc.messages[0]) from exc


def response_save(
    *,
    participant: Participant,
    item: AgendaItem,
    point: AgendaPoint | None = None,
    stance: str,
    reasoning: str,
    conditions: str = "",
    asks_measure: ReciprocalMeasure | None = None,
    base: int,
) -> tuple[Response, ResponseRevision, bool]:
    """Save a new revision of the delegation's response to `item` (or its
    `point`), made on revision `base` (0 for the first). Returns (response,
    the latest revision, whether one was written)."""
    require(permissions.draft_response_refusal(participant, item, point), ResponseError)
    if point is not None and point.item_id != item.pk:
        raise ResponseError(_("That point belongs to another item."))
    workshop_id = item.session.workshop_id
    if asks_measure is not None and asks_measure.workshop_id != workshop_id:
        raise ResponseError(_("That measure belongs to another workshop."))
    stance, reasoning, conditions = _clean(stance, reasoning, conditions)
    with transaction.atomic():
        round_ = _lock_round(workshop_id)
        response, _created = Response.objects.get_or_create(
            round=round_,
            delegation_id=participant.delegation_id,
            item=item,
            point=point,
        )
        latest = response.revisions.order_by("-number").first()
        if latest is not None and (
            latest.stance,
            latest.reasoning,
            latest.conditions,
            latest.asks_measure_id,
        ) == (stance, reasoning, conditions, asks_measure.pk if asks_measure else None):
            return response, latest, False  # the same text sent again
        if base != response.revision:
            raise StaleResponse(latest)
        revision = ResponseRevision.objects.create(
            response=response,
            number=response.revision + 1,
            stance=stance,
            reasoning=reasoning,
            conditions=conditions,
            asks_measure=asks_measure,
            author=participant.user,
            after_reveal=round_.revealed,
        )
        response.revision = revision.number
        response.save(update_fields=["revision"])
        # No page outside the delegation changes with a draft, so no live
        # tag moves either: a sealed draft leaves no trace, not even a time.
    return response, revision, True


def response_adopt(
    *, participant: Participant, response: Response, revision: int
) -> bool:
    """Adopt revision `revision` (the latest) for the delegation, or count
    this delegate towards a majority. True once it is the adopted one."""
    workshop = response.round.workshop
    delegates = Participant.objects.filter(
        delegation_id=response.delegation_id, role=Role.DELEGATE
    )
    mode = adoption_mode(workshop=workshop, delegation_id=response.delegation_id)
    require(
        permissions.adopt_response_refusal(participant, response, mode=mode),
        ResponseError,
    )
    with transaction.atomic():
        round_ = _lock_round(workshop.pk)
        locked = Response.objects.get(pk=response.pk)
        if revision != locked.revision:
            raise ResponseError(
                _(
                    "A newer revision (%(number)d) was saved: read it, then "
                    "adopt that one."
                )
                % {"number": locked.revision}
            )
        latest = locked.revisions.get(number=revision)
        if locked.adopted_id == latest.pk:
            return True
        ResponseAdoption.objects.get_or_create(
            revision=latest,
            participant=participant,
            defaults={"via": mode},
        )
        votes = latest.adoptions.count()
        if mode == EndorsementVia.HEAD or votes * 2 > delegates.count():
            locked.adopted = latest
            locked.save(update_fields=["adopted"])
            latest.adopted_at = timezone.now()
            latest.save(update_fields=["adopted_at"])
        _touch(round_)
    response.adopted_id, response.revision = locked.adopted_id, locked.revision
    return locked.adopted_id == latest.pk


def response_reveal(*, workshop: Workshop, by, early: bool = False) -> ResponseRound:
    """Show both sides' adopted responses at once. Until every response is
    adopted, only `early` (asked and confirmed) reveals, recording which
    were unanswered."""
    require(permissions.run_responses_refusal(by, workshop.pk), ResponseError)
    with transaction.atomic():
        round_ = _lock_round(workshop.pk)
        if round_.revealed:
            return round_
        progress = response_progress(workshop=workshop, round_=round_)
        missing = [
            {"delegation": side.delegation.code, "ref": ref}
            for side in progress
            for ref in side.missing
        ]
        if missing and not early:
            raise ResponseError(
                _(
                    "Not every response has been adopted yet (%(left)d to go). "
                    "Reveal early only if you mean to: the record will say "
                    "which were unanswered."
                )
                % {"left": len(missing)}
            )
        round_.revealed_at = timezone.now()
        round_.revealed_by = permissions.acting_user(by)
        round_.unanswered = missing
        round_.save(update_fields=["revealed_at", "revealed_by", "unanswered"])
        _touch(round_)
    return round_


def response_reply(
    *,
    participant: Participant,
    response: Response,
    body: str,
    kind: str = ResponseReplyKind.REPLY,
    submission_key: uuid.UUID | None = None,
) -> ResponseReply:
    """Reply on a revealed response, or (the proposing side) ask for
    clarification. The same submission sent twice creates one reply."""
    if kind not in ResponseReplyKind.values:
        raise ResponseError(_("Unknown kind of reply."))
    body = _text(body, _("The reply"), required=True)
    with transaction.atomic():
        round_ = _lock_round(response.round.workshop_id)
        response.round = round_  # as it stands now: revealed or not
        require(
            permissions.reply_response_refusal(participant, response, kind=kind),
            ResponseError,
        )
        if submission_key is not None and (
            earlier := ResponseReply.objects.filter(
                author=participant, submission_key=submission_key
            ).first()
        ):
            return earlier
        try:
            with transaction.atomic():
                reply = ResponseReply.objects.create(
                    response=response,
                    author=participant,
                    kind=kind,
                    body=body,
                    submission_key=submission_key,
                )
        except IntegrityError:
            earlier = ResponseReply.objects.filter(
                author=participant, submission_key=submission_key
            ).first()
            if earlier is None:
                raise
            return earlier
        _touch(round_)
    return reply
