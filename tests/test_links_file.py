"""Links in workshop files: the shipped links, the exact round trip with
verdicts, and every problem reported with its field path."""

import copy
import json

import pytest

from dialogue.models import ItemLink, LinkVerdict, Workshop
from dialogue.services.links import link_confirm, link_reject
from dialogue.workshop_file import WorkshopFileError, dump_workshop_file, validate
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import
from tests.builders import make_participant
from tests.factories import UserFactory


def ends(link) -> tuple[str, str]:
    return (
        f"{link.item_a.session.number}.{link.item_a.number}",
        f"{link.item_b.session.number}.{link.item_b.number}",
    )


def test_the_shipped_workshop_has_the_organisers_links(seeded):
    links = list(ItemLink.objects.filter(workshop=seeded).order_by("pk"))

    assert [(ends(link), link.kind) for link in links] == [
        (("1.5", "2.4"), "mirror"),
        (("1.4", "2.6"), "mirror"),
        (("1.3", "2.3"), "mirror"),
        (("2.5", "1.3"), "related"),
        (("1.1", "2.1"), "mirror"),
        (("1.2", "2.1"), "mirror"),
        (("1.4", "2.3"), "related"),
        (("1.5", "2.3"), "mirror"),
        (("1.4", "2.2"), "related"),
        (("1.6", "2.2"), "tension"),
    ]
    assert {(link.suggested_by, link.suggested_for) for link in links} == {(None, None)}
    taiwan = links[3]
    assert (taiwan.point_a.position, taiwan.quote_a) == (
        2,
        "if the United States is willing to reaffirm its commitment to the One "
        "China Policy",
    )
    assert set(LinkVerdict.objects.values_list("decision", flat=True)) == {"pending"}


def test_every_shipped_quote_is_a_passage_of_its_end(seeded):
    for link in ItemLink.objects.filter(workshop=seeded):
        for side in ("a", "b"):
            item, point = getattr(link, f"item_{side}"), getattr(link, f"point_{side}")
            quote = getattr(link, f"quote_{side}")
            texts = [point.text] if point else [item.title, item.body]
            assert any(quote in text for text in texts), (link, side)


def test_links_with_verdicts_round_trip_exactly(seeded):
    cn = make_participant(
        seeded, code="CN", is_head=True, user=UserFactory(username="cn-head")
    )
    us = make_participant(
        seeded, code="US", is_head=True, user=UserFactory(username="us-head")
    )
    first, second = ItemLink.objects.filter(workshop=seeded).order_by("pk")[:2]
    link_confirm(link=first, by=cn)
    link_confirm(link=first, by=us)
    link_reject(link=second, by=us)
    exported = dump_workshop_file(workshop_export(workshop=seeded))
    data = json.loads(exported)
    slug = seeded.slug
    Workshop.objects.all().delete()
    # Participants are not in the file: the agenda first, then the people.
    workshop_import(spec=validate({k: v for k, v in data.items() if k != "links"}))
    workshop = Workshop.objects.get(slug=slug)
    make_participant(workshop, code="CN", is_head=True, user=cn.user)
    make_participant(workshop, code="US", is_head=True, user=us.user)

    result = workshop_import(spec=validate(data))

    assert dump_workshop_file(workshop_export(workshop=workshop)) == exported
    assert result.changes["links created"] == 10
    assert data["links"][0]["verdicts"] == [
        {
            "delegation": "CN",
            "decision": "confirmed",
            "by": "cn-head",
            "at": data["links"][0]["verdicts"][0]["at"],
        },
        {
            "delegation": "US",
            "decision": "confirmed",
            "by": "us-head",
            "at": data["links"][0]["verdicts"][1]["at"],
        },
    ]


def test_importing_the_same_links_again_changes_nothing(seeded):
    data = workshop_export(workshop=seeded)

    result = workshop_import(spec=validate(data))

    assert not result.changed


