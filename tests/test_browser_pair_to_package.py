"""From a mirror pair to an agreed package, in a real browser: the US head
proposes a measure from a shipped link (the form filled from its two
passages), a CN delegate bundles it with a CN measure, and both heads
endorse the package as a whole; the board from each side, in English and
in Chinese."""

from dataclasses import replace

import pytest

from dialogue.models import ItemLink, MeasurePackage, Phase, ReciprocalMeasure
from dialogue.services.measures import measure_create
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    CONTENT,
    admin_organiser,
    make_participant,
    screenshot,
    sign_in,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def to_chinese(page):
    page.get_by_label("Language").select_option("zh-hans")
    page.locator(".language-form button").click()
    page.wait_for_load_state()


def test_a_mirror_pair_becomes_a_measure_then_a_package_both_heads_endorse(
    live_server, new_page, seeded
):
    for session in seeded.sessions.all():
        session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    heads = {
        code: make_participant(
            seeded, code=code, is_head=True, user=UserFactory(username=f"{code}-head")
        )
        for code in ("CN", "US")
    }
    make_participant(seeded, code="CN", user=UserFactory(username="CN-delegate"))
    link = ItemLink.objects.filter(workshop=seeded).order_by("pk").first()
    base = f"{live_server.url}/w/{seeded.slug}"

    # The US head proposes a measure from the pair: both passages and both
    # items come filled in.
    us = new_page()
    sign_in(us, live_server, "US-head")
    us.goto(f"{base}/links/")
    us.locator(f"#link-{link.pk} a[href*='?link={link.pk}']").click()
    assert us.locator("input[name=items]:checked").count() == 2
    us.get_by_label("Title").fill("Exchanges both ways")
    us.get_by_role("button", name="Propose").click()
    us.locator("h1").wait_for()
    from_pair = ReciprocalMeasure.objects.get(title="Exchanges both ways")
    assert from_pair.items.count() == 2 and from_pair.our_action == link.quote_a

    # A CN measure on the table, then a CN delegate bundles the two.
    cn_measure = measure_create(
        proposer=heads["CN"],
        content=replace(CONTENT, title="Visas for scholars"),
        items=[from_pair.items.order_by("session__number").last()],
    )
    cn = new_page()
    sign_in(cn, live_server, "CN-delegate")
    cn.goto(f"{base}/packages/new/?measure={from_pair.pk}&measure={cn_measure.pk}")
    cn.get_by_label("Title").fill("People and exchanges")
    cn.get_by_role("button", name="Put the package on the table").click()
    assert cn.locator("h1").inner_text() == "People and exchanges"
    package = MeasurePackage.objects.get(title="People and exchanges")
    session_number = from_pair.items.order_by("session__number").first().session.number

    # Both heads endorse it as a whole, the US head in Chinese.
    for code, page in (("CN", new_page()), ("US", us)):
        if code == "CN":
            sign_in(page, live_server, "CN-head")
        else:
            to_chinese(page)
        page.goto(f"{base}/sessions/{session_number}/measures/")
        card = page.locator(".package-card", has_text="People and exchanges")
        card.locator("form[action$='/endorse/'] button").click()
        page.locator("#confirm-dialog form button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{base}/sessions/{session_number}/measures/")
        page.locator(".package-card").first.scroll_into_view_if_needed()
        screenshot(
            page, f"pair-to-package-{code.lower()}-{'zh' if code == 'US' else 'en'}"
        )
    package.refresh_from_db()
    assert package.endorsements.count() == 2
    assert "Agreed by both sides" in cn_board_text(
        new_page(), live_server, base, session_number
    )


def cn_board_text(page, live_server, base, session_number) -> str:
    sign_in(page, live_server, "CN-delegate")
    page.goto(f"{base}/sessions/{session_number}/measures/")
    return page.locator(".package-card").first.inner_text()
