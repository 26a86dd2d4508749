"""Responses: each side answers what is addressed to it, drafted inside the
delegation, adopted under the endorsement rule, sealed until revealed; every
refusal says why and writes nothing. Run from each side as mirror images."""

import uuid

import pytest

from dialogue.models import (
    AgendaPoint,
    EndorsementRule,
    Phase,
    Response,
    ResponseReply,
    ResponseRevision,
    ResponseRound,
    Role,
)
from dialogue.selectors.responses import asks, response_progress, responses_for
from dialogue.services import responses as svc
from dialogue.services.responses import ResponseError, StaleResponse
from tests.builders import make_participant

OTHER = {"CN": "US", "US": "CN"}


class Sides:
    def __init__(self, workshop):
        self.workshop = workshop
        self.facilitator = make_participant(workshop, role=Role.FACILITATOR)
        self.head = {c: make_participant(workshop, code=c, is_head=True) for c in OTHER}
        self.delegate = {c: make_participant(workshop, code=c) for c in OTHER}
        self.observer = make_participant(workshop, role=Role.OBSERVER)
        self.rapporteur = make_participant(workshop, role=Role.RAPPORTEUR)

    def item_for(self, code, number=1):
        """An item addressed to delegation `code`."""
        return self.workshop.sessions.get(
            items__addressed_to__code=code, items__number=number
        ).items.get(number=number)

    def open(self):
        return svc.response_round_open(workshop=self.workshop, by=self.facilitator)[0]


@pytest.fixture
def w(seeded):
    seeded.sessions.update(phase=Phase.OPEN)
    return Sides(seeded)


def counts():
    return (
        ResponseRound.objects.count(),
        Response.objects.count(),
        ResponseRevision.objects.count(),
        ResponseReply.objects.count(),
    )


def save(w, who, item, base=0, **fields):
    values = {"stance": "accept", "reasoning": "We agree.", "conditions": ""} | fields
    return svc.response_save(participant=who, item=item, base=base, **values)


def test_the_facilitator_opens_the_round_once_and_delegates_cannot(w):
    with pytest.raises(ResponseError, match="facilitator or an organiser"):
        svc.response_round_open(workshop=w.workshop, by=w.head["CN"])
    assert counts() == (0, 0, 0, 0)
    first, created = svc.response_round_open(workshop=w.workshop, by=w.facilitator)
    again, created_again = svc.response_round_open(
        workshop=w.workshop, by=w.facilitator
    )
    assert created and not created_again and first.pk == again.pk
    assert ResponseRound.objects.count() == 1


def test_nothing_is_drafted_before_the_round_opens(w):
    with pytest.raises(ResponseError, match="not been opened"):
        save(w, w.delegate["CN"], w.item_for("CN"))
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegation_answers_only_what_is_addressed_to_it(w, code):
    w.open()
    with pytest.raises(ResponseError, match="addressed to the other delegation"):
        save(w, w.delegate[code], w.item_for(OTHER[code]))
    for who in (w.observer, w.rapporteur, w.facilitator):
        with pytest.raises(ResponseError, match="Only delegates"):
            save(w, who, w.item_for(code))
    assert counts() == (1, 0, 0, 0)
    response, revision, wrote = save(w, w.delegate[code], w.item_for(code))
    assert wrote and revision.number == 1 and response.delegation.code == code


@pytest.mark.parametrize(
    "stance", ["accept_in_part", "accept_if", "not_now", "cannot_accept"]
)
def test_partial_conditional_and_negative_stances_say_what_would_make_it_acceptable(
    w, stance
):
    w.open()
    with pytest.raises(ResponseError, match="what would make it acceptable"):
        save(w, w.delegate["US"], w.item_for("US"), stance=stance)
    assert counts() == (1, 0, 0, 0)
    _r, revision, _ = save(
        w, w.delegate["US"], w.item_for("US"), stance=stance, conditions="If Y."
    )
    assert revision.conditions == "If Y."


def test_bad_text_is_refused_with_the_field_named(w):
    w.open()
    with pytest.raises(ResponseError, match="reasoning is empty"):
        save(w, w.delegate["CN"], w.item_for("CN"), reasoning="  ")
    with pytest.raises(ResponseError, match="not allowed"):
        save(w, w.delegate["CN"], w.item_for("CN"), reasoning="bad \x00 byte")
    with pytest.raises(ResponseError, match="Choose a stance"):
        save(w, w.delegate["CN"], w.item_for("CN"), stance="maybe")
    assert counts() == (1, 0, 0, 0)


