"""Reciprocal measures: endorsement by heads and by majorities under each
workshop rule, and its refusals."""

from dataclasses import replace

import pytest

from dialogue.models import EndorsementRule, Participant, Workshop
from dialogue.services.measures import (
    content_for_side,
    endorsement_mode,
    measure_answer,
    measure_counter,
    measure_create,
    measure_endorse,
    measure_withdraw,
)
from tests.builders import CONTENT, build_dialogue, events, propose, refused


def test_heads_endorse_one_side_then_both(d):
    measure = propose(d)

    measure_endorse(measure=measure, delegation=d.delegations["US"], by=d.head("US"))
    measure.refresh_from_db()
    one = measure.status
    measure_endorse(measure=measure, delegation=d.delegations["CN"], by=d.head("CN"))
    measure.refresh_from_db()

    assert (one, measure.status) == ("endorsed_one", "endorsed_both")
    assert list(
        measure.endorsements.order_by("delegation__code").values_list(
            "delegation__code", "via", "endorsed_by__user__username"
        )
    ) == [
        ("CN", "head", d.head("CN").user.username),
        ("US", "head", d.head("US").user.username),
    ]
    assert events(measure)[1:] == [
        ("endorsed", "proposed", "endorsed_one", d.head("US").user.username),
        ("endorsed", "endorsed_one", "endorsed_both", d.head("CN").user.username),
    ]


def test_head_endorsement_stands_when_the_head_later_opposes(d):
    measure = propose(d)
    head = d.head("US")
    measure_endorse(measure=measure, delegation=d.delegations["US"], by=head)

    measure_answer(measure=measure, by=head, stance="oppose", reason="Changed my mind")

    measure.refresh_from_db()
    assert measure.status == "endorsed_one"
    assert measure.endorsements.get().via == "head"


def test_endorse_refusals(d):
    cn_head, us_head = d.head("CN"), d.head("US")
    measure = propose(d)
    withdrawn = propose(d, title="Withdrawn")
    measure_withdraw(measure=withdrawn, by=d.delegates["CN"][1])
    draft = measure_create(
        proposer=cn_head, content=CONTENT, items=[d.items[(1, 1)]], propose=False
    )

    def endorse(m, code, by):
        return lambda: measure_endorse(measure=m, delegation=d.delegations[code], by=by)

    assert refused(endorse(withdrawn, "US", us_head)) == [
        "This measure was withdrawn; it can no longer be endorsed."
    ]
    assert refused(endorse(measure, "US", d.delegates["US"][2])) == [
        "Only the head of a delegation can endorse on its behalf."
    ]
    assert refused(endorse(measure, "CN", d.observer)) == [
        "Only the head of a delegation can endorse on its behalf."
    ]
    assert refused(endorse(measure, "CN", us_head)) == [
        "You head American scholars; you cannot endorse on behalf of Chinese scholars."
    ]
    assert refused(endorse(draft, "CN", cn_head)) == [
        "A draft cannot be endorsed: propose it first."
    ]
    measure_endorse(measure=measure, delegation=d.delegations["US"], by=us_head)
    assert refused(endorse(measure, "US", us_head)) == [
        "American scholars has already endorsed this measure."
    ]


def test_endorse_refused_on_a_superseded_measure(d):
    measure = propose(d)
    us = d.delegates["US"][2]
    measure_counter(
        measure=measure,
        by=us,
        content=replace(content_for_side(measure, us.delegation_id), title="Other"),
        items=[d.item_of("CN")],
    )

    assert refused(
        lambda: measure_endorse(
            measure=measure, delegation=d.delegations["CN"], by=d.head("CN")
        )
    ) == [
        "This measure was superseded by a counter-proposal; endorse its latest "
        "revision instead."
    ]


def test_head_cannot_endorse_where_the_workshop_endorses_by_majority(workshop):
    d = build_dialogue(workshop, rule=EndorsementRule.MAJORITY)
    measure = propose(d)

    assert refused(
        lambda: measure_endorse(
            measure=measure, delegation=d.delegations["CN"], by=d.head("CN")
        )
    ) == [
        "In this workshop a delegation endorses when a majority of its delegates "
        "support a measure, not through its head."
    ]


def support(measure, participant, stance="support"):
    measure_answer(measure=measure, by=participant, stance=stance, reason="Reason.")
    measure.refresh_from_db()
    return measure.status


def test_majority_endorses_and_is_recomputed_when_a_supporter_changes(workshop):
    """Majority rule: 2 of 3 US delegates supporting endorse for the US; when
    one of them changes to "oppose" the endorsement is taken back."""
    d = build_dialogue(workshop, rule=EndorsementRule.MAJORITY)
    measure = propose(d)
    first, second, third = d.delegates["US"]

    statuses = [
        support(measure, first),
        support(measure, third, "oppose"),
        support(measure, second),
    ]
    endorsed = list(measure.endorsements.values_list("delegation__code", "via"))
    lost = support(measure, first, "support_with_changes")

    assert statuses == ["under_discussion", "under_discussion", "endorsed_one"]
    assert endorsed == [("US", "majority")]
    assert lost == "under_discussion"
    assert measure.endorsements.count() == 0
    assert [e[:3] for e in events(measure)][-2:] == [
        ("answer_changed", "", ""),
        ("endorsement_lost", "endorsed_one", "under_discussion"),
    ]


def test_majority_of_both_sides_endorses_for_both(workshop):
    d = build_dialogue(workshop, rule=EndorsementRule.MAJORITY)
    measure = propose(d)

    for code in ("CN", "US"):
        for participant in d.delegates[code][:2]:
            support(measure, participant)

    measure.refresh_from_db()
    assert measure.status == "endorsed_both"
    assert sorted(measure.endorsements.values_list("delegation__code", "via")) == [
        ("CN", "majority"),
        ("US", "majority"),
    ]


def test_head_or_majority_uses_the_majority_only_without_a_head(workshop):
    d = build_dialogue(workshop, heads=False)
    Participant.objects.filter(pk=d.delegates["CN"][0].pk).update(is_head=True)
    measure = propose(d)

    for code in ("CN", "US"):
        for participant in d.delegates[code]:
            support(measure, participant)

    assert list(measure.endorsements.values_list("delegation__code", "via")) == [
        ("US", "majority")
    ]
    assert measure.status == "endorsed_one"


def test_head_rule_never_endorses_by_majority(workshop):
    d = build_dialogue(workshop, rule=EndorsementRule.HEAD, heads=False)
    measure = propose(d)

    for participant in d.delegates["US"]:
        support(measure, participant)

    assert measure.endorsements.count() == 0
    assert measure.status == "under_discussion"


@pytest.mark.parametrize(
    ("rule", "has_head", "mode"),
    [
        ("head_or_majority", True, "head"),
        ("head_or_majority", False, "majority"),
        ("head", True, "head"),
        ("head", False, "head"),
        ("majority", True, "majority"),
        ("majority", False, "majority"),
    ],
)
def test_endorsement_mode_follows_the_workshop_rule(rule, has_head, mode):
    workshop = Workshop(endorsement_rule=rule)

    assert endorsement_mode(workshop=workshop, delegation_has_head=has_head) == mode
