"""Measures in the workshop file: exported, validated, imported back exactly."""

import copy
import io
import json
from dataclasses import replace
from unittest.mock import ANY

import pytest
from django.core.management import call_command

from dialogue.models import (
    EndorsementRule,
    ItemLink,
    MeasureEvent,
    MeasurePackage,
    MeasureStatus,
    MeasureType,
    Phase,
    ReciprocalMeasure,
    ReportDraft,
    ResponseRound,
    Reversibility,
    Sequencing,
    Stance,
    Workshop,
)
from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
    measure_create,
    measure_endorse,
    measure_withdraw,
)
from dialogue.workshop_file import WorkshopFileError, validate
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import
from tests.builders import (
    CONTENT,
    build_dialogue,
    errors_of,
    export_text,
    make_participant,
    propose,
    small_file,
    state,
)
from tests.factories import UserFactory


def trade(d):
    """A chain countered once and endorsed by both heads, a measure under
    discussion, a withdrawn one, and a private draft."""
    cn, us = d.delegates["CN"][1], d.delegates["US"][1]
    first = propose(d, "CN")
    measure_answer(measure=first, by=us, stance="support_with_changes", reason="Later")
    counter = measure_counter(
        measure=first,
        by=us,
        content=replace(content_for_side(first, us.delegation_id), timeframe="1 year"),
        items=[d.items[(1, 1)], d.items[(2, 2)]],
    )
    measure_answer(measure=counter, by=cn, stance="support", reason="Agreed")
    for code in ("CN", "US"):
        measure_endorse(
            measure=counter, delegation=d.delegations[code], by=d.head(code)
        )
    talk = propose(d, "US", title="Talks", their_action="")
    measure_answer(measure=talk, by=d.delegates["CN"][2], stance="clarify", reason="?")
    gone = propose(d, "CN", title="Gone")
    measure_withdraw(measure=gone, by=cn)
    measure_create(
        proposer=cn,
        content=replace(CONTENT, title="Private"),
        items=[d.items[(1, 2)]],
        propose=False,
    )


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("sequencing", Sequencing.values),
        ("reversibility", Reversibility.values),
        ("measure_type", MeasureType.values),
    ],
)
def test_every_value_the_models_know_is_accepted_in_a_file(field, values):
    read = [
        getattr(validate(with_measures(measure(**{field: value}))).measures[0], field)
        for value in values
    ]

    assert read == list(values)


def test_every_stance_the_models_know_is_accepted_in_a_file():
    read = [
        validate(
            with_measures(
                measure(
                    status="under_discussion",
                    responses=[{"username": "bob", "stance": stance, "reason": "x"}],
                )
            )
        )
        .measures[0]
        .responses[0]
        .stance
        for stance in Stance.values
    ]

    assert read == list(Stance.values)


def test_export_omits_measures_when_there_are_none(d):
    assert "measures" not in workshop_export(workshop=d.workshop)


def test_export_lists_published_measures_by_chain_and_revision(d):
    trade(d)

    measures = workshop_export(workshop=d.workshop)["measures"]

    assert [(m["key"], m["revision_of"], m["status"]) for m in measures] == [
        ("1-r1", None, "superseded"),
        ("1-r2", "1-r1", "endorsed_both"),
        ("2-r1", None, "under_discussion"),
        ("3-r1", None, "withdrawn"),
    ]
    counter = measures[1]
    assert counter["proposer"] == d.delegates["US"][1].user.username
    assert counter["proposing_delegation"] == "US"
    assert counter["items"] == ["1.1", "2.2"]
    assert counter["our_action"] == CONTENT.their_action
    assert counter["responses"] == [
        {
            "username": d.delegates["CN"][1].user.username,
            "stance": "support",
            "reason": "Agreed",
            "at": counter["responses"][0]["at"],
        }
    ]
    assert [(e["delegation"], e["via"], e["by"]) for e in counter["endorsements"]] == [
        ("CN", "head", d.head("CN").user.username),
        ("US", "head", d.head("US").user.username),
    ]
    assert "Private" not in json.dumps(measures)


