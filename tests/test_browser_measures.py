"""Reciprocal measures in a real browser: one side proposes, the other
counters, the first supports the counter, both heads endorse it, and the
package board (already open, polling) shows it endorsed by both sides."""

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from dialogue.models import ReciprocalMeasure
from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
)
from tests.builders import axe_violations, build_dialogue, propose, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def board_column(page, label: str):
    return page.locator("section.measure-column").filter(
        has=page.get_by_role("heading", name=label)
    )


@pytest.mark.parametrize("side", ["CN", "US"])
def test_propose_counter_support_and_endorse_by_both(
    live_server, new_page, workshop, side
):
    d = build_dialogue(workshop)
    other = d.other(side)
    proposer, counterer, watcher = (
        d.delegates[side][1],
        d.delegates[other][1],
        d.delegates[other][2],
    )
    number = 1 if side == "CN" else 2
    title = f"Hotline proposed by {side}"

    # One side proposes, from the board.
    page = new_page()
    sign_in(page, live_server, proposer.user.username)
    page.goto(f"{live_server.url}/w/{workshop.slug}/sessions/{number}/measures/")
    page.get_by_role("link", name="Propose a measure").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label(f"{number}.1 Item {number}.1").check()
    page.get_by_label("What your side would do").fill("Name a duty officer.")
    page.get_by_label("What the other side would do").fill("Answer within an hour.")
    page.get_by_label("Your side first").check()
    page.get_by_label("Timeframe").fill("Three months")
    page.get_by_label("Type").select_option("communication")
    screenshot(page, f"measures-{side.lower()}-1-propose-form")
    page.get_by_role("button", name="Propose", exact=True).click()
    assert page.locator(".measure-status").inner_text() == "Proposed"

    # The other side counters: the form starts from its own side.
    page2 = new_page()
    sign_in(page2, live_server, counterer.user.username)
    page2.goto(f"{live_server.url}/w/{workshop.slug}/sessions/{number}/measures/")
    page2.get_by_role("link", name=title).click()
    page2.get_by_role("link", name="Counter-propose").click()
    assert page2.get_by_label("What your side would do").input_value() == (
        "Answer within an hour."
    )
    assert page2.get_by_label("The other side first").is_checked()
    page2.get_by_label("Timeframe").fill("One month")
    # The mark is shown by the page's script on input: wait for it.
    expect(page2.locator("#field-timeframe .changed-mark")).to_be_visible()
    assert not page2.locator("#field-title .changed-mark").is_visible()
    screenshot(page2, f"measures-{side.lower()}-2-counter-form")
    page2.get_by_role("button", name="Send the counter-proposal").click()
    assert page2.locator("h1").inner_text() == title
    assert page2.locator(".field.changed dt").all_inner_texts() == ["Timeframe CHANGED"]
    screenshot(page2, f"measures-{side.lower()}-3-counter")

    # The first side supports the counter.
    counter = ReciprocalMeasure.objects.get(revision=2)
    counter_url = f"{live_server.url}/w/{workshop.slug}/measures/{counter.pk}/"
    page.goto(counter_url)
    page.get_by_label("Support", exact=True).check()
    page.get_by_label("Reason").fill("One month is fine.")
    page.get_by_role("button", name="Send the answer").click()
    assert page.get_by_text("Your answer is recorded.").is_visible()

    # A delegate of the other side watches the board while the heads endorse.
    board = new_page()
    sign_in(board, live_server, watcher.user.username)
    board.goto(f"{live_server.url}/w/{workshop.slug}/sessions/{number}/measures/")
    assert board_column(board, "Under discussion").get_by_text(title).is_visible()

    for code in (side, other):
        head = new_page()
        sign_in(head, live_server, d.head(code).user.username)
        head.goto(counter_url)
        endorse = f"Endorse on behalf of {d.delegations[code].name}"
        head.get_by_role("button", name=endorse).click()
        # The step asks first (a dialog); its own button endorses.
        head.locator("#confirm-dialog").get_by_role("button", name=endorse).click()
        head.get_by_text(
            "The measure is endorsed on behalf of your delegation."
        ).wait_for()
        assert head.get_by_text(
            "The measure is endorsed on behalf of your delegation."
        ).is_visible()
    screenshot(head, f"measures-{side.lower()}-4-endorsed")

    both = board_column(board, "Endorsed by both sides")
    both.get_by_role("link", name=title).wait_for(timeout=15_000)
    assert board_column(board, "Under discussion").get_by_text(title).count() == 0
    screenshot(board, f"measures-{side.lower()}-5-board")
    counter.refresh_from_db()
    assert counter.status == "endorsed_both"

    # The session page's panel loads the counts and links to the board.
    board.goto(f"{live_server.url}/w/{workshop.slug}/sessions/{number}/")
    counts = board.locator(".measure-counts")
    counts.wait_for()
    assert " ".join(counts.inner_text().split()) == (
        "2 measures on this session’s items: Proposed 0 · Under discussion 0 · "
        "Endorsed by one side 0 · Endorsed by both sides 1 · Superseded 1"
    )
    screenshot(board, f"measures-{side.lower()}-6-session-panel")

    # The item page's panel lists the latest revision, with its chain.
    board.goto(f"{live_server.url}/w/{workshop.slug}/sessions/{number}/items/1/")
    listed = board.locator(".measure-item-list li")
    listed.first.wait_for()
    assert [" ".join(text.split()) for text in listed.all_inner_texts()] == [
        f"{title} {other} Endorsed by both sides 1 answer "
        f"Begun by {side}, countered by {other}: "
        f"revision 1 by {side} → revision 2 by {other}",
    ]
    screenshot(board, f"measures-{side.lower()}-7-item-panel")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_measure_pages_have_no_serious_accessibility_violations(
    live_server, audit_page, workshop, language
):
    d = build_dialogue(workshop)
    measure = propose(d, "CN")
    measure_answer(
        measure=measure, by=d.delegates["US"][1], stance="oppose", reason="x"
    )
    counter = measure_counter(
        measure=measure,
        by=d.delegates["US"][1],
        content=replace(
            content_for_side(measure, d.delegations["US"].pk), timeframe="Soon"
        ),
        items=[d.item_of("CN")],
    )
    page = audit_page
    sign_in(page, live_server, d.head("CN").user.username)
    if language != "en":
        page.get_by_label("Language").select_option(language)
        page.locator(".language-form button").click()
    slug = workshop.slug
    urls = [
        f"/w/{slug}/sessions/1/measures/",
        f"/w/{slug}/measures/{counter.pk}/",
        f"/w/{slug}/measures/{measure.pk}/",
        f"/w/{slug}/measures/new/",
        f"/w/{slug}/measures/{counter.pk}/counter/",
    ]

    found = {}
    for url in urls:
        page.goto(live_server.url + url)
        found[url] = axe_violations(page)

    assert found == {url: [] for url in urls}
