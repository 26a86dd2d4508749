"""Packages of measures: bundling, endorsing as a whole under each rule,
suspension when a member changes, and every refusal (which writes nothing)."""

import uuid
from dataclasses import replace

import pytest

from dialogue.models import (
    EndorsementRule,
    MeasurePackage,
    Phase,
    Session,
)
from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
    measure_create,
    measure_update,
    measure_withdraw,
)
from dialogue.services.packages import (
    package_add_member,
    package_create,
    package_endorse,
    package_remove_member,
    package_withdraw,
    package_withdraw_endorsement,
)
from tests.builders import (
    CONTENT,
    build_dialogue,
    bundle,
    package_endorsements,
    package_events,
    package_refused,
    propose,
)


def kinds(package) -> list[str]:
    return [kind for kind, _, _ in package_events(package)]


def endorse(d, package, code, by=None):
    return package_endorse(
        package=package, delegation=d.delegations[code], by=by or d.head(code)
    )


# --- creating ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_of_either_side_bundles_two_measures(d, code):
    cn, us = propose(d, "CN"), propose(d, "US", title="Visa easing")
    by = d.delegates[code][2]

    package = package_create(
        by=by, title="  Hotline and visas ", members=[us, cn], note="Both or none."
    )

    assert (package.title, package.note, package.status) == (
        "Hotline and visas",
        "Both or none.",
        "open",
    )
    assert sorted(package.members.values_list("pk", flat=True)) == [cn.pk, us.pk]
    assert package_events(package) == [
        (
            "created",
            by.user.username,
            {
                "members": [
                    {"measure": cn.pk, "title": "Military hotline", "revision": 1},
                    {"measure": us.pk, "title": "Visa easing", "revision": 1},
                ]
            },
        )
    ]


def test_the_same_form_sent_twice_creates_one_package(d):
    members = [propose(d, "CN"), propose(d, "US")]
    key = uuid.uuid4()
    by = d.delegates["CN"][1]

    first = package_create(by=by, title="P", members=members, submission_key=key)
    second = package_create(by=by, title="P", members=members, submission_key=key)

    assert first.pk == second.pk
    assert MeasurePackage.objects.count() == 1
    assert kinds(first) == ["created"]


def test_a_package_touches_the_boards_of_its_members_sessions(d):
    members = [propose(d, "CN"), propose(d, "US")]
    before = dict(Session.objects.values_list("number", "version"))

    package_create(by=d.delegates["US"][1], title="P", members=members)

    after = dict(Session.objects.values_list("number", "version"))
    assert {n: after[n] - before[n] for n in before} == {1: 1, 2: 1}


def test_create_refusals(d):
    cn, us = propose(d, "CN"), propose(d, "US")
    withdrawn = propose(d, "CN", title="Gone")
    measure_withdraw(measure=withdrawn, by=d.delegates["CN"][1])
    draft = measure_create(
        proposer=d.delegates["US"][1],
        content=CONTENT,
        items=[d.item_of("US")],
        propose=False,
    )
    delegate = d.delegates["US"][1]

    def create(by=delegate, members=(cn, us), title="P", note=""):
        return lambda: package_create(by=by, title=title, members=members, note=note)

    assert package_refused(create(by=d.observer)) == [
        "Only delegates can bundle measures into a package."
    ]
    assert package_refused(create(members=[cn])) == [
        "Choose at least two measures for a package."
    ]
    assert package_refused(create(members=[cn, cn])) == [
        "Choose at least two measures for a package."
    ]
    assert package_refused(create(members=[cn, withdrawn])) == [
        "“Gone” is no longer on the table; only a measure both sides can still "
        "endorse can join a package."
    ]
    assert package_refused(create(title="   ")) == ["The title is empty."]
    # Another delegate's draft does not exist for this one.
    assert package_refused(create(by=d.delegates["CN"][1], members=[cn, draft])) == [
        "Every measure must be one of this workshop's."
    ]
    # The proposer's own draft exists for them, but not for the other side.
    assert package_refused(create(members=[cn, draft])) == [
        "A draft cannot join a package: propose it first."
    ]
    assert not MeasurePackage.objects.exists()