def test_export_then_import_onto_emptied_measures_round_trips(d):
    trade(d)
    first = export_text(d.workshop)
    ReciprocalMeasure.objects.exclude(status=MeasureStatus.DRAFT).delete()

    result = workshop_import(spec=validate(json.loads(first)))

    assert export_text(d.workshop) == first
    assert result.changes["measures created"] == 4
    assert ReciprocalMeasure.objects.filter(status="draft").count() == 1
    assert set(
        MeasureEvent.objects.filter(kind="imported").values_list("to_status")
    ) == {
        ("superseded",),
        ("endorsed_both",),
        ("under_discussion",),
        ("withdrawn",),
    }


def test_import_of_the_same_file_twice_changes_nothing(d):
    trade(d)
    text = export_text(d.workshop)
    before = state()

    result = workshop_import(spec=validate(json.loads(text)))

    assert result.summary() == "no changes"
    assert state() == before


def test_restore_into_an_empty_database_after_adding_the_participants(d, tmp_path):
    trade(d)
    text = export_text(d.workshop)
    people = [
        (p.user.username, p.delegation.code, p.is_head)
        for code in ("CN", "US")
        for p in d.delegates[code]
    ]
    Workshop.objects.all().delete()
    path = tmp_path / "w.json"
    path.write_text(text, encoding="utf-8")
    bare = json.loads(text)
    del bare["measures"]

    with pytest.raises(WorkshopFileError):
        workshop_import(spec=validate(json.loads(text)))
    workshop = workshop_import(spec=validate(bare)).workshop
    for username, code, head in people:
        make_participant(
            workshop, code=code, is_head=head, user=UserFactory(username=username)
        )
    call_command("import_workshop", str(path), stdout=io.StringIO())

    assert export_text(Workshop.objects.get()) == text


def test_import_refuses_usernames_that_are_not_participants_and_changes_nothing(
    d, other_workshop_member
):
    trade(d)
    data = json.loads(export_text(d.workshop))
    data["title"] = "Renamed"
    data["measures"][0]["proposer"] = "ghost"
    outsider = other_workshop_member.user.username
    data["measures"][1]["responses"][0]["username"] = outsider
    data["measures"][1]["endorsements"][0]["by"] = "nobody"
    before = state()

    with pytest.raises(WorkshopFileError) as excinfo:
        workshop_import(spec=validate(data))

    assert excinfo.value.errors == [
        ("measures[0].proposer", "'ghost' is not a participant of this workshop"),
        (
            "measures[1].responses[0].username",
            f"{outsider!r} is not a participant of this workshop",
        ),
        (
            "measures[1].endorsements[0].by",
            "'nobody' is not a participant of this workshop",
        ),
    ]
    assert state() == before
    assert Workshop.objects.get(pk=d.workshop.pk).title != "Renamed"


def test_measure_whose_items_left_the_agenda_still_round_trips(d):
    trade(d)
    first = ReciprocalMeasure.objects.get(title="Gone")
    first.items.clear()
    text = export_text(d.workshop)

    result = workshop_import(spec=validate(json.loads(text)))

    assert json.loads(text)["measures"][3]["items"] == []
    assert result.summary() == "no changes"


def test_import_without_measures_key_leaves_measures_alone(d):
    trade(d)
    data = json.loads(export_text(d.workshop))
    del data["measures"]
    before = state()

    workshop_import(spec=validate(data))

    assert state() == before


def test_import_with_an_empty_list_removes_published_measures_but_not_drafts(d):
    trade(d)
    data = json.loads(export_text(d.workshop))
    data["measures"] = []

    result = workshop_import(spec=validate(data))

    assert result.changes["measures deleted"] == 4
    assert list(ReciprocalMeasure.objects.values_list("title", "status")) == [
        ("Private", "draft")
    ]


