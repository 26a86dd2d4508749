"""The links page and its actions for every role and for strangers, the
item page's links, "Propose a measure from this pair", and the page's cost."""

import re

import pytest
from django.urls import reverse

from dialogue.models import ItemLink, LinkVerdict, Phase, Role
from dialogue.services.links import link_confirm
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    admin_organiser,
    count_get_queries,
    login,
    make_participant,
    page_text,
    suggest_link,
    verdicts,
)


def url(name, workshop, *args):
    return reverse(name, args=[workshop.slug, *args])


def suggestion(d, **changes) -> dict:
    return {
        "kind": "mirror",
        "item_a": d.items[(1, 2)].pk,
        "quote_a": "Body text",
        "item_b": d.items[(2, 2)].pk,
        "quote_b": "Item 2.2",
        "note": "",
    } | changes


# --- reading ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["cn", "us", "observer", "rapporteur", "organiser", "facilitator"]
)
def test_everyone_in_the_workshop_reads_the_page(client, d, who):
    suggest_link(d)
    people = {
        "cn": d.delegates["CN"][1],
        "us": d.delegates["US"][1],
        "observer": d.observer,
    }
    role = {"rapporteur": Role.RAPPORTEUR, "organiser": Role.ORGANISER}
    role["facilitator"] = Role.FACILITATOR
    participant = people.get(who) or make_participant(d.workshop, role=role[who])
    login(client, participant)

    response = client.get(url("links_page", d.workshop))

    assert response.status_code == 200
    text = page_text(response)
    assert "Item 1.1" in text and "Item 2.1" in text
    assert text.count('<g class="link">') == 1


def test_a_stranger_gets_404(client, d, stranger):
    client.force_login(stranger)
    link = suggest_link(d)

    assert client.get(url("links_page", d.workshop)).status_code == 404
    assert (
        client.post(url("link_suggest", d.workshop), suggestion(d)).status_code == 404
    )
    assert client.post(url("link_confirm", d.workshop, link.pk)).status_code == 404
    assert client.post(url("link_reject", d.workshop, link.pk)).status_code == 404
    assert ItemLink.objects.count() == 1


def test_a_member_of_another_workshop_gets_404(client, d, other_workshop_member):
    login(client, other_workshop_member)
    link = suggest_link(d)

    assert client.get(url("links_page", d.workshop)).status_code == 404
    assert client.post(url("link_confirm", d.workshop, link.pk)).status_code == 404
    assert verdicts(link) == {"CN": "pending", "US": "pending"}


def test_signed_out_is_sent_to_sign_in(client, d):
    response = client.get(url("links_page", d.workshop))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_link_into_a_draft_session_is_404_for_a_delegate(client, d):
    link = suggest_link(d)
    d.sessions[2].phase = "draft"
    d.sessions[2].save()
    login(client, d.head("CN"))

    assert client.post(url("link_confirm", d.workshop, link.pk)).status_code == 404
    assert (
        page_text(client.get(url("links_page", d.workshop))).count('<g class="link">')
        == 0
    )


def test_the_wrong_method_is_405(client, d):
    login(client, d.head("CN"))
    link = suggest_link(d)

    assert client.get(url("link_confirm", d.workshop, link.pk)).status_code == 405
    assert client.get(url("link_suggest", d.workshop)).status_code == 405
    assert client.post(url("links_page", d.workshop)).status_code == 405


# --- deciding -----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_head_confirms_through_the_page(client, d, code):
    link = suggest_link(d)
    login(client, d.head(code))

    response = client.post(url("link_confirm", d.workshop, link.pk))

    assert response.status_code == 302
    assert response["Location"] == url("links_page", d.workshop) + f"#link-{link.pk}"
    assert verdicts(link) == {code: "confirmed", d.other(code): "pending"}


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_head_sees_the_buttons_and_a_delegate_does_not(client, d, code):
    suggest_link(d)
    name = d.delegations[code].name

    login(client, d.head(code))
    head_page = page_text(client.get(url("links_page", d.workshop)))
    login(client, d.delegates[code][1])
    delegate_page = page_text(client.get(url("links_page", d.workshop)))

    assert f"Confirm for {name}" in head_page and f"Reject for {name}" in head_page
    assert "Confirm for" not in delegate_page


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_who_may_not_decide_is_told_why(client, d, code):
    link = suggest_link(d)
    login(client, d.delegates[code][1])

    response = client.post(url("link_reject", d.workshop, link.pk))

    assert response.status_code == 400
    assert "confirms or rejects links on its behalf" in page_text(response)
    assert verdicts(link) == {"CN": "pending", "US": "pending"}


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.RAPPORTEUR])
def test_readers_cannot_decide_or_suggest(client, d, role):
    link = suggest_link(d)
    login(client, make_participant(d.workshop, role=role))

    confirm = client.post(url("link_confirm", d.workshop, link.pk))
    suggest = client.post(url("link_suggest", d.workshop), suggestion(d))
    page = page_text(client.get(url("links_page", d.workshop)))

    assert (confirm.status_code, suggest.status_code) == (403, 403)
    assert verdicts(link) == {"CN": "pending", "US": "pending"}
    assert ItemLink.objects.count() == 1
    assert "Suggest a link" not in page and "Confirm for" not in page


