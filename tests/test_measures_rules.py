"""The measure rules as plain functions, without the database: who may act
(permissions.py), what a status allows (measure_rules.py), how the answers
are tallied, and how a line of history reads."""

import pytest
from django.utils import translation

from dialogue import permissions
from dialogue.measure_rules import measure_refusal
from dialogue.models import (
    Delegation,
    EndorsementRule,
    EndorsementVia,
    MeasureEndorsement,
    MeasureEvent,
    MeasureEventKind,
    MeasureStatus,
    Participant,
    ReciprocalMeasure,
    Role,
    Workshop,
)
from dialogue.selectors.measures import measure_tally

CN = Delegation(pk=1, workshop_id=1, code="CN", name="Chinese scholars")
US = Delegation(pk=2, workshop_id=1, code="US", name="American scholars")


def person(pk, role=Role.DELEGATE, delegation=CN, *, head=False, workshop_id=1):
    participant = Participant(
        pk=pk, role=role, workshop_id=workshop_id, is_head=head, user_id=pk
    )
    participant.delegation = delegation
    return participant


def measure(status=MeasureStatus.PROPOSED, *, proposer=10, rule=None):
    m = ReciprocalMeasure(pk=100, workshop_id=1, proposer_id=proposer, status=status)
    m.workshop = Workshop(pk=1, endorsement_rule=rule or EndorsementRule.HEAD)
    return m


# --- who may act -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        (person(10), None),
        (person(11, Role.OBSERVER, None), "Only delegates can answer a measure."),
        (person(12, Role.DELEGATE, None), "Only delegates can answer a measure."),
        (person(13, workshop_id=2), "Only delegates can answer a measure."),
    ],
)
def test_only_delegates_of_the_workshop_answer(who, refusal):
    assert permissions.answer_measure_refusal(who, measure()) == refusal


def test_only_the_proposer_edits_withdraws_proposes_and_deletes():
    m = measure(proposer=10)
    colleague = person(11)

    refusals = [
        permissions.edit_measure_refusal(colleague, m),
        permissions.withdraw_measure_refusal(colleague, m),
        permissions.propose_draft_refusal(colleague, m),
        permissions.delete_draft_refusal(colleague, m),
    ]

    assert [str(r) for r in refusals] == [
        "Only its proposer can edit a measure.",
        "Only its proposer can withdraw a measure.",
        "Only its proposer can propose a draft.",
        "Only its proposer can delete a draft.",
    ]
    assert permissions.edit_measure_refusal(person(10), m) is None


@pytest.mark.parametrize(
    ("who", "delegation", "rule", "refusal"),
    [
        (person(1, head=True), CN, EndorsementRule.HEAD, None),
        (person(1, head=True), CN, EndorsementRule.HEAD_OR_MAJORITY, None),
        (
            person(2),
            CN,
            EndorsementRule.HEAD,
            "Only the head of a delegation can endorse on its behalf.",
        ),
        (
            person(3, Role.OBSERVER, None, head=True),
            CN,
            EndorsementRule.HEAD,
            "Only the head of a delegation can endorse on its behalf.",
        ),
        (
            person(4, delegation=US, head=True),
            CN,
            EndorsementRule.HEAD,
            "You head American scholars; you cannot endorse on behalf of Chinese "
            "scholars.",
        ),
        (
            person(1, head=True),
            CN,
            EndorsementRule.MAJORITY,
            "In this workshop a delegation endorses when a majority of its "
            "delegates support a measure, not through its head.",
        ),
        (
            person(1, head=True),
            Delegation(pk=9, workshop_id=2, code="XX", name="Elsewhere"),
            EndorsementRule.HEAD,
            "This delegation is not part of the workshop.",
        ),
    ],
)
def test_only_a_head_endorses_for_their_own_delegation(who, delegation, rule, refusal):
    result = permissions.endorse_measure_refusal(who, measure(rule=rule), delegation)

    assert (str(result) if result is not None else None) == refusal


def test_the_write_pages_are_for_delegates_only():
    assert permissions.write_measures_refusal(person(1)) is None
    assert permissions.write_measures_refusal(person(2, Role.RAPPORTEUR, None)) == (
        "Only delegates can propose and answer measures."
    )
    assert permissions.can_propose_measure(person(1)) is True
    assert permissions.can_propose_measure(person(2, Role.FACILITATOR, None)) is False


# --- what a status allows ----------------------------------------------------

