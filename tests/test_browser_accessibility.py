"""Accessibility in the browser: axe-core (vendored in tests/assets, MPL-2.0,
version 4.14.1) finds no serious or critical violation on the pages delegates
use, in English and in Chinese; and the discussion works from the keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dialogue.models import Phase
from dialogue.services import comments as comment_services
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, axe_violations, make_participant, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_have_no_serious_accessibility_violations(
    live_server, audit_page, seeded, language
):
    session = seeded.sessions.get(number=2)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    us = make_participant(seeded, code="US", user=UserFactory(username="us-a11y"))
    cn = make_participant(seeded, code="CN")
    item = session.items.get(number=3)
    parent = comment_services.comment_post(participant=cn, item=item, body="A *view*")
    comment_services.comment_post(
        participant=us, item=item, body="Reply", parent=parent
    )
    page = audit_page
    page.goto(live_server.url + reverse("login"))
    assert axe_violations(page) == []
    sign_in(page, live_server, "us-a11y")
    if language != "en":
        page.get_by_label("Language").select_option(language)
        page.locator(".language-form button").click()

    urls = [
        reverse("home"),
        seeded.get_absolute_url(),
        session.get_absolute_url(),
        reverse("item_detail", args=[seeded.slug, 2, 3]),
    ]
    found = {}
    for url in urls:
        page.goto(live_server.url + url)
        found[url] = axe_violations(page)

    assert found == {url: [] for url in urls}


def test_comment_and_endorse_with_the_keyboard_only(live_server, new_page, seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    cn = make_participant(seeded, code="CN", user=UserFactory(username="cn-keys"))
    make_participant(seeded, code="US", user=UserFactory(username="us-keys"))
    item = session.items.get(number=1)
    comment_services.comment_post(participant=cn, item=item, body="Endorse me")
    page = new_page()
    sign_in(page, live_server, "us-keys")
    page.goto(live_server.url + reverse("item_detail", args=[seeded.slug, 1, 1]))

    page.get_by_role("button", name="Endorse").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".endorsements").first).to_have_text("1 endorsement")
    page.get_by_label("Your comment").focus()
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")  # the help text is not focusable: next is Post
    focused = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")

    assert focused == "Post"
    expect(page.get_by_text("Typed without a mouse.")).to_be_visible()


def test_axe_reports_a_real_violation(audit_page):
    """The audit above must be able to fail."""
    audit_page.set_content(
        "<html lang='en'><head><title>t</title></head><body><main><img src='x.png'></main></body></html>"
    )

    assert [v.split(":")[0] for v in axe_violations(audit_page)] == ["image-alt"]
