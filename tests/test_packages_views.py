"""Packages through the client: the board beside single measures, the
package page, the form that bundles measures and each action, for every
role and for people outside the workshop."""

import re
import uuid

import pytest
from django.urls import reverse

from dialogue.models import MeasurePackage, Role
from dialogue.services.measures import measure_withdraw
from dialogue.services.packages import package_create, package_endorse
from tests.builders import (
    bundle,
    login,
    make_participant,
    package_endorsements,
    propose,
)
from tests.builders import count_get_queries as count_queries
from tests.builders import measure_url as url
from tests.builders import page_text as page


def text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page(response)).split())


def board_section(response) -> str:
    html = page(response)
    start = html.index('<section class="measure-packages"')
    return " ".join(
        re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)]).split()
    )


def endorse(d, package, code):
    package_endorse(package=package, delegation=d.delegations[code], by=d.head(code))


# --- the board ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_board_shows_each_package_with_members_and_each_sides_state(client, d, code):
    package, (cn, us) = bundle(d)
    endorse(d, package, "US")
    login(client, d.delegates[code][2])

    response = client.get(url("measure_board", d, 1))

    assert response.status_code == 200
    assert [card.package.pk for card in response.context["packages"]] == [package.pk]
    assert board_section(response) == (
        "Packages 1 Each delegation endorses a package only as a whole: nothing is "
        "agreed until everything is agreed. A change to any member suspends the "
        "package’s endorsements. Hotline and visas Endorsed by one side "
        "2 measures, endorsed only as a whole: "
        "Military hotline CN Proposed "
        "Visa easing US Proposed "
        "CN Not endorsed yet US Endorsed as a whole"
    )


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_boards_filters_narrow_the_packages_as_they_narrow_the_measures(
    client, d, code
):
    package, _members = bundle(d)  # CN's member on 1.1, US's on 2.1
    login(client, d.delegates[code][2])

    def shown(query):
        response = client.get(url("measure_board", d, 1) + query)
        assert response.status_code == 200
        return [card.package.pk for card in response.context["packages"]]

    assert shown("?item=1") == [package.pk]
    assert shown("?item=2") == []
    assert shown("?delegation=CN") == shown("?delegation=US") == [package.pk]
    assert shown("?item=2&delegation=US") == []

    ours = package_create(
        by=d.delegates[code][1],
        title="Ours only",
        members=[propose(d, code, title="One"), propose(d, code, title="Two")],
    )
    other = d.other(code)
    board = url("measure_board", d, 1 if code == "CN" else 2)
    by_other = client.get(board + f"?delegation={other}").context["packages"]
    by_us = client.get(board + f"?delegation={code}").context["packages"]
    assert ours.pk not in [card.package.pk for card in by_other]
    assert ours.pk in [card.package.pk for card in by_us]


def test_the_board_offers_its_head_the_endorsement_and_no_one_else(client, d):
    package, _ = bundle(d)
    endorse_url = reverse("package_endorse", args=[d.workshop.slug, package.pk])

    offered = {}
    for who in (d.head("CN"), d.head("US"), d.delegates["CN"][1], d.observer):
        login(client, who)
        offered[who.user.username] = endorse_url in page(
            client.get(url("measure_board", d, 2))
        )

    assert offered == {
        d.head("CN").user.username: True,
        d.head("US").user.username: True,
        d.delegates["CN"][1].user.username: False,
        d.observer.user.username: False,
    }


def test_a_suspended_package_shows_as_suspended_on_the_board(client, d):
    package, (cn, us) = bundle(d)
    endorse(d, package, "CN")
    measure_withdraw(measure=us, by=d.delegates["US"][1])
    login(client, d.delegates["US"][1])

    response = client.get(url("measure_board", d, 1))

    section = board_section(response)
    assert "Hotline and visas Suspended: a member changed" in section
    assert section.endswith(
        "Visa easing US Withdrawn CN Endorsement suspended US Not endorsed yet"
    )


def test_the_board_fragment_changes_when_a_package_is_endorsed(client, d):
    package, _ = bundle(d)
    login(client, d.delegates["CN"][1])
    board = url("measure_board", d, 1)
    etag = client.get(board, headers={"HX-Request": "true"})["ETag"]
    idle = client.get(board, headers={"HX-Request": "true", "If-None-Match": etag})

    endorse(d, package, "US")
    changed = client.get(board, headers={"HX-Request": "true", "If-None-Match": etag})

    assert (idle.status_code, changed.status_code) == (304, 200)
    assert "US Endorsed as a whole" in board_section(changed)


