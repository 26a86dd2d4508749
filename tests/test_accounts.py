"""Joining a workshop: invitation links, passwords, the sign-in throttle, the
language remembered per user."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from dialogue.models import Invitation, Profile, Role
from dialogue.services import accounts
from tests.builders import make_participant
from tests.factories import UserFactory


@pytest.fixture
def delegate(seeded):
    """A new account: no password yet, so it can be invited."""
    user = UserFactory(username="us-new", password=None)
    return make_participant(seeded, code="US", user=user)


@pytest.fixture
def member(seeded):
    """An account that has a password already."""
    return make_participant(seeded, code="US", user=UserFactory(username="us-pw"))


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def test_invite_command_prints_a_working_link(delegate):
    out, err = io.StringIO(), io.StringIO()

    call_command("invite", "us-new", delegate.workshop.slug, stdout=out, stderr=err)

    url = out.getvalue().strip()
    assert url.startswith("http://127.0.0.1:8000/invite/")
    assert accounts.invitation_check(token=token_of(url)).participant == delegate
    assert "Valid until" in err.getvalue()


def test_invite_command_refuses_a_non_participant(seeded, stranger):
    with pytest.raises(CommandError) as excinfo:
        call_command("invite", "stranger", seeded.slug)

    assert str(excinfo.value) == (
        "'stranger' is not a participant of the workshop "
        "'what-should-the-other-side-do'."
    )
    assert Invitation.objects.count() == 0


def test_invitation_get_shows_whom_it_is_for_and_changes_nothing(client, delegate):
    issued = accounts.invitation_issue(participant=delegate)

    response = client.get(reverse("invitation_accept", args=[issued.token]))

    issued.invitation.refresh_from_db()
    assert response.status_code == 200
    assert "us-new" in response.content.decode()
    assert issued.invitation.used_at is None
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("code", ["CN", "US"])
def test_invitation_signs_in_once_then_asks_for_a_password(client, seeded, code):
    participant = make_participant(seeded, code=code, user=UserFactory(password=None))
    issued = accounts.invitation_issue(participant=participant)
    url = reverse("invitation_accept", args=[issued.token])

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_set")
    assert int(client.session[SESSION_KEY]) == participant.user.pk

    response = client.post(
        reverse("password_set"),
        {"new_password1": "a-long-new-pass-9!", "new_password2": "a-long-new-pass-9!"},
    )
    assert response.status_code == 302
    assert response["Location"] == seeded.get_absolute_url()
    participant.user.refresh_from_db()
    assert participant.user.check_password("a-long-new-pass-9!")

    client.logout()
    again = client.post(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_invitation_expired_revoked_and_forged_links_get_clear_pages(client, delegate):
    expired = accounts.invitation_issue(participant=delegate)
    Invitation.objects.filter(pk=expired.invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    revoked = accounts.invitation_issue(participant=delegate)
    accounts.invitation_revoke(invitation=revoked.invitation)

    pages = {
        "expired": client.get(reverse("invitation_accept", args=[expired.token])),
        "revoked": client.post(reverse("invitation_accept", args=[revoked.token])),
        "forged": client.get(reverse("invitation_accept", args=["not-a-real-token"])),
    }

    assert {name: r.status_code for name, r in pages.items()} == {
        "expired": 410,
        "revoked": 410,
        "forged": 404,
    }
    assert "withdrawn" in pages["expired"].content.decode() or "expired" in (
        pages["expired"].content.decode()
    )
    assert "was withdrawn" in pages["revoked"].content.decode()
    assert "is not valid" in pages["forged"].content.decode()
    assert SESSION_KEY not in client.session


def test_invitation_expires_after_fourteen_days_by_default(delegate):
    issued = accounts.invitation_issue(participant=delegate)

    lifetime = issued.invitation.expires_at - issued.invitation.created_at

    assert lifetime == dt.timedelta(days=14)


def test_new_invitation_revokes_the_unused_old_one(delegate):
    old = accounts.invitation_issue(participant=delegate)

    accounts.invitation_issue(participant=delegate)

    with pytest.raises(accounts.InvitationError) as excinfo:
        accounts.invitation_check(token=old.token)
    assert excinfo.value.reason == "revoked"


def test_admin_action_issues_invitation_links(client, organiser, delegate):
    client.force_login(organiser)

    response = client.post(
        reverse("admin:dialogue_participant_changelist"),
        {"action": "issue_invitations", "_selected_action": [delegate.pk]},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "http://testserver/invite/" in page
    assert Invitation.objects.filter(participant=delegate).count() == 1


def test_admin_action_revokes_links(client, organiser, delegate):
    issued = accounts.invitation_issue(participant=delegate)
    client.force_login(organiser)

    client.post(
        reverse("admin:dialogue_invitation_changelist"),
        {"action": "revoke", "_selected_action": [issued.invitation.pk]},
    )

    issued.invitation.refresh_from_db()
    assert issued.invitation.state == "revoked"


def test_sign_in_starts_a_new_session(client, member):
    client.get(reverse("login"))
    before = client.session.session_key or client.cookies["sessionid"].value

    client.post(
        reverse("login"), {"username": "us-pw", "password": "pw-for-tests-only"}
    )

    assert client.session.session_key != before
    assert int(client.session[SESSION_KEY]) == member.user.pk


def test_repeated_failed_sign_ins_are_throttled(client, member):
    for _ in range(5):
        client.post(reverse("login"), {"username": "us-pw", "password": "wrong"})

    response = client.post(
        reverse("login"), {"username": "us-pw", "password": "pw-for-tests-only"}
    )

    assert response.status_code == 429
    assert "Too many failed sign-ins. Wait 15 minutes, then try again." in (
        response.content.decode()
    )
    assert SESSION_KEY not in client.session


def test_throttle_is_per_user(client, seeded, member):
    other = make_participant(seeded, code="CN", user=UserFactory(username="cn-other"))
    for _ in range(5):
        client.post(reverse("login"), {"username": "us-pw", "password": "wrong"})

    response = client.post(
        reverse("login"), {"username": "cn-other", "password": "pw-for-tests-only"}
    )

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == other.user.pk


def test_language_choice_is_remembered_per_user(client, member):
    client.force_login(member.user)

    client.post(reverse("language_set"), {"language": "zh-hans", "next": "/"})
    client.logout()
    client.cookies.pop("django_language", None)
    response = client.post(
        reverse("login"), {"username": "us-pw", "password": "pw-for-tests-only"}
    )

    assert Profile.objects.get(user=member.user).language == "zh-hans"
    assert response.cookies["django_language"].value == "zh-hans"


def test_language_set_refuses_unknown_languages(client, delegate):
    client.force_login(delegate.user)

    response = client.post(reverse("language_set"), {"language": "xx"})

    assert response.status_code == 400
    assert Profile.objects.count() == 0


def test_language_set_ignores_an_offsite_next(client, delegate):
    client.force_login(delegate.user)

    response = client.post(
        reverse("language_set"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_password_page_needs_sign_in(client, db):
    response = client.get(reverse("password_set"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_mismatch_is_a_form_error(client, member):
    client.force_login(member.user)

    response = client.post(
        reverse("password_set"),
        {"new_password1": "a-long-new-pass-9!", "new_password2": "different-9!"},
    )

    assert response.status_code == 400
    assert "The two password fields didn" in response.content.decode()


def test_observer_can_be_invited_too(seeded, client):
    observer = make_participant(
        seeded, role=Role.OBSERVER, user=UserFactory(password=None)
    )
    issued = accounts.invitation_issue(participant=observer)

    response = client.post(reverse("invitation_accept", args=[issued.token]))

    assert response.status_code == 302


def test_no_invitation_for_staff_or_accounts_with_a_password(seeded, member, organiser):
    staff = make_participant(seeded, role=Role.ORGANISER, user=organiser)

    for participant in (member, staff):
        with pytest.raises(accounts.InvitationError) as excinfo:
            accounts.invitation_issue(participant=participant)
        assert excinfo.value.reason == "ineligible"

    assert Invitation.objects.count() == 0


def test_invitation_stops_working_once_a_password_is_set_elsewhere(client, delegate):
    issued = accounts.invitation_issue(participant=delegate)
    delegate.user.set_password("set-by-another-route-1!")
    delegate.user.save()

    response = client.post(reverse("invitation_accept", args=[issued.token]))

    assert response.status_code == 410
    assert SESSION_KEY not in client.session


def test_password_change_without_invitation_needs_the_old_password(client, member):
    client.force_login(member.user)

    response = client.post(
        reverse("password_set"),
        {"new_password1": "a-long-new-pass-9!", "new_password2": "a-long-new-pass-9!"},
    )

    member.user.refresh_from_db()
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert member.user.check_password("pw-for-tests-only")


def test_admin_sign_in_is_throttled_too(client, organiser):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "org", "password": "wrong"})

    response = client.post(
        reverse("admin:login"), {"username": "org", "password": "pw-for-tests-only"}
    )

    assert "Too many failed sign-ins" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_throttle_counts_parallel_attempts_before_checking_passwords(member):
    """Attempts are counted before the (slow) password check, so a burst of
    guesses cannot all pass the check at once."""
    results = [
        accounts.signin_attempt(username="us-pw", address="198.51.100.7")
        for _ in range(7)
    ]

    assert results == [True] * 5 + [False] * 2


def test_throttle_message_is_translated(client, member):
    client.cookies["django_language"] = "zh-hans"
    for _ in range(6):
        response = client.post(
            reverse("login"), {"username": "us-pw", "password": "wrong"}
        )

    assert response.status_code == 429
    assert "Too many failed sign-ins" not in response.content.decode()


def test_admin_cannot_place_staff_in_a_workshop(client, seeded, organiser):
    """Placing a staff account in a workshop would let an organiser invite it."""
    client.force_login(organiser)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)

    response = client.post(
        reverse("admin:dialogue_participant_add"),
        {"user": superuser.pk, "workshop": seeded.pk, "role": "observer"},
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not seeded.participants.filter(user=superuser).exists()


def test_invite_command_refuses_a_participant_with_a_password(member):
    with pytest.raises(CommandError) as excinfo:
        call_command("invite", "us-pw", member.workshop.slug)

    assert str(excinfo.value) == (
        "us-pw has already chosen a password: they sign in with it. An "
        "invitation sets a first password, so it is only for accounts that have "
        "none (e.g. the demo accounts cn-delegate-3 and us-delegate-3 of `make "
        "run`). To invite this person anyway, first disable their password in "
        "the admin: Users, us-pw, Reset password, Password-based "
        "authentication: Disabled."
    )


def test_successful_sign_ins_do_not_lock_out_an_address(client, seeded):
    """A workshop room behind one NAT address: 100 people sign in within the
    window, and none of them is refused."""
    users = [
        make_participant(seeded, code="CN", user=UserFactory(username=f"room-{n}")).user
        for n in range(100)
    ]

    statuses = []
    for user in users:
        response = client.post(
            reverse("login"),
            {"username": user.username, "password": "pw-for-tests-only"},
            REMOTE_ADDR="203.0.113.9",
        )
        statuses.append(response.status_code)
        client.logout()

    assert statuses == [302] * 100


def test_failures_from_one_address_are_still_limited(client, seeded):
    limit = settings.LOGIN_FAILURE_LIMIT * 4
    for n in range(limit):
        client.post(
            reverse("login"),
            {"username": f"guess-{n}", "password": "wrong"},
            REMOTE_ADDR="203.0.113.10",
        )

    response = client.post(
        reverse("login"),
        {"username": "us-pw", "password": "pw-for-tests-only"},
        REMOTE_ADDR="203.0.113.10",
    )

    assert response.status_code == 429


def test_a_lookalike_username_counts_against_the_real_one(client, member):
    for _ in range(5):
        client.post(reverse("login"), {"username": "us-pw", "password": "wrong"})

    # A full-width "ｕ": the form's NFKC normalisation turns it into "us-pw".
    response = client.post(
        reverse("login"), {"username": "ｕs-pw", "password": "pw-for-tests-only"}
    )

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_throttle_key_folds_lookalikes_and_case():
    assert accounts.throttle_username(" ｔhrottle-USER ") == "throttle-user"