def test_import_updates_a_measure_in_place(d):
    trade(d)
    ids = sorted(ReciprocalMeasure.objects.values_list("pk", flat=True))
    data = json.loads(export_text(d.workshop))
    data["measures"][2]["title"] = "Talks, revised"
    data["measures"][2]["responses"][0]["stance"] = "oppose"

    result = workshop_import(spec=validate(data))

    assert result.summary() == "measures updated: 1"
    assert sorted(ReciprocalMeasure.objects.values_list("pk", flat=True)) == ids
    talk = ReciprocalMeasure.objects.get(title="Talks, revised")
    assert list(talk.responses.values_list("stance", flat=True)) == ["oppose"]


def test_import_majority_endorsement_round_trips(workshop):
    d = build_dialogue(workshop, rule=EndorsementRule.MAJORITY)
    measure = propose(d)
    for participant in d.delegates["US"][:2]:
        measure_answer(measure=measure, by=participant, stance="support", reason="ok")
    text = export_text(d.workshop)
    ReciprocalMeasure.objects.all().delete()

    workshop_import(spec=validate(json.loads(text)))

    assert json.loads(text)["measures"][0]["endorsements"] == [
        {
            "delegation": "US",
            "via": "majority",
            "by": None,
            "at": json.loads(text)["measures"][0]["endorsements"][0]["at"],
        }
    ]
    assert export_text(d.workshop) == text


# --- validation, without a database ------------------------------------------------


def with_measures(*measures) -> dict:
    data = small_file()
    data["measures"] = list(measures)
    return data


def measure(**changes) -> dict:
    return {
        "key": "1-r1",
        "proposer": "alice",
        "proposing_delegation": "CN",
        "items": ["1.1"],
        "title": "Hotline",
        "our_action": "Open it.",
        "status": "proposed",
    } | changes


def test_validate_accepts_a_minimal_measure_with_defaults():
    spec = validate(with_measures(measure()))

    (m,) = spec.measures
    assert (m.key, m.chain, m.revision, m.items) == ("1-r1", 1, 1, ((1, 1),))
    assert (m.sequencing, m.reversibility, m.measure_type) == (
        "simultaneous",
        "reversible",
        "other",
    )
    assert m.responses == ()


def test_validate_without_measures_key_gives_none():
    assert validate(small_file()).measures is None


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"key": "one"},
            (
                "measures[0].key",
                "'one' is not valid: use <measure number>-r<revision>, e.g. 3-r2",
            ),
        ),
        (
            {"proposing_delegation": "UK"},
            (
                "measures[0].proposing_delegation",
                "'UK' is not a delegation code of this workshop",
            ),
        ),
        (
            {"items": ["1.9"]},
            (
                "measures[0].items[0]",
                "'1.9': there is no such item in the file's sessions",
            ),
        ),
        (
            {"items": ["one"]},
            ("measures[0].items[0]", "'one' is not an item reference like \"1.3\""),
        ),
        (
            {"status": "draft"},
            (
                "measures[0].status",
                "drafts are private to their proposer and are not part of workshop files",
            ),
        ),
        (
            {"status": "superseded"},
            (
                "measures[0].status",
                "is 'superseded' but no revision in the file counters it",
            ),
        ),
        (
            {
                "status": "endorsed_both",
                "endorsements": [{"delegation": "CN", "via": "majority"}],
            },
            (
                "measures[0].status",
                "'endorsed_both' needs an endorsement from every delegation",
            ),
        ),
        (
            {"revision_of": "1-r0"},
            ("measures[0].revision_of", "must be null: revision 1 counters nothing"),
        ),
        (
            {"sequencing": "later"},
            (
                "measures[0].sequencing",
                "'later' is not one of simultaneous, proposer_first, other_first, phased",
            ),
        ),
        (
            {
                "status": "under_discussion",
                "responses": [{"username": "bob", "stance": "yes", "reason": "x"}],
            },
            (
                "measures[0].responses[0].stance",
                "'yes' is not one of support, support_with_changes, oppose, clarify",
            ),
        ),
        (
            {
                "status": "endorsed_one",
                "endorsements": [{"delegation": "CN", "via": "head"}],
            },
            ("measures[0].endorsements[0].by", "a head's endorsement names the head"),
        ),
        ({"colour": "red"}, ("measures[0].colour", "is not a known field")),
    ],
)
def test_validate_refuses_bad_measures_with_the_path(changes, error):
    assert errors_of(with_measures(measure(**changes))) == [error]


