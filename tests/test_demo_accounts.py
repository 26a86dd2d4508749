"""The demo accounts' sign-in links use the address `make run` serves."""

import io

from django.core.management import call_command


def test_the_demo_links_follow_site_url(seeded, settings):
    settings.DEBUG = True  # the command only runs in a local demo
    settings.SITE_URL = "http://127.0.0.1:8765"
    out = io.StringIO()

    call_command("create_demo_accounts", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8765/accounts/login/" in text
    assert "8000" not in text
