"""The browser: screenshots, signing in and axe-core's accessibility audit."""

import functools
from pathlib import Path

from django.conf import settings
from django.test import Client

TESTS = Path(__file__).resolve().parent.parent
ARTIFACTS = TESTS.parent / "test-artifacts"


def screenshot(page, name: str) -> Path:
    """Keep a screenshot in test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server, username: str, password: str = "pw-for-tests-only"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_as(page, live_server, user) -> None:
    """Sign in by session cookie, as Django's test client would."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )


@functools.cache
def _axe_source() -> str:
    """axe-core, vendored in tests/assets (MPL-2.0, version 4.14.1)."""
    return (TESTS / "assets" / "axe.min.js").read_text()


def axe_violations(page) -> list[str]:
    # The site's CSP forbids injected scripts, so this context bypasses it.
    page.add_script_tag(content=_axe_source())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return result