@pytest.mark.parametrize("code", ["CN", "US"])
def test_an_edit_on_an_older_revision_is_refused_and_shows_the_current_one(w, code):
    w.open()
    item = w.item_for(code)
    save(w, w.head[code], item, reasoning="First version.")
    with pytest.raises(StaleResponse) as refused:
        save(w, w.delegate[code], item, base=0, reasoning="Written meanwhile.")
    assert refused.value.current.reasoning == "First version."
    assert refused.value.status == 409
    assert ResponseRevision.objects.count() == 1
    _r, revision, wrote = save(w, w.delegate[code], item, base=1, reasoning="Second.")
    assert wrote and revision.number == 2 and revision.author == w.delegate[code].user


def test_the_same_text_sent_twice_is_one_revision(w):
    w.open()
    item = w.item_for("CN")
    save(w, w.delegate["CN"], item)
    _r, revision, wrote = save(w, w.delegate["CN"], item, base=0)
    assert not wrote and revision.number == 1
    assert ResponseRevision.objects.count() == 1


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_head_adopts_and_a_new_revision_needs_adopting_again(w, code):
    w.open()
    item = w.item_for(code)
    response, _rev, _ = save(w, w.delegate[code], item)
    with pytest.raises(ResponseError, match="head of the delegation adopts"):
        svc.response_adopt(participant=w.delegate[code], response=response, revision=1)
    with pytest.raises(ResponseError, match="answering delegation"):
        svc.response_adopt(
            participant=w.head[OTHER[code]], response=response, revision=1
        )
    assert not Response.objects.get(pk=response.pk).adopted_id
    assert svc.response_adopt(participant=w.head[code], response=response, revision=1)
    save(w, w.delegate[code], item, base=1, reasoning="Better wording.")
    response.refresh_from_db()
    assert response.adopted.number == 1 and response.revision == 2
    with pytest.raises(ResponseError, match="newer revision"):
        svc.response_adopt(participant=w.head[code], response=response, revision=1)


def test_by_majority_more_than_half_of_the_delegates_adopt(w):
    w.workshop.endorsement_rule = EndorsementRule.MAJORITY
    w.workshop.save()
    third = make_participant(w.workshop, code="US")
    w.open()
    response, _rev, _ = save(w, w.delegate["US"], w.item_for("US"))
    assert not svc.response_adopt(
        participant=w.delegate["US"], response=response, revision=1
    )
    assert not svc.response_adopt(
        participant=w.delegate["US"], response=response, revision=1
    )
    assert svc.response_adopt(participant=third, response=response, revision=1)


def _answer_everything(w):
    heads = w.head
    for ask in asks(workshop=w.workshop):
        head = heads[ask.delegation.code]
        response, rev, _ = svc.response_save(
            participant=head,
            item=ask.item,
            point=ask.point,
            stance="accept",
            reasoning=f"Answer to {ask.ref}.",
            base=0,
        )
        svc.response_adopt(participant=head, response=response, revision=rev.number)


def test_the_reveal_waits_for_both_sides_unless_asked_to_go_early(w):
    w.open()
    response, rev, _ = save(w, w.head["CN"], w.item_for("CN"))
    svc.response_adopt(participant=w.head["CN"], response=response, revision=1)
    with pytest.raises(ResponseError, match="Only the facilitator"):
        svc.response_reveal(workshop=w.workshop, by=w.head["US"])
    left = len(asks(workshop=w.workshop)) - 1
    with pytest.raises(ResponseError, match=f"{left} to go"):
        svc.response_reveal(workshop=w.workshop, by=w.facilitator)
    assert not ResponseRound.objects.get().revealed
    round_ = svc.response_reveal(workshop=w.workshop, by=w.facilitator, early=True)
    assert round_.revealed
    assert {"delegation": "CN", "ref": "2.2"} in round_.unanswered
    assert {"delegation": "CN", "ref": "2.1"} not in round_.unanswered
    assert len(round_.unanswered) == left


def test_a_complete_round_reveals_without_asking(w):
    w.open()
    _answer_everything(w)
    assert all(side.complete for side in response_progress(workshop=w.workshop))
    round_ = svc.response_reveal(workshop=w.workshop, by=w.facilitator)
    assert round_.revealed and round_.unanswered == []