# --- suggesting ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_suggests_through_the_form(client, d, code):
    login(client, d.delegates[code][2])

    response = client.post(url("link_suggest", d.workshop), suggestion(d))

    link = ItemLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("links_page", d.workshop) + f"#link-{link.pk}"
    assert (link.suggested_for.code, link.quote_b) == (code, "Item 2.2")


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_form_says_for_whom_a_suggestion_is_made(client, d, code):
    login(client, d.delegates[code][2])
    page = page_text(client.get(url("links_page", d.workshop)))
    name = d.delegations[code].name
    assert f"You suggest it for {name}; each delegation then confirms" in page

    login(client, make_participant(d.workshop, role=Role.ORGANISER))
    page = page_text(client.get(url("links_page", d.workshop)))
    assert "You suggest it as the organisers" in page


def test_a_quote_not_in_the_text_is_shown_with_the_form(client, d):
    login(client, d.head("US"))

    response = client.post(
        url("link_suggest", d.workshop), suggestion(d, quote_a="Invented")
    )

    assert response.status_code == 400
    assert "copied exactly from the item" in page_text(response)
    assert ItemLink.objects.count() == 0


def test_a_point_the_item_does_not_have_is_a_form_error(client, d):
    login(client, d.head("US"))

    response = client.post(url("link_suggest", d.workshop), suggestion(d, point_a=4))

    assert response.status_code == 400
    assert "Item 1.2 has no point 4." in page_text(response)
    assert ItemLink.objects.count() == 0


# --- the item page and the measure form ---------------------------------------------


def test_the_item_page_lists_its_links(client, d):
    link = suggest_link(d, note="")
    login(client, d.observer)

    text = page_text(client.get(d.items[(2, 1)].get_absolute_url()))

    assert f'id="item-link-{link.pk}"' in text
    assert "Links to other recommendations" in text


@pytest.mark.parametrize("code", ["CN", "US"])
def test_propose_a_measure_from_the_pair_fills_the_form(client, d, code):
    link = suggest_link(d)
    link.quote_a, link.quote_b = "Body text", "Item 2.1"
    link.save()
    login(client, d.delegates[code][1])

    response = client.get(url("measure_create", d.workshop) + f"?link={link.pk}")

    form = response.context["form"]
    ours = "Body text" if code == "US" else "Item 2.1"  # 1.1 asks it of US
    theirs = "Item 2.1" if code == "US" else "Body text"
    assert (form.initial["our_action"], form.initial["their_action"]) == (ours, theirs)
    assert sorted(i.pk for i in form.initial["items"]) == sorted(
        [d.items[(1, 1)].pk, d.items[(2, 1)].pk]
    )
    text = page_text(response)
    assert len(re.findall(r'name="items"[^>]*checked', text)) == 2


def test_propose_from_a_link_of_another_workshop_is_404(
    client, d, other_workshop_member
):
    link = suggest_link(d)
    login(client, other_workshop_member)

    response = client.get(
        reverse("measure_create", args=["another-dialogue"]) + f"?link={link.pk}"
    )

    assert response.status_code == 404


# --- cost ---------------------------------------------------------------------------


def _cost(client, participant, workshop) -> int:
    """Queries of the links page, signed in as `participant`, after a first
    visit (the first request of a sign-in fills caches that later ones find)."""
    login(client, participant)
    client.get(url("links_page", workshop))
    return count_get_queries(client, url("links_page", workshop))


def test_the_page_costs_the_same_for_twelve_items_as_for_four(client, d, seeded):
    suggest_link(d)
    small = _cost(client, d.head("CN"), d.workshop)
    for session in seeded.sessions.all():
        session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    cn = make_participant(seeded, code="CN", is_head=True)
    for link in ItemLink.objects.filter(workshop=seeded)[:3]:
        link_confirm(link=link, by=cn)

    large = _cost(client, cn, seeded)

    assert ItemLink.objects.filter(workshop=seeded).count() == 10
    assert LinkVerdict.objects.filter(link__workshop=seeded).count() == 20
    assert large == small
    assert (
        page_text(client.get(url("links_page", seeded))).count('<g class="link">') == 10
    )
