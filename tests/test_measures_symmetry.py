"""Reciprocal measures: the same story told from each side ends the same way,
mirrored."""

from dataclasses import replace

import pytest

from dialogue.models import MeasureEvent
from dialogue.services.measures import (
    MeasureContent,
    content_for_side,
    measure_answer,
    measure_counter,
    measure_create,
    measure_endorse,
)
from tests.builders import CONTENT, Dialogue, build_dialogue
from tests.factories import DelegationFactory, WorkshopFactory


def story(d: Dialogue, side: str) -> dict:
    """One side proposes, the other asks for changes and counters, the first
    supports the counter, both heads endorse it. Returned with delegation codes
    and usernames replaced by their role in the story."""
    other = d.other(side)
    proposer, answerer = d.delegates[side][1], d.delegates[other][1]
    measure = measure_create(
        proposer=proposer, content=CONTENT, items=[d.item_of(side)]
    )
    measure_answer(
        measure=measure, by=answerer, stance="support_with_changes", reason="Faster."
    )
    counter = measure_counter(
        measure=measure,
        by=answerer,
        content=replace(
            content_for_side(measure, answerer.delegation_id), timeframe="One month"
        ),
        items=[d.item_of(side), d.item_of(other)],
    )
    measure_answer(measure=counter, by=proposer, stance="support", reason="Agreed.")
    for code in (side, other):
        measure_endorse(
            measure=counter, delegation=d.delegations[code], by=d.head(code)
        )

    roles = {side: "proposer side", other: "other side"}
    people = {
        p.user.username: f"{roles[code]} #{i}"
        for code in (side, other)
        for i, p in enumerate(d.delegates[code])
    }

    def describe(m):
        m.refresh_from_db()
        return {
            "status": m.status,
            "by": roles[m.proposing_delegation.code],
            "content": MeasureContent.of(m),
            "items": sorted(
                (roles[i.proposed_by.code], i.number) for i in m.items.all()
            ),
            "responses": sorted(
                (people[r.participant.user.username], r.stance)
                for r in m.responses.all()
            ),
            "endorsements": sorted(
                (roles[e.delegation.code], e.via) for e in m.endorsements.all()
            ),
            "events": [
                (kind, f, t, people[who], roles.get(detail.get("delegation")))
                for kind, f, t, who, detail in MeasureEvent.objects.filter(
                    measure=m
                ).values_list(
                    "kind",
                    "from_status",
                    "to_status",
                    "actor__user__username",
                    "detail",
                )
            ],
        }

    return {"original": describe(measure), "counter": describe(counter)}


@pytest.mark.parametrize("side", ["CN", "US"])
def test_the_story_from_each_side_ends_endorsed_by_both(d, side):
    result = story(d, side)

    assert result["counter"]["status"] == "endorsed_both"
    assert result["original"]["status"] == "superseded"
    assert result["counter"]["content"].our_action == CONTENT.their_action


def test_the_story_told_from_each_side_is_a_mirror_image(workshop):
    mirror = WorkshopFactory(slug="mirror")
    DelegationFactory(workshop=mirror, code="CN", name="Chinese scholars")
    DelegationFactory(workshop=mirror, code="US", name="American scholars")

    from_cn = story(build_dialogue(workshop), "CN")
    from_us = story(build_dialogue(mirror), "US")

    assert from_cn == from_us
