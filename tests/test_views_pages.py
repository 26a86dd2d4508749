"""The landing, workshop and session pages: who sees what."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import Phase, Role
from tests.builders import make_participant
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    SessionFactory,
    WorkshopFactory,
)


@pytest.fixture
def delegate(seeded):
    return make_participant(seeded, code="CN").user


def test_home_redirects_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_lists_only_the_users_workshops(client, seeded, other_workshop_member):
    client.force_login(other_workshop_member.user)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert [p.workshop.slug for p in response.context["participations"]] == [
        "another-dialogue"
    ]
    assert seeded.title not in response.content.decode()


@pytest.mark.parametrize("code", ["CN", "US"])
def test_home_shows_the_workshop_to_a_delegate_of_each_side(client, seeded, code):
    user = make_participant(seeded, code=code).user
    seeded.sessions.update(phase=Phase.OPEN)  # drafts are not listed to delegates
    client.force_login(user)

    response = client.get(reverse("home"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "What Should the Other Side Do?" in page
    assert "Suggestions for the U.S. Government from Chinese Scholars" in page
    assert "Suggestions for the Chinese Government from American Scholars" in page


def test_home_for_a_user_without_workshops_says_so(client, stranger):
    client.force_login(stranger)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "You are not a participant of any workshop yet." in response.content.decode()


def test_home_refuses_post(client, stranger):
    client.force_login(stranger)

    response = client.post(reverse("home"))

    assert response.status_code == 405


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.FACILITATOR, Role.RAPPORTEUR])
def test_workshop_page_for_each_non_delegate_role(client, seeded, role):
    client.force_login(make_participant(seeded, role=role).user)

    response = client.get(seeded.get_absolute_url())

    assert response.status_code == 200
    assert response.context["participant"].role == role


def test_workshop_page_is_404_for_a_stranger_and_another_workshops_member(
    client, seeded, stranger, other_workshop_member
):
    for user in (stranger, other_workshop_member.user):
        client.force_login(user)

        response = client.get(seeded.get_absolute_url())

        assert response.status_code == 404


def test_workshop_page_for_a_missing_slug_is_the_same_404(client, delegate):
    client.force_login(delegate)

    response = client.get(reverse("workshop_detail", args=["no-such-workshop"]))

    assert response.status_code == 404


def test_workshop_page_redirects_anonymous_visitors(client, seeded):
    response = client.get(seeded.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_workshop_page_shows_confidentiality_and_source(client, seeded, delegate):
    client.force_login(delegate)

    response = client.get(seeded.get_absolute_url())

    page = response.content.decode()
    assert "Chatham House Rule" in page
    assert (
        "LIU Weidong, SHI Peipei, WANG Jun, “What Should the Other Side Do?”, "
        "U.S.-China Perception Monitor, 2025-02-13" in page
    )


def test_session_page_lists_items_with_both_delegations(client, seeded, delegate):
    client.force_login(delegate)
    session = seeded.sessions.get(number=2)
    session.phase = Phase.OPEN
    session.save(update_fields=["phase"])

    response = client.get(session.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert [item.number for item in response.context["items"]] == [1, 2, 3, 4, 5, 6]
    assert "Proposed by American scholars to Chinese scholars" in page


def test_session_page_is_404_for_a_stranger_and_a_missing_session(
    client, seeded, stranger, delegate
):
    client.force_login(stranger)
    assert (
        client.get(seeded.sessions.get(number=1).get_absolute_url()).status_code == 404
    )

    client.force_login(delegate)
    missing = reverse("session_detail", args=[seeded.slug, 9])
    assert client.get(missing).status_code == 404


def test_session_page_escapes_item_text(client, workshop):
    session = SessionFactory(workshop=workshop)
    cn, us = workshop.delegations.all()
    AgendaItemFactory(
        session=session,
        title="<script>alert(1)</script>",
        body="<img src=x onerror=alert(2)>",
        proposed_by=cn,
        addressed_to=us,
    )
    client.force_login(make_participant(workshop, code="US").user)

    page = client.get(session.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_session_page_query_count_does_not_grow_with_items(client, workshop):
    cn, us = workshop.delegations.all()
    small = SessionFactory(workshop=workshop, number=1)
    large = SessionFactory(workshop=workshop, number=2)
    AgendaItemFactory(session=small, number=1, proposed_by=cn, addressed_to=us)
    for number in range(1, 13):
        item = AgendaItemFactory(
            session=large, number=number, proposed_by=us, addressed_to=cn
        )
        item.points.create(position=1, text="a")
        item.points.create(position=2, text="b")
    client.force_login(make_participant(workshop, code="CN").user)
    count_queries(client, small.get_absolute_url())  # warm the session
    cache.clear()  # compare renders, not the shared copy of the first
    client.get(reverse("home"))  # and warm the session again

    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url()
    )


def test_home_query_count_does_not_grow_with_workshops(client, stranger):
    def join_workshop(n):
        w = WorkshopFactory()
        DelegationFactory(workshop=w, code="CN")
        DelegationFactory(workshop=w, code="US")
        for number in range(1, 3):
            SessionFactory(workshop=w, number=number)
        make_participant(w, user=stranger, code="US")

    client.force_login(stranger)
    join_workshop(1)
    one = count_queries(client, reverse("home"))
    for n in range(2, 6):
        join_workshop(n)

    assert count_queries(client, reverse("home")) == one


def test_every_page_sends_a_content_security_policy(client, seeded, delegate):
    client.force_login(delegate)
    urls = [
        reverse("login"),
        reverse("home"),
        seeded.get_absolute_url(),
        seeded.sessions.get(number=1).get_absolute_url(),
        reverse("admin:login"),
        reverse("healthz"),
        "/no-such-page/",
    ]

    policies = {url: client.get(url).get("Content-Security-Policy") for url in urls}

    assert policies == {url: settings.CONTENT_SECURITY_POLICY for url in urls}
    assert "script-src 'self'" in settings.CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in settings.CONTENT_SECURITY_POLICY


def test_sign_in_and_out(client, seeded):
    user = make_participant(seeded, code="US").user

    response = client.post(
        reverse("login"), {"username": user.username, "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_sign_in_with_a_wrong_password_shows_an_error(client, seeded):
    user = make_participant(seeded, code="CN").user

    response = client.post(
        reverse("login"), {"username": user.username, "password": "wrong"}
    )

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_language_switch_to_chinese_sets_lang_attribute(client, seeded, delegate):
    client.force_login(delegate)

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    response = client.get(reverse("home"))

    assert '<html lang="zh-hans">' in response.content.decode()
