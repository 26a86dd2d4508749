"""Ranking rules at the service level: rounds, ballots, validation."""

import pytest
from django.db import IntegrityError, transaction

from dialogue.models import Phase, Ranking, RankingEntry, RankingRound, Role, Session
from dialogue.services.rankings import (
    RankingError,
    RankingForbidden,
    ranking_round_close,
    ranking_round_open,
    ranking_submit,
)
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    admin_organiser,
    item_ids,
    make_participant,
    make_ranking_session,
)


def stored_orders(session):
    """Every stored ballot as (username, [item numbers]), for assertions."""
    return sorted(
        (
            ranking.participant.user.username,
            [e.item.number for e in ranking.entries.order_by("position")],
        )
        for ranking in Ranking.objects.filter(round__session=session)
    )


def rounds(session):
    return [
        (round_.number, round_.is_open)
        for round_ in RankingRound.objects.filter(session=session)
    ]


def test_entering_ranking_opens_round_one_and_leaving_closes_it(session, organiser):
    session_set_phase(session=session, phase=Phase.RANKING, by=organiser)
    opened = rounds(session)

    session_set_phase(session=session, phase=Phase.CLOSED, by=organiser)

    assert opened == [(1, True)]
    assert rounds(session) == [(1, False)]
    round_ = RankingRound.objects.get(session=session)
    assert (round_.opened_by, round_.closed_by) == (organiser, organiser)


def test_entering_ranking_again_opens_the_next_round_up_to_three(session):
    for _ in range(4):
        session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
        session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())

    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())

    assert rounds(session) == [(1, False), (2, False), (3, False)]


def test_round_open_and_close_bump_the_session_version(session):
    before = Session.objects.get(pk=session.pk).version
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    after_phase = Session.objects.get(pk=session.pk).version

    ranking_round_close(session=session, by=admin_organiser())

    assert after_phase > before
    assert Session.objects.get(pk=session.pk).version == after_phase + 1


def test_facilitator_closes_and_opens_rounds_while_in_ranking_phase(session, organiser):
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())

    closed = ranking_round_close(session=session, by=organiser)
    second = ranking_round_open(session=session, by=organiser)

    assert (closed.number, closed.is_open, closed.closed_by) == (1, False, organiser)
    assert (second.number, second.is_open) == (2, True)
    assert rounds(session) == [(1, False), (2, True)]


def test_round_open_is_refused_with_a_round_open_or_three_held(session):
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    with pytest.raises(RankingError, match="already open"):
        ranking_round_open(session=session, by=admin_organiser())
    ranking_round_close(session=session, by=admin_organiser())
    ranking_round_open(session=session, by=admin_organiser())
    ranking_round_close(session=session, by=admin_organiser())
    ranking_round_open(session=session, by=admin_organiser())
    ranking_round_close(session=session, by=admin_organiser())

    with pytest.raises(RankingError, match="at most 3"):
        ranking_round_open(session=session, by=admin_organiser())

    assert rounds(session) == [(1, False), (2, False), (3, False)]


def test_round_open_outside_the_ranking_phase_is_refused(session):
    session.refresh_from_db()

    with pytest.raises(RankingError, match="ranking phase"):
        ranking_round_open(session=session, by=admin_organiser())

    assert rounds(session) == []


def test_round_close_without_an_open_round_is_refused(session):
    with pytest.raises(RankingError, match="No ranking round is open"):
        ranking_round_close(session=session, by=admin_organiser())


