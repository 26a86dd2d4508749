"""Concurrent writers on the real database: the round's row lock orders a
delegate's submissions and the round's closing."""

import threading

import pytest
from django.db import connection

from dialogue.models import Phase, Ranking, RankingEntry
from dialogue.services.rankings import (
    RankingError,
    ranking_round_close,
    ranking_submit,
)
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, make_participant, make_ranking_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Start every call at once in its own thread (own connection)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_submissions_by_one_delegate_leave_one_complete_ballot(workshop):
    session = make_ranking_session(workshop, items=6)
    delegate = make_participant(workshop, code="CN")
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    items = list(session.items.order_by("number").values_list("id", flat=True))
    orders = [items, items[::-1], items[1:] + items[:1], items[-1:] + items[:-1]] * 2

    outcomes = run_together(
        *(
            lambda order=order: ranking_submit(
                session=session, participant=delegate, order=order
            )
            for order in orders
        )
    )

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    (ranking,) = Ranking.objects.filter(participant=delegate)
    stored = list(
        RankingEntry.objects.filter(ranking=ranking)
        .order_by("position")
        .values_list("item_id", flat=True)
    )
    assert stored in orders


def test_a_submission_racing_the_close_is_either_counted_or_refused(workshop):
    session = make_ranking_session(workshop, items=4)
    delegates = [make_participant(workshop, code=c) for c in ("CN", "US") * 4]
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    items = list(session.items.order_by("number").values_list("id", flat=True))

    outcomes = run_together(
        lambda: ranking_round_close(session=session, by=admin_organiser()),
        *(
            lambda d=d: ranking_submit(session=session, participant=d, order=items)
            for d in delegates
        ),
    )

    submitted = [o for o in outcomes[1:] if isinstance(o, Ranking)]
    refused = [o for o in outcomes[1:] if isinstance(o, RankingError)]
    assert len(submitted) + len(refused) == len(delegates)
    closed = outcomes[0]
    stored = Ranking.objects.filter(round=closed)
    assert stored.count() == len(submitted)
    assert all(r.submitted_at <= closed.closed_at for r in stored)
    assert RankingEntry.objects.filter(ranking__round=closed).count() == 4 * len(
        submitted
    )
