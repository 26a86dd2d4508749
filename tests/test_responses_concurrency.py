"""Responses written and adopted at once (PostgreSQL: each thread has its
own connection; the round's row lock serialises them): no update is lost,
no revision number is taken twice, a majority is counted once."""

import pytest

from dialogue.models import EndorsementRule, Phase, Response, ResponseRevision
from dialogue.services import responses as svc
from tests.builders import make_participant
from tests.builders.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


@pytest.fixture
def sides(seeded):
    from tests.test_responses_services import Sides

    seeded.sessions.update(phase=Phase.OPEN)
    sides = Sides(seeded)
    sides.open()
    return sides


@pytest.mark.parametrize("code", ["CN", "US"])
def test_two_delegates_saving_on_the_same_revision_keep_both_texts(sides, code):
    other = make_participant(sides.workshop, code=code)
    items = list(
        sides.workshop.sessions.get(
            items__addressed_to__code=code, items__number=1
        ).items.all()
    )
    for item in items[:ROUNDS]:
        results = at_once(
            *(
                lambda who=who, item=item: svc.response_save(
                    participant=who,
                    item=item,
                    stance="accept",
                    reasoning=f"By {who.pk}.",
                    base=0,
                )
                for who in (sides.delegate[code], other)
            )
        )
        kinds = sorted(kind for kind, _ in results)
        assert kinds == ["ok", "refused"], results
        refused = next(value for kind, value in results if kind == "refused")
        assert "saved a newer version" in refused[0]
        assert ResponseRevision.objects.filter(response__item=item).count() == 1
    assert Response.objects.filter(revision__gt=1).count() == 0


def test_a_majority_adopting_at_once_adopts_exactly_once(sides):
    sides.workshop.endorsement_rule = EndorsementRule.MAJORITY
    sides.workshop.save()
    voters = [sides.delegate["CN"], make_participant(sides.workshop, code="CN")]
    item = sides.item_for("CN")
    response, revision, _ = svc.response_save(
        participant=voters[0], item=item, stance="accept", reasoning="Ours.", base=0
    )
    results = at_once(
        *(
            lambda who=who: svc.response_adopt(
                participant=who, response=response, revision=1
            )
            for who in voters
        )
    )
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    response.refresh_from_db()
    # Three CN delegates (head, delegate, the new one): two of three adopt.
    assert response.adopted_id == revision.pk
    assert revision.adoptions.count() == 2
