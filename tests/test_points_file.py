"""Points addressed to both governments in the workshop file: a point may be
an object with "addressed_to_both", validated with its path, imported and
exported as written; the seed marks the points that ask both sides."""

import copy
import json

import pytest

from dialogue.models import (
    AgendaPoint,
)
from dialogue.workshop_file import validate
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import
from tests.builders import errors_of, export_text, small_file

# The seed's points that ask both governments (session.item.point), as
# marked in dialogue/workshops/what-should-the-other-side-do.json.
SEED_BOTH = {
    "1.1.3",
    "1.2.2",
    "1.2.3",
    "1.3.1",
    "1.3.2",
    "1.3.3",
    "1.3.4",
    "1.3.5",
    "1.3.6",
    "1.4.1",
    "1.4.2",
    "1.4.3",
    "1.5.1",
    "1.5.2",
    "1.5.3",
    "1.5.4",
    "1.5.5",
    "1.6.1",
    "1.6.2",
    "1.6.3",
    "1.6.4",
    "2.2.7",
    "2.2.8",
    "2.4.3",
    "2.5.5",
    "2.6.6",
}


# --- points addressed to both ------------------------------------------------


def with_points(*points) -> dict:
    data = small_file()
    data["sessions"][0]["items"][0]["points"] = list(points)
    return data


def test_a_point_may_be_an_object_addressed_to_both():
    spec = validate(
        with_points(
            "a",
            {"text": "b", "addressed_to_both": True},
            {"text": "c", "addressed_to_both": False},
            {"text": "d"},
        )
    )
    item = spec.sessions[0].items[0]

    assert item.points == ("a", "b", "c", "d")
    assert item.both == frozenset({2})


@pytest.mark.parametrize(
    ("point", "error"),
    [
        (
            {"text": "b", "addressed_to_both": "yes"},
            (
                "sessions[0].items[0].points[1].addressed_to_both",
                "must be true or false",
            ),
        ),
        (
            {"text": "b", "addressed_to_both": 1},
            (
                "sessions[0].items[0].points[1].addressed_to_both",
                "must be true or false",
            ),
        ),
        (
            {"addressed_to_both": True},
            ("sessions[0].items[0].points[1].text", "is missing"),
        ),
        (
            {"text": " ", "addressed_to_both": True},
            ("sessions[0].items[0].points[1].text", "must be a non-empty string"),
        ),
        (
            {"text": "b", "both": True},
            ("sessions[0].items[0].points[1].both", "is not a known field"),
        ),
        (
            7,
            ("sessions[0].items[0].points[1]", "must be a non-empty string"),
        ),
    ],
)
def test_a_bad_point_is_refused_with_its_path(point, error):
    assert errors_of(with_points("a", point)) == [error]


def test_the_flag_is_imported_and_exported_as_written(db):
    data = with_points("a", {"text": "b", "addressed_to_both": True}, "c")
    workshop = workshop_import(spec=validate(data)).workshop

    assert list(
        AgendaPoint.objects.order_by("position").values_list(
            "position", "addressed_to_both"
        )
    ) == [(1, False), (2, True), (3, False)]
    # Not both: a plain string again, not {"text": ..., "addressed_to_both": false}.
    exported = workshop_export(workshop=workshop)["sessions"][0]["items"][0]
    assert exported["points"] == ["a", {"text": "b", "addressed_to_both": True}, "c"]

    text = export_text(workshop)
    again = workshop_import(spec=validate(json.loads(text)))
    assert again.summary() == "no changes"
    assert export_text(workshop) == text


def test_unflagging_a_point_updates_it_in_place(db):
    workshop = workshop_import(
        spec=validate(with_points("a", {"text": "b", "addressed_to_both": True}))
    ).workshop

    result = workshop_import(spec=validate(with_points("a", "b")))

    assert result.changes["points updated"] == 1
    assert (
        not workshop.sessions.get().items.get().points.get(position=2).addressed_to_both
    )


def test_the_seed_marks_the_points_that_ask_both_governments(seeded):
    marked = {
        f"{p.item.session.number}.{p.item.number}.{p.position}"
        for p in AgendaPoint.objects.filter(
            item__session__workshop=seeded, addressed_to_both=True
        ).select_related("item__session")
    }

    assert marked == SEED_BOTH
    # An ask only one government can act on stays single, e.g. the text's
    # one explicit conditional (China reduces deployments if the US reaffirms).
    conditional = AgendaPoint.objects.get(
        item__session__number=2, item__number=5, position=2
    )
    assert "if the United States is willing" in conditional.text
    assert not conditional.addressed_to_both


def test_a_copy_of_a_good_file_is_untouched_by_validation():
    data = with_points("a", {"text": "b", "addressed_to_both": True})
    before = copy.deepcopy(data)
    validate(data)
    assert data == before
