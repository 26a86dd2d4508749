"""Responses in the workshop file: the top-level "response_round" and
"responses" keys, validated with field paths, imported, exported,
round-tripped exactly (points addressed to both: test_points_file.py)."""

import json

import pytest

from dialogue.models import (
    AgendaPoint,
    Response,
    ResponseAdoption,
    ResponseReply,
    ResponseRevision,
    ResponseRound,
    Role,
)
from dialogue.services import responses as svc
from dialogue.workshop_file import WorkshopFileError, validate
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import
from tests.builders import errors_of, export_text, make_participant, propose, small_file
from tests.factories import UserFactory

# --- the response round ------------------------------------------------------


def trade_responses(d):
    """A round with both sides' responses: adopted ones, a later draft on an
    adopted one, a draft never adopted, a point both answer, a response that
    asks for a measure, the early reveal, and a clarification thread."""
    facilitator = make_participant(
        d.workshop,
        role=Role.FACILITATOR,
        user=UserFactory(username=f"{d.workshop.slug}-facilitator"),
    )
    point = AgendaPoint.objects.create(
        item=d.items[(1, 1)], position=1, text="Both should.", addressed_to_both=True
    )
    measure = propose(d, "CN")
    svc.response_round_open(workshop=d.workshop, by=facilitator)
    us_head, us_two = d.head("US"), d.delegates["US"][1]
    r, rev, _ = svc.response_save(
        participant=us_head,
        item=d.items[(1, 1)],
        stance="accept_if",
        reasoning="If **both** act.",
        conditions="A hotline first.",
        asks_measure=measure,
        base=0,
    )
    svc.response_adopt(participant=us_head, response=r, revision=rev.number)
    svc.response_save(
        participant=us_two,
        item=d.items[(1, 1)],
        stance="accept",
        reasoning="Later draft.",
        base=1,
    )
    for code in ("CN", "US"):
        r, rev, _ = svc.response_save(
            participant=d.head(code),
            item=d.items[(1, 1)],
            point=point,
            stance="under_way",
            reasoning=f"{code} already does.",
            base=0,
        )
        svc.response_adopt(participant=d.head(code), response=r, revision=1)
    cn_point = Response.objects.get(delegation__code="CN", point=point)
    svc.response_save(
        participant=d.delegates["CN"][2],
        item=d.items[(2, 1)],
        stance="needs_clarification",
        reasoning="Sealed draft of CN.",
        base=0,
    )
    svc.response_reveal(workshop=d.workshop, by=facilitator, early=True)
    svc.response_reply(
        participant=us_two,
        response=cn_point,
        body="Since when?",
        kind="clarification",
    )
    svc.response_reply(participant=d.head("CN"), response=cn_point, body="2019.")
    return facilitator


def response_state():
    return (
        list(
            ResponseRound.objects.values_list(
                "pk", "opened_at", "revealed_at", "unanswered"
            )
        ),
        list(
            Response.objects.order_by("pk").values_list("pk", "revision", "adopted_id")
        ),
        list(
            ResponseRevision.objects.order_by("pk").values_list(
                "pk", "number", "stance", "reasoning", "created_at", "asks_measure_id"
            )
        ),
        list(ResponseAdoption.objects.order_by("pk").values_list("pk", "created_at")),
        list(
            ResponseReply.objects.order_by("pk").values_list("pk", "body", "created_at")
        ),
    )


def test_export_omits_the_round_when_there_is_none(d):
    data = workshop_export(workshop=d.workshop)
    assert "responses" not in data and "response_round" not in data


