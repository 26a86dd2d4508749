"""The organisers' printable sheet of a workshop's invitation links, and the
copy buttons beside each link: staff organisers only, anyone else 404."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dialogue.models import Invitation, Role
from dialogue.services.accounts import invitation_check, invitation_issue
from tests.builders import admin_organiser, make_participant
from tests.factories import UserFactory

LINK = re.compile(r'value="(http://testserver/invite/[^"]+/)"')


@pytest.fixture
def people(workshop):
    """Two new people per side (no password yet) and one who has one."""
    new = {
        code: [
            make_participant(
                workshop,
                code=code,
                user=UserFactory(username=f"new-{code.lower()}-{i}", password=None),
            )
            for i in (1, 2)
        ]
        for code in ("CN", "US")
    }
    with_password = make_participant(
        workshop, code="US", user=UserFactory(username="has-pw")
    )
    return new, with_password


def sheet_url(workshop):
    return reverse("invitation_sheet", args=[workshop.slug])


def test_get_says_who_would_get_a_link_and_writes_nothing(client, workshop, people):
    client.force_login(admin_organiser())

    response = client.get(sheet_url(workshop))

    assert response.status_code == 200
    assert sorted(p.user.username for p in response.context["eligible"]) == [
        "new-cn-1",
        "new-cn-2",
        "new-us-1",
        "new-us-2",
    ]
    assert "Create 4 links and show the sheet" in response.content.decode()
    assert Invitation.objects.count() == 0


def test_post_issues_one_working_link_per_new_person(client, workshop, people):
    new, with_password = people
    old = invitation_issue(participant=new["CN"][0])
    client.force_login(admin_organiser())

    response = client.post(sheet_url(workshop))

    page = response.content.decode()
    links = LINK.findall(page)
    assert response.status_code == 200
    assert len(links) == 4
    holders = sorted(
        invitation_check(
            token=link.rstrip("/").rsplit("/", 1)[1]
        ).participant.user.username
        for link in links
    )
    assert holders == ["new-cn-1", "new-cn-2", "new-us-1", "new-us-2"]
    old.invitation.refresh_from_db()
    assert old.invitation.state == "revoked"
    assert "has-pw has already chosen a password" in page
    assert not Invitation.objects.filter(participant=with_password).exists()
    # Each link has its field, its label and its copy button (shown by JS).
    assert page.count('class="invitation-link"') == 4
    assert page.count('<label for="invitation-link-') == 4
    assert page.count('class="copy-link no-print"') == 4
    assert "css/invitations.css" in page


def test_a_workshop_with_nobody_to_invite(client, workshop):
    make_participant(workshop, code="CN", user=UserFactory(username="pw-only"))
    client.force_login(admin_organiser())

    get = client.get(sheet_url(workshop))
    post = client.post(sheet_url(workshop))

    assert "Nobody to invite" in get.content.decode()
    assert "Nobody to invite" in post.content.decode()
    assert Invitation.objects.count() == 0


def organiser_without_permission(workshop):
    user = UserFactory(username="staff-no-perm", is_staff=True)
    make_participant(workshop, role=Role.ORGANISER, user=user)
    return user


@pytest.mark.parametrize(
    "who",
    ["stranger", "delegate", "head", "observer", "staff without permission"],
)
def test_anyone_but_a_staff_organiser_gets_404_and_nothing_is_issued(
    client, workshop, people, who
):
    new, _ = people
    users = {
        "stranger": lambda: UserFactory(username="nobody"),
        "delegate": lambda: make_participant(workshop, code="CN").user,
        "head": lambda: make_participant(workshop, code="US", is_head=True).user,
        "observer": lambda: make_participant(workshop, role=Role.OBSERVER).user,
        "staff without permission": lambda: organiser_without_permission(workshop),
    }
    client.force_login(users[who]())

    get = client.get(sheet_url(workshop))
    post = client.post(sheet_url(workshop))

    assert (get.status_code, post.status_code) == (404, 404)
    assert Invitation.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, workshop):
    response = client.post(sheet_url(workshop))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_workshop_is_404(client, db):
    client.force_login(admin_organiser())

    assert client.get(reverse("invitation_sheet", args=["nope"])).status_code == 404


def test_other_methods_are_refused(client, workshop):
    client.force_login(admin_organiser())

    assert client.put(sheet_url(workshop)).status_code == 405


def test_staff_with_only_the_participant_permission_may_use_it(
    client, workshop, people
):
    user = UserFactory(username="inviter", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_participant"))
    client.force_login(user)

    assert client.get(sheet_url(workshop)).status_code == 200


def test_the_admin_workshop_page_links_the_sheet(client, workshop):
    client.force_login(admin_organiser())

    response = client.get(reverse("admin:dialogue_workshop_change", args=[workshop.pk]))

    assert f'href="{sheet_url(workshop)}"' in response.content.decode()


def test_the_admin_invitation_action_offers_a_copy_button_per_link(
    client, workshop, people
):
    new, _ = people
    client.force_login(admin_organiser())

    response = client.post(
        reverse("admin:dialogue_participant_changelist"),
        {
            "action": "issue_invitations",
            "_selected_action": [p.pk for p in new["CN"] + new["US"]],
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert len(LINK.findall(page)) == 4
    assert page.count('class="copy-link button"') == 4
    assert "js/copy_link.js" in page