@pytest.mark.parametrize("code", ["CN", "US"])
def test_until_the_reveal_only_the_own_delegation_reads_a_response(w, code):
    w.open()
    response, _rev, _ = save(w, w.delegate[code], w.item_for(code), reasoning="Secret.")
    svc.response_adopt(participant=w.head[code], response=response, revision=1)
    item = w.item_for(code)

    def shown(who):
        (view,) = [
            v
            for v in responses_for(participant=who, workshop=w.workshop, item=item)
            if v.ask.point is None
        ]
        return view

    assert shown(w.delegate[code]).shown.reasoning == "Secret."
    for outsider in (w.head[OTHER[code]], w.observer, w.rapporteur, w.facilitator):
        view = shown(outsider)
        assert view.sealed and view.shown is None and view.latest is None
    progress = {s.delegation.code: s for s in response_progress(workshop=w.workshop)}
    assert progress[code].answered == 1 and progress[OTHER[code]].answered == 0
    svc.response_reveal(workshop=w.workshop, by=w.facilitator, early=True)
    for reader in (w.head[OTHER[code]], w.observer, w.rapporteur, w.facilitator):
        view = shown(reader)
        assert not view.sealed and view.shown.reasoning == "Secret."


@pytest.mark.parametrize("code", ["CN", "US"])
def test_after_the_reveal_the_proposing_side_asks_for_clarification(w, code):
    w.open()
    response, _rev, _ = save(w, w.head[code], w.item_for(code))
    svc.response_adopt(participant=w.head[code], response=response, revision=1)
    asking = w.delegate[OTHER[code]]
    with pytest.raises(ResponseError, match="once they are revealed"):
        svc.response_reply(participant=asking, response=response, body="Why?")
    svc.response_reveal(workshop=w.workshop, by=w.facilitator, early=True)
    with pytest.raises(ResponseError, match="does not ask itself"):
        svc.response_reply(
            participant=w.head[code], response=response, body="?", kind="clarification"
        )
    with pytest.raises(ResponseError, match="Only delegates"):
        svc.response_reply(participant=w.observer, response=response, body="Hm.")
    key = uuid.uuid4()
    first = svc.response_reply(
        participant=asking,
        response=response,
        body="Which agency?",
        kind="clarification",
        submission_key=key,
    )
    again = svc.response_reply(
        participant=asking,
        response=response,
        body="Which agency?",
        kind="clarification",
        submission_key=key,
    )
    assert first.pk == again.pk and ResponseReply.objects.count() == 1
    svc.response_reply(participant=w.head[code], response=response, body="The MFA.")
    assert ResponseReply.objects.count() == 2


def test_a_revision_after_the_reveal_is_marked_and_shown_once_adopted(w):
    w.open()
    item = w.item_for("CN")
    response, _rev, _ = save(w, w.head["CN"], item, reasoning="Before.")
    svc.response_adopt(participant=w.head["CN"], response=response, revision=1)
    svc.response_reveal(workshop=w.workshop, by=w.facilitator, early=True)
    _r, revision, _ = save(w, w.delegate["CN"], item, base=1, reasoning="After.")
    assert revision.after_reveal
    (view,) = [
        v
        for v in responses_for(participant=w.head["US"], workshop=w.workshop, item=item)
        if v.ask.point is None
    ]
    assert view.shown.reasoning == "Before."
    svc.response_adopt(participant=w.head["CN"], response=response, revision=2)
    response.refresh_from_db()
    assert response.adopted.reasoning == "After."


def test_a_point_addressed_to_both_is_answered_by_both(w):
    item = w.item_for("CN", number=4)
    point = item.points.get(position=3)
    point.addressed_to_both = True
    point.save()
    w.open()
    for code in OTHER:
        _r, revision, wrote = svc.response_save(
            participant=w.delegate[code],
            item=item,
            point=point,
            stance="accept",
            reasoning=f"{code} too.",
            base=0,
        )
        assert wrote
    assert Response.objects.filter(point=point).count() == 2
    required = {
        s.delegation.code: s.required for s in response_progress(workshop=w.workshop)
    }
    addressed = {
        c: w.workshop.sessions.filter(items__addressed_to__code=c).count()
        for c in OTHER
    }
    both = AgendaPoint.objects.filter(
        item__session__workshop=w.workshop, addressed_to_both=True
    ).count()
    assert required == {c: addressed[c] + both for c in OTHER}