def test_the_export_is_the_full_backup_with_every_revision(d):
    facilitator = trade_responses(d)

    data = workshop_export(workshop=d.workshop)

    round_ = data["response_round"]
    assert round_["opened_by"] == facilitator.user.username
    assert round_["revealed_by"] == facilitator.user.username
    assert {"delegation": "CN", "ref": "2.1"} in round_["unanswered"]
    refs = [(r["delegation"], r["item"], r["point"]) for r in data["responses"]]
    assert refs == [
        ("US", "1.1", None),
        ("CN", "1.1", 1),
        ("US", "1.1", 1),
        ("CN", "2.1", None),
    ]
    us = data["responses"][0]
    assert us["adopted"] == 1
    assert [r["reasoning"] for r in us["revisions"]] == [
        "If **both** act.",
        "Later draft.",
    ]
    first = us["revisions"][0]
    assert (first["stance"], first["conditions"], first["asks_measure"]) == (
        "accept_if",
        "A hotline first.",
        "1-r1",
    )
    assert first["author"] == d.head("US").user.username
    assert [(a["by"], a["via"]) for a in first["adoptions"]] == [
        (d.head("US").user.username, "head")
    ]
    # The organiser's backup keeps what was never adopted, too.
    assert data["responses"][3]["adopted"] is None
    assert data["responses"][3]["revisions"][0]["reasoning"] == "Sealed draft of CN."
    assert [(p["kind"], p["body"]) for p in data["responses"][1]["replies"]] == [
        ("clarification", "Since when?"),
        ("reply", "2019."),
    ]
    assert validate(json.loads(export_text(d.workshop))).responses[0].ref == "1.1"


def test_export_then_import_onto_an_emptied_round_round_trips(d):
    trade_responses(d)
    first = export_text(d.workshop)
    ResponseRound.objects.all().delete()

    result = workshop_import(spec=validate(json.loads(first)))

    assert result.changes["responses created"] == 4
    assert export_text(d.workshop) == first
    assert Response.objects.get(delegation__code="US", point=None).adopted.number == 1
    assert ResponseReply.objects.get(kind="clarification").body


def test_importing_the_same_file_twice_changes_nothing(d):
    trade_responses(d)
    text = export_text(d.workshop)
    before = response_state()

    result = workshop_import(spec=validate(json.loads(text)))

    assert result.summary() == "no changes"
    assert response_state() == before


def test_an_edited_response_is_replaced_and_a_missing_one_deleted(d):
    trade_responses(d)
    data = json.loads(export_text(d.workshop))
    data["responses"][0]["revisions"][1]["reasoning"] = "Edited."
    del data["responses"][3]

    result = workshop_import(spec=validate(data))

    assert (
        result.changes["responses updated"],
        result.changes["responses deleted"],
    ) == (
        1,
        1,
    )
    assert json.loads(export_text(d.workshop)) == data


def test_a_file_without_the_keys_leaves_the_round_alone(d):
    trade_responses(d)
    data = json.loads(export_text(d.workshop))
    before = response_state()
    del data["responses"], data["response_round"]

    workshop_import(spec=validate(data))

    assert response_state() == before


def test_a_null_round_removes_it(d):
    trade_responses(d)
    data = json.loads(export_text(d.workshop))
    data["response_round"], data["responses"] = None, []

    result = workshop_import(spec=validate(data))

    assert result.changes["responses deleted"] == 4
    assert not ResponseRound.objects.exists()
    assert "responses" not in workshop_export(workshop=d.workshop)


def test_the_import_refuses_unknown_people_and_writes_nothing(d):
    trade_responses(d)
    data = json.loads(export_text(d.workshop))
    data["responses"][0]["revisions"][0]["author"] = "nobody"
    data["responses"][0]["revisions"][0]["adoptions"][0]["by"] = "ghost"
    data["responses"][1]["replies"][0]["author"] = "ghost"
    data["responses"][1]["revisions"][0]["reasoning"] = "Changed."
    before = response_state()

    with pytest.raises(WorkshopFileError) as excinfo:
        workshop_import(spec=validate(data))

    assert excinfo.value.errors == [
        ("responses[0].revisions[0].author", "'nobody' is not a user"),
        (
            "responses[0].revisions[0].adoptions[0].by",
            "'ghost' is not a participant of this workshop",
        ),
        (
            "responses[1].replies[0].author",
            "'ghost' is not a participant of this workshop",
        ),
    ]
    assert response_state() == before


