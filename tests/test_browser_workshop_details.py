"""In a real browser, from each side: the workshop page (description, the
participants by delegation and role with the heads, session times), a
countered measure's chain on the board and the item page, the password
confirmation after an invitation, and the organisers' invitation sheet
(copy buttons, without JavaScript too, and its print layout)."""

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dialogue.services.accounts import invitation_issue
from dialogue.services.measures import content_for_side, measure_counter
from tests.builders import (
    admin_organiser,
    axe_violations,
    build_dialogue,
    make_participant,
    propose,
    screenshot,
    sign_in,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to_chinese(page):
    page.get_by_label("Language").select_option("zh-hans")
    page.locator(".language-form button").click()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def scene(workshop):
    d = build_dialogue(workshop)
    workshop.description = "Two delegations of scholars meet in Geneva."
    workshop.save()
    start = timezone.make_aware(dt.datetime(2026, 12, 2, 9, 0), dt.UTC)
    for n, session in d.sessions.items():
        session.starts_at = start + dt.timedelta(hours=3 * n)
        session.ends_at = session.starts_at + dt.timedelta(hours=2)
        session.save()
    for code in ("CN", "US"):
        for i, participant in enumerate(d.delegates[code], start=1):
            participant.user.first_name = f"{code} Delegate"
            participant.user.last_name = str(i)
            participant.user.save()
    return d


@pytest.mark.parametrize("side", ["CN", "US"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_workshop_page_shows_people_heads_and_times(
    live_server, audited, workshop, side, language
):
    d = scene(workshop)
    page = audited()
    sign_in(page, live_server, d.delegates[side][1].user.username)
    if language != "en":
        switch_to_chinese(page)

    page.goto(f"{live_server.url}/w/{workshop.slug}/")

    groups = page.locator(".roster-group")
    assert groups.count() == 3
    for code in ("CN", "US"):
        group = page.locator(f"#roster-{code}").locator("xpath=..")
        assert (
            group.locator(".roster-people li")
            .all_inner_texts()[0]
            .startswith(f"{code} Delegate 1")
        )
        assert group.locator(".badge.head").count() == 1
    assert page.locator(".delegation-head").count() == 2
    assert page.locator(".workshop-description").inner_text() == (
        "Two delegations of scholars meet in Geneva."
    )
    times = page.locator(".session-times").first.inner_text()
    assert times.count("UTC") == 2
    assert axe_violations(page) == []
    screenshot(page, f"small-workshop-page-{side.lower()}-{language}")


def countered(d, side):
    other = d.other(side)
    first = propose(d, side, title=f"Hotline begun by {side}")
    by = d.delegates[other][1]
    measure_counter(
        measure=first,
        by=by,
        content=replace(content_for_side(first, by.delegation_id), timeframe="A year"),
        items=[d.item_of(side)],
    )
    return first


@pytest.mark.parametrize("side", ["CN", "US"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_countered_measure_shows_who_began_it(
    live_server, audited, workshop, side, language
):
    d = build_dialogue(workshop)
    first = countered(d, side)
    other = d.other(side)
    number = 1 if side == "CN" else 2
    page = audited()
    sign_in(page, live_server, d.delegates[other][2].user.username)
    if language != "en":
        switch_to_chinese(page)

    page.goto(f"{live_server.url}/w/{workshop.slug}/sessions/{number}/measures/")
    card = page.locator(".column-proposed .measure-card")
    assert card.count() == 1
    lineage = card.locator(".measure-lineage")
    assert lineage.locator("a").get_attribute("href").endswith(f"/measures/{first.pk}/")
    if language == "en":
        assert lineage.inner_text().startswith(
            f"Begun by {side}, countered by {other}:"
        )
    assert axe_violations(page) == []
    screenshot(page, f"small-board-counter-{side.lower()}-{language}")

    page.goto(f"{live_server.url}/w/{workshop.slug}/sessions/{number}/items/1/")
    entries = page.locator(".measure-item-list li")
    entries.first.locator(".measure-lineage").wait_for()
    assert entries.count() == 1
    assert entries.first.locator(".badge").inner_text() == other
    assert entries.first.locator(".measure-lineage a").count() == 1
    assert axe_violations(page) == []
    screenshot(page, f"small-item-panel-counter-{side.lower()}-{language}")


@pytest.mark.parametrize("side", ["CN", "US"])
def test_an_invited_person_sees_their_password_saved(
    live_server, new_page, workshop, side
):
    person = make_participant(
        workshop, code=side, user=UserFactory(username=f"new-{side}", password=None)
    )
    url = invitation_issue(participant=person).url
    page = new_page()

    page.goto(live_server.url + url.split("8000", 1)[1])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("New password", exact=True).fill("a-long-new-pass-1")
    page.get_by_label("New password confirmation").fill("a-long-new-pass-1")
    page.get_by_role("button", name="Save password").click()

    status = page.get_by_role("status")
    assert status.inner_text() == (
        f"Your password is saved. Next time, sign in as new-{side} with it."
    )
    assert page.url.endswith(f"/w/{workshop.slug}/")
    screenshot(page, f"small-password-saved-{side.lower()}")


def organiser_page(live_server, open_page):
    organiser = admin_organiser()
    organiser.set_password("pw-for-tests-only")
    organiser.save()
    page = open_page()
    sign_in(page, live_server, organiser.username)
    return page


def new_people(workshop):
    return [
        make_participant(
            workshop,
            code=code,
            user=UserFactory(
                username=f"new-{code.lower()}-{i}",
                first_name=f"{code} Newcomer",
                last_name=str(i),
                password=None,
            ),
        )
        for code in ("CN", "US")
        for i in (1, 2)
    ]


def test_the_invitation_sheet_copies_each_link_and_prints(
    live_server, audited, workshop
):
    new_people(workshop)
    page = organiser_page(
        live_server, lambda: audited(permissions=["clipboard-read", "clipboard-write"])
    )
    page.goto(f"{live_server.url}/w/{workshop.slug}/invitations/")
    assert page.locator(".invitation-people li").count() == 4
    assert axe_violations(page) == []
    page.get_by_role("button", name="Create 4 links and show the sheet").click()

    cards = page.locator(".invitation-card")
    assert cards.count() == 4
    assert page.get_by_role("button", name="Print").is_visible()
    second = cards.nth(1)
    link = second.get_by_label("Personal sign-in link").input_value()
    second.get_by_role("button", name="Copy").click()
    # The page's script says so once the clipboard has taken it: wait for it.
    expect(second.locator(".copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert "/invite/" in link
    assert axe_violations(page) == []
    screenshot(page, "small-invitation-sheet")

    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Copy").first.is_visible()
    assert not page.locator(".site-header").is_visible()
    assert cards.first.is_visible()
    # On paper the link is text (a field could cut it off).
    assert cards.nth(1).locator(".print-link").inner_text() == link
    assert not cards.nth(1).locator("input.invitation-link").is_visible()
    screenshot(page, "small-invitation-sheet-print")


def test_the_invitation_sheet_without_javascript(live_server, browser, workshop):
    new_people(workshop)
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = organiser_page(live_server, context.new_page)
        page.goto(f"{live_server.url}/w/{workshop.slug}/invitations/")
        page.get_by_role("button", name="Create 4 links and show the sheet").click()

        field = page.locator(".invitation-card").first.get_by_label(
            "Personal sign-in link"
        )
        assert field.get_attribute("readonly") is not None
        assert "/invite/" in field.input_value()
        assert not page.get_by_role("button", name="Copy").first.is_visible()
        screenshot(page, "small-invitation-sheet-nojs")
    finally:
        context.close()


def test_a_delegate_gets_404_for_the_invitation_sheet(live_server, new_page, workshop):
    d = build_dialogue(workshop)
    page = new_page()
    sign_in(page, live_server, d.head("US").user.username)

    response = page.goto(f"{live_server.url}/w/{workshop.slug}/invitations/")

    assert response.status == 404


def test_the_admin_invitation_links_have_copy_buttons(live_server, audited, workshop):
    people = new_people(workshop)
    page = organiser_page(
        live_server, lambda: audited(permissions=["clipboard-read", "clipboard-write"])
    )
    page.goto(
        f"{live_server.url}/admin/dialogue/participant/?workshop__id__exact={workshop.pk}"
    )
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("issue_invitations")
    page.locator("button[name=index]").click()

    buttons = page.locator("button.copy-link")
    assert buttons.count() == len(people)
    buttons.first.click()
    row = page.locator("#content-main tbody tr").first
    expect(row.locator(".copy-status")).to_have_text("Copied")
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == row.locator("input.invitation-link").input_value()
    )
    screenshot(page, "small-admin-invitations")


def test_the_admin_saves_authors_one_per_line_and_the_endorsement_rule(
    live_server, new_page, workshop
):
    page = organiser_page(live_server, new_page)
    page.goto(f"{live_server.url}/admin/dialogue/workshop/{workshop.pk}/change/")
    page.get_by_label("Endorsement rule").select_option("majority")
    page.get_by_label("Source authors").fill("LIU Weidong\n\nSHI Peipei\n")
    screenshot(page, "small-admin-workshop")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()

    assert page.locator(".messagelist .success").count() == 1
    workshop.refresh_from_db()
    assert workshop.source_authors == ["LIU Weidong", "SHI Peipei"]
    assert workshop.endorsement_rule == "majority"
    assert page.get_by_label("Source authors").input_value() == (
        "LIU Weidong\nSHI Peipei"
    )
