"""Packages of measures in the workshop file: exported, imported onto the same
rows, round-tripped exactly, and every problem reported with its field path."""

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

from dialogue.models import MeasurePackage, ReciprocalMeasure
from dialogue.services.measures import content_for_side, measure_counter
from dialogue.services.packages import (
    package_create,
    package_endorse,
    package_withdraw,
)
from dialogue.workshop_file import (
    WorkshopFileError,
    parse_workshop_file,
    validate,
)
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import
from tests.builders import (
    bundle,
    errors_of,
    export_text,
    package_endorsements,
    package_events,
    propose,
)

SEED = (
    Path(__file__).resolve().parent.parent
    / "dialogue/workshops/what-should-the-other-side-do.json"
)


def endorse(d, package, code):
    return package_endorse(
        package=package, delegation=d.delegations[code], by=d.head(code)
    )


def trade_packages(d) -> list[MeasurePackage]:
    """p1 agreed by both heads; p2 endorsed by CN, then suspended when the US
    counters its CN member (the counter takes its place); p3 withdrawn."""
    agreed, _ = bundle(d)
    endorse(d, agreed, "CN")
    endorse(d, agreed, "US")
    exchanges = propose(d, "CN", title="Exchanges")
    suspended = package_create(
        by=d.delegates["US"][1],
        title="Exchanges and visas",
        note="Both or **none**.",
        members=[exchanges, propose(d, "US", title="Visas")],
    )
    endorse(d, suspended, "CN")
    us = d.delegates["US"][1]
    measure_counter(
        measure=exchanges,
        by=us,
        content=replace(
            content_for_side(exchanges, us.delegation_id), timeframe="Soon"
        ),
        items=list(exchanges.items.all()),
    )
    withdrawn = package_create(
        by=d.delegates["CN"][2],
        title="Withdrawn one",
        members=[propose(d, "CN", title="A"), propose(d, "US", title="B")],
    )
    package_withdraw(package=withdrawn, by=d.delegates["CN"][2])
    return [agreed, suspended, withdrawn]


def package_state() -> list:
    return [
        (
            p.pk,
            p.title,
            p.status,
            p.updated_at,
            sorted(p.members.values_list("pk", flat=True)),
            package_endorsements(p),
            [(e.pk, e.kind, e.at) for e in p.events.order_by("pk")],
        )
        for p in MeasurePackage.objects.order_by("pk")
    ]


# --- export ------------------------------------------------------------------


def test_export_omits_packages_when_there_are_none(d):
    propose(d, "CN")
    assert "packages" not in workshop_export(workshop=d.workshop)


def test_export_names_members_by_measure_key_in_the_history_too(d):
    trade_packages(d)

    data = workshop_export(workshop=d.workshop)

    packages = data["packages"]
    assert [(p["key"], p["title"], p["status"]) for p in packages] == [
        ("p1", "Hotline and visas", "agreed"),
        ("p2", "Exchanges and visas", "suspended"),
        ("p3", "Withdrawn one", "withdrawn"),
    ]
    assert packages[0]["members"] == ["1-r1", "2-r1"]
    assert packages[0]["creator"] == d.delegates["CN"][1].user.username
    assert packages[1]["members"] == ["3-r2", "4-r1"]
    assert packages[1]["note"] == "Both or **none**."
    endorsement = packages[1]["endorsements"][0]
    assert (endorsement["delegation"], endorsement["via"], endorsement["by"]) == (
        "CN",
        "head",
        d.head("CN").user.username,
    )
    assert endorsement["suspended_at"] is not None
    kinds = [h["kind"] for h in packages[1]["history"]]
    assert kinds == ["created", "endorsed", "member_replaced", "suspended"]
    replaced = packages[1]["history"][2]["detail"]
    assert (replaced["measure"], replaced["replaces"]) == ("3-r2", "3-r1")
    created = packages[1]["history"][0]["detail"]["members"]
    assert [m["measure"] for m in created] == ["3-r1", "4-r1"]
    assert validate(json.loads(export_text(d.workshop))).packages[2].key == "p3"


# --- import ------------------------------------------------------------------


