"""Response pages and actions for every role, from each side as mirror
images; strangers get 404; sealed drafts change no byte of what anyone
outside the answering delegation is shown."""

import re

import pytest
from django.urls import reverse

from dialogue.models import (
    EndorsementRule,
    Phase,
    Response,
    ResponseReply,
    ResponseRevision,
    ResponseRound,
)
from dialogue.services import responses as svc
from tests.builders import count_get_queries, make_participant, page_text

OTHER = {"CN": "US", "US": "CN"}


@pytest.fixture
def w(seeded):
    from tests.test_responses_services import Sides

    seeded.sessions.update(phase=Phase.OPEN)
    return Sides(seeded)


def url(name, w, item=None):
    slug = w.workshop.slug
    if item is None:
        return reverse(name, args=[slug])
    return reverse(name, args=[slug, item.session.number, item.number])


def post_save(client, w, item, base=0, **fields):
    data = {
        "stance": "accept",
        "reasoning": "We agree.",
        "conditions": "",
        "base": base,
    }
    return client.post(url("response_save", w, item), data | fields)


def test_strangers_and_other_workshops_get_404(
    client, w, stranger, other_workshop_member
):
    w.open()
    item = w.item_for("CN")
    for user in (stranger, other_workshop_member.user):
        client.force_login(user)
        for name, target in (("responses", None), ("response_item", item)):
            assert client.get(url(name, w, target)).status_code == 404
        assert post_save(client, w, item).status_code == 404
    assert ResponseRevision.objects.count() == 0


def test_every_member_reads_the_overview_and_only_moderators_run_the_round(client, w):
    for who in (w.head["CN"], w.delegate["US"], w.observer, w.rapporteur):
        client.force_login(who.user)
        assert client.get(url("responses", w)).status_code == 200
        assert client.post(url("response_round_open", w)).status_code == 403
    assert ResponseRound.objects.count() == 0
    client.force_login(w.facilitator.user)
    assert "Open the response round" in page_text(client.get(url("responses", w)))
    assert client.post(url("response_round_open", w)).status_code == 302
    assert client.post(url("response_round_open", w)).status_code == 302
    assert ResponseRound.objects.count() == 1


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_drafts_and_the_head_adopts_from_the_page(client, w, code):
    w.open()
    item = w.item_for(code)
    client.force_login(w.delegate[OTHER[code]].user)
    assert post_save(client, w, item).status_code == 403
    client.force_login(w.observer.user)
    assert post_save(client, w, item).status_code == 403
    assert ResponseRevision.objects.count() == 0

    client.force_login(w.delegate[code].user)
    page = page_text(client.get(url("response_item", w, item)))
    assert "Only your delegation sees this drafting space." in page
    response = post_save(client, w, item, stance="accept_if", conditions="")
    assert response.status_code == 400
    assert "what would make it acceptable" in page_text(response)
    assert post_save(client, w, item, reasoning="Our *answer*.").status_code == 302
    data = {"delegation": code, "revision": 1}
    refused = client.post(url("response_adopt", w, item), data)
    assert refused.status_code == 400 and "head of the delegation" in page_text(refused)

    client.force_login(w.head[OTHER[code]].user)
    assert client.post(url("response_adopt", w, item), data).status_code == 404
    client.force_login(w.head[code].user)
    assert client.post(url("response_adopt", w, item), data).status_code == 302
    assert Response.objects.get().adopted.number == 1


def test_an_edit_on_a_stale_revision_keeps_the_text_and_shows_the_current_one(
    client, w
):
    w.open()
    item = w.item_for("US")
    client.force_login(w.head["US"].user)
    post_save(client, w, item, reasoning="Saved first by the head.")
    client.force_login(w.delegate["US"].user)
    response = post_save(client, w, item, base=0, reasoning="Typed meanwhile.")
    text = page_text(response)
    assert response.status_code == 409
    assert "saved a newer version" in text
    assert "Saved first by the head." in text and "Typed meanwhile." in text
    assert ResponseRevision.objects.count() == 1
    assert 'name="base" value="1"' in response.content.decode()