def test_validate_checks_the_chain_of_revisions():
    data = with_measures(
        measure(key="1-r2", revision_of="1-r1"),
        measure(key="1-r1", status="superseded"),
        measure(key="1-r1"),
    )

    assert errors_of(data) == [
        (
            "measures[0].revision_of",
            "'1-r1' must be listed before the revision countering it",
        ),
        ("measures[2].key", "'1-r1' is used by another measure"),
        ("measures[2].status", "must be 'superseded': 1-r2 counters it"),
    ]


def test_validate_refuses_a_response_twice_from_one_person():
    answer = {"username": "bob", "stance": "oppose", "reason": "No"}

    errors = errors_of(
        with_measures(measure(status="under_discussion", responses=[answer, answer]))
    )

    assert errors == [("measures[0].responses[1].username", "'bob' answers twice")]


def test_validate_copy_of_a_good_file_is_untouched():
    data = with_measures(measure())
    before = copy.deepcopy(data)

    validate(data)

    assert data == before


def test_simulated_workshop_round_trips_onto_itself_and_into_a_clean_state(
    seeded, tmp_path
):
    """Everything simulate_activity writes (measures of every status,
    packages, link verdicts, revealed responses, a report in review) is in
    the file and comes back from it. Participants and comments are not part
    of the file, so the clean state keeps them and drops all the file holds."""
    seeded.sessions.update(phase=Phase.OPEN)
    call_command(
        "simulate_activity",
        seeded.slug,
        *("--delegates", "6", "--comments", "6", "--measures", "5", "--seed", "2"),
        *("--reveal-responses", "--review-report"),
        stdout=io.StringIO(),
    )
    text = export_text(seeded)
    path = tmp_path / "w.json"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()

    onto_itself = workshop_import(spec=validate(json.loads(text)))
    for rows in (
        MeasurePackage.objects.all(),
        ReciprocalMeasure.objects.exclude(status=MeasureStatus.DRAFT),
        ItemLink.objects.all(),
        ResponseRound.objects.all(),
        ReportDraft.objects.all(),
    ):
        rows.delete()
    call_command("import_workshop", str(path), stdout=out)

    assert onto_itself.summary() == "no changes"
    assert out.getvalue().startswith(f"Updated workshop {seeded.slug!r}: ")
    assert export_text(seeded) == text
    assert set(json.loads(text)) >= {
        "measures",
        "packages",
        "links",
        "response_round",
        "responses",
        "report_drafts",
    }
    assert {m["status"] for m in json.loads(text)["measures"]} == {
        "proposed",
        "under_discussion",
        "endorsed_one",
        "endorsed_both",
    }


def test_head_endorsement_round_trips_after_the_head_left_the_workshop(d):
    trade(d)
    d.head("US").delete()  # an organiser removes the participant in the admin
    first = export_text(d.workshop)
    ReciprocalMeasure.objects.exclude(status=MeasureStatus.DRAFT).delete()

    workshop_import(spec=validate(json.loads(first)))

    assert export_text(d.workshop) == first
    assert [
        e
        for m in json.loads(first)["measures"]
        for e in m.get("endorsements", [])
        if e["delegation"] == "US"
    ] == [{"delegation": "US", "via": "head", "by": None, "at": ANY}]
