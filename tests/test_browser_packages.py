"""Packages in a real browser: a delegate bundles two measures (one from each
side), both heads endorse the package, then a counter-proposal to a member
suspends it; the board seen from each side, in English and in Chinese."""

import pytest

from tests.builders import build_dialogue, propose, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def endorse_from_board(page, live_server, d, code):
    """The head endorses from the board through the confirm dialog."""
    page.goto(f"{live_server.url}/w/{d.workshop.slug}/sessions/1/measures/")
    cards = page.locator(".package-card")
    label = f"Endorse the package on behalf of {d.delegations[code].name}"
    cards.get_by_role("button", name=label).click()
    page.locator("#confirm-dialog").get_by_role("button", name=label).click()
    page.get_by_text("The package is endorsed on behalf of your delegation.").wait_for()


def sides(page) -> str:
    return " ".join(page.locator(".package-card .package-sides").inner_text().split())


@pytest.mark.parametrize("side", ["CN", "US"])
def test_bundle_endorse_by_both_then_a_counter_suspends(
    live_server, new_page, workshop, side
):
    d = build_dialogue(workshop)
    other = d.other(side)
    propose(d, "CN", title="Military hotline")
    propose(d, "US", title="Visa easing")
    slug = workshop.slug

    # A delegate of `side` bundles the two measures, from the board.
    page = new_page()
    sign_in(page, live_server, d.delegates[side][1].user.username)
    page.goto(f"{live_server.url}/w/{slug}/sessions/1/measures/")
    page.get_by_role("link", name="Bundle measures into a package").click()
    page.get_by_label("Title").fill("Hotline and visas")
    page.get_by_label("Military hotline (CN)").check()
    page.get_by_label("Visa easing (US)").check()
    page.get_by_label("Note").fill("Both or none.")
    page.get_by_role("button", name="Put the package on the table").click()
    assert page.locator("h1").inner_text() == "Hotline and visas"
    assert page.locator(".package-status").inner_text() == "Awaiting endorsement"

    # Both heads endorse it, the other side first.
    for code in (other, side):
        head = new_page()
        sign_in(head, live_server, d.head(code).user.username)
        endorse_from_board(head, live_server, d, code)
    head.goto(f"{live_server.url}/w/{slug}/sessions/1/measures/")
    assert head.locator(".package-card .package-status").inner_text() == (
        "Agreed by both sides"
    )
    assert sides(head) == "CN Endorsed as a whole US Endorsed as a whole"
    screenshot(head, f"packages-{side.lower()}-1-agreed")


def test_a_counter_to_a_member_of_an_agreed_package_suspends_it_in_both_languages(
    live_server, new_page, workshop
):
    d = build_dialogue(workshop)
    cn = propose(d, "CN", title="Military hotline")
    us = propose(d, "US", title="Visa easing")
    slug = workshop.slug
    page = new_page()
    sign_in(page, live_server, d.delegates["CN"][1].user.username)
    page.goto(
        f"{live_server.url}/w/{slug}/packages/new/?measure={cn.pk}&measure={us.pk}"
    )
    page.get_by_label("Title").fill("Hotline and visas")
    page.get_by_role("button", name="Put the package on the table").click()
    page.locator("h1").wait_for()
    heads = {}
    for code in ("US", "CN"):
        heads[code] = new_page()
        sign_in(heads[code], live_server, d.head(code).user.username)
        endorse_from_board(heads[code], live_server, d, code)

    # A CN delegate counters the US member of the agreed package.
    counterer = new_page()
    sign_in(counterer, live_server, d.delegates["CN"][2].user.username)
    counterer.goto(f"{live_server.url}/w/{slug}/measures/{us.pk}/")
    counterer.get_by_role("link", name="Counter-propose").click()
    counterer.get_by_label("Timeframe").fill("One month")
    counterer.get_by_role("button", name="Send the counter-proposal").click()
    counterer.locator("h1").wait_for()

    # The US head's board (English) shows it suspended, with the counter in
    # the place of the original.
    us_head = heads["US"]
    us_head.goto(f"{live_server.url}/w/{slug}/sessions/1/measures/")
    card = us_head.locator(".package-card")
    assert card.locator(".package-status").inner_text() == (
        "Suspended: a member changed"
    )
    assert sides(us_head) == "CN Endorsement suspended US Endorsement suspended"
    assert card.get_by_role("button").count() == 1  # its head may endorse again
    screenshot(us_head, "packages-us-2-suspended-board-en")
    us_head.get_by_role("link", name="Hotline and visas").click()
    history = us_head.locator(".measure-history li").all_inner_texts()
    assert "“Visa easing” was countered" in history[-1]
    screenshot(us_head, "packages-us-3-suspended-page-en")

    # The CN head sees the same from the other session's board, in Chinese.
    cn_head = heads["CN"]
    cn_head.get_by_label("Language").select_option("zh-hans")
    cn_head.locator(".language-form button").click()
    cn_head.goto(f"{live_server.url}/w/{slug}/sessions/2/measures/")
    assert cn_head.locator("html").get_attribute("lang") == "zh-hans"
    cn_head.locator(".package-card").wait_for()
    screenshot(cn_head, "packages-cn-4-suspended-board-zh")
    cn_head.locator(".package-card h3 a").click()
    cn_head.locator(".measure-history").wait_for()
    screenshot(cn_head, "packages-cn-5-suspended-page-zh")
