"""Transitions arriving at once leave a consistent measure (PostgreSQL: each
thread has its own connection; the measure row lock serialises them)."""

from dataclasses import replace

import pytest

from dialogue.models import (
    EndorsementRule,
    MeasureEndorsement,
    MeasureEvent,
    MeasureResponse,
    ReciprocalMeasure,
)
from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
    measure_endorse,
)
from tests.builders import build_dialogue, propose
from tests.builders.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 8


def status_path(measure) -> list[str]:
    """The statuses the measure went through, from its events; each event
    must start where the previous one ended."""
    moves = list(
        MeasureEvent.objects.filter(measure=measure)
        .exclude(to_status="")
        .order_by("pk")
        .values_list("from_status", "to_status")
    )
    path = [moves[0][1]]
    for before, after in moves[1:]:
        assert before == path[-1], moves
        path.append(after)
    return path


def test_two_answers_and_a_counter_at_once_leave_a_consistent_chain(workshop):
    d = build_dialogue(workshop)
    answerers = [d.delegates["US"][1], d.delegates["CN"][2]]
    counterer = d.delegates["US"][2]

    def play(round_):
        measure = propose(d, "CN", title=f"Round {round_}")
        content = replace(
            content_for_side(measure, counterer.delegation_id), timeframe="Sooner"
        )
        results = at_once(
            *[
                lambda p=p: measure_answer(
                    measure=measure, by=p, stance="support", reason="Yes"
                )
                for p in answerers
            ],
            lambda: measure_counter(
                measure=measure, by=counterer, content=content, items=[d.item_of("CN")]
            ),
        )

        measure.refresh_from_db()
        chain = list(
            ReciprocalMeasure.objects.filter(root=measure)
            .order_by("revision")
            .values_list("revision", "status")
        )
        answered = set(
            MeasureResponse.objects.filter(measure=measure).values_list(
                "participant_id", flat=True
            )
        )
        assert [kind for kind, _ in results] != ["error"] * 3, results
        assert results[2][0] == "ok", results
        assert chain == [(1, "superseded"), (2, "proposed")]
        for participant, (kind, value) in zip(answerers, results[:2], strict=True):
            if kind == "ok":
                assert participant.pk in answered
            else:
                assert (kind, participant.pk in answered) == ("refused", False)
                assert value == [
                    "This measure was superseded by a counter-proposal; answer its "
                    "latest revision instead."
                ]
        expected = ["proposed"]
        if answered:
            expected.append("under_discussion")
        assert status_path(measure) == [*expected, "superseded"]

    for round_ in range(ROUNDS):
        play(round_)


def test_two_counters_at_once_make_one_revision(workshop):
    d = build_dialogue(workshop)

    def play(round_):
        measure = propose(d, "CN", title=f"Round {round_}")
        calls = [
            lambda p=p: measure_counter(
                measure=measure,
                by=p,
                content=replace(
                    content_for_side(measure, p.delegation_id), title=p.user.username
                ),
                items=[d.item_of("CN")],
            )
            for p in (d.delegates["US"][1], d.delegates["CN"][2])
        ]

        results = at_once(*calls)

        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        assert ReciprocalMeasure.objects.filter(root=measure).count() == 2

    for round_ in range(ROUNDS):
        play(round_)


def test_supporters_answering_at_once_reach_the_majority_once(workshop):
    d = build_dialogue(workshop, rule=EndorsementRule.MAJORITY)

    def play(round_):
        measure = propose(d, "CN", title=f"Round {round_}")

        results = at_once(
            *[
                lambda p=p: measure_answer(
                    measure=measure, by=p, stance="support", reason="Yes"
                )
                for p in d.delegates["US"][:2]
            ]
        )

        measure.refresh_from_db()
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        assert list(
            MeasureEndorsement.objects.filter(measure=measure).values_list(
                "delegation__code", "via"
            )
        ) == [("US", "majority")]
        assert status_path(measure) == ["proposed", "under_discussion", "endorsed_one"]

    for round_ in range(ROUNDS):
        play(round_)


def test_both_heads_endorsing_at_once_endorse_for_both(workshop):
    d = build_dialogue(workshop)

    def play(round_):
        measure = propose(d, "US", title=f"Round {round_}")

        results = at_once(
            *[
                lambda code=code: measure_endorse(
                    measure=measure, delegation=d.delegations[code], by=d.head(code)
                )
                for code in ("CN", "US")
            ]
        )

        measure.refresh_from_db()
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        assert measure.status == "endorsed_both"
        assert status_path(measure) == ["proposed", "endorsed_one", "endorsed_both"]

    for round_ in range(ROUNDS):
        play(round_)