def test_a_file_without_links_leaves_them_be(seeded):
    data = workshop_export(workshop=seeded)
    del data["links"]

    workshop_import(spec=validate(data))

    assert ItemLink.objects.filter(workshop=seeded).count() == 10


def test_a_link_left_out_of_the_file_is_deleted(seeded):
    data = workshop_export(workshop=seeded)
    data["links"] = data["links"][1:]

    result = workshop_import(spec=validate(data))

    assert result.changes["links deleted"] == 1
    assert ItemLink.objects.filter(workshop=seeded).count() == 9


def _errors(data) -> list[tuple[str, str]]:
    with pytest.raises(WorkshopFileError) as excinfo:
        validate(data)
    return excinfo.value.errors


@pytest.fixture
def shipped(seeded) -> dict:
    return workshop_export(workshop=seeded)


def _with_link(shipped, **changes) -> dict:
    data = copy.deepcopy(shipped)
    data["links"][0].update(changes)
    return data


def test_errors_name_the_field(shipped):
    data = _with_link(
        shipped,
        kind="friendship",
        a={"item": "1.9", "quote": "x"},
        b={"item": "2.4", "point": 9, "quote": "x"},
        suggested_for="UK",
        verdicts=[{"delegation": "CN", "decision": "pending", "by": "x"}],
        colour="red",
    )

    assert _errors(data) == [
        ("links[0].colour", "is not a known field"),
        (
            "links[0].kind",
            "'friendship' is not one of mirror, related, tension, duplicate",
        ),
        ("links[0].a.item", "'1.9': there is no such item in the file's sessions"),
        ("links[0].b.point", "item 2.4 has no point 9"),
        ("links[0].suggested_for", "'UK' is not a delegation code of this workshop"),
        (
            "links[0].verdicts[0].decision",
            "'pending' is not one of confirmed, rejected",
        ),
    ]


def test_a_quote_that_is_not_in_the_text_is_an_error(shipped):
    data = _with_link(shipped, b={"item": "2.4", "point": 1, "quote": "Not there"})

    assert _errors(data) == [
        ("links[0].b.quote", "is not a passage of item 2.4's point 1")
    ]


def test_an_item_quote_is_checked_against_its_title_and_body(shipped):
    data = _with_link(shipped, a={"item": "1.5", "point": None, "quote": "Nowhere"})

    assert _errors(data) == [
        ("links[0].a.quote", "is not a passage of item 1.5's the title or body")
    ]


def test_a_pair_listed_twice_is_an_error(shipped):
    data = copy.deepcopy(shipped)
    twice = copy.deepcopy(data["links"][0])
    twice["a"], twice["b"] = twice["b"], twice["a"]
    data["links"].append(twice)

    assert _errors(data) == [
        ("links[10]", "links the same two ends as a link before it")
    ]


def test_an_item_linked_to_itself_is_an_error(shipped):
    data = _with_link(shipped, b=copy.deepcopy(shipped["links"][0]["a"]))

    assert _errors(data) == [
        ("links[0].b.item", "must differ from a.item: a link joins two items")
    ]


def test_a_delegation_deciding_twice_is_an_error(shipped):
    verdict = {"delegation": "CN", "decision": "confirmed", "by": "someone"}
    data = _with_link(shipped, verdicts=[verdict, verdict])

    assert _errors(data) == [("links[0].verdicts[1].delegation", "'CN' decides twice")]


def test_unknown_people_are_refused_before_anything_is_written(shipped):
    data = _with_link(
        shipped,
        suggested_by="nobody",
        verdicts=[{"delegation": "US", "decision": "rejected", "by": "ghost"}],
    )

    with pytest.raises(WorkshopFileError) as excinfo:
        workshop_import(spec=validate(data))

    assert excinfo.value.errors == [
        ("links[0].suggested_by", "'nobody' is not a user"),
        ("links[0].verdicts[0].by", "'ghost' is not a participant of this workshop"),
    ]
    assert set(LinkVerdict.objects.values_list("decision", flat=True)) == {"pending"}
