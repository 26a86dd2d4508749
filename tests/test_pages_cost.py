"""Full pages (the session page, the package board, a round's results): an
unchanged page answers 304 to its ETag, a changed one 200; the shared copy
of a page carries each viewer's own name and CSRF token; a stranger gets
404 whatever tag they send; and each page's query budget."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory

from dialogue.models import Phase, Role
from dialogue.services.rankings import ranking_round_close, ranking_round_open
from dialogue.services.sessions import session_set_focus
from tests.builders import (
    cast_ballot,
    login,
    make_participant,
    make_ranking_session,
    page_text,
)
from tests.builders import ranking_url as url

SIDES = ["CN", "US"]
PAGES = ["session", "board", "results"]


@pytest.fixture
def session(workshop):
    """A session in the ranking phase with one closed round."""
    session = make_ranking_session(workshop, items=4, phase=Phase.RANKING)
    facilitator = make_participant(workshop, role=Role.FACILITATOR)
    items = list(session.items.order_by("number"))
    round_ = ranking_round_open(session=session, by=facilitator)
    for code in SIDES:
        cast_ballot(round_, make_participant(workshop, code=code), items)
    ranking_round_close(session=session, by=facilitator)
    session.refresh_from_db()
    return session


@pytest.fixture
def facilitator(session):
    return session.workshop.participants.get(role=Role.FACILITATOR)


def page_url(page, session):
    return {
        "session": url("session_detail", session),
        "board": url("measure_board", session),
        "results": url("ranking_results", session, 1),
    }[page]


def etag_of(client, path) -> str:
    """The ETag of a page as a browser gets it: the first visit sets the
    CSRF cookie, which the page's tag names."""
    client.get(path)
    response = client.get(path)
    assert response.status_code == 200
    return response["ETag"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("code", SIDES)
def test_unchanged_page_is_a_304_and_a_changed_one_200(
    client, session, facilitator, page, code
):
    login(client, make_participant(session.workshop, code=code))
    path = page_url(page, session)
    etag = etag_of(client, path)

    unchanged = client.get(path, headers={"If-None-Match": etag})
    session_set_focus(
        participant=facilitator, session=session, item=session.items.get(number=2)
    )
    changed = client.get(path, headers={"If-None-Match": etag})

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["Cache-Control"] == "private, no-cache"
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.parametrize("page", PAGES)
def test_stranger_with_a_members_tag_gets_404(
    client, session, other_workshop_member, page
):
    path = page_url(page, session)
    login(client, make_participant(session.workshop, code="CN"))
    etag = etag_of(client, path)
    login(client, other_workshop_member)

    response = client.get(path, headers={"If-None-Match": etag})

    assert response.status_code == 404
    assert "ETag" not in response


@pytest.mark.parametrize("page", PAGES)
def test_page_tags_differ_between_people_and_from_the_fragment(client, session, page):
    path = page_url(page, session)
    login(client, make_participant(session.workshop, code="CN"))
    mine = etag_of(client, path)
    login(client, make_participant(session.workshop, code="CN"))
    colleague = etag_of(client, path)

    assert mine != colleague
    assert mine.endswith('"') and ".p" in mine


@pytest.mark.parametrize("page", PAGES)
def test_a_browser_without_the_csrf_cookie_gets_no_tag(client, session, page):
    """Its copy would carry a token it cannot use: no 304 for it."""
    login(client, make_participant(session.workshop, code="US"))

    response = client.get(page_url(page, session))

    assert response.status_code == 200
    assert "ETag" not in response


def message_cookie(text: str) -> str:
    storage = CookieStorage(RequestFactory().get("/"))
    return storage._encode([Message(constants.SUCCESS, text)])


@pytest.mark.parametrize("page", PAGES)
def test_a_waiting_message_is_shown_not_a_304(client, session, page):
    path = page_url(page, session)
    login(client, make_participant(session.workshop, code="CN"))
    etag = etag_of(client, path)
    client.cookies["messages"] = message_cookie("Saved, as you asked.")

    response = client.get(path, headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert "Saved, as you asked." in page_text(response)
    assert "Saved, as you asked." not in page_text(client.get(path))  # shown once


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.parametrize("page", ["session", "results"])
@pytest.mark.parametrize("code", SIDES)
def test_shared_copy_carries_each_viewers_own_name_and_token(session, page, code):
    path = page_url(page, session)
    first, second = Client(), Client(enforce_csrf_checks=True)
    alice = make_participant(session.workshop, code=code)
    bob = make_participant(session.workshop, code=code)
    for participant, (given, family) in ((alice, ("Alice", "Ng")), (bob, ("Bo", "Li"))):
        participant.user.first_name, participant.user.last_name = given, family
        participant.user.save()
    login(first, alice)
    login(second, bob)
    first.get(path)  # renders the shared copy

    response = second.get(path)
    page_html = page_text(response)
    token = TOKEN.search(page_html).group(1)
    changed = second.post(
        "/accounts/language/", {"language": "en", "csrfmiddlewaretoken": token}
    )

    assert "Signed in as Bo Li" in page_html  # the display name, bob's own
    assert "Alice Ng" not in page_html
    assert "sharedpage" not in page_html  # no stand-in left
    assert changed.status_code == 302  # the token in the copy is bob's own


def test_shared_copy_is_per_role(client, session, facilitator):
    """The facilitator's controls never reach a delegate's copy."""
    path = page_url("session", session)
    login(client, facilitator)
    assert "Facilitator" in page_text(client.get(path))

    login(client, make_participant(session.workshop, code="CN"))
    page = page_text(client.get(path))

    assert "Facilitator" not in page


def test_open_round_results_stay_404_with_any_tag(client, session, facilitator):
    ranking_round_open(session=session, by=facilitator)
    login(client, make_participant(session.workshop, code="CN"))

    response = client.get(
        url("ranking_results", session, 2), headers={"If-None-Match": '"x"'}
    )

    assert response.status_code == 404


# Query budgets. The session is read from the cache (cached_db) after the
# first request, so every count below is of the user (auth) plus the page's.
# The session page's agenda reads the revealed responses' stances (one).


@pytest.mark.parametrize("page", PAGES)
def test_reload_of_an_unchanged_page_costs_two_queries(
    client, session, page, django_assert_max_num_queries
):
    path = page_url(page, session)
    login(client, make_participant(session.workshop, code="US"))
    etag = etag_of(client, path)

    # The user (auth) and the tag (the session's version, joined to the
    # participant): nothing of the page is read.
    with django_assert_max_num_queries(2):
        response = client.get(path, headers={"If-None-Match": etag})

    assert response.status_code == 304


@pytest.mark.parametrize(
    ("page", "render", "shared"),
    [("session", 10, 4), ("results", 10, 5), ("board", 11, None)],
)
def test_page_query_budget(
    client, session, page, render, shared, django_assert_max_num_queries
):
    path = page_url(page, session)
    login(client, make_participant(session.workshop, code="CN"))
    client.get("/")  # the session is in the cache from now on
    viewer = Client()
    login(viewer, make_participant(session.workshop, code="CN"))
    viewer.get("/")

    with django_assert_max_num_queries(render):
        first = client.get(path)
    with django_assert_max_num_queries(shared or render):
        second = viewer.get(path)  # a colleague: the shared copy, if any

    assert first.status_code == second.status_code == 200