def test_export_then_import_into_an_emptied_workshop_round_trips_exactly(d):
    trade_packages(d)
    first = export_text(d.workshop)
    MeasurePackage.objects.all().delete()
    ReciprocalMeasure.objects.all().delete()

    result = workshop_import(spec=validate(json.loads(first)))

    assert result.changes["packages created"] == 3
    assert export_text(d.workshop) == first
    suspended = MeasurePackage.objects.get(title="Exchanges and visas")
    assert package_endorsements(suspended) == [("CN", "head", False)]
    replaced = [
        detail
        for kind, _, detail in package_events(suspended)
        if kind == "member_replaced"
    ][0]
    counter = ReciprocalMeasure.objects.get(title="Exchanges", revision=2)
    assert replaced["measure"] == counter.pk
    assert replaced["replaces"] == counter.revision_of_id


def test_a_head_endorsement_round_trips_after_the_head_left_the_workshop(d):
    trade_packages(d)
    d.head("US").delete()  # an organiser removes the participant in the admin
    first = export_text(d.workshop)
    MeasurePackage.objects.all().delete()
    ReciprocalMeasure.objects.all().delete()

    workshop_import(spec=validate(json.loads(first)))

    assert export_text(d.workshop) == first
    agreed = json.loads(first)["packages"][0]
    assert [(e["delegation"], e["via"], e["by"]) for e in agreed["endorsements"]] == [
        ("CN", "head", d.head("CN").user.username),
        ("US", "head", None),
    ]


def test_importing_the_same_file_twice_changes_nothing(d):
    trade_packages(d)
    text = export_text(d.workshop)
    before = package_state()

    result = workshop_import(spec=validate(json.loads(text)))
    again = workshop_import(spec=validate(json.loads(text)))

    assert result.summary() == "no changes"
    assert again.summary() == "no changes"
    assert package_state() == before


def test_an_edited_package_is_updated_in_place_and_a_missing_one_deleted(d):
    trade_packages(d)
    data = workshop_export(workshop=d.workshop)
    data["packages"][0]["title"] = "Hotline and visas, renamed"
    data["packages"][0]["history"] = data["packages"][0]["history"][:1]
    del data["packages"][2]
    first = MeasurePackage.objects.get(title="Hotline and visas").pk

    result = workshop_import(spec=validate(data))

    assert (result.changes["packages updated"], result.changes["packages deleted"]) == (
        1,
        1,
    )
    package = MeasurePackage.objects.get(pk=first)
    assert package.title == "Hotline and visas, renamed"
    assert [kind for kind, _, _ in package_events(package)] == ["created"]
    assert not MeasurePackage.objects.filter(title="Withdrawn one").exists()


def test_a_file_without_packages_leaves_them_be(d):
    trade_packages(d)
    data = workshop_export(workshop=d.workshop)
    del data["packages"]

    result = workshop_import(spec=validate(data))

    assert not result.changed
    assert MeasurePackage.objects.count() == 3


def test_the_import_refuses_unknown_people_and_writes_nothing(d):
    trade_packages(d)
    data = workshop_export(workshop=d.workshop)
    data["packages"][0]["creator"] = "nobody"
    data["packages"][1]["endorsements"][0]["by"] = "ghost"
    data["packages"][1]["history"][1]["actor"] = "ghost"
    data["packages"][0]["title"] = "Changed"
    before = package_state()

    with pytest.raises(WorkshopFileError) as excinfo:
        workshop_import(spec=validate(data))

    assert excinfo.value.errors == [
        ("packages[0].creator", "'nobody' is not a participant of this workshop"),
        (
            "packages[1].endorsements[0].by",
            "'ghost' is not a participant of this workshop",
        ),
        (
            "packages[1].history[1].actor",
            "'ghost' is not a participant of this workshop",
        ),
    ]
    assert package_state() == before


def test_the_seeded_workshop_file_still_imports(seeded):
    spec = parse_workshop_file(SEED.read_bytes(), max_bytes=2 * 1024 * 1024)

    result = workshop_import(spec=spec)

    assert spec.packages is None
    assert not result.changed
    assert "packages" not in workshop_export(workshop=seeded)


# --- validation ----------------------------------------------------------------


@pytest.fixture
def exported(d) -> dict:
    trade_packages(d)
    return workshop_export(workshop=d.workshop)


def changed(exported, change) -> dict:
    data = copy.deepcopy(exported)
    change(data)
    return data


def test_a_copy_of_the_export_validates(exported):
    spec = validate(copy.deepcopy(exported))
    assert [p.members for p in spec.packages] == [
        ("1-r1", "2-r1"),
        ("3-r2", "4-r1"),
        ("5-r1", "6-r1"),
    ]