def _normalised(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", html)
    return re.sub(r'name="submission" value="[^"]+"', "KEY", html)


@pytest.mark.parametrize("code", ["CN", "US"])
def test_sealed_drafts_change_nothing_anyone_outside_the_delegation_sees(
    client, w, code
):
    w.open()
    item = w.item_for(code)
    readers = [
        w.head[OTHER[code]],
        w.delegate[OTHER[code]],
        w.observer,
        w.rapporteur,
        w.facilitator,
    ]
    pages = [
        url("responses", w),
        url("response_item", w, item),
        item.get_absolute_url(),
        item.session.get_absolute_url(),
    ]

    def seen():
        out = []
        for reader in readers:
            client.force_login(reader.user)
            for page in pages:
                response = client.get(page)
                assert response.status_code == 200, (reader, page)
                out.append((_normalised(response), response.get("ETag")))
        return out

    first, rev, _ = svc.response_save(
        participant=w.head[code],
        item=item,
        stance="accept",
        reasoning="Draft one.",
        base=0,
    )
    svc.response_adopt(participant=w.head[code], response=first, revision=1)
    before = seen()
    svc.response_save(
        participant=w.delegate[code],
        item=item,
        stance="cannot_accept",
        reasoning="An entirely different secret.",
        conditions="Never.",
        base=1,
    )
    after = seen()
    assert before == after
    assert not any("secret" in page or "Draft one" in page for page, _tag in after)


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_reveal_asks_first_then_both_sides_read_and_reply(client, w, code):
    w.open()
    item = w.item_for(code)
    response, _rev, _ = svc.response_save(
        participant=w.head[code],
        item=item,
        stance="accept_in_part",
        reasoning="In part.",
        conditions="If you also act.",
        base=0,
    )
    svc.response_adopt(participant=w.head[code], response=response, revision=1)
    client.force_login(w.facilitator.user)
    ask = client.get(url("response_reveal", w))
    assert ask.status_code == 200 and "unanswered" in page_text(ask)
    assert client.post(url("response_reveal", w)).status_code == 400
    assert not ResponseRound.objects.get().revealed
    assert client.post(url("response_reveal", w), {"confirm": "1"}).status_code == 302
    assert ResponseRound.objects.get().revealed

    client.force_login(w.delegate[OTHER[code]].user)
    page = page_text(client.get(url("response_item", w, item)))
    assert "Accept in part" in page and "If you also act." in page
    data = {
        "delegation": code,
        "body": "Which agencies?",
        "kind": "clarification",
        "submission": "5b0a7f6e-8c1d-4b7e-9a53-0d7c1f2e3a4b",
    }
    assert client.post(url("response_reply", w, item), data).status_code == 302
    assert client.post(url("response_reply", w, item), data).status_code == 302
    assert ResponseReply.objects.count() == 1
    client.force_login(w.observer.user)
    assert (
        client.post(
            url("response_reply", w, item), data | {"submission": ""}
        ).status_code
        == 400
    )


def test_the_overview_costs_the_same_queries_at_1_and_12_items(client, w):
    w.open()
    client.force_login(w.head["CN"].user)
    many = count_get_queries(client, url("responses", w))
    keep = w.item_for("CN").pk
    from dialogue.models import AgendaItem

    AgendaItem.objects.filter(session__workshop=w.workshop).exclude(pk=keep).delete()
    assert count_get_queries(client, url("responses", w)) == many


def test_the_admin_has_no_page_that_could_show_a_sealed_draft(client, w, organiser):
    from django.urls import NoReverseMatch

    w.open()
    item = w.item_for("CN")
    svc.response_save(
        participant=w.head["CN"],
        item=item,
        stance="accept",
        reasoning="Sealed words.",
        base=0,
    )
    for model in (
        "responseround",
        "response",
        "responserevision",
        "responseadoption",
        "responsereply",
    ):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:dialogue_{model}_changelist")
    client.force_login(organiser)
    for page in (
        reverse("admin:index"),
        reverse("admin:dialogue_agendaitem_change", args=[item.pk]),
        reverse("admin:dialogue_workshop_change", args=[w.workshop.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200 and "Sealed words." not in page_text(
            response
        )


def test_under_a_majority_a_delegate_who_adopted_is_not_offered_it_again(client, w):
    w.workshop.endorsement_rule = EndorsementRule.MAJORITY
    w.workshop.save()
    make_participant(w.workshop, code="US")
    w.open()
    item = w.item_for("US")
    client.force_login(w.delegate["US"].user)
    post_save(client, w, item)
    data = {"delegation": "US", "revision": 1}
    page = page_text(client.get(url("response_item", w, item)))
    assert "Adopt revision 1 for the delegation" in page
    assert client.post(url("response_adopt", w, item), data).status_code == 302
    page = page_text(client.get(url("response_item", w, item)))
    assert "Adopt revision 1 for the delegation" not in page
    assert "You have adopted this revision" in page
