"""The demo accounts of `make run`: their sign-in links use the address it
serves, and the README's invite example works on its database."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from dialogue.models import Invitation
from dialogue.services.accounts import invitation_check


def test_the_demo_links_follow_site_url(seeded, settings):
    settings.DEBUG = True  # the command only runs in a local demo
    settings.SITE_URL = "http://127.0.0.1:8765"
    out = io.StringIO()

    call_command("create_demo_accounts", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8765/accounts/login/" in text
    assert "8000" not in text


README = Path(__file__).resolve().parents[1] / "README.md"


def readme_invite_example() -> list[str]:
    """The arguments of the README's `manage.py invite` example."""
    [line] = [
        line
        for line in README.read_text().splitlines()
        if line.startswith(".venv/bin/python manage.py invite ")
        and "USERNAME" not in line
    ]
    return line.split("manage.py invite ", 1)[1].split(" [", 1)[0].split()


def demo(settings) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


def test_the_readme_invite_example_works_on_the_make_run_database(seeded, settings):
    demo(settings)
    username, slug = readme_invite_example()
    out, err = io.StringIO(), io.StringIO()

    call_command("invite", username, slug, stdout=out, stderr=err)

    token = out.getvalue().strip().rsplit("/", 2)[-2]
    invitation = invitation_check(token=token)
    assert invitation.participant.user.username == username == "cn-delegate-3"
    assert "Valid until" in err.getvalue()


@pytest.mark.parametrize("code", ["cn", "us"])
def test_a_demo_account_with_a_password_is_refused_with_the_way_out(
    seeded, settings, code
):
    demo(settings)

    with pytest.raises(CommandError) as excinfo:
        call_command("invite", f"{code}-delegate-1", seeded.slug)

    message = str(excinfo.value)
    assert message.startswith(
        f"{code}-delegate-1 has already chosen a password: they sign in with it. "
        "An invitation sets a first password"
    )
    assert "Password-based authentication: Disabled." in message
    assert not Invitation.objects.exists()


def test_the_invitees_have_no_password_and_keep_the_one_they_choose(seeded, settings):
    table = demo(settings)
    invitee = User.objects.get(username="us-delegate-3")
    assert not invitee.has_usable_password()
    assert "us-delegate-3  Delegate, American scholars (no password yet" in table
    invitee.set_password("chosen-by-them-1")
    invitee.save()

    demo(settings)

    invitee.refresh_from_db()
    assert invitee.check_password("chosen-by-them-1")
    assert User.objects.get(username="cn-delegate-1").check_password("dialogue-demo")


def test_the_sign_in_lines_end_the_output(seeded, settings):
    lines = demo(settings).splitlines()

    assert lines[0].startswith("Demo accounts for")
    assert lines[-3:] == [
        "The others' password is: dialogue-demo",
        f"Sign in at {settings.SITE_URL}/accounts/login/ ; the organiser also "
        f"manages the workshop at {settings.SITE_URL}/admin/ .",
        "Print an invitation link: .venv/bin/python manage.py invite "
        "cn-delegate-3 what-should-the-other-side-do",
    ]


def test_make_run_keeps_pip_to_its_errors():
    # -qq: pip prints errors only (its notes about unreachable optional
    # indexes are warnings), and a failed install still stops make.
    makefile = (README.parent / "Makefile").read_text()

    [install] = [line for line in makefile.splitlines() if "pip install" in line]
    assert " -qq " in install
    assert "|| true" not in install and "2>/dev/null" not in install
