"""Measure pages through the client: who gets in (anonymous visitors,
strangers, other workshops, readers) with which methods, and drafts kept
private to their proposer."""

from dataclasses import replace

import pytest
from django.urls import reverse

from dialogue.models import MeasureEndorsement, MeasureResponse, ReciprocalMeasure, Role
from dialogue.services.measures import measure_create
from tests.builders import CONTENT, login, make_participant, propose, titles
from tests.builders import measure_url as url
from tests.builders import page_text as page

# --- who gets in ------------------------------------------------------------------

GET_PAGES = [
    ("measure_board", lambda d, m: (1,)),
    ("measure_detail", lambda d, m: (m.pk,)),
    ("measure_create", lambda d, m: ()),
]
POST_ACTIONS = ["measure_answer", "measure_endorse", "measure_withdraw"]


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_pages_redirect_anonymous_visitors_to_sign_in(client, d, name, args):
    measure = propose(d)

    response = client.get(url(name, d, *args(d, measure)))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "name",
    [*POST_ACTIONS, "measure_propose", "measure_delete", "measure_counter"],
)
def test_actions_redirect_anonymous_visitors_and_write_nothing(client, d, name):
    measure = propose(d)

    response = client.post(url(name, d, measure.pk), {"delegation": "CN"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert ReciprocalMeasure.objects.get().status == "proposed"


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_pages_are_404_for_a_stranger_and_another_workshops_member(
    client, d, stranger, other_workshop_member, name, args
):
    measure = propose(d)

    for user in (stranger, other_workshop_member.user):
        client.force_login(user)

        response = client.get(url(name, d, *args(d, measure)))

        assert response.status_code == 404


@pytest.mark.parametrize("name", POST_ACTIONS)
def test_actions_are_404_for_another_workshops_member(
    client, d, other_workshop_member, name
):
    measure = propose(d)
    client.force_login(other_workshop_member.user)

    response = client.post(
        url(name, d, measure.pk), {"stance": "support", "reason": "x"}
    )

    assert response.status_code == 404
    assert MeasureResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("measure_board", lambda d, m: (1,)),
        ("measure_detail", lambda d, m: (m.pk,)),
        ("measure_session_counts", lambda d, m: (1,)),
        ("measure_item_list", lambda d, m: (1, 1)),
    ],
)
def test_read_only_pages_refuse_post(client, d, name, args):
    measure = propose(d)
    login(client, d.delegates["CN"][1])

    response = client.post(url(name, d, *args(d, measure)))

    assert response.status_code == 405


@pytest.mark.parametrize(
    "name", ["measure_answer", "measure_withdraw", "measure_propose", "measure_delete"]
)
def test_actions_refuse_get(client, d, name):
    measure = propose(d)
    login(client, d.delegates["CN"][1])

    response = client.get(url(name, d, measure.pk))

    assert response.status_code == 405


@pytest.mark.parametrize("name", ["measure_create", "measure_edit", "measure_counter"])
def test_forms_refuse_put(client, d, name):
    measure = propose(d)
    login(client, d.delegates["CN"][1])
    args = () if name == "measure_create" else (measure.pk,)

    response = client.put(url(name, d, *args))

    assert response.status_code == 405


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.FACILITATOR, Role.RAPPORTEUR])
def test_non_delegates_read_but_cannot_write(client, d, role):
    measure = propose(d)
    login(client, make_participant(d.workshop, role=role))

    board = client.get(url("measure_board", d, 1))
    detail = client.get(url("measure_detail", d, measure.pk))
    writes = [
        client.get(url("measure_create", d)).status_code,
        client.get(url("measure_counter", d, measure.pk)).status_code,
        client.post(
            url("measure_answer", d, measure.pk), {"stance": "support", "reason": "x"}
        ).status_code,
        client.post(
            url("measure_endorse", d, measure.pk), {"delegation": "CN", "confirm": "1"}
        ).status_code,
    ]

    assert (board.status_code, detail.status_code) == (200, 200)
    assert "Propose a measure" not in page(board)
    assert detail.context["can_answer"] is False
    assert 'action="/w/' not in page(detail).split("Answers by delegation")[1]
    assert writes == [403, 403, 403, 403]
    assert MeasureResponse.objects.count() == 0
    assert MeasureEndorsement.objects.count() == 0


# --- drafts are private ---------------------------------------------------------------


def test_a_draft_is_404_for_everyone_but_its_proposer(client, d):
    proposer = d.delegates["CN"][1]
    draft = measure_create(
        proposer=proposer, content=CONTENT, items=[d.items[(1, 1)]], propose=False
    )
    others = [d.delegates["CN"][2], d.delegates["US"][1], d.head("CN"), d.observer]

    statuses = []
    for participant in others:
        login(client, participant)
        statuses.append(client.get(url("measure_detail", d, draft.pk)).status_code)
        statuses.append(client.post(url("measure_propose", d, draft.pk)).status_code)
    login(client, proposer)
    own = client.get(url("measure_detail", d, draft.pk))

    assert statuses == [404] * 8
    assert own.status_code == 200
    assert "This is your draft: nobody else can see it." in page(own)


def test_drafts_appear_only_on_their_proposers_board(client, d):
    proposer = d.delegates["US"][1]
    measure_create(
        proposer=proposer,
        content=replace(CONTENT, title="Secret draft"),
        items=[d.items[(1, 1)]],
        propose=False,
    )

    login(client, proposer)
    own = client.get(url("measure_board", d, 1))
    login(client, d.delegates["US"][2])
    colleague = client.get(url("measure_board", d, 1))

    assert titles(own.context["drafts"]) == ["Secret draft"]
    assert "Secret draft" in page(own)
    assert colleague.context["drafts"] == []
    assert "Secret draft" not in page(colleague)


def test_proposer_proposes_and_deletes_drafts_through_the_page(client, d):
    proposer = login(client, d.delegates["CN"][1])
    keep, drop = (
        measure_create(
            proposer=proposer,
            content=replace(CONTENT, title=title),
            items=[d.items[(1, 1)]],
            propose=False,
        )
        for title in ("Keep", "Drop")
    )

    proposed = client.post(url("measure_propose", d, keep.pk))
    deleted = client.post(url("measure_delete", d, drop.pk))

    assert proposed.status_code == 302
    assert proposed["Location"] == url("measure_detail", d, keep.pk)
    assert deleted["Location"] == reverse("workshop_detail", args=[d.workshop.slug])
    assert list(ReciprocalMeasure.objects.values_list("title", "status")) == [
        ("Keep", "proposed")
    ]