def test_the_import_refuses_a_measure_key_the_workshop_lacks(d):
    trade_responses(d)
    data = json.loads(export_text(d.workshop))
    del data["measures"]
    data["responses"][0]["revisions"][0]["asks_measure"] = "9-r1"

    with pytest.raises(WorkshopFileError) as excinfo:
        workshop_import(spec=validate(data))

    assert excinfo.value.errors == [
        (
            "responses[0].revisions[0].asks_measure",
            "'9-r1' is not a measure of this workshop",
        )
    ]


def test_the_import_refuses_to_drop_an_item_that_has_responses(d):
    trade_responses(d)
    data = json.loads(export_text(d.workshop))
    del data["response_round"], data["responses"], data["measures"]
    data["sessions"][1]["items"] = data["sessions"][1]["items"][1:]

    with pytest.raises(WorkshopFileError, match="responses refer to them"):
        workshop_import(spec=validate(data))

    assert Response.objects.count() == 4


# --- validation, with field paths --------------------------------------------


def with_responses(*responses, round_=None, **item) -> dict:
    data = small_file()
    data["sessions"][0]["items"][0]["points"] = [
        "a",
        {"text": "b", "addressed_to_both": True},
    ]
    data["response_round"] = round_ or {
        "opened_by": None,
        "opened_at": "2026-03-01T09:00:00+00:00",
        "revealed_by": None,
        "revealed_at": None,
        "unanswered": [],
    }
    data["responses"] = list(responses)
    return data


def answer(**changes) -> dict:
    return {
        "delegation": "US",
        "item": "1.1",
        "point": None,
        "revisions": [
            {"number": 1, "stance": "accept", "reasoning": "Yes.", "author": None}
        ],
        "adopted": 1,
    } | changes


REVEALED = {
    "opened_at": "2026-03-01T09:00:00+00:00",
    "revealed_at": "2026-03-02T09:00:00+00:00",
    "unanswered": [{"delegation": "CN", "ref": "1.1.2"}],
}


def test_validate_reads_a_minimal_round():
    spec = validate(
        with_responses(answer(), answer(delegation="CN", point=2, adopted=None))
    )

    assert spec.response_round.revealed_at is None
    assert [(a.delegation, a.ref, a.adopted) for a in spec.responses] == [
        ("US", "1.1", 1),
        ("CN", "1.1.2", None),
    ]
    assert validate(small_file()).responses is None


def test_validate_reads_a_revealed_round_with_replies():
    spec = validate(
        with_responses(
            answer(
                replies=[{"author": "cn-1", "kind": "clarification", "body": "?"}],
                revisions=[
                    {"number": 1, "stance": "accept", "reasoning": "Yes."},
                    {
                        "number": 2,
                        "stance": "accept",
                        "reasoning": "Yes, still.",
                        "after_reveal": True,
                    },
                ],
            ),
            round_=REVEALED,
        )
    )

    assert spec.response_round.unanswered == (("CN", "1.1.2"),)
    assert spec.responses[0].revisions[1].after_reveal
    assert spec.responses[0].replies[0].kind == "clarification"


def rev(**changes) -> dict:
    return {"number": 1, "stance": "accept", "reasoning": "Yes."} | changes


