"""Secrets hold in the admin too: the confirmation pages that list what a
delete would remove name no ballot, for a round, a bulk delete of rounds, a
session, a workshop or a delegate."""

import re

import pytest
from django.urls import reverse

from dialogue.models import Phase, Role
from dialogue.services.measures import measure_create
from dialogue.services.rankings import ranking_submit
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    CONTENT,
    admin_organiser,
    build_dialogue,
    make_ranking_session,
)
from tests.factories import ParticipantFactory

BALLOTS_A = {"CN": [[1, 2, 3, 4], [2, 1, 3, 4]], "US": [[4, 3, 2, 1]]}
BALLOTS_B = {"CN": [[4, 3, 1, 2], [3, 4, 2, 1]], "US": [[1, 3, 4, 2]]}


def _normalised(text: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


@pytest.fixture
def ranked(workshop):
    session = make_ranking_session(workshop, items=4)
    delegates = {
        code: [
            ParticipantFactory(
                workshop=workshop,
                role=Role.DELEGATE,
                delegation=workshop.delegations.get(code=code),
            )
            for _ in orders
        ]
        for code, orders in BALLOTS_A.items()
    }
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    return workshop, session, delegates


def _cast(session, delegates, ballots):
    by_number = dict(session.items.values_list("number", "id"))
    for code, orders in ballots.items():
        for delegate, order in zip(delegates[code], orders, strict=True):
            ranking_submit(
                session=session,
                participant=delegate,
                order=[by_number[n] for n in order],
            )


def _confirmations(client, workshop, session, delegates) -> dict[str, str]:
    round_ = session.ranking_rounds.get()
    delegate = delegates["CN"][0]
    pages = {
        "round": client.get(
            reverse("admin:dialogue_rankinground_delete", args=[round_.pk])
        ),
        "rounds, bulk": client.post(
            reverse("admin:dialogue_rankinground_changelist"),
            {"action": "delete_selected", "_selected_action": [round_.pk]},
        ),
        "session": client.get(
            reverse("admin:dialogue_session_delete", args=[session.pk])
        ),
        "workshop": client.get(
            reverse("admin:dialogue_workshop_delete", args=[workshop.pk])
        ),
        "delegate": client.get(
            reverse("admin:dialogue_participant_delete", args=[delegate.pk])
        ),
    }
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(
        pages, 200
    )
    return {name: _normalised(r.content.decode()) for name, r in pages.items()}


def test_delete_confirmations_do_not_depend_on_the_ballots(client, ranked, organiser):
    workshop, session, delegates = ranked
    client.force_login(organiser)
    _cast(session, delegates, BALLOTS_A)
    with_a = _confirmations(client, workshop, session, delegates)

    _cast(session, delegates, BALLOTS_B)
    with_b = _confirmations(client, workshop, session, delegates)

    assert with_a == with_b
    for name, page in with_a.items():
        assert "A ballot of" in page, name


def test_a_private_draft_is_not_in_the_admin(client, organiser, workshop):
    d = build_dialogue(workshop)
    draft = measure_create(
        proposer=d.delegates["CN"][1],
        content=CONTENT,
        items=[d.items[(1, 1)]],
        propose=False,
    )
    client.force_login(organiser)

    changelist = client.get(reverse("admin:dialogue_reciprocalmeasure_changelist"))
    change = client.get(
        reverse("admin:dialogue_reciprocalmeasure_change", args=[draft.pk])
    )
    workshop_delete = client.get(
        reverse("admin:dialogue_workshop_delete", args=[workshop.pk])
    )

    assert changelist.status_code == 200
    assert CONTENT.title not in changelist.content.decode()
    assert change.status_code == 302  # the admin's "does not exist" redirect
    assert CONTENT.title not in workshop_delete.content.decode()
    assert "A draft measure (private to its proposer)" in (
        workshop_delete.content.decode()
    )