def test_a_measure_of_a_draft_session_cannot_join(d):
    cn, us = propose(d, "CN"), propose(d, "US")
    Session.objects.filter(pk=d.sessions[2].pk).update(phase=Phase.DRAFT)

    # For a delegate, the US measure is not there at all.
    assert package_refused(
        lambda: package_create(by=d.delegates["CN"][1], title="P", members=[cn, us])
    ) == ["Every measure must be one of this workshop's."]


# --- endorsing through the heads -------------------------------------------------


def test_heads_endorse_the_package_as_a_whole(d):
    package, (cn, us) = bundle(d)

    endorse(d, package, "US")
    package.refresh_from_db()
    one = package.status
    endorse(d, package, "CN")
    package.refresh_from_db()

    assert (one, package.status) == ("endorsed_one", "agreed")
    assert package_endorsements(package) == [
        ("CN", "head", True),
        ("US", "head", True),
    ]
    # The members are agreed as part of the package, not each on its own:
    # they stay open to counter-proposals, which reopen the package.
    for member in (cn, us):
        member.refresh_from_db()
        assert (member.status, member.endorsements.count()) == ("proposed", 0)
    assert [
        (k, who, detail.get("delegation")) for k, who, detail in package_events(package)
    ][1:] == [
        ("endorsed", d.head("US").user.username, "US"),
        ("endorsed", d.head("CN").user.username, "CN"),
    ]


def test_endorse_refusals(d):
    package, (cn, us) = bundle(d)
    endorse(d, package, "CN")

    def act(code, by):
        return lambda: package_endorse(
            package=package, delegation=d.delegations[code], by=by
        )

    assert package_refused(act("CN", d.head("CN"))) == [
        "Chinese scholars has already endorsed this package."
    ]
    assert package_refused(act("US", d.delegates["US"][1])) == [
        "Only the head of a delegation can endorse on its behalf."
    ]
    assert package_refused(act("US", d.observer)) == [
        "Only the head of a delegation can endorse on its behalf."
    ]
    assert package_refused(act("US", d.head("CN"))) == [
        "You head Chinese scholars; you cannot endorse on behalf of American scholars."
    ]


def test_a_withdrawn_member_blocks_endorsement_until_removed(d):
    package, (cn, us) = bundle(d, count=2)
    third = propose(d, "US", title="Exchanges")
    package_add_member(package=package, measure=third, by=d.delegates["CN"][1])
    measure_withdraw(measure=third, by=d.delegates["US"][1])

    assert package_refused(lambda: endorse(d, package, "US")) == [
        "“Exchanges” is no longer on the table, so the package cannot be endorsed "
        "as it stands; its creator can remove it."
    ]

    package_remove_member(package=package, measure=third, by=d.delegates["CN"][1])
    endorse(d, package, "US")
    package.refresh_from_db()
    assert package.status == "endorsed_one"


def test_a_head_withdraws_the_delegations_endorsement(d):
    package, (cn, us) = bundle(d)
    endorse(d, package, "CN")

    package_withdraw_endorsement(
        package=package, delegation=d.delegations["CN"], by=d.head("CN")
    )

    package.refresh_from_db()
    assert (package.status, package_endorsements(package)) == ("open", [])
    assert kinds(package)[-1] == "endorsement_withdrawn"
    assert package_refused(
        lambda: package_withdraw_endorsement(
            package=package, delegation=d.delegations["CN"], by=d.head("CN")
        )
    ) == ["Chinese scholars has not endorsed this package."]


# --- endorsing by majority ------------------------------------------------------


def support(measure, people):
    for person in people:
        measure_answer(measure=measure, by=person, stance="support", reason="Yes")