@pytest.mark.parametrize(
    ("responses", "error"),
    [
        (
            [answer(delegation="CN")],
            (
                "responses[0].delegation",
                "'CN' does not answer 1.1: it is addressed to US",
            ),
        ),
        (
            [answer(delegation="CN", point=1)],
            (
                "responses[0].delegation",
                "'CN' does not answer 1.1.1: it is addressed to US",
            ),
        ),
        (
            [answer(delegation="UK")],
            (
                "responses[0].delegation",
                "'UK' is not a delegation code of this workshop",
            ),
        ),
        (
            [answer(item="1.9")],
            (
                "responses[0].item",
                "'1.9': there is no such item in the file's sessions",
            ),
        ),
        (
            [answer(item="one")],
            ("responses[0].item", "'one' is not an item reference like \"1.3\""),
        ),
        (
            [answer(point=3)],
            ("responses[0].point", "item 1.1 has no point 3"),
        ),
        (
            [answer(), answer()],
            ("responses[1]", "US answers 1.1 twice"),
        ),
        (
            [answer(revisions=[], adopted=None)],
            ("responses[0].revisions", "a response has at least one revision"),
        ),
        (
            [answer(revisions=[rev(number=2)])],
            (
                "responses[0].revisions[0].number",
                "must be 1: revisions are numbered 1, 2, … in order",
            ),
        ),
        (
            [answer(revisions=[rev(stance="maybe")])],
            (
                "responses[0].revisions[0].stance",
                "'maybe' is not one of accept, accept_in_part, accept_if, not_now, "
                "cannot_accept, needs_clarification, under_way, overtaken",
            ),
        ),
        (
            [answer(revisions=[rev(reasoning=" ")])],
            ("responses[0].revisions[0].reasoning", "must not be empty"),
        ),
        (
            [answer(revisions=[rev(after_reveal="no")])],
            ("responses[0].revisions[0].after_reveal", "must be true or false"),
        ),
        (
            [answer(revisions=[rev(after_reveal=True)])],
            (
                "responses[0].revisions[0].after_reveal",
                "must be false: the round is not revealed",
            ),
        ),
        (
            [answer(revisions=[rev(asks_measure="first")])],
            (
                "responses[0].revisions[0].asks_measure",
                "'first' is not valid: use <measure number>-r<revision>, e.g. 3-r2",
            ),
        ),
        (
            [answer(revisions=[rev(adoptions=[{"by": "a", "via": "vote"}])])],
            (
                "responses[0].revisions[0].adoptions[0].via",
                "'vote' is not one of head, majority",
            ),
        ),
        (
            [answer(adopted=2)],
            ("responses[0].adopted", "there is no revision 2"),
        ),
        (
            [answer(replies=[{"author": "a", "body": "Hm."}])],
            ("responses[0].replies", "must be empty: the round is not revealed"),
        ),
        (
            [answer(stance="accept")],
            ("responses[0].stance", "is not a known field"),
        ),
    ],
)
def test_validate_refuses_bad_responses_with_the_path(responses, error):
    assert errors_of(with_responses(*responses)) == [error]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            lambda d: d.pop("response_round"),
            ("response_round", "is missing: responses belong to a round"),
        ),
        (
            lambda d: d["response_round"].update(revealed_by="org"),
            ("response_round.revealed_by", "must be null: the round is not revealed"),
        ),
        (
            lambda d: d["response_round"].update(
                unanswered=[{"delegation": "US", "ref": "1.1"}]
            ),
            ("response_round.unanswered", "must be empty: the round is not revealed"),
        ),
        (
            lambda d: d["response_round"].update(revealed_at="tomorrow"),
            ("response_round.revealed_at", "'tomorrow' is not an ISO 8601 date-time"),
        ),
        (
            lambda d: d["response_round"].pop("opened_at"),
            ("response_round.opened_at", "is missing"),
        ),
        (
            lambda d: d.update(responses={}),
            ("responses", "must be a list, not an object"),
        ),
    ],
)
def test_validate_refuses_a_bad_round_with_the_path(change, error):
    data = with_responses(answer())
    change(data)
    assert errors_of(data) == [error]


def test_validate_checks_the_asked_measure_against_the_file_measures():
    data = with_responses(answer(revisions=[rev(asks_measure="2-r1")]))
    data["measures"] = []

    assert errors_of(data) == [
        (
            "responses[0].revisions[0].asks_measure",
            "'2-r1' is not a measure of the file",
        )
    ]
