"""Business rules for priority ranking: Delphi rounds and secret ballots.

A session in the `ranking` phase holds up to three rounds. Each delegate
submits one complete ordering of the session's items per round and may
replace it until the round closes; closing a round reveals its results to
every participant at once. Nothing here reads or returns anyone's ballot:
aggregates are built in `dialogue.selectors.rankings`, for closed rounds only.
Who may rank and run rounds is decided in `dialogue.permissions`.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dialogue import permissions
from dialogue.errors import Forbidden, Refusal, require
from dialogue.live import session_touch
from dialogue.models import (
    AgendaItem,
    Participant,
    Phase,
    Ranking,
    RankingEntry,
    RankingRound,
    Session,
)
from dialogue.models.rankings import MAX_ROUNDS

__all__ = [
    "MAX_ROUNDS",
    "RankingError",
    "RankingForbidden",
    "on_session_phase_change",
    "ranking_round_close",
    "ranking_round_open",
    "ranking_submit",
]


class RankingError(Refusal):
    """A request the rules refuse; `message` is shown to the user (400)."""


class RankingForbidden(RankingError, Forbidden):
    """The participant's role does not allow this (403)."""


def on_session_phase_change(*, session, old: str, new: str, by) -> None:
    """Called inside session_set_phase's transaction after the phase moved.

    Entering `ranking` opens the next round (while fewer than three were
    held); leaving it closes the open round, which reveals its results.
    """
    if new == Phase.RANKING:
        has_open = RankingRound.objects.filter(
            session=session, closed_at__isnull=True
        ).exists()
        held = RankingRound.objects.filter(session=session).count()
        if not has_open and held < MAX_ROUNDS:
            _open_round(session=session, number=held + 1, by=by)
    elif old == Phase.RANKING:
        _close_open_round(session=session, by=by)


def ranking_round_open(*, session: Session, by) -> RankingRound:
    """Open the session's next round (the facilitator's "next round").

    `by` is a facilitator or organiser (or a staff user, from the admin).
    The session must be in the ranking phase, with no round open and fewer
    than three held.
    """
    require(permissions.run_rounds_refusal(by, session), RankingForbidden)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if not permissions.ranking_is_on(locked):
            raise RankingError(
                _(
                    "Rounds can only be opened while the session is in the ranking phase."
                )
            )
        rounds = list(RankingRound.objects.filter(session=locked))
        if any(round_.is_open for round_ in rounds):
            raise RankingError(_("A round is already open; close it first."))
        if len(rounds) >= MAX_ROUNDS:
            raise RankingError(
                ngettext(
                    "A session has at most %(count)d ranking round.",
                    "A session has at most %(count)d ranking rounds.",
                    MAX_ROUNDS,
                )
                % {"count": MAX_ROUNDS}
            )
        user = permissions.acting_user(by)
        return _open_round(session=locked, number=len(rounds) + 1, by=user)


def ranking_round_close(*, session: Session, by) -> RankingRound:
    """Close the open round; its results become visible to every participant."""
    require(permissions.run_rounds_refusal(by, session), RankingForbidden)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        closed = _close_open_round(session=locked, by=permissions.acting_user(by))
        if closed is None:
            raise RankingError(_("No ranking round is open."))
        return closed


def ranking_submit(
    *,
    session: Session,
    participant: Participant,
    order: Sequence[int],
    round_number: int | None = None,
) -> Ranking:
    """Store `participant`'s ordering of all the session's items, best first.

    `order` lists item ids. A second submission in the same round replaces
    the first (all or nothing). Refused, with nothing written, when the
    participant is not a delegate of the session's workshop, when no round
    is open (or, with `round_number`, when the open round is another one:
    the form was filled in for a round that has since closed), or when the
    order misses, repeats or adds an item.
    """
    require(permissions.rank_refusal(participant, session), RankingForbidden)
    order = list(order)
    item_ids = list(
        AgendaItem.objects.filter(session=session)
        .order_by("number")
        .values_list("id", flat=True)
    )
    _validate_order(order, item_ids)
    with transaction.atomic():
        # Locking the round makes a submission and the round's closing
        # strictly ordered: a ballot is either in the closed round or refused.
        round_ = _open_round_locked(session)
        if round_ is None:
            raise RankingError(_("No ranking round is open for this session."))
        if round_number is not None and round_.number != round_number:
            raise RankingError(
                _(
                    "Round %(old)d has closed and round %(new)d is open: check "
                    "your order and submit it again."
                )
                % {"old": round_number, "new": round_.number}
            )
        Ranking.objects.filter(round=round_, participant=participant).delete()
        ranking = Ranking.objects.create(
            round=round_, participant=participant, submitted_at=timezone.now()
        )
        RankingEntry.objects.bulk_create(
            RankingEntry(ranking=ranking, item_id=item_id, position=position)
            for position, item_id in enumerate(order, start=1)
        )
    return ranking


def _validate_order(order: list, item_ids: list[int]) -> None:
    if not all(isinstance(item_id, int) for item_id in order):
        raise RankingError(_("The ranking must list agenda items."))
    if not item_ids:
        raise RankingError(_("This session has no agenda items to rank."))
    known = set(item_ids)
    foreign = [item_id for item_id in order if item_id not in known]
    if foreign:
        raise RankingError(
            _("The ranking includes an item that is not on this session's agenda.")
        )
    if len(set(order)) != len(order):
        raise RankingError(_("The ranking lists an item more than once."))
    missing = len(known) - len(order)
    if missing:
        raise RankingError(
            ngettext(
                "Every item must be ranked: %(count)d item is missing.",
                "Every item must be ranked: %(count)d items are missing.",
                missing,
            )
            % {"count": missing}
        )


def _open_round_locked(session: Session) -> RankingRound | None:
    """The session's open round, its row locked until the transaction ends.

    Only the round's own row: the model's default ordering joins the session,
    and locking that row too would deadlock against the close, which locks
    the session first.
    """
    return (
        RankingRound.objects.select_for_update(of=("self",))
        .filter(session=session, closed_at__isnull=True)
        .order_by("number")
        .first()
    )


def _open_round(*, session: Session, number: int, by) -> RankingRound:
    round_ = RankingRound.objects.create(
        session=session, number=number, opened_at=timezone.now(), opened_by=by
    )
    session_touch(session_id=session.pk)
    return round_


def _close_open_round(*, session: Session, by) -> RankingRound | None:
    round_ = _open_round_locked(session)
    if round_ is None:
        return None
    round_.closed_at = timezone.now()
    round_.closed_by = by
    round_.save(update_fields=["closed_at", "closed_by"])
    session_touch(session_id=session.pk)
    return round_