def many_packages(d, n):
    for i in range(n):
        members = [
            propose(d, "CN", title=f"CN {i}"),
            propose(d, "US", title=f"US {i}"),
            propose(d, ("CN", "US")[i % 2], title=f"Third {i}"),
        ]
        package = package_create(
            by=d.delegates[("CN", "US")[i % 2]][1],
            title=f"Package {i}",
            members=members,
        )
        if i % 2:
            endorse(d, package, "CN")


def test_board_query_count_does_not_grow_with_packages(client, d):
    login(client, d.delegates["US"][1])
    board = url("measure_board", d, 1)
    many_packages(d, 1)
    count_queries(client, board)  # warm the session
    one = count_queries(client, board)
    fragment_one = count_queries(client, board, HX_Request="true")

    many_packages(d, 5)

    assert len(client.get(board).context["packages"]) == 6
    assert count_queries(client, board) == one
    assert count_queries(client, board, HX_Request="true") == fragment_one


# --- the package page -----------------------------------------------------------


@pytest.mark.parametrize("role", ["CN", "US", "observer", "rapporteur", "facilitator"])
def test_everyone_in_the_workshop_reads_the_package_and_its_history(client, d, role):
    package, (cn, us) = bundle(d)
    endorse(d, package, "US")
    reader = {
        "CN": d.delegates["CN"][2],
        "US": d.delegates["US"][2],
        "observer": d.observer,
    }.get(role) or make_participant(d.workshop, role=role)
    login(client, reader)

    response = client.get(url("package_detail", d, package.pk))

    assert response.status_code == 200
    body = text(response)
    assert "Hotline and visas" in body
    head = d.head("US").display_name
    assert f"US {head}: endorsed the package on behalf of US" in body, body
    assert "CN Chinese scholars: Not endorsed yet" in body
    assert response.context["card"].actions.change is False


def test_strangers_and_other_workshops_get_404(
    client, d, stranger, other_workshop_member
):
    package, _ = bundle(d)
    pages = [
        url("package_detail", d, package.pk),
        url("package_endorse", d, package.pk),
        url("package_create", d),
    ]
    posts = [
        url(name, d, package.pk)
        for name in (
            "package_endorse",
            "package_withdraw_endorsement",
            "package_withdraw",
            "package_add_member",
            "package_remove_member",
        )
    ] + [url("package_create", d)]

    found = []
    for user in (stranger, other_workshop_member.user):
        client.force_login(user)
        found += [client.get(path).status_code for path in pages]
        found += [client.post(path, {"confirm": "1"}).status_code for path in posts]
    client.logout()
    anonymous = [client.get(path).status_code for path in pages]

    assert found == [404] * len(found)
    assert anonymous == [302] * len(pages)


def test_a_package_of_another_workshop_is_404(client, d, other_workshop_member):
    package, _ = bundle(d)
    login(client, other_workshop_member)

    response = client.get(
        reverse("package_detail", args=["another-dialogue", package.pk])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["observer", "rapporteur"])
def test_readers_are_refused_every_action(client, d, role):
    package, (cn, us) = bundle(d)
    reader = (
        d.observer
        if role == "observer"
        else make_participant(d.workshop, role=Role.RAPPORTEUR)
    )
    login(client, reader)
    actions = [
        ("get", url("package_create", d), {}),
        ("post", url("package_create", d), {"title": "X", "members": [cn.pk, us.pk]}),
        ("get", url("package_endorse", d, package.pk), {}),
        ("post", url("package_endorse", d, package.pk), {"confirm": "1"}),
        ("post", url("package_withdraw_endorsement", d, package.pk), {}),
        ("post", url("package_withdraw", d, package.pk), {}),
        ("post", url("package_add_member", d, package.pk), {"measure": cn.pk}),
        ("post", url("package_remove_member", d, package.pk), {"measure": cn.pk}),
    ]

    statuses = [
        getattr(client, method)(path, data).status_code
        for method, path, data in actions
    ]

    assert statuses == [403] * len(actions)
    assert MeasurePackage.objects.count() == 1
    assert package_endorsements(package) == []


# --- bundling -------------------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_bundles_measures_through_the_form(client, d, code):
    cn, us = propose(d, "CN"), propose(d, "US", title="Visa easing")
    delegate = d.delegates[code][2]
    login(client, delegate)
    form = client.get(url("package_create", d) + f"?measure={cn.pk}")
    key = str(uuid.uuid4())
    data = {
        "title": "Hotline and visas",
        "members": [cn.pk, us.pk],
        "note": "Both or none.",
        "submission": key,
    }

    first = client.post(url("package_create", d), data)
    again = client.post(url("package_create", d), data)

    package = MeasurePackage.objects.get()
    assert form.status_code == 200
    assert [m.pk for m in form.context["form"].initial["members"]] == [cn.pk]
    assert (first.status_code, first["Location"]) == (
        302,
        url("package_detail", d, package.pk),
    )
    assert (again.status_code, again["Location"]) == (302, first["Location"])
    assert package.created_by == delegate
    assert package.note == "Both or none."


