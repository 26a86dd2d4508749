"""Delegates in a real browser: each side joins through its invitation link,
comments, replies and endorses; the other side sees it appear without
reloading; the Chinese interface speaks Chinese."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from dialogue.models import Comment, Phase
from dialogue.services import accounts
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, make_participant, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-for-tests-7!"


def join_by_invitation(new_page, live_server, participant):
    issued = accounts.invitation_issue(participant=participant)
    page = new_page()
    page.goto(live_server.url + reverse("invitation_accept", args=[issued.token]))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page.locator("h1")).to_have_text("What Should the Other Side Do?")
    return page


@pytest.mark.parametrize(("first", "second"), [("CN", "US"), ("US", "CN")])
def test_two_delegations_discuss_live(live_server, new_page, seeded, first, second):
    session = seeded.sessions.get(number=2)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    a = make_participant(
        seeded,
        code=first,
        user=UserFactory(
            username=f"{first}-a", first_name=f"Ann {first}", password=None
        ),
    )
    b = make_participant(
        seeded,
        code=second,
        user=UserFactory(
            username=f"{second}-b", first_name=f"Bo {second}", password=None
        ),
    )
    page_a = join_by_invitation(new_page, live_server, a)
    page_b = join_by_invitation(new_page, live_server, b)
    item_url = live_server.url + reverse("item_detail", args=[seeded.slug, 2, 3])
    page_a.goto(item_url)
    page_b.goto(item_url)

    # A comments on point 3.2; B sees it arrive without reloading.
    point = session.items.get(number=3).points.get(position=2)
    page_a.get_by_label("Comment on", exact=True).select_option(value=str(point.pk))
    page_a.get_by_label("Your comment").fill(f"Exit bans first, say {first}.")
    page_a.get_by_role("button", name="Post").click()
    expect(page_a.get_by_label("Your comment")).to_have_value("")
    expect(page_b.get_by_text(f"Exit bans first, say {first}.")).to_be_visible(
        timeout=8000
    )

    # B endorses and replies.
    comment = Comment.objects.get()
    page_b.locator(f"#comment-{comment.pk}").get_by_role(
        "button", name="Endorse"
    ).click()
    expect(page_b.locator(f"#comment-{comment.pk} .endorsements").first).to_have_text(
        "1 endorsement"
    )
    page_b.locator(f"#comment-{comment.pk}").get_by_role(
        "link", name="Reply"
    ).first.click()
    # The reply form opens under the comment (in place, with htmx).
    in_place = page_b.locator(f"#reply-slot-{comment.pk}")
    in_place.get_by_label("Your comment").fill(f"Agreed, from {second}.")
    in_place.get_by_role("button", name="Post reply").click()

    # A sees the endorsement and the reply arrive without reloading.
    expect(page_a.locator(f"#comment-{comment.pk} .endorsements").first).to_have_text(
        "1 endorsement", timeout=8000
    )
    expect(page_a.get_by_text(f"Agreed, from {second}.")).to_be_visible(timeout=8000)
    reply = Comment.objects.get(parent=comment)
    assert reply.author == b
    assert reply.point.label == "3.2"
    screenshot(page_a, f"comments-item-{first.lower()}-first-seen-by-{first.lower()}")
    screenshot(page_b, f"comments-item-{first.lower()}-first-seen-by-{second.lower()}")


def test_chinese_interface(live_server, new_page, seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    delegate = make_participant(seeded, code="CN", user=UserFactory(password=None))
    page = join_by_invitation(new_page, live_server, delegate)
    with translation.override("zh-hans"):
        discussion = translation.gettext("Discussion")
        post = translation.gettext("Post")

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change").click()
    page.goto(live_server.url + reverse("item_detail", args=[seeded.slug, 1, 5]))

    assert discussion != "Discussion"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.get_by_role("heading", name=discussion)).to_be_visible()
    expect(page.get_by_role("button", name=post)).to_be_visible()
    # The seeded content stays in its original language.
    expect(page.locator("h1")).to_contain_text("Facilitate communication and exchanges")
    screenshot(page, "comments-item-zh")


def test_facilitator_marks_the_item_and_delegates_see_it(live_server, new_page, seeded):
    session = seeded.sessions.get(number=1)
    facilitator = make_participant(
        seeded, role="facilitator", user=UserFactory(username="fac")
    )
    delegate = make_participant(
        seeded, code="US", user=UserFactory(username="us-watch")
    )
    fpage, dpage = new_page(), new_page()
    sign_in(fpage, live_server, facilitator.user.username)
    sign_in(dpage, live_server, delegate.user.username)
    session_url = live_server.url + session.get_absolute_url()
    fpage.goto(session_url)
    dpage.goto(session_url)

    fpage.get_by_role("button", name="Open for discussion").click()
    fpage.get_by_label("Item under discussion").select_option("4")
    fpage.get_by_role("button", name="Mark").click()

    expect(dpage.locator("#item-4")).to_have_class(
        re.compile(r"\bcurrent\b"), timeout=8000
    )
    expect(dpage.locator(".phase-line")).to_contain_text("Open for discussion")
    screenshot(dpage, "facilitation-session-us")
    screenshot(fpage, "facilitation-session-facilitator")


def test_closing_asks_first_and_clears_the_highlight(live_server, new_page, seeded):
    session = seeded.sessions.get(number=2)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    facilitator = make_participant(
        seeded, role="facilitator", user=UserFactory(username="fac2")
    )
    page = new_page()
    sign_in(page, live_server, facilitator.user.username)
    page.goto(live_server.url + session.get_absolute_url())
    page.get_by_label("Item under discussion").select_option("2")
    page.get_by_role("button", name="Mark").click()
    expect(page.locator("#item-2")).to_have_class(re.compile(r"\bcurrent\b"))

    dialog = page.locator("#confirm-dialog")
    page.get_by_role("button", name="Closed").click()
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_be_hidden()
    session.refresh_from_db()
    assert session.phase == Phase.OPEN

    page.get_by_role("button", name="Closed").click()
    dialog.get_by_role("button", name="Close the session").click()

    expect(page.locator(".phase-line")).to_contain_text("Closed")
    expect(page.get_by_text("Under discussion now")).to_have_count(0)
    session.refresh_from_db()
    assert session.phase == Phase.CLOSED
