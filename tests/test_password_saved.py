"""Saving a password says so (Django messages) on the page it leads to."""

import pytest
from django.urls import reverse

from dialogue.services.accounts import invitation_issue
from tests.builders import make_participant
from tests.factories import UserFactory

NEW = "a-long-new-pass-9!"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("code", ["CN", "US"])
def test_an_invited_person_is_told_their_password_is_saved(client, seeded, code):
    person = make_participant(
        seeded, code=code, user=UserFactory(username=f"new-{code}", password=None)
    )
    issued = invitation_issue(participant=person)
    client.post(reverse("invitation_accept", args=[issued.token]))

    response = client.post(
        reverse("password_set"),
        {"new_password1": NEW, "new_password2": NEW},
        follow=True,
    )

    assert response.redirect_chain == [(seeded.get_absolute_url(), 302)]
    assert messages_of(response) == [
        f"Your password is saved. Next time, sign in as new-{code} with it."
    ]
    assert '<div role="status">\n        <ul class="messages">' in (
        response.content.decode()
    )


def test_a_changed_password_is_confirmed_too(client, seeded):
    person = make_participant(seeded, code="CN", user=UserFactory(username="has-pw"))
    client.force_login(person.user)

    response = client.post(
        reverse("password_set"),
        {
            "old_password": "pw-for-tests-only",
            "new_password1": NEW,
            "new_password2": NEW,
        },
        follow=True,
    )

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert messages_of(response) == [
        "Your password is saved. Next time, sign in as has-pw with it."
    ]


def test_a_refused_password_says_nothing_was_saved(client, seeded):
    person = make_participant(seeded, code="US", user=UserFactory(username="has-pw"))
    client.force_login(person.user)

    response = client.post(
        reverse("password_set"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 400
    assert messages_of(response) == []
    person.user.refresh_from_db()
    assert person.user.check_password("pw-for-tests-only")
