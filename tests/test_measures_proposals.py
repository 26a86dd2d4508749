"""Reciprocal measures, the proposer's own steps: proposing (and drafts),
editing and withdrawing, each refusal with its message and nothing written;
and the refusal a page is told about for each transition."""

from dataclasses import replace

import pytest

from dialogue.models import MeasureEvent, ReciprocalMeasure, Session
from dialogue.services.measures import (
    MeasureContent,
    measure_answer,
    measure_create,
    measure_delete_draft,
    measure_endorse,
    measure_propose,
    measure_refusal,
    measure_update,
    measure_withdraw,
)
from tests.builders import CONTENT, events, propose, refused, state
from tests.factories import AgendaItemFactory, SessionFactory

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
