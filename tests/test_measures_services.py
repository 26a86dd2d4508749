"""Reciprocal measures: every transition, every refusal (with its message and
nothing written), the endorsement rules, and the same story from each side."""

from dataclasses import replace

import pytest

from dialogue.models import (
    EndorsementRule,
    MeasureEvent,
    MeasureResponse,
    Participant,
    ReciprocalMeasure,
    Session,
    Stance,
    Workshop,
)
from dialogue.services.measures import (
    MeasureContent,
    MeasureError,
    content_for_side,
    endorsement_mode,
    measure_answer,
    measure_counter,
    measure_create,
    measure_delete_draft,
    measure_endorse,
    measure_propose,
    measure_refusal,
    measure_update,
    measure_withdraw,
)
from tests.builders import CONTENT, Dialogue, build_dialogue, propose, state
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    SessionFactory,
    WorkshopFactory,
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


# --- proposing ---------------------------------------------------------------


def test_create_proposes_at_once_with_its_fields_items_and_event(d):
    proposer = d.delegates["US"][1]

    measure = measure_create(
        proposer=proposer,
        content=CONTENT,
        items=[d.items[(1, 2)], d.items[(2, 1)]],
    )

    measure.refresh_from_db()
    assert MeasureContent.of(measure) == CONTENT
    assert (measure.status, measure.revision, measure.root_id) == (
        "proposed",
        1,
        measure.pk,
    )
    assert measure.proposing_delegation.code == "US"
    assert measure.proposed_at is not None
    assert sorted(measure.items.values_list("session__number", "number")) == [
        (1, 2),
        (2, 1),
    ]
    assert events(measure) == [("created", "", "proposed", proposer.user.username)]


def test_create_touches_every_session_of_its_items(d):
    before = dict(Session.objects.values_list("number", "version"))

    measure_create(
        proposer=d.delegates["CN"][1],
        content=CONTENT,
        items=[d.items[(1, 1)], d.items[(2, 2)]],
    )

    after = dict(Session.objects.values_list("number", "version"))
    assert after == {1: before[1] + 1, 2: before[2] + 1}


def test_draft_is_saved_privately_then_proposed(d):
    proposer = d.delegates["CN"][2]
    draft = measure_create(
        proposer=proposer, content=CONTENT, items=[d.items[(1, 1)]], propose=False
    )
    assert (draft.status, draft.proposed_at) == ("draft", None)

    measure_propose(measure=draft, by=proposer)

    draft.refresh_from_db()
    assert draft.status == "proposed"
    assert draft.proposed_at is not None
    assert events(draft) == [
        ("created", "", "draft", proposer.user.username),
        ("proposed", "draft", "proposed", proposer.user.username),
    ]


@pytest.mark.parametrize(
    ("who", "changes", "items", "message"),
    [
        ("observer", {}, "ok", "Only delegates can propose a measure."),
        ("delegate", {"title": "  "}, "ok", "Give the measure a title."),
        ("delegate", {"our_action": ""}, "ok", "Say what the proposing side would do."),
        ("delegate", {"sequencing": "soon"}, "ok", "'soon' is not a valid choice."),
        ("delegate", {}, "none", "Link the measure to at least one agenda item."),
        ("delegate", {}, "foreign", "Every agenda item must belong to this workshop."),
    ],
)
def test_create_refuses_bad_proposals(d, who, changes, items, message):
    proposer = d.observer if who == "observer" else d.delegates["CN"][1]
    chosen = {
        "ok": [d.items[(1, 1)]],
        "none": [],
        "foreign": [
            AgendaItemFactory(
                session=SessionFactory(),
                proposed_by=d.delegations["CN"],
                addressed_to=d.delegations["US"],
            )
        ],
    }[items]

    messages = refused(
        lambda: measure_create(
            proposer=proposer, content=replace(CONTENT, **changes), items=chosen
        )
    )

    assert messages == [message]
    assert ReciprocalMeasure.objects.count() == 0


def test_propose_is_refused_for_someone_else_and_for_a_proposed_measure(d):
    draft = measure_create(
        proposer=d.delegates["CN"][1],
        content=CONTENT,
        items=[d.items[(1, 1)]],
        propose=False,
    )
    proposed = propose(d)

    assert refused(lambda: measure_propose(measure=draft, by=d.delegates["CN"][2])) == [
        "Only its proposer can propose a draft."
    ]
    assert refused(
        lambda: measure_propose(measure=proposed, by=d.delegates["CN"][1])
    ) == ["Only a draft can be proposed; this measure is already proposed."]


