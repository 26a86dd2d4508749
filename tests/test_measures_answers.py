"""Reciprocal measures: answering, and each refusal with its message and
nothing written."""

from dataclasses import replace

from dialogue.models import MeasureEvent, MeasureResponse, Stance
from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
    measure_create,
    measure_withdraw,
)
from tests.builders import CONTENT, events, propose, refused, state


def test_first_answer_puts_the_measure_under_discussion(d):
    measure = propose(d)
    answerer = d.delegates["US"][2]

    response = measure_answer(
        measure=measure,
        by=answerer,
        stance=Stance.SUPPORT_WITH_CHANGES,
        reason="  Shorter timeframe.  ",
    )

    measure.refresh_from_db()
    assert (response.stance, response.reason) == (
        "support_with_changes",
        "Shorter timeframe.",
    )
    assert measure.status == "under_discussion"
    assert events(measure)[-1] == (
        "answered",
        "proposed",
        "under_discussion",
        answerer.user.username,
    )


def test_second_answer_replaces_the_first_and_records_the_previous_stance(d):
    measure = propose(d)
    answerer = d.delegates["US"][2]
    measure_answer(measure=measure, by=answerer, stance="clarify", reason="Who calls?")

    measure_answer(measure=measure, by=answerer, stance="support", reason="Clear now.")

    assert list(
        MeasureResponse.objects.values_list("participant_id", "stance", "reason")
    ) == [(answerer.pk, "support", "Clear now.")]
    last = MeasureEvent.objects.filter(measure=measure).last()
    assert (last.kind, last.detail, last.from_status, last.to_status) == (
        "answer_changed",
        {"stance": "support", "previous_stance": "clarify"},
        "",
        "",
    )


def test_the_same_answer_twice_changes_nothing(d):
    measure = propose(d)
    answerer = d.delegates["US"][2]
    measure_answer(measure=measure, by=answerer, stance="oppose", reason="No.")
    before = state()

    measure_answer(measure=measure, by=answerer, stance="oppose", reason="No.")

    assert state() == before


def test_answer_refusals(d):
    proposer = d.delegates["CN"][1]
    draft = measure_create(
        proposer=proposer, content=CONTENT, items=[d.items[(1, 1)]], propose=False
    )
    measure = propose(d)
    withdrawn = propose(d, title="Withdrawn")
    measure_withdraw(measure=withdrawn, by=proposer)
    us = d.delegates["US"][2]

    def answer(m, by, stance="support", reason="Because."):
        return lambda: measure_answer(measure=m, by=by, stance=stance, reason=reason)

    assert refused(answer(draft, proposer)) == [
        "A draft cannot be answered: propose it first."
    ]
    assert refused(answer(measure, d.observer)) == [
        "Only delegates can answer a measure."
    ]
    assert refused(answer(measure, us, reason="   ")) == [
        "Give a reason for your answer."
    ]
    assert refused(answer(measure, us, stance="maybe")) == [
        "Choose one of the answers."
    ]
    assert refused(answer(withdrawn, us)) == [
        "This measure was withdrawn; it can no longer be answered."
    ]


def test_answer_refused_on_a_superseded_measure(d):
    measure = propose(d)
    us = d.delegates["US"][2]
    measure_counter(
        measure=measure,
        by=us,
        content=replace(
            content_for_side(measure, us.delegation_id), timeframe="1 month"
        ),
        items=[d.item_of("CN")],
    )

    assert refused(
        lambda: measure_answer(measure=measure, by=us, stance="support", reason="ok")
    ) == [
        "This measure was superseded by a counter-proposal; answer its latest "
        "revision instead."
    ]


def test_answer_from_another_workshops_delegate_is_refused(d, other_workshop_member):
    measure = propose(d)

    assert refused(
        lambda: measure_answer(
            measure=measure, by=other_workshop_member, stance="support", reason="x"
        )
    ) == ["Only delegates can answer a measure."]
