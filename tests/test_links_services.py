"""Item link services: suggesting, confirming and rejecting, each refusal
with its message and nothing written, and the same suggestion sent twice."""

import pytest

from dialogue.models import (
    EndorsementRule,
    ItemLink,
    LinkVerdict,
    Role,
)
from dialogue.services.links import (
    LinkError,
    LinkForbidden,
    link_confirm,
    link_reject,
    link_suggest,
)
from tests.builders import (
    admin_organiser,
    build_dialogue,
    end,
    link_refused,
    make_participant,
    suggest_link,
    verdicts,
)
from tests.factories import AgendaItemFactory, SessionFactory, UserFactory

# --- suggesting ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_suggests_a_link_for_their_delegation(d, code):
    by = d.delegates[code][2]

    link = suggest_link(d, by, note="Both ask for exchanges.")

    assert (link.kind, link.suggested_by, link.suggested_for.code, link.note) == (
        "mirror",
        by.user,
        code,
        "Both ask for exchanges.",
    )
    assert verdicts(link) == {"CN": "pending", "US": "pending"}


def test_an_organiser_suggests_for_nobody(d):
    organiser = make_participant(d.workshop, role=Role.ORGANISER)

    link = suggest_link(d, organiser, kind="tension")

    assert (link.kind, link.suggested_for, link.suggested_by) == (
        "tension",
        None,
        organiser.user,
    )


def test_staff_suggest_from_the_admin_or_a_command(d):
    link = suggest_link(d, admin_organiser(), kind="related")

    assert (link.suggested_for, link.kind) == (None, "related")


def test_a_point_end_quotes_the_point(d):
    item = d.items[(1, 1)]
    point = item.points.create(position=1, text="Lift visa restrictions.")

    link = link_suggest(
        by=d.head("US"),
        workshop=d.workshop,
        kind="mirror",
        end_a=end(item, "visa restrictions", point),
        end_b=end(d.items[(2, 1)], "Item 2.1"),
    )

    assert (link.point_a, link.quote_a, link.quote_b) == (
        point,
        "visa restrictions",
        "Item 2.1",
    )


def test_the_same_suggestion_twice_is_one_link(d):
    first = suggest_link(d)

    again = suggest_link(d)

    assert again == first
    assert ItemLink.objects.count() == 1
    assert LinkVerdict.objects.count() == 2


def test_the_same_pair_named_the_other_way_round_is_the_same_link(d):
    first = suggest_link(d)

    again = suggest_link(d, a=(2, 1), b=(1, 1))

    assert again == first


def test_a_different_suggestion_for_a_linked_pair_is_refused(d):
    suggest_link(d)

    messages = link_refused(lambda: suggest_link(d, kind="tension"))

    assert messages == [
        "These two are already linked (mirror): confirm or reject that link."
    ]


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (Role.OBSERVER, "Only the organisers and the delegates can suggest a link."),
        (Role.RAPPORTEUR, "Only the organisers and the delegates can suggest a link."),
        (Role.FACILITATOR, "Only the organisers and the delegates can suggest a link."),
    ],
)
def test_readers_cannot_suggest(d, role, message):
    reader = make_participant(d.workshop, role=role)

    messages = link_refused(lambda: suggest_link(d, reader), LinkForbidden)

    assert messages == [message]


def test_a_member_of_another_workshop_cannot_suggest(d, other_workshop_member):
    messages = link_refused(
        lambda: suggest_link(d, other_workshop_member), LinkForbidden
    )

    assert messages == ["This belongs to another workshop."]


def test_staff_without_the_permission_cannot_suggest(d):
    clerk = UserFactory(username="clerk", is_staff=True)

    messages = link_refused(lambda: suggest_link(d, clerk), LinkForbidden)

    assert messages == [
        "Your staff account does not have the permission to suggest links "
        "between items. Ask an administrator to grant it."
    ]


def _suggest_with(d, *, a=None, b=None, kind="mirror", note=""):
    return link_suggest(
        by=d.head("CN"),
        workshop=d.workshop,
        kind=kind,
        end_a=a or end(d.items[(1, 1)]),
        end_b=b or end(d.items[(2, 1)]),
        note=note,
    )


def test_a_quote_not_in_the_item_is_refused(d):
    messages = link_refused(
        lambda: _suggest_with(d, a=end(d.items[(1, 1)], "Not in the text"))
    )

    assert messages == [
        "The passage must be copied exactly from the item's title or text."
    ]


def test_a_quote_from_the_item_but_not_its_point_is_refused(d):
    item = d.items[(1, 1)]
    point = item.points.create(position=1, text="Lift visa restrictions.")

    messages = link_refused(lambda: _suggest_with(d, a=end(item, "Body text", point)))

    assert messages == ["The passage must be copied exactly from the point's text."]


def test_an_empty_quote_is_refused(d):
    messages = link_refused(lambda: _suggest_with(d, b=end(d.items[(2, 1)], "  ")))

    assert messages == ["Quote the passage that shows the link."]


def test_a_point_of_another_item_is_refused(d):
    point = d.items[(2, 2)].points.create(position=1, text="Elsewhere.")

    messages = link_refused(
        lambda: _suggest_with(d, a=end(d.items[(1, 1)], "Elsewhere.", point))
    )

    assert messages == ["The point must belong to its item."]


