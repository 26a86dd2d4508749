"""Closing and opening ranking rounds through the test client, and the
facilitator's turnout fragment."""

import re

import pytest

from dialogue.models import RankingRound, Role
from dialogue.services.rankings import (
    ranking_round_close,
    ranking_round_open,
    ranking_submit,
)
from tests.builders import admin_organiser, make_participant, page_text
from tests.builders import item_ids as ids
from tests.builders import ranking_error_text as error_text
from tests.builders import ranking_url as url

# --------------------------------------------------------------------------
# Closing and opening rounds
# --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ORGANISER])
def test_facilitator_closes_the_round_and_lands_on_the_results(
    client, workshop, open_session, role
):
    user = make_participant(workshop, role=role).user
    client.force_login(user)

    response = client.post(url("ranking_close", open_session))

    round_ = RankingRound.objects.get(session=open_session)
    assert response.status_code == 302
    assert response["Location"] == url("ranking_results", open_session, 1)
    assert (round_.is_open, round_.closed_by) == (False, user)


def test_facilitator_opens_the_next_round(client, workshop, open_session):
    client.force_login(make_participant(workshop, role=Role.FACILITATOR).user)
    client.post(url("ranking_close", open_session))
    page = page_text(client.get(url("ranking_page", open_session)))

    response = client.post(url("ranking_open", open_session))

    assert "Open round 2" in page
    assert response.status_code == 302
    assert [(r.number, r.is_open) for r in open_session.ranking_rounds.all()] == [
        (1, False),
        (2, True),
    ]


def test_close_without_an_open_round_is_400(client, workshop, open_session):
    client.force_login(make_participant(workshop, role=Role.FACILITATOR).user)
    ranking_round_close(session=open_session, by=admin_organiser())

    response = client.post(url("ranking_close", open_session))

    assert response.status_code == 400
    assert error_text(response) == "No ranking round is open."


def test_open_a_fourth_round_is_400(client, workshop, open_session):
    client.force_login(make_participant(workshop, role=Role.ORGANISER).user)
    for _ in range(2):
        ranking_round_close(session=open_session, by=admin_organiser())
        ranking_round_open(session=open_session, by=admin_organiser())
    ranking_round_close(session=open_session, by=admin_organiser())

    response = client.post(url("ranking_open", open_session))
    page = page_text(client.get(url("ranking_page", open_session)))

    assert response.status_code == 400
    assert error_text(response) == "A session has at most 3 ranking rounds."
    assert RankingRound.objects.filter(session=open_session).count() == 3
    assert "All 3 rounds have been held." in page


def test_open_outside_the_ranking_phase_is_400(client, workshop, session):
    client.force_login(make_participant(workshop, role=Role.FACILITATOR).user)

    response = client.post(url("ranking_open", session))

    assert response.status_code == 400
    assert RankingRound.objects.filter(session=session).count() == 0


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.OBSERVER, Role.RAPPORTEUR])
def test_close_and_open_are_403_for_other_roles(client, workshop, open_session, role):
    client.force_login(make_participant(workshop, role=role, code="US").user)

    close = client.post(url("ranking_close", open_session))
    ranking_round_close(session=open_session, by=admin_organiser())
    reopen = client.post(url("ranking_open", open_session))

    assert [close.status_code, reopen.status_code] == [403, 403]
    assert [(r.number, r.is_open) for r in open_session.ranking_rounds.all()] == [
        (1, False)
    ]


# --------------------------------------------------------------------------
# Turnout fragment
# --------------------------------------------------------------------------


def test_turnout_fragment_for_the_facilitator(client, workshop, open_session):
    us = make_participant(workshop, code="US")
    make_participant(workshop, code="CN")
    ranking_submit(
        session=open_session, participant=us, order=ids(open_session, [1, 2, 3, 4])
    )
    client.force_login(make_participant(workshop, role=Role.FACILITATOR).user)

    response = client.get(url("ranking_turnout", open_session), HTTP_HX_REQUEST="true")

    page = page_text(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="ranking-turnout"')
    assert "<html" not in page
    cells = re.findall(r"<th scope=\"row\">(.*?)</th><td>(.*?)</td>", page)
    assert cells == [("Chinese scholars", "0 of 1"), ("American scholars", "1 of 1")]


def test_turnout_fragment_without_an_open_round_stops_polling(
    client, workshop, open_session
):
    ranking_round_close(session=open_session, by=admin_organiser())
    client.force_login(make_participant(workshop, role=Role.ORGANISER).user)

    response = client.get(url("ranking_turnout", open_session))

    assert response.status_code == 200
    assert "hx-get" not in page_text(response)
    assert "No round is open" in page_text(response)


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.OBSERVER, Role.RAPPORTEUR])
def test_turnout_fragment_is_403_for_other_roles(client, workshop, open_session, role):
    client.force_login(make_participant(workshop, role=role, code="CN").user)

    response = client.get(url("ranking_turnout", open_session))

    assert response.status_code == 403
    assert "turnout" not in response.context
