"""Submitting a ranking through the test client: what is stored, and bad
input refused with a 400 (or 403) and nothing stored."""

import pytest

from dialogue.models import Role
from dialogue.services.rankings import ranking_round_close, ranking_round_open
from tests.builders import (
    admin_organiser,
    make_participant,
    make_ranking_session,
    page_text,
)
from tests.builders import item_ids as ids
from tests.builders import ranking_error_text as error_text
from tests.builders import ranking_form as form
from tests.builders import ranking_url as url
from tests.builders import stored_rankings as stored


@pytest.mark.parametrize("code", ["CN", "US"])
def test_submit_stores_the_order_and_redirects(client, workshop, open_session, code):
    delegate = make_participant(workshop, code=code)
    client.force_login(delegate.user)

    response = client.post(
        url("ranking_submit", open_session), form(open_session, [2, 4, 1, 3])
    )

    assert response.status_code == 302
    assert response["Location"] == url("ranking_page", open_session)
    assert stored(open_session) == [(delegate.user.username, 1, [2, 4, 1, 3])]
    followed = client.get(response["Location"])
    assert "Your ranking is saved." in page_text(followed)


def test_submit_again_replaces_the_earlier_order(client, workshop, open_session):
    delegate = make_participant(workshop, code="CN")
    client.force_login(delegate.user)
    client.post(url("ranking_submit", open_session), form(open_session, [1, 2, 3, 4]))

    client.post(url("ranking_submit", open_session), form(open_session, [4, 3, 2, 1]))

    assert stored(open_session) == [(delegate.user.username, 1, [4, 3, 2, 1])]


def _bad_forms(session, other_item_id):
    a, b, c, d = ids(session, [1, 2, 3, 4])
    missing = {"round": "1", f"position-{a}": "1", f"position-{b}": "2"}
    missing[f"position-{c}"] = "3"
    foreign = dict(form(session, [1, 2, 3, 4]), **{f"position-{other_item_id}": "5"})
    shared = form(session, [1, 2, 3, 4])
    shared[f"position-{d}"] = "1"
    words = form(session, [1, 2, 3, 4])
    words[f"position-{a}"] = "first"
    return {
        "misses an item": (
            missing,
            "Every item must be ranked: 1 item is missing.",
        ),
        "includes another session's item": (
            foreign,
            "The ranking includes an item that is not on this session&#x27;s agenda.",
        ),
        "shares a position": (
            shared,
            "Position 1 is given to more than one item; give each item its own "
            "position.",
        ),
        "is not a number": (words, "Positions must be whole numbers."),
        "is empty": ({"round": "1"}, "No ranking was submitted."),
    }


BAD_CASES = [
    "misses an item",
    "includes another session's item",
    "shares a position",
    "is not a number",
    "is empty",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_submit_refuses_bad_input_with_400_and_stores_nothing(
    client, workshop, open_session, case
):
    other = make_ranking_session(workshop, number=2, items=1)
    delegate = make_participant(workshop, code="US")
    client.force_login(delegate.user)
    data, reason = _bad_forms(open_session, other.items.get().id)[case]

    response = client.post(url("ranking_submit", open_session), data)

    assert response.status_code == 400
    assert error_text(response) == reason
    assert stored(open_session) == []


def test_submit_refuses_an_item_given_twice(client, workshop, open_session):
    delegate = make_participant(workshop, code="CN")
    client.force_login(delegate.user)
    a = ids(open_session, [1])[0]
    body = "&".join(
        [
            "round=1",
            *(
                f"position-{i}={p}"
                for p, i in enumerate(ids(open_session, [1, 2, 3, 4]), 1)
            ),
            f"position-{a}=4",
        ]
    )

    response = client.post(
        url("ranking_submit", open_session),
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert error_text(response) == "The ranking lists an item more than once."
    assert stored(open_session) == []


def test_refused_submission_keeps_the_earlier_ranking(client, workshop, open_session):
    delegate = make_participant(workshop, code="CN")
    client.force_login(delegate.user)
    client.post(url("ranking_submit", open_session), form(open_session, [4, 3, 2, 1]))
    bad = form(open_session, [1, 2, 3, 4])
    bad.popitem()

    response = client.post(url("ranking_submit", open_session), bad)

    assert response.status_code == 400
    assert stored(open_session) == [(delegate.user.username, 1, [4, 3, 2, 1])]


def test_refused_form_is_shown_again_as_filled_in(client, workshop, open_session):
    client.force_login(make_participant(workshop, code="US").user)
    data = form(open_session, [3, 1, 2, 4])
    data[f"position-{ids(open_session, [4])[0]}"] = "1"

    response = client.post(url("ranking_submit", open_session), data)

    rows = [(r.item.number, r.position) for r in response.context["rows"]]
    assert rows == [(3, 1), (4, 1), (1, 2), (2, 3)]


def test_submit_without_an_open_round_is_400(client, workshop, open_session):
    client.force_login(make_participant(workshop, code="CN").user)
    ranking_round_close(session=open_session, by=admin_organiser())

    response = client.post(
        url("ranking_submit", open_session), form(open_session, [1, 2, 3, 4])
    )

    assert response.status_code == 400
    assert error_text(response) == "No ranking round is open for this session."
    assert stored(open_session) == []


def test_submit_before_ranking_starts_is_400(client, workshop, session):
    client.force_login(make_participant(workshop, code="CN").user)

    response = client.post(url("ranking_submit", session), form(session, [1, 2, 3, 4]))

    assert response.status_code == 400
    assert stored(session) == []


def test_submit_for_a_closed_round_after_the_next_opened_is_400(
    client, workshop, open_session
):
    client.force_login(make_participant(workshop, code="US").user)
    ranking_round_close(session=open_session, by=admin_organiser())
    ranking_round_open(session=open_session, by=admin_organiser())

    response = client.post(
        url("ranking_submit", open_session), form(open_session, [1, 2, 3, 4], 1)
    )

    assert response.status_code == 400
    assert error_text(response) == (
        "Round 1 has closed and round 2 is open: check your order and submit it again."
    )
    assert stored(open_session) == []


@pytest.mark.parametrize(
    "role", [Role.OBSERVER, Role.FACILITATOR, Role.RAPPORTEUR, Role.ORGANISER]
)
def test_submit_by_a_participant_who_is_not_a_delegate_is_403(
    client, workshop, open_session, role
):
    client.force_login(make_participant(workshop, role=role, code="CN").user)

    response = client.post(
        url("ranking_submit", open_session), form(open_session, [1, 2, 3, 4])
    )

    assert response.status_code == 403
    assert error_text(response) == "Only delegates rank the agenda items."
    assert stored(open_session) == []