def set_(path, value):
    """A change that sets data["packages"][...] along `path` to `value`."""

    def change(data):
        target = data["packages"]
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def draft_member(data):
    data["measures"][1]["status"] = "draft"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            set_((0, "members", 1), "9-r1"),
            ("packages[0].members[1]", "'9-r1' is not a measure key of this file"),
        ),
        (
            set_((0, "members", 1), "x-r1"),
            ("packages[0].members[1]", "'x-r1' is not a measure key of this file"),
        ),
        (
            set_((0, "members", 1), 7),
            (
                "packages[0].members[1]",
                "must be a measure key like '3-r2', not a number",
            ),
        ),
        (
            draft_member,
            (
                "packages[0].members[1]",
                "'2-r1' is a draft: a package holds only measures both sides can see",
            ),
        ),
        (
            set_((0, "members"), ["1-r1"]),
            ("packages[0].members", "a package needs at least two measures"),
        ),
        (
            set_((0, "members"), ["1-r1", "1-r1"]),
            ("packages[0].members[1]", "'1-r1' is listed twice"),
        ),
        (
            set_((0, "endorsements", 0, "delegation"), "XX"),
            (
                "packages[0].endorsements[0].delegation",
                "'XX' is not a delegation code of this workshop",
            ),
        ),
        (
            set_((0, "endorsements", 1, "delegation"), "CN"),
            ("packages[0].endorsements[1].delegation", "'CN' endorses twice"),
        ),
        (
            set_((0, "endorsements", 0, "via"), "vote"),
            ("packages[0].endorsements[0].via", "'vote' is not one of head, majority"),
        ),
        (
            lambda data: data["packages"][0]["endorsements"][0].pop("by"),
            ("packages[0].endorsements[0].by", "a head's endorsement names the head"),
        ),
        (
            set_((0, "created_at"), "yesterday"),
            ("packages[0].created_at", "'yesterday' is not an ISO 8601 date-time"),
        ),
        (
            set_((1, "endorsements", 0, "suspended_at"), "2026-03-01T10:00:00"),
            (
                "packages[1].endorsements[0].suspended_at",
                "'2026-03-01T10:00:00' needs a time zone offset, e.g. +00:00",
            ),
        ),
        (
            set_((0, "history", 0, "at"), 5),
            (
                "packages[0].history[0].at",
                "must be an ISO 8601 date-time string, not a number",
            ),
        ),
        (
            set_((0, "history", 0, "kind"), "exploded"),
            (
                "packages[0].history[0].kind",
                "'exploded' is not one of created, member_added, member_removed, "
                "member_replaced, member_changed, endorsed, endorsement_withdrawn, "
                "endorsement_lost, suspended, withdrawn, imported",
            ),
        ),
        (
            set_((0, "history", 0, "detail", "members", 0, "measure"), "8-r8"),
            (
                "packages[0].history[0].detail.members[0].measure",
                "'8-r8' is not a measure key of this file, nor null",
            ),
        ),
        (
            set_((0, "history", 0, "detail", "colour"), "red"),
            ("packages[0].history[0].detail.colour", "is not a known field"),
        ),
        (
            set_((0, "key"), "p2"),
            (
                "packages[0].key",
                "must be 'p1': packages are numbered p1, p2, … in the order they "
                "were created, and listed in that order",
            ),
        ),
        (
            set_((1, "created_at"), "2000-01-01T00:00:00+00:00"),
            (
                "packages[1].created_at",
                "is before the package listed before it: packages are listed in "
                "the order they were created",
            ),
        ),
        (
            set_((0, "status"), "open"),
            (
                "packages[0].status",
                "must be 'agreed' (or 'withdrawn'): that is what its endorsements say",
            ),
        ),
        (
            set_((0, "colour"), "red"),
            ("packages[0].colour", "is not a known field"),
        ),
    ],
)
def test_validate_refuses_bad_packages_with_the_path(exported, change, error):
    assert error in errors_of(changed(exported, change))


def test_members_must_be_measures_of_the_file(exported):
    data = copy.deepcopy(exported)
    del data["measures"]
    data.pop("responses", None)

    errors = errors_of(data)

    assert ("packages[0].members[0]", "'1-r1' is not a measure key of this file") in (
        errors
    )
