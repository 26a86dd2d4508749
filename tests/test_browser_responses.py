"""Responses in a real browser, on the shipped workshop, from each side as
mirror images: the facilitator opens the round; a delegate of each side
drafts its delegation's answer to an item addressed to it and the head
adopts it; the other side sees only "sealed" and the progress; the
facilitator reveals early (the dialog asks first); the proposing side asks
for clarification and the answering head replies. A second test has two
delegates of one side edit the same response at once: the second is shown
the newer version and keeps their own text. axe-core audits the overview
and an item page, in English and Chinese.

Screenshots go to test-artifacts/responses-*.png, from each side, in both
languages."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dialogue.models import Phase, Response, ResponseReply, Role
from dialogue.selectors.responses import response_progress
from dialogue.services.responses import response_round_open
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    admin_organiser,
    axe_violations,
    make_participant,
    screenshot,
    sign_in,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The answering side's words, checked for on the other side's pages.
CN_REASONING = "China has long stated that peaceful reunification is its preference."
CN_CONDITIONS = "The United States reaffirms its commitment to the One China Policy."
US_REASONING = "Visa processing for scholars can be sped up at once."
US_CONDITIONS = "Security reviews for sensitive fields stay in place."


def person(workshop, username, *, code=None, role=Role.DELEGATE, **extra):
    return make_participant(
        workshop,
        code=code,
        role=role,
        user=UserFactory(username=username, first_name=username.title()),
        **extra,
    )


@pytest.fixture
def room(seeded):
    """Both sessions of the shipped workshop open; a facilitator; on each
    side a head and two delegates."""
    for session in seeded.sessions.all():
        session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    person(seeded, "fac", role=Role.FACILITATOR)
    for code in ("CN", "US"):
        person(seeded, f"{code.lower()}-head", code=code, is_head=True)
        person(seeded, f"{code.lower()}-del", code=code)
        person(seeded, f"{code.lower()}-del2", code=code)
    return seeded


@pytest.fixture
def open_as(new_page, live_server):
    """open_as(username, language) -> a signed-in page in that language."""

    def open_page(username, language="en"):
        page = new_page()
        sign_in(page, live_server, username)
        set_language(page, language)
        return page

    return open_page


def set_language(page, language):
    # The choice is remembered per user: a later page may start in it.
    if page.locator("html").get_attribute("lang") != language:
        page.locator("#language-select").select_option(language)
        page.locator(".language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def overview_url(live_server, workshop):
    return live_server.url + reverse("responses", args=[workshop.slug])


def item_url(live_server, workshop, session, item):
    return live_server.url + reverse(
        "response_item", args=[workshop.slug, session, item]
    )


def card(page, code):
    return page.locator(f"#response-{code}")


def draft(page, *, stance, reasoning, conditions, code="CN"):
    """Fill the drafting form of `code`'s answer to the item as a whole (its
    points addressed to both delegations have cards of their own)."""
    form = card(page, code).locator(".response-form")
    form.get_by_label(stance, exact=True).check()
    form.get_by_label("Reasoning").fill(reasoning)
    form.get_by_label("What would make it acceptable").fill(conditions)


def text_of(page) -> str:
    return page.locator("main").inner_text()


def test_both_sides_answer_the_facilitator_reveals_and_the_thread_follows(
    live_server, open_as, room
):
    workshop = room
    overview = overview_url(live_server, workshop)
    cn_item = item_url(live_server, workshop, 2, 5)  # addressed to CN
    us_item = item_url(live_server, workshop, 1, 5)  # addressed to US

    # The facilitator opens the round on the responses page.
    fac = open_as("fac")
    fac.goto(overview)
    expect(
        fac.get_by_text("The response round has not been opened yet.")
    ).to_be_visible()
    fac.get_by_role("button", name="Open the response round").click()
    expect(
        fac.get_by_text("The response round is open: each delegation can now draft")
    ).to_be_visible()
    expect(
        fac.get_by_role("button", name="Reveal both sides’ responses")
    ).to_be_visible()
    screenshot(fac, "responses-facilitator-open-en")

    # A CN delegate drafts CN's answer to 2.5: "Accept if …", with conditions.
    cn_del = open_as("cn-del")
    cn_del.goto(cn_item)
    expect(
        card(cn_del, "CN").get_by_text("Only your delegation sees this drafting space.")
    ).to_be_visible()
    draft(
        cn_del,
        stance="Accept if …",
        reasoning=CN_REASONING,
        conditions=CN_CONDITIONS,
    )
    screenshot(cn_del, "responses-cn-drafting-en")
    card(cn_del, "CN").get_by_role("button", name="Save a new revision").click()
    expect(cn_del.get_by_text("Saved. Your delegation sees it")).to_be_visible()
    expect(card(cn_del, "CN").get_by_text("not adopted yet")).to_be_visible()
    # Here the head adopts: a delegate is told so, and offered no button.
    expect(
        card(cn_del, "CN").get_by_text(
            "In this workshop the head of the delegation adopts its responses."
        )
    ).to_be_visible()
    expect(card(cn_del, "CN").locator("form[action$='/adopt/']")).to_have_count(0)

    # The CN head adopts it, in Chinese.
    cn_head = open_as("cn-head", "zh-hans")
    cn_head.goto(cn_item)
    expect(card(cn_head, "CN")).to_contain_text(CN_REASONING)
    screenshot(cn_head, "responses-cn-drafting-zh")
    cn_head.locator("#response-CN form[action$='/adopt/'] button").click()
    expect(card(cn_head, "CN").locator(".stance-badge")).to_be_visible()
    assert Response.objects.get(delegation__code="CN").adopted_id is not None
    screenshot(cn_head, "responses-cn-adopted-zh")

    # The mirror image: a US delegate answers 1.5 with "Accept in part".
    us_del = open_as("us-del")
    us_del.goto(us_item)
    draft(
        us_del,
        stance="Accept in part",
        reasoning=US_REASONING,
        conditions=US_CONDITIONS,
        code="US",
    )
    screenshot(us_del, "responses-us-drafting-en")
    card(us_del, "US").get_by_role("button", name="Save a new revision").click()
    expect(us_del.get_by_text("Saved. Your delegation sees it")).to_be_visible()

    us_head = open_as("us-head")
    us_head.goto(us_item)
    expect(card(us_head, "US")).to_contain_text(US_REASONING)
    card(us_head, "US").get_by_role(
        "button", name="Adopt revision 1 for the delegation"
    ).click()
    expect(
        us_head.get_by_text("Adopted: this is now your delegation's answer.")
    ).to_be_visible()
    assert Response.objects.get(delegation__code="US").adopted_id is not None
    screenshot(us_head, "responses-us-adopted-en")

    # Before the reveal the other side sees only "sealed" and the progress.
    us_del.goto(cn_item)
    expect(card(us_del, "CN").locator(".response-sealed")).to_be_visible()
    progress = " ".join(us_del.locator(".response-progress").inner_text().split())
    required = {
        side.delegation.code: side.required
        for side in response_progress(workshop=workshop)
    }
    assert f"Chinese scholars: 1 of {required['CN']} answered" in progress
    assert f"American scholars: 1 of {required['US']} answered" in progress
    # (The page's own forms, for the points addressed to both, list every
    # stance: CN's card is what must say nothing.)
    page_text = text_of(us_del)
    assert CN_REASONING not in page_text and CN_CONDITIONS not in page_text
    assert "Accept if" not in card(us_del, "CN").inner_text()
    assert CN_REASONING not in us_del.content()
    screenshot(us_del, "responses-us-sealed-en")
    set_language(us_del, "zh-hans")
    us_del.goto(cn_item)
    expect(card(us_del, "CN").locator(".response-sealed")).to_be_visible()
    assert CN_REASONING not in us_del.content()
    screenshot(us_del, "responses-us-sealed-zh")
    set_language(us_del, "en")

    # The item's own page says the same, in its panel.
    us_del.goto(live_server.url + reverse("item_detail", args=[workshop.slug, 2, 5]))
    panel = us_del.locator("#item-responses")
    expect(panel).to_contain_text("sealed until the reveal")
    assert CN_REASONING not in us_del.content()
    screenshot(us_del, "responses-item-panel-us-sealed-en")

    # The CN side, likewise, sees nothing of the US answer.
    cn_del.goto(us_item)
    expect(card(cn_del, "US").locator(".response-sealed")).to_be_visible()
    assert US_REASONING not in cn_del.content()
    cn_del.goto(overview)
    overview_text = text_of(cn_del)
    assert US_REASONING not in overview_text and "Accept in part" not in overview_text
    screenshot(cn_del, "responses-cn-overview-sealed-en")

    # The facilitator reveals: not everything is answered, so a dialog asks.
    fac.goto(overview)
    fac.get_by_role("button", name="Reveal both sides’ responses").click()
    dialog = fac.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Not every response has been adopted")
    screenshot(fac, "responses-facilitator-reveal-dialog-en")
    dialog.get_by_role("button", name="Reveal the responses").click()
    expect(
        fac.get_by_text("The responses are revealed to both delegations.")
    ).to_be_visible()
    expect(fac.locator(".response-unanswered")).to_contain_text("CN 2.1")
    screenshot(fac, "responses-facilitator-revealed-en")

    # The US delegate reads CN's answer and asks for clarification.
    us_del.goto(cn_item)
    cn_card = card(us_del, "CN")
    expect(cn_card).to_contain_text(CN_REASONING)
    expect(cn_card).to_contain_text(CN_CONDITIONS)
    expect(cn_card.locator(".stance-badge")).to_have_text("Accept if …")
    screenshot(us_del, "responses-revealed-us-en")
    question = "Which form of reaffirmation would be enough: a joint statement?"
    cn_card.get_by_label("Your reply").fill(question)
    cn_card.get_by_label("Ask for clarification").check()
    cn_card.get_by_role("button", name="Send").click()
    expect(card(us_del, "CN").locator(".response-reply")).to_contain_text(question)

    # The CN head replies, in Chinese.
    answer = "A statement at the leaders' level, repeated in writing."
    cn_head.goto(cn_item)
    cn_thread = card(cn_head, "CN")
    expect(cn_thread.locator(".response-reply")).to_contain_text(question)
    cn_thread.locator("textarea[name=body]").fill(answer)
    cn_thread.locator("form[action$='/reply/'] button[type=submit]").click()
    expect(card(cn_head, "CN").locator(".response-reply")).to_have_count(2)
    expect(card(cn_head, "CN").locator(".response-reply").nth(1)).to_contain_text(
        answer
    )
    screenshot(cn_head, "responses-thread-cn-zh")

    # Both see the thread, in order.
    us_del.goto(cn_item)
    replies = card(us_del, "CN").locator(".response-reply")
    expect(replies).to_have_count(2)
    expect(replies.nth(0)).to_contain_text(question)
    expect(replies.nth(1)).to_contain_text(answer)
    screenshot(us_del, "responses-thread-us-en")
    kinds = list(
        ResponseReply.objects.order_by("created_at").values_list(
            "author__user__username", "kind"
        )
    )
    assert kinds == [("us-del", "clarification"), ("cn-head", "reply")]

    # The CN side, in Chinese, reads the US answer too.
    cn_del.goto(us_item)
    expect(card(cn_del, "US")).to_contain_text(US_REASONING)
    set_language(cn_del, "zh-hans")
    cn_del.goto(us_item)
    screenshot(cn_del, "responses-revealed-cn-zh")
    cn_del.goto(overview)
    screenshot(cn_del, "responses-overview-revealed-cn-zh")
    us_del.goto(overview)
    screenshot(us_del, "responses-overview-revealed-us-en")

    # The agenda shows the revealed stances, linked to the answers.
    us_del.goto(live_server.url + reverse("session_detail", args=[workshop.slug, 2]))
    stances = us_del.locator(".item-stances")
    expect(stances).to_have_count(1)
    expect(stances).to_contain_text("Accept if …")
    screenshot(us_del, "responses-session-stances-us-en")


def test_a_second_editor_is_shown_the_newer_version_and_keeps_their_text(
    live_server, open_as, room
):
    workshop = room
    response_round_open(workshop=workshop, by=admin_organiser())
    url = item_url(live_server, workshop, 2, 3)  # addressed to CN
    first, second = open_as("cn-del"), open_as("cn-del2")
    first.goto(url)
    second.goto(url)  # both forms are made on "no revision yet"

    draft(first, stance="Accept", reasoning="First text.", conditions="")
    first.get_by_role("button", name="Save a new revision").click()
    expect(first.get_by_text("Saved. Your delegation sees it")).to_be_visible()

    mine = "Second text: we can accept only part of it."
    draft(second, stance="Accept in part", reasoning=mine, conditions="Reciprocity.")
    second.get_by_role("button", name="Save a new revision").click()
    alert = second.locator(".response-form .form-errors")
    expect(alert).to_contain_text("saved a newer version (revision 1)")
    current = second.locator(".response-current")
    expect(current).to_contain_text("First text.")
    expect(current).to_contain_text("Accept")
    form = second.locator(".response-form")
    expect(form.get_by_label("Reasoning")).to_have_value(mine)
    expect(form.get_by_label("What would make it acceptable")).to_have_value(
        "Reciprocity."
    )
    expect(form.get_by_label("Accept in part", exact=True)).to_be_checked()
    screenshot(second, "responses-stale-cn-en")

    # The head, in Chinese, opens the form on revision 1 meanwhile.
    third = open_as("cn-head", "zh-hans")
    third.goto(url)

    # Saving again, after comparing, is deliberate and goes through.
    second.get_by_role("button", name="Save a new revision").click()
    expect(second.get_by_text("Saved. Your delegation sees it")).to_be_visible()
    expect(second.locator(".response-form textarea[name=reasoning]")).to_have_value(
        mine
    )

    # The head's edit, made on revision 1, is now the stale one.
    third.locator(".response-form textarea[name=reasoning]").fill("Head's text.")
    third.locator(".response-form button.primary").click()
    expect(third.locator(".response-current")).to_contain_text(mine)
    expect(third.locator(".response-form textarea[name=reasoning]")).to_have_value(
        "Head's text."
    )
    screenshot(third, "responses-stale-cn-zh")

    response = Response.objects.get(delegation__code="CN", item__number=3)
    assert response.revision == 2
    assert list(response.revisions.values_list("reasoning", flat=True)) == [
        "First text.",
        mine,
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_response_pages_have_no_serious_accessibility_violations(
    live_server, audited, room, language
):
    workshop = room
    response_round_open(workshop=workshop, by=admin_organiser())
    page = audited()
    sign_in(page, live_server, "cn-del")
    set_language(page, language)
    found = {}
    for url in (
        overview_url(live_server, workshop),
        item_url(live_server, workshop, 2, 5),  # CN's own: the drafting form
        item_url(live_server, workshop, 1, 5),  # the other side's: sealed
    ):
        page.goto(url)
        found[url] = axe_violations(page)
    assert found == {url: [] for url in found}