def test_database_allows_only_one_open_round(session):
    RankingRound.objects.create(session=session, number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        RankingRound.objects.create(session=session, number=2)


@pytest.mark.parametrize("code", ["CN", "US"])
def test_submit_stores_the_order_and_a_second_submit_replaces_it(
    workshop, session, code
):
    delegate = make_participant(workshop, code=code)
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    ranking_submit(
        session=session, participant=delegate, order=item_ids(session, [1, 2, 3, 4])
    )

    ranking_submit(
        session=session, participant=delegate, order=item_ids(session, [3, 1, 4, 2])
    )

    assert stored_orders(session) == [(delegate.user.username, [3, 1, 4, 2])]
    assert RankingEntry.objects.count() == 4


BAD_ORDERS = {
    "missing": ([1, 2, 3], "1 item is missing"),
    "repeated": ([1, 2, 2, 3, 4], "more than once"),
    "repeated, same length": ([1, 2, 2, 4], "more than once"),
    "empty": ([], "4 items are missing"),
}


@pytest.mark.parametrize("case", list(BAD_ORDERS))
def test_submit_refuses_a_bad_order_and_keeps_the_earlier_one(workshop, session, case):
    delegate = make_participant(workshop, code="US")
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    ranking_submit(
        session=session, participant=delegate, order=item_ids(session, [4, 3, 2, 1])
    )
    numbers, reason = BAD_ORDERS[case]
    by_number = dict(session.items.values_list("number", "id"))

    with pytest.raises(RankingError, match=reason):
        ranking_submit(
            session=session,
            participant=delegate,
            order=[by_number[n] for n in numbers],
        )

    assert stored_orders(session) == [(delegate.user.username, [4, 3, 2, 1])]


def test_submit_refuses_an_item_of_another_session(workshop, session):
    other = make_ranking_session(workshop, number=2, items=1)
    delegate = make_participant(workshop, code="CN")
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    order = item_ids(session, [1, 2, 3]) + [other.items.get().id]

    with pytest.raises(RankingError, match="not on this session's agenda"):
        ranking_submit(session=session, participant=delegate, order=order)

    assert stored_orders(session) == []


def test_submit_without_an_open_round_is_refused(workshop, session):
    delegate = make_participant(workshop, code="CN")
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    ranking_round_close(session=session, by=admin_organiser())

    with pytest.raises(RankingError, match="No ranking round is open"):
        ranking_submit(
            session=session, participant=delegate, order=item_ids(session, [1, 2, 3, 4])
        )

    assert stored_orders(session) == []


def test_submit_for_a_round_that_has_closed_is_refused(workshop, session):
    delegate = make_participant(workshop, code="US")
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    ranking_round_close(session=session, by=admin_organiser())
    ranking_round_open(session=session, by=admin_organiser())

    with pytest.raises(RankingError, match="Round 1 has closed and round 2 is open"):
        ranking_submit(
            session=session,
            participant=delegate,
            order=item_ids(session, [1, 2, 3, 4]),
            round_number=1,
        )

    assert stored_orders(session) == []


@pytest.mark.parametrize(
    "role", [Role.OBSERVER, Role.FACILITATOR, Role.RAPPORTEUR, Role.ORGANISER]
)
def test_only_delegates_may_submit(workshop, session, role):
    participant = make_participant(workshop, role=role, code="CN")
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())

    with pytest.raises(RankingForbidden):
        ranking_submit(
            session=session,
            participant=participant,
            order=item_ids(session, [1, 2, 3, 4]),
        )

    assert stored_orders(session) == []


def test_a_delegate_of_another_workshop_may_not_submit(session, other_workshop_member):
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())

    with pytest.raises(RankingForbidden):
        ranking_submit(
            session=session,
            participant=other_workshop_member,
            order=item_ids(session, [1, 2, 3, 4]),
        )

    assert stored_orders(session) == []


def test_submissions_stay_in_their_round(workshop, session):
    delegate = make_participant(workshop, code="CN")
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    ranking_submit(
        session=session, participant=delegate, order=item_ids(session, [1, 2, 3, 4])
    )
    ranking_round_close(session=session, by=admin_organiser())
    ranking_round_open(session=session, by=admin_organiser())

    ranking_submit(
        session=session, participant=delegate, order=item_ids(session, [2, 1, 3, 4])
    )

    by_round = {
        r.round.number: [e.item.number for e in r.entries.order_by("position")]
        for r in Ranking.objects.filter(round__session=session)
    }
    assert by_round == {1: [1, 2, 3, 4], 2: [2, 1, 3, 4]}
