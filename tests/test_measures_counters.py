"""Reciprocal measures: countering supersedes the measure and speaks from the
counterer's side; and its refusals."""

from dataclasses import replace

from dialogue.models import MeasureEvent, ReciprocalMeasure
from dialogue.services.measures import (
    MeasureContent,
    content_for_side,
    measure_counter,
    measure_create,
    measure_endorse,
    measure_withdraw,
)
from tests.builders import CONTENT, events, propose, refused


def test_counter_from_the_other_side_supersedes_and_speaks_from_its_side(d):
    measure = propose(d, "CN")
    us = d.delegates["US"][2]
    start = content_for_side(measure, us.delegation_id)

    counter = measure_counter(
        measure=measure,
        by=us,
        content=replace(start, timeframe="One month"),
        items=[d.item_of("CN"), d.item_of("US")],
    )

    measure.refresh_from_db()
    assert start == replace(
        CONTENT,
        our_action=CONTENT.their_action,
        their_action=CONTENT.our_action,
        sequencing="other_first",
    )
    assert (measure.status, counter.status) == ("superseded", "proposed")
    assert (counter.revision, counter.revision_of_id, counter.root_id) == (
        2,
        measure.pk,
        measure.pk,
    )
    assert counter.proposing_delegation.code == "US"
    assert events(counter) == [("countered", "", "proposed", us.user.username)]
    assert MeasureEvent.objects.get(kind="countered").detail == {
        "revision_of": 1,
        "changed": ["timeframe", "items"],
    }
    assert events(measure)[-1] == (
        "superseded",
        "proposed",
        "superseded",
        us.user.username,
    )


def test_counter_from_the_same_side_keeps_the_wording(d):
    measure = propose(d, "US")
    colleague = d.delegates["US"][2]

    assert content_for_side(measure, colleague.delegation_id) == CONTENT


def test_unilateral_measure_is_not_mirrored(d):
    measure = propose(d, "CN", their_action="")

    assert content_for_side(measure, d.delegations["US"].pk) == replace(
        CONTENT, their_action=""
    )


def test_counter_refusals(d):
    proposer = d.delegates["CN"][1]
    us = d.delegates["US"][2]
    measure = propose(d)
    withdrawn = propose(d, title="Withdrawn")
    measure_withdraw(measure=withdrawn, by=proposer)
    agreed = propose(d, title="Agreed")
    for code in ("CN", "US"):
        measure_endorse(measure=agreed, delegation=d.delegations[code], by=d.head(code))
    draft = measure_create(
        proposer=proposer, content=CONTENT, items=[d.items[(1, 1)]], propose=False
    )

    def counter(m, by, **changes):
        content = replace(content_for_side(m, by.delegation_id or 0), **changes)
        return lambda: measure_counter(
            measure=m, by=by, content=content, items=[d.item_of("CN")]
        )

    assert refused(counter(measure, us)) == [
        "A counter-proposal must change something in the measure."
    ]
    assert refused(counter(measure, d.observer, title="x")) == [
        "Only delegates can counter a measure."
    ]
    assert refused(counter(withdrawn, us, title="x")) == [
        "This measure was withdrawn; it can no longer be countered."
    ]
    assert refused(counter(agreed, us, title="x")) == [
        "Both delegations have endorsed this measure; it can no longer be countered."
    ]
    assert refused(counter(draft, proposer, title="x")) == [
        "A draft cannot be countered: edit it instead."
    ]
    measure_counter(
        measure=measure,
        by=us,
        content=replace(content_for_side(measure, us.delegation_id), title="Mine"),
        items=[d.item_of("CN")],
    )
    measure.refresh_from_db()
    assert refused(counter(measure, proposer, title="Twice")) == [
        "This measure was already superseded by a counter-proposal; counter its "
        "latest revision instead."
    ]


def test_counter_of_a_counter_continues_the_chain(d):
    cn, us = d.delegates["CN"][1], d.delegates["US"][1]
    first = propose(d)
    second = measure_counter(
        measure=first,
        by=us,
        content=replace(content_for_side(first, us.delegation_id), title="Second"),
        items=[d.item_of("CN")],
    )

    third = measure_counter(
        measure=second,
        by=cn,
        content=replace(content_for_side(second, cn.delegation_id), title="Third"),
        items=[d.item_of("CN")],
    )

    assert list(
        ReciprocalMeasure.objects.filter(root=first)
        .order_by("revision")
        .values_list(
            "revision", "status", "revision_of_id", "proposing_delegation__code"
        )
    ) == [
        (1, "superseded", None, "CN"),
        (2, "superseded", first.pk, "US"),
        (3, "proposed", second.pk, "CN"),
    ]
    assert MeasureContent.of(third).our_action == CONTENT.our_action