def test_by_majority_a_delegation_endorses_when_it_endorses_every_member(workshop):
    d = build_dialogue(workshop, rule=EndorsementRule.MAJORITY)
    package, (cn, us) = bundle(d)
    us_delegates = d.delegates["US"]

    support(cn, us_delegates[:2])
    package.refresh_from_db()
    after_one = package.status
    support(us, us_delegates[:2])
    package.refresh_from_db()

    assert (after_one, package.status) == ("open", "endorsed_one")
    assert package_endorsements(package) == [("US", "majority", True)]
    assert package_refused(lambda: endorse(d, package, "US")) == [
        "In this workshop a delegation endorses a package when a majority of its "
        "delegates support every measure in it, not through its head."
    ]

    # One supporter changes their mind: the member's majority, and with it
    # the package's, is lost.
    measure_answer(measure=us, by=us_delegates[0], stance="oppose", reason="No")
    package.refresh_from_db()
    assert (package.status, package_endorsements(package)) == ("open", [])
    assert kinds(package)[-2:] == ["endorsed", "endorsement_lost"]


def test_by_majority_a_package_of_endorsed_members_is_endorsed_at_once(workshop):
    d = build_dialogue(workshop, rule=EndorsementRule.MAJORITY)
    cn, us = propose(d, "CN"), propose(d, "US")
    support(cn, d.delegates["CN"][:2])
    support(us, d.delegates["CN"][:2])

    package = package_create(by=d.delegates["US"][1], title="P", members=[cn, us])

    assert package.status == "endorsed_one"
    assert package_endorsements(package) == [("CN", "majority", True)]


def test_without_a_head_the_default_rule_endorses_by_majority(workshop):
    d = build_dialogue(workshop, heads=False)
    package, (cn, us) = bundle(d)

    support(cn, d.delegates["CN"][:2])
    support(us, d.delegates["CN"][:2])

    assert package_endorsements(package) == [("CN", "majority", True)]


# --- a member changes ------------------------------------------------------------


def counter(d, measure, code):
    by = d.delegates[code][2]
    return measure_counter(
        measure=measure,
        by=by,
        content=replace(content_for_side(measure, by.delegation_id), timeframe="Soon"),
        items=list(measure.items.all()),
    )


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_counter_to_a_member_of_an_agreed_package_suspends_it(workshop, code):
    d = build_dialogue(workshop)
    package, (cn, us) = bundle(d)
    endorse(d, package, "CN")
    endorse(d, package, "US")
    # `code` counters the other side's measure.
    member = us if code == "CN" else cn

    revision = counter(d, member, code)

    package.refresh_from_db()
    assert package.status == "suspended"
    assert sorted(package.members.values_list("pk", flat=True)) == sorted(
        [cn.pk if member is us else us.pk, revision.pk]
    )
    assert package_endorsements(package) == [
        ("CN", "head", False),
        ("US", "head", False),
    ]
    by = d.delegates[code][2].user.username
    assert package_events(package)[-2:] == [
        (
            "member_replaced",
            by,
            {
                "measure": revision.pk,
                "title": member.title,
                "revision": 2,
                "replaces": member.pk,
                "previous_revision": 1,
            },
        ),
        (
            "suspended",
            by,
            {"delegations": ["CN", "US"], "reason": "countered", "title": member.title},
        ),
    ]
    assert package.events.last().describe() == (
        f"The endorsements of CN, US are suspended: “{member.title}” was "
        "countered. Each delegation must endorse the package again."
    )

    # Re-endorsed by one head: still suspended for the other side.
    endorse(d, package, code)
    package.refresh_from_db()
    assert package.status == "suspended"
    endorse(d, package, d.other(code))
    package.refresh_from_db()
    assert (package.status, package_endorsements(package)) == (
        "agreed",
        [("CN", "head", True), ("US", "head", True)],
    )


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_withdrawn_member_suspends_the_other_sides_endorsement(workshop, code):
    d = build_dialogue(workshop)
    package, (cn, us) = bundle(d)
    own = cn if code == "CN" else us
    other = d.other(code)
    endorse(d, package, other)

    measure_withdraw(measure=own, by=d.delegates[code][1])

    package.refresh_from_db()
    assert package.status == "suspended"
    assert package_endorsements(package) == [(other, "head", False)]
    by = d.delegates[code][1].user.username
    assert package_events(package)[-2:] == [
        (
            "member_changed",
            by,
            {
                "measure": own.pk,
                "title": own.title,
                "revision": 1,
                "change": "withdrawn",
            },
        ),
        (
            "suspended",
            by,
            {"delegations": [other], "reason": "withdrawn", "title": own.title},
        ),
    ]