def test_delete_draft_and_refuse_deleting_a_proposed_measure(d):
    proposer = d.delegates["US"][1]
    draft = measure_create(
        proposer=proposer, content=CONTENT, items=[d.items[(2, 1)]], propose=False
    )
    proposed = propose(d, "US")

    measure_delete_draft(measure=draft, by=proposer)

    assert list(ReciprocalMeasure.objects.values_list("pk", flat=True)) == [proposed.pk]
    assert refused(lambda: measure_delete_draft(measure=proposed, by=proposer)) == [
        "Only a draft can be deleted; withdraw a proposed measure instead."
    ]


# --- editing -----------------------------------------------------------------


def test_proposer_edits_until_the_first_answer(d):
    measure = propose(d)
    proposer = d.delegates["CN"][1]

    measure_update(
        measure=measure,
        by=proposer,
        content=replace(CONTENT, timeframe="Six months"),
        items=[d.items[(1, 1)], d.items[(1, 2)]],
    )
    measure_answer(
        measure=measure, by=d.delegates["US"][2], stance="oppose", reason="Too slow."
    )

    measure.refresh_from_db()
    assert measure.timeframe == "Six months"
    assert [e[0] for e in events(measure)] == ["created", "edited", "answered"]
    assert MeasureEvent.objects.get(kind="edited").detail == {
        "changed": ["timeframe", "items"]
    }
    assert refused(
        lambda: measure_update(
            measure=measure,
            by=proposer,
            content=replace(CONTENT, timeframe="One year"),
            items=[d.items[(1, 1)]],
        )
    ) == [
        "This measure has been answered, so it can no longer be edited: counter it "
        "or withdraw it instead."
    ]


def test_edit_is_refused_to_others_and_on_a_withdrawn_measure(d):
    measure = propose(d)
    measure_withdraw(measure=measure, by=d.delegates["CN"][1])

    assert refused(
        lambda: measure_update(
            measure=measure,
            by=d.delegates["CN"][2],
            content=CONTENT,
            items=[d.items[(1, 1)]],
        )
    ) == ["Only its proposer can edit a measure."]
    assert refused(
        lambda: measure_update(
            measure=measure,
            by=d.delegates["CN"][1],
            content=CONTENT,
            items=[d.items[(1, 1)]],
        )
    ) == ["This measure was withdrawn; it can no longer be edited."]


def test_edit_without_a_change_writes_nothing(d):
    measure = propose(d)
    before = state()

    measure_update(
        measure=measure,
        by=d.delegates["CN"][1],
        content=CONTENT,
        items=[d.item_of("CN")],
    )

    assert state() == before


# --- answering ---------------------------------------------------------------


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


# --- endorsing ---------------------------------------------------------------


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


# --- withdrawing ---------------------------------------------------------------


def test_proposer_withdraws(d):
    measure = propose(d, "US")
    proposer = d.delegates["US"][1]

    measure_withdraw(measure=measure, by=proposer)

    measure.refresh_from_db()
    assert measure.status == "withdrawn"
    assert events(measure)[-1] == (
        "withdrawn",
        "proposed",
        "withdrawn",
        proposer.user.username,
    )


def test_withdraw_refusals(d):
    proposer = d.delegates["CN"][1]
    measure = propose(d)
    agreed = propose(d, title="Agreed")
    for code in ("CN", "US"):
        measure_endorse(measure=agreed, delegation=d.delegations[code], by=d.head(code))
    draft = measure_create(
        proposer=proposer, content=CONTENT, items=[d.items[(1, 1)]], propose=False
    )

    assert refused(
        lambda: measure_withdraw(measure=measure, by=d.delegates["CN"][2])
    ) == ["Only its proposer can withdraw a measure."]
    assert refused(lambda: measure_withdraw(measure=agreed, by=proposer)) == [
        "Both delegations have endorsed this measure; it can no longer be withdrawn."
    ]
    assert refused(lambda: measure_withdraw(measure=draft, by=proposer)) == [
        "A draft is not on the table yet; delete it instead."
    ]
    measure_withdraw(measure=measure, by=proposer)
    assert refused(lambda: measure_withdraw(measure=measure, by=proposer)) == [
        "This measure is already withdrawn."
    ]


# --- countering ---------------------------------------------------------------


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


# --- pages' view of refusals ---------------------------------------------------------


def test_measure_refusal_matches_the_transitions(d):
    measure = propose(d)
    fresh = {
        action: measure_refusal(measure=measure, action=action)
        for action in ("answer", "counter", "edit", "withdraw", "endorse")
    }
    measure_answer(
        measure=measure, by=d.delegates["US"][1], stance="oppose", reason="x"
    )
    measure.refresh_from_db()

    assert fresh == dict.fromkeys(fresh)
    assert measure_refusal(measure=measure, action="edit") == (
        "This measure has been answered, so it can no longer be edited: counter it "
        "or withdraw it instead."
    )


# --- symmetry ---------------------------------------------------------------------


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