def test_an_item_linked_to_itself_is_refused(d):
    messages = link_refused(lambda: _suggest_with(d, b=end(d.items[(1, 1)])))

    assert messages == ["A link joins two different agenda items."]


def test_an_item_of_another_workshop_is_refused(d, other_workshop_member):
    stray = AgendaItemFactory(
        session=SessionFactory(workshop=other_workshop_member.workshop),
        proposed_by=other_workshop_member.delegation,
        addressed_to=other_workshop_member.workshop.delegations.get(code="US"),
    )

    messages = link_refused(lambda: _suggest_with(d, b=end(stray)))

    assert messages == ["Choose an agenda item of this workshop."]


def test_an_item_of_a_draft_session_does_not_exist_for_a_delegate(d):
    draft = SessionFactory(workshop=d.workshop, number=3, phase="draft")
    hidden = AgendaItemFactory(
        session=draft,
        proposed_by=d.delegations["US"],
        addressed_to=d.delegations["CN"],
    )

    messages = link_refused(lambda: _suggest_with(d, b=end(hidden)))

    assert messages == ["Choose an agenda item of this workshop."]


def test_an_unknown_kind_is_refused(d):
    messages = link_refused(lambda: _suggest_with(d, kind="friendship"))

    assert messages == ["Choose one of the kinds of link."]


def test_a_note_with_a_control_character_is_refused(d):
    messages = link_refused(lambda: _suggest_with(d, note="bad\x00note"))

    assert len(messages) == 1 and messages[0].startswith("The note")


# --- confirming and rejecting ------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_head_confirms_for_the_delegation(d, code):
    link = suggest_link(d)

    verdict = link_confirm(link=link, by=d.head(code))

    assert (verdict.delegation.code, verdict.decision, verdict.decided_by) == (
        code,
        "confirmed",
        d.head(code),
    )
    assert verdict.decided_at is not None
    assert verdicts(link) == {code: "confirmed", d.other(code): "pending"}


def test_both_heads_confirm_and_the_link_is_agreed(d):
    link = suggest_link(d)

    link_confirm(link=link, by=d.head("CN"))
    link_confirm(link=link, by=d.head("US"))

    assert verdicts(link) == {"CN": "confirmed", "US": "confirmed"}


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_head_rejects_and_may_change_their_mind(d, code):
    link = suggest_link(d)

    link_reject(link=link, by=d.head(code))
    assert verdicts(link)[code] == "rejected"
    link_confirm(link=link, by=d.head(code))

    assert verdicts(link)[code] == "confirmed"


def test_the_same_verdict_again_writes_nothing(d):
    link = suggest_link(d)
    link_confirm(link=link, by=d.head("CN"))
    before = list(LinkVerdict.objects.values_list("decision", "decided_at"))

    link_confirm(link=link, by=d.head("CN"))

    assert list(LinkVerdict.objects.values_list("decision", "decided_at")) == before


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_who_is_not_the_head_cannot_decide(d, code):
    link = suggest_link(d)
    name = d.delegations[code].display_name

    messages = link_refused(lambda: link_confirm(link=link, by=d.delegates[code][1]))

    assert messages == [
        f"In this workshop the head of {name} confirms or rejects links on its behalf."
    ]


@pytest.mark.parametrize("code", ["CN", "US"])
def test_without_a_head_any_delegate_decides(workshop, code):
    d = build_dialogue(workshop, heads=False)
    link = suggest_link(d, d.delegates["CN"][1])

    verdict = link_reject(link=link, by=d.delegates[code][2])

    assert (verdict.delegation.code, verdict.decision) == (code, "rejected")


@pytest.mark.parametrize("code", ["CN", "US"])
def test_under_the_majority_rule_any_delegate_decides(workshop, code):
    d = build_dialogue(workshop, rule=EndorsementRule.MAJORITY)
    link = suggest_link(d)

    verdict = link_confirm(link=link, by=d.delegates[code][2])

    assert (verdict.delegation.code, verdict.decision) == (code, "confirmed")


@pytest.mark.parametrize("code", ["CN", "US"])
def test_under_the_head_rule_a_headless_delegation_cannot_decide(workshop, code):
    d = build_dialogue(workshop, rule=EndorsementRule.HEAD, heads=False)
    link = suggest_link(d, d.delegates["CN"][1])
    name = d.delegations[code].display_name

    messages = link_refused(lambda: link_confirm(link=link, by=d.delegates[code][0]))

    assert messages == [
        f"In this workshop the head of {name} confirms or rejects links on its behalf."
    ]


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.RAPPORTEUR, Role.ORGANISER])
def test_non_delegates_cannot_decide(d, role):
    link = suggest_link(d)
    reader = make_participant(d.workshop, role=role)

    messages = link_refused(lambda: link_reject(link=link, by=reader), LinkForbidden)

    assert messages == ["Only a delegation's delegates can confirm or reject a link."]


def test_a_member_of_another_workshop_cannot_decide(d, other_workshop_member):
    link = suggest_link(d)

    messages = link_refused(
        lambda: link_confirm(link=link, by=other_workshop_member), LinkError
    )

    assert messages == ["This belongs to another workshop."]