def test_an_edit_of_a_member_suspends_the_package(d):
    package, (cn, us) = bundle(d)
    endorse(d, package, "US")

    measure_update(
        measure=cn,
        by=d.delegates["CN"][1],
        content=replace(CONTENT, title="Military hotline", timeframe="Later"),
        items=[d.item_of("CN")],
    )

    package.refresh_from_db()
    assert package.status == "suspended"
    assert kinds(package) == ["created", "endorsed", "member_changed", "suspended"]
    assert [e.describe() for e in package.events.order_by("pk")][2:] == [
        "edited the member “Military hotline”",
        "The endorsements of US are suspended: “Military hotline” was edited. "
        "Each delegation must endorse the package again.",
    ]


def test_adding_and_removing_members_suspends_and_is_recorded(d):
    package, (cn, us) = bundle(d)
    endorse(d, package, "US")
    third = propose(d, "US", title="Exchanges")
    creator = d.delegates["CN"][1]

    package_add_member(package=package, measure=third, by=creator)
    package.refresh_from_db()
    added = package.status
    endorse(d, package, "US")
    package_remove_member(package=package, measure=third, by=creator)
    package.refresh_from_db()

    assert (added, package.status) == ("suspended", "suspended")
    assert kinds(package) == [
        "created",
        "endorsed",
        "member_added",
        "suspended",
        "endorsed",
        "member_removed",
        "suspended",
    ]
    assert sorted(package.members.values_list("pk", flat=True)) == [cn.pk, us.pk]


def test_member_and_withdraw_refusals(d):
    package, (cn, us) = bundle(d)
    creator = d.delegates["CN"][1]
    stranger_delegate = d.delegates["US"][1]
    third = propose(d, "US", title="Exchanges")

    assert package_refused(
        lambda: package_add_member(package=package, measure=third, by=stranger_delegate)
    ) == ["Only the delegate who created a package can change or withdraw it."]
    assert package_refused(
        lambda: package_add_member(package=package, measure=cn, by=creator)
    ) == ["This measure is already in the package."]
    assert package_refused(
        lambda: package_remove_member(package=package, measure=third, by=creator)
    ) == ["This measure is not in the package."]
    assert package_refused(
        lambda: package_remove_member(package=package, measure=cn, by=creator)
    ) == ["A package needs at least two measures; withdraw it instead."]
    assert package_refused(
        lambda: package_withdraw(package=package, by=stranger_delegate)
    ) == ["Only the delegate who created a package can change or withdraw it."]

    package_withdraw(package=package, by=creator)

    package.refresh_from_db()
    assert package.status == "withdrawn"
    assert kinds(package)[-1] == "withdrawn"
    assert package_refused(lambda: package_withdraw(package=package, by=creator)) == [
        "This package is already withdrawn."
    ]
    assert package_refused(lambda: endorse(d, package, "CN")) == [
        "This package was withdrawn; it can no longer be endorsed."
    ]


def test_an_agreed_package_cannot_be_withdrawn_or_changed(d):
    package, (cn, us) = bundle(d)
    endorse(d, package, "CN")
    endorse(d, package, "US")
    creator = d.delegates["CN"][1]
    third = propose(d, "US", title="Exchanges")

    assert package_refused(lambda: package_withdraw(package=package, by=creator)) == [
        "Both delegations have agreed this package; it can no longer be withdrawn."
    ]
    assert package_refused(
        lambda: package_add_member(package=package, measure=third, by=creator)
    ) == ["Both delegations have agreed this package; it can no longer be changed."]