ALLOWED = {
    MeasureStatus.DRAFT: {"edit", "propose", "delete"},
    MeasureStatus.PROPOSED: {"answer", "endorse", "counter", "withdraw", "edit"},
    MeasureStatus.UNDER_DISCUSSION: {"answer", "endorse", "counter", "withdraw"},
    MeasureStatus.ENDORSED_ONE: {"answer", "endorse", "counter", "withdraw"},
    MeasureStatus.ENDORSED_BOTH: {"answer", "endorse"},
    MeasureStatus.WITHDRAWN: set(),
    MeasureStatus.SUPERSEDED: set(),
}
ACTIONS = ["answer", "endorse", "counter", "withdraw", "edit", "propose", "delete"]


@pytest.mark.parametrize("status", list(ALLOWED))
def test_each_status_allows_its_actions_and_says_why_not_the_others(status):
    m = measure(status)

    allowed = {
        action
        for action in ACTIONS
        if measure_refusal(measure=m, action=action, answered=False) is None
    }

    assert allowed == ALLOWED[status]


def test_an_answered_proposal_is_no_longer_edited():
    assert measure_refusal(measure=measure(), action="edit", answered=True) == (
        "This measure has been answered, so it can no longer be edited: counter it "
        "or withdraw it instead."
    )


# --- the tally -----------------------------------------------------------------


def test_tally_counts_each_delegations_answers_and_says_how_it_endorses():
    endorsement = MeasureEndorsement(delegation=US, via=EndorsementVia.HEAD)

    rows = measure_tally(
        workshop=Workshop(endorsement_rule=EndorsementRule.HEAD_OR_MAJORITY),
        delegations=[CN, US],
        responses=[(2, "support"), (2, "oppose"), (1, "clarify"), (2, "support")],
        endorsements=[endorsement],
        headed={US.pk},
    )

    assert [
        (r["delegation"].code, r["counts"], r["total"], r["endorsement"], r["mode"])
        for r in rows
    ] == [
        ("CN", [0, 0, 0, 1], 1, None, "majority"),
        ("US", [2, 0, 1, 0], 3, endorsement, "head"),
    ]
    assert rows[1]["by_stance"] == {
        "support": 2,
        "support_with_changes": 0,
        "oppose": 1,
        "clarify": 0,
    }


# --- a line of history -----------------------------------------------------------

LINES = [
    (MeasureEventKind.CREATED, {}, "created it"),
    (MeasureEventKind.PROPOSED, {}, "proposed it"),
    (MeasureEventKind.EDITED, {"changed": ["title"]}, "edited it"),
    (MeasureEventKind.ANSWERED, {"stance": "support"}, "answered “Support”"),
    (
        MeasureEventKind.ANSWER_CHANGED,
        {"stance": "oppose", "previous_stance": "clarify"},
        "changed the answer from “Ask for clarification” to “Oppose”",
    ),
    (
        MeasureEventKind.ENDORSED,
        {"delegation": "US", "via": "head"},
        "endorsed it on behalf of US",
    ),
    (
        MeasureEventKind.ENDORSED,
        {"delegation": "US", "via": "majority"},
        "a majority of US now supports it",
    ),
    (
        MeasureEventKind.ENDORSEMENT_LOST,
        {"delegation": "CN", "via": "majority"},
        "the majority of CN no longer supports it",
    ),
    (
        MeasureEventKind.COUNTERED,
        {"revision_of": 2, "changed": []},
        "made this counter-proposal to revision 2",
    ),
    (MeasureEventKind.SUPERSEDED, {"revision": 3}, "superseded it with revision 3"),
    (MeasureEventKind.WITHDRAWN, {}, "withdrew it"),
    (MeasureEventKind.IMPORTED, {}, "imported from a workshop file"),
]


@pytest.mark.parametrize(("kind", "detail", "line"), LINES)
def test_every_kind_of_event_reads_as_a_sentence(kind, detail, line):
    assert MeasureEvent(kind=kind, detail=detail).describe() == line


def test_every_kind_of_event_has_its_sentence():
    assert {kind for kind, _, _ in LINES} == set(MeasureEventKind)


def test_event_sentences_are_translated():
    event = MeasureEvent(kind=MeasureEventKind.ANSWERED, detail={"stance": "oppose"})

    with translation.override("zh-hans"):
        line = event.describe()

    assert line != "answered “Oppose”"
    assert "Oppose" not in line