def test_the_form_offers_no_draft_and_refuses_one_measure(client, d):
    cn = propose(d, "CN")
    login(client, d.delegates["US"][1])

    form = client.get(url("package_create", d))
    one = client.post(url("package_create", d), {"title": "T", "members": [cn.pk]})

    assert [m.pk for m in form.context["form"].fields["members"].queryset] == [cn.pk]
    assert one.status_code == 400
    assert "Choose at least two measures for a package." in page(one)
    assert not MeasurePackage.objects.exists()


# --- endorsing and the other actions --------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_head_endorses_after_the_confirm_step(client, d, code):
    package, _ = bundle(d)
    login(client, d.head(code))
    endorse_url = url("package_endorse", d, package.pk)

    asked = client.get(endorse_url)
    unconfirmed = client.post(endorse_url)
    done = client.post(endorse_url, {"confirm": "1"}, follow=True)

    name = d.delegations[code].name
    assert asked.status_code == 200
    assert f"Endorse this package on behalf of {name}?" in page(asked)
    assert unconfirmed.status_code == 400
    assert done.status_code == 200
    assert "The package is endorsed on behalf of your delegation." in page(done)
    assert package_endorsements(package) == [(code, "head", True)]


def test_a_delegate_who_is_not_head_is_told_why(client, d):
    package, _ = bundle(d)
    login(client, d.delegates["US"][1])

    asked = client.get(url("package_endorse", d, package.pk))
    posted = client.post(url("package_endorse", d, package.pk), {"confirm": "1"})

    for response in (asked, posted):
        assert response.status_code == 400
        assert "Only the head of a delegation can endorse on its behalf." in page(
            response
        )
    assert package_endorsements(package) == []


def test_the_creator_changes_and_withdraws_the_package(client, d):
    package, (cn, us) = bundle(d)
    third = propose(d, "US", title="Exchanges")
    creator = d.delegates["CN"][1]
    login(client, creator)

    added = client.post(url("package_add_member", d, package.pk), {"measure": third.pk})
    removed = client.post(
        url("package_remove_member", d, package.pk), {"measure": cn.pk}
    )
    too_few = client.post(
        url("package_remove_member", d, package.pk), {"measure": us.pk}
    )
    withdrawn = client.post(url("package_withdraw", d, package.pk))

    package.refresh_from_db()
    assert (added.status_code, removed.status_code) == (302, 302)
    assert too_few.status_code == 400
    assert "A package needs at least two measures; withdraw it instead." in page(
        too_few
    )
    assert withdrawn.status_code == 302
    assert package.status == "withdrawn"
    assert sorted(package.members.values_list("pk", flat=True)) == [us.pk, third.pk]


def test_a_head_withdraws_the_delegations_endorsement(client, d):
    package, _ = bundle(d)
    endorse(d, package, "US")
    login(client, d.head("US"))

    response = client.post(url("package_withdraw_endorsement", d, package.pk))

    assert response.status_code == 302
    assert package_endorsements(package) == []


def test_another_delegate_cannot_change_the_package(client, d):
    package, (cn, us) = bundle(d)
    login(client, d.delegates["US"][1])

    response = client.post(url("package_withdraw", d, package.pk))

    assert response.status_code == 400
    assert "Only the delegate who created a package can change or withdraw it." in page(
        response
    )


@pytest.mark.parametrize("method", ["put", "delete"])
def test_package_pages_refuse_other_methods(client, d, method):
    package, _ = bundle(d)
    login(client, d.delegates["CN"][1])

    statuses = [
        getattr(client, method)(url("package_detail", d, package.pk)).status_code,
        getattr(client, method)(url("package_create", d)).status_code,
        getattr(client, method)(url("package_withdraw", d, package.pk)).status_code,
    ]

    assert statuses == [405, 405, 405]


def test_get_on_an_action_is_refused(client, d):
    package, _ = bundle(d)
    login(client, d.delegates["CN"][1])

    assert client.get(url("package_withdraw", d, package.pk)).status_code == 405


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_measure_page_names_the_packages_that_hold_it(client, d, code):
    package, members = bundle(d)
    login(client, d.delegates[code][2])
    for measure in members:
        response = client.get(url("measure_detail", d, measure.pk))
        assert "In packages, endorsed only as a whole: Hotline and visas" in text(
            response
        )
    alone = propose(d, code, title="On its own")
    assert "In packages" not in text(client.get(url("measure_detail", d, alone.pk)))
