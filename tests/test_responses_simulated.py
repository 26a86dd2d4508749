"""simulate_activity opens the response round and answers for both sides:
drafts and adopted responses, sealed unless asked, the same for a seed."""

import io

from django.core.management import call_command

from dialogue.models import (
    Participant,
    Phase,
    Response,
    ResponseAdoption,
    ResponseRound,
)
from dialogue.selectors.responses import response_progress
from tests.builders import make_ranking_session
from tests.factories import DelegationFactory, WorkshopFactory


def _simulate(slug, *extra, seed="4"):
    out = io.StringIO()
    call_command(
        "simulate_activity",
        slug,
        "--comments",
        "5",
        "--delegates",
        "6",
        "--seed",
        seed,
        *extra,
        stdout=out,
    )
    return out.getvalue()


def _responses_of(workshop):
    return sorted(
        (
            r.delegation.code,
            r.item.session.number,
            r.item.number,
            r.point.position if r.point_id else 0,
            tuple(
                (rev.number, rev.stance, rev.reasoning, rev.conditions)
                for rev in r.revisions.order_by("number")
            ),
            r.adopted.number if r.adopted_id else None,
        )
        for r in Response.objects.filter(round__workshop=workshop).select_related(
            "delegation", "item__session", "point", "adopted"
        )
    )


def test_simulate_answers_for_both_sides_and_keeps_the_round_sealed(seeded):
    seeded.sessions.update(phase=Phase.OPEN)

    out = _simulate(seeded.slug)

    round_ = ResponseRound.objects.get(workshop=seeded)
    assert not round_.revealed
    responses = Response.objects.filter(round=round_)
    n = responses.count()
    assert f"{n} responses, a report draft" in out
    # Session 1's asks only, and both delegations answer (points asking both).
    assert set(responses.values_list("item__session__number", flat=True)) == {1}
    assert set(responses.values_list("delegation__code", flat=True)) == {"CN", "US"}
    assert responses.filter(adopted__isnull=False).exists()
    assert responses.filter(adopted__isnull=True).exists()  # drafts
    assert responses.filter(revision=2).exists()
    for response in responses.filter(adopted__isnull=False):
        assert response.adopted.number == response.revision
        # Synthetic delegates have no head: a majority adopts.
        votes = ResponseAdoption.objects.filter(revision=response.adopted)
        delegates = Participant.objects.filter(delegation=response.delegation).count()
        assert votes.count() * 2 > delegates
        assert set(votes.values_list("via", flat=True)) == {"majority"}
    progress = {s.delegation.code: s for s in response_progress(workshop=seeded)}
    assert (
        progress["CN"].answered + progress["US"].answered
        == responses.filter(adopted__isnull=False).count()
    )


def test_simulate_reveals_only_when_asked(seeded):
    seeded.sessions.update(phase=Phase.OPEN)

    _simulate(seeded.slug, "--reveal-responses")

    round_ = ResponseRound.objects.get(workshop=seeded)
    assert round_.revealed
    missing = sum(len(s.missing) for s in response_progress(workshop=seeded))
    assert len(round_.unanswered) == missing > 0


def _workshop(slug):
    workshop = WorkshopFactory(slug=slug)
    DelegationFactory(workshop=workshop, code="CN", name="Chinese scholars")
    DelegationFactory(workshop=workshop, code="US", name="American scholars")
    make_ranking_session(workshop, items=3, phase="closed")
    return workshop


def test_simulate_responses_are_deterministic_for_a_seed(db):
    first, second = _workshop("sim-a"), _workshop("sim-b")
    for slug in ("sim-a", "sim-b"):
        _simulate(slug, seed="9")

    assert _responses_of(first)
    assert _responses_of(first) == _responses_of(second)
