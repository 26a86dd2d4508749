"""The language cookie: first-party only (SameSite=Lax), never read by
scripts, and over HTTPS only in production (LANGUAGE_COOKIE_SECURE follows
DEBUG; tests/test_settings.py checks the production value)."""

import pytest
from django.test import override_settings

from dialogue.models import Profile
from tests.factories import UserFactory


def assert_locked_down(cookie):
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize("url", ["/i18n/setlang/", "/accounts/language/"])
@override_settings(LANGUAGE_COOKIE_SECURE=True)
def test_switching_language_sets_a_locked_down_cookie(client, db, url):
    response = client.post(url, {"language": "zh-hans", "next": "/"})

    cookie = response.cookies["django_language"]
    assert response.status_code == 302
    assert cookie.value == "zh-hans"
    assert_locked_down(cookie)


@override_settings(LANGUAGE_COOKIE_SECURE=True, SESSION_COOKIE_SECURE=True)
def test_signing_in_sets_the_remembered_language_in_a_locked_down_cookie(client, db):
    user = UserFactory(username="reader")
    Profile.objects.update_or_create(user=user, defaults={"language": "zh-hans"})

    response = client.post(
        "/accounts/login/", {"username": "reader", "password": "pw-for-tests-only"}
    )

    cookie = response.cookies["django_language"]
    assert response.status_code == 302
    assert cookie.value == "zh-hans"
    assert_locked_down(cookie)
