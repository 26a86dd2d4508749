"""Reciprocal measures: content, proposing one, and reading back everything a
measure action could write."""

from dataclasses import replace

import pytest
from django.urls import reverse

from dialogue.models import (
    MeasureEndorsement,
    MeasureEvent,
    MeasureResponse,
    ReciprocalMeasure,
    Session,
)
from dialogue.services.measures import MeasureContent, MeasureError, measure_create
from tests.builders.dialogues import Dialogue

CONTENT = MeasureContent(
    title="Military hotline",
    our_action="Our side would name a duty officer for the hotline.",
    their_action="Your side would answer within an hour.",
    sequencing="proposer_first",
    conditionality="Only if both sides keep the line open.",
    verification="Monthly test calls.",
    timeframe="Three months",
    reversibility="reversible",
    measure_type="communication",
)


def state():
    """Everything a measure action could write."""
    return (
        list(
            ReciprocalMeasure.objects.order_by("pk").values_list(
                "pk", "status", "title", "our_action", "revision", "proposed_at"
            )
        ),
        list(
            MeasureResponse.objects.order_by("pk").values_list(
                "pk", "participant_id", "stance", "reason"
            )
        ),
        list(
            MeasureEndorsement.objects.order_by("pk").values_list(
                "pk", "delegation_id", "via", "endorsed_by_id"
            )
        ),
        list(MeasureEvent.objects.order_by("pk").values_list("pk", "kind")),
        list(Session.objects.order_by("pk").values_list("pk", "version")),
    )


def refused(action) -> list[str]:
    """The messages of a refused action, after checking it wrote nothing."""
    before = state()

    with pytest.raises(MeasureError) as excinfo:
        action()

    assert state() == before
    return excinfo.value.messages


def events(measure) -> list[tuple]:
    return list(
        MeasureEvent.objects.filter(measure=measure)
        .order_by("pk")
        .values_list("kind", "from_status", "to_status", "actor__user__username")
    )


def propose(d: Dialogue, code: str = "CN", *, who: int = 1, **changes):
    return measure_create(
        proposer=d.delegates[code][who],
        content=replace(CONTENT, **changes),
        items=[d.item_of(code)],
    )


def measure_url(name, d, *args):
    return reverse(name, args=[d.workshop.slug, *args])


def titles(column) -> list[str]:
    return [m.title for m in column]
