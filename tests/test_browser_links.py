"""Item links in a real browser: the CN head (in English) and the US head
(in Chinese) each confirm a shipped link on the links page, then one of
them proposes a measure from the pair; screenshots from each side."""

import pytest

from dialogue.models import ItemLink, Phase
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, make_participant, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_both_heads_confirm_a_shipped_link_then_propose_a_measure(
    live_server, new_page, seeded
):
    for session in seeded.sessions.all():
        session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    for code in ("CN", "US"):
        make_participant(
            seeded, code=code, is_head=True, user=UserFactory(username=f"{code}-head")
        )
    link = ItemLink.objects.filter(workshop=seeded).order_by("pk").first()
    links_url = f"{live_server.url}/w/{seeded.slug}/links/"
    row = f"#link-{link.pk}"

    # The CN head, in English, confirms.
    cn = new_page()
    sign_in(cn, live_server, "CN-head")
    cn.goto(f"{live_server.url}/w/{seeded.slug}/")
    cn.get_by_role(
        "link", name="Links between the two lists of recommendations"
    ).click()
    assert cn.locator("#link-chart svg g.link").count() == 10
    cn.locator(row).get_by_role("button", name="Confirm for Chinese scholars").click()
    assert cn.locator(f"{row} .link-verdicts").inner_text().split() == [
        "CN",
        "Confirmed",
        "US",
        "Not",
        "decided",
        "yet",
    ]
    screenshot(cn, "links-cn-en-confirmed")

    # The US head, in Chinese, confirms the same link: it is agreed.
    us = new_page()
    sign_in(us, live_server, "US-head")
    us.goto(links_url)
    us.get_by_label("Language").select_option("zh-hans")
    us.locator(".language-form button").click()
    assert us.locator("html").get_attribute("lang") == "zh-hans"
    us.goto(links_url)
    us.locator(f"{row} form[action$='/confirm/'] button").click()
    assert us.locator(f"{row}.state-agreed").count() == 1
    us.locator(row).scroll_into_view_if_needed()
    screenshot(us, "links-us-zh-agreed")

    # From the pair, the measure form opens filled in, both items ticked: the
    # US would do what 1.5 asks of it, the other side what 2.4 asks of China.
    us.locator(f"{row} a[href*='?link={link.pk}']").click()
    assert us.locator("textarea[name=our_action]").input_value() == link.quote_a
    assert us.locator("textarea[name=their_action]").input_value() == link.quote_b
    assert us.locator("input[name=items]:checked").count() == 2
    screenshot(us, "links-us-zh-measure-form")
    assert (
        ItemLink.objects.get(pk=link.pk).verdicts.filter(decision="confirmed").count()
        == 2
    )
