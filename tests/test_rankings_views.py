"""The ranking pages through the test client: who may do what, bad input,
query budgets."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import Phase, Ranking, RankingRound, Role
from dialogue.services import session_set_phase
from dialogue.services.rankings import (
    ranking_round_close,
    ranking_round_open,
    ranking_submit,
)
from tests.builders import make_participant, make_ranking_session
from tests.factories import DelegationFactory, WorkshopFactory


@pytest.fixture
def session(workshop):
    return make_ranking_session(workshop, items=4)


@pytest.fixture
def open_session(session):
    session_set_phase(session=session, phase=Phase.RANKING)
    return session


def url(name, session, *extra):
    return reverse(name, args=[session.workshop.slug, session.number, *extra])


def ids(session, numbers):
    by_number = dict(session.items.values_list("number", "id"))
    return [by_number[n] for n in numbers]


def form(session, numbers, round_number=1):
    """The plain form's fields for an order of item numbers, best first."""
    data = {"round": str(round_number)}
    for position, item_id in enumerate(ids(session, numbers), start=1):
        data[f"position-{item_id}"] = str(position)
    return data


def stored(session):
    return sorted(
        (
            r.participant.user.username,
            r.round.number,
            [e.item.number for e in r.entries.order_by("position")],
        )
        for r in Ranking.objects.filter(round__session=session)
    )


def page_text(response) -> str:
    return response.content.decode()


def error_text(response) -> str:
    match = re.search(r'id="ranking-error">\s*<p>(.*?)</p>', page_text(response))
    return match.group(1) if match else ""


# --------------------------------------------------------------------------
# The ranking page
# --------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_ranking_page_shows_the_form_to_a_delegate_of_each_side(
    client, workshop, open_session, code
):
    client.force_login(make_participant(workshop, code=code).user)

    response = client.get(url("ranking_page", open_session))

    page = page_text(response)
    assert response.status_code == 200
    assert [row.item.number for row in response.context["rows"]] == [1, 2, 3, 4]
    assert re.findall(r'<select id="position-(\d+)"', page) == [
        str(i) for i in ids(open_session, [1, 2, 3, 4])
    ]
    assert "Round 1 of at most 3 is open." in page
    assert "You have not submitted a ranking in this round yet." in page


def test_ranking_page_prefills_the_delegates_own_submission(
    client, workshop, open_session
):
    delegate = make_participant(workshop, code="US")
    ranking_submit(
        session=open_session,
        participant=delegate,
        order=ids(open_session, [3, 1, 4, 2]),
    )
    client.force_login(delegate.user)

    response = client.get(url("ranking_page", open_session))

    assert [(r.position, r.item.number) for r in response.context["rows"]] == [
        (1, 3),
        (2, 1),
        (3, 4),
        (4, 2),
    ]
    assert "You submitted your ranking" in page_text(response)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ORGANISER])
def test_ranking_page_shows_turnout_and_close_to_facilitators(
    client, workshop, open_session, role
):
    cn = make_participant(workshop, code="CN")
    make_participant(workshop, code="CN")
    make_participant(workshop, code="US")
    ranking_submit(
        session=open_session, participant=cn, order=ids(open_session, [1, 2, 3, 4])
    )
    client.force_login(make_participant(workshop, role=role).user)

    response = client.get(url("ranking_page", open_session))

    page = page_text(response)
    turnout = [
        (t.delegation.code, t.submitted, t.eligible)
        for t in response.context["turnout"]
    ]
    assert turnout == [("CN", 1, 2), ("US", 0, 1)]
    assert "1 of 2" in page and "0 of 1" in page
    assert "Close round 1 and reveal the results" in page
    assert 'name="position-' not in page


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.RAPPORTEUR])
def test_ranking_page_for_observers_and_rapporteurs_has_no_form_or_turnout(
    client, workshop, open_session, role
):
    client.force_login(make_participant(workshop, role=role).user)

    response = client.get(url("ranking_page", open_session))

    page = page_text(response)
    assert response.status_code == 200
    assert "Only delegates rank the items." in page
    assert 'name="position-' not in page
    assert "ranking-turnout" not in page
    assert "turnout" not in response.context


def test_ranking_page_before_ranking_starts_says_so(client, workshop, session):
    client.force_login(make_participant(workshop, code="CN").user)

    response = client.get(url("ranking_page", session))

    assert response.status_code == 200
    assert "Ranking has not started for this session." in page_text(response)


def test_ranking_page_refuses_post(client, workshop, open_session):
    client.force_login(make_participant(workshop, code="CN").user)

    response = client.post(url("ranking_page", open_session))

    assert response.status_code == 405


def test_ranking_pages_are_404_for_strangers_and_other_workshops(
    client, workshop, open_session, stranger, other_workshop_member
):
    ranking_round_close(session=open_session)
    gets = [
        url("ranking_page", open_session),
        url("ranking_turnout", open_session),
        url("ranking_results", open_session, 1),
    ]
    posts = [
        url("ranking_submit", open_session),
        url("ranking_close", open_session),
        url("ranking_open", open_session),
    ]
    statuses = []
    for user in (stranger, other_workshop_member.user):
        client.force_login(user)

        statuses += [client.get(u).status_code for u in gets]
        statuses += [
            client.post(u, form(open_session, [1, 2, 3, 4])).status_code for u in posts
        ]

    assert statuses == [404] * 12
    assert stored(open_session) == []
    assert RankingRound.objects.filter(session=open_session).count() == 1


def test_ranking_pages_redirect_anonymous_visitors_to_sign_in(client, open_session):
    gets = [url("ranking_page", open_session), url("ranking_turnout", open_session)]
    posts = [
        url("ranking_submit", open_session),
        url("ranking_close", open_session),
        url("ranking_open", open_session),
    ]

    responses = [client.get(u) for u in gets] + [client.post(u) for u in posts]

    assert [r.status_code for r in responses] == [302] * 5
    assert all(r["Location"].startswith("/accounts/login/?next=") for r in responses)
    assert RankingRound.objects.get(session=open_session).is_open


def test_ranking_actions_refuse_get(client, workshop, open_session):
    client.force_login(make_participant(workshop, role=Role.FACILITATOR).user)
    posts = ["ranking_submit", "ranking_close", "ranking_open"]

    statuses = [client.get(url(name, open_session)).status_code for name in posts]

    assert statuses == [405, 405, 405]


def test_ranking_views_refuse_the_wrong_method(client, workshop, open_session):
    client.force_login(make_participant(workshop, role=Role.FACILITATOR).user)
    ranking_round_close(session=open_session)

    responses = [
        client.post(url("ranking_turnout", open_session)),
        client.post(url("ranking_results", open_session, 1)),
    ]

    assert [r.status_code for r in responses] == [405, 405]


# --------------------------------------------------------------------------
# Submitting
# --------------------------------------------------------------------------


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
    ranking_round_close(session=open_session)

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
    ranking_round_close(session=open_session)
    ranking_round_open(session=open_session)

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
    ranking_round_close(session=open_session)

    response = client.post(url("ranking_close", open_session))

    assert response.status_code == 400
    assert error_text(response) == "No ranking round is open."


def test_open_a_fourth_round_is_400(client, workshop, open_session):
    client.force_login(make_participant(workshop, role=Role.ORGANISER).user)
    for _ in range(2):
        ranking_round_close(session=open_session)
        ranking_round_open(session=open_session)
    ranking_round_close(session=open_session)

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
    ranking_round_close(session=open_session)
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
    ranking_round_close(session=open_session)
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


# --------------------------------------------------------------------------
# Results pages
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [Role.DELEGATE, Role.OBSERVER, Role.FACILITATOR, Role.ORGANISER, Role.RAPPORTEUR],
)
def test_results_of_a_closed_round_are_shown_to_every_role(
    client, workshop, open_session, role
):
    for code, order in (("CN", [1, 2, 3, 4]), ("US", [2, 1, 4, 3])):
        delegate = make_participant(workshop, code=code)
        ranking_submit(
            session=open_session, participant=delegate, order=ids(open_session, order)
        )
    ranking_round_close(session=open_session)
    client.force_login(make_participant(workshop, role=role, code="US").user)

    response = client.get(url("ranking_results", open_session, 1))

    page = page_text(response)
    assert response.status_code == 200
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1
    assert "Where Chinese scholars and American scholars meet and part" in page
    assert [g.label for g in response.context["results"].groups] == [
        "Chinese scholars",
        "American scholars",
    ]


def test_results_of_an_open_or_missing_round_are_404(client, workshop, open_session):
    client.force_login(make_participant(workshop, role=Role.FACILITATOR).user)

    responses = [
        client.get(url("ranking_results", open_session, 1)),
        client.get(url("ranking_results", open_session, 2)),
    ]

    assert [r.status_code for r in responses] == [404, 404]


def test_results_redirect_anonymous_visitors(client, open_session):
    ranking_round_close(session=open_session)

    response = client.get(url("ranking_results", open_session, 1))

    assert response.status_code == 302


def test_results_with_one_side_silent_show_no_comparison(
    client, workshop, open_session
):
    cn = make_participant(workshop, code="CN")
    ranking_submit(
        session=open_session, participant=cn, order=ids(open_session, [1, 2, 3, 4])
    )
    ranking_round_close(session=open_session)
    client.force_login(cn.user)

    response = client.get(url("ranking_results", open_session, 1))

    page = page_text(response)
    assert response.status_code == 200
    assert response.context["results"].pairs == []
    assert "<svg" not in page
    assert "No rankings from this group in this round." in page


def test_results_escape_item_titles(client, workshop, open_session):
    item = open_session.items.get(number=1)
    item.title = "<script>alert(1)</script>"
    item.save()
    for code in ("CN", "US"):
        ranking_submit(
            session=open_session,
            participant=make_participant(workshop, code=code),
            order=ids(open_session, [1, 2, 3, 4]),
        )
    ranking_round_close(session=open_session)
    client.force_login(make_participant(workshop, code="CN").user)

    page = page_text(client.get(url("ranking_results", open_session, 1)))

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --------------------------------------------------------------------------
# Delphi feedback in the next round
# --------------------------------------------------------------------------


def test_next_round_prefills_the_previous_order_beside_feedback(
    client, workshop, open_session
):
    me = make_participant(workshop, code="CN")
    ballots = [
        (me, [2, 1, 3, 4]),
        (make_participant(workshop, code="CN"), [1, 2, 3, 4]),
        (make_participant(workshop, code="US"), [4, 3, 2, 1]),
    ]
    for participant, order in ballots:
        ranking_submit(
            session=open_session,
            participant=participant,
            order=ids(open_session, order),
        )
    ranking_round_close(session=open_session)
    ranking_round_open(session=open_session)
    client.force_login(me.user)

    response = client.get(url("ranking_page", open_session))

    rows = [
        (
            r.item.number,
            r.position,
            r.previous_position,
            [(f.label, f.median_text, f.iqr_text, f.n) for f in r.feedback],
        )
        for r in response.context["rows"]
    ]
    assert rows == [
        (
            2,
            1,
            1,
            [
                ("Chinese scholars", "1.5", "0.5", 2),
                ("American scholars", "3", "0", 1),
                ("All delegates", "2", "1", 3),
            ],
        ),
        (
            1,
            2,
            2,
            [
                ("Chinese scholars", "1.5", "0.5", 2),
                ("American scholars", "4", "0", 1),
                ("All delegates", "2", "1.5", 3),
            ],
        ),
        (
            3,
            3,
            3,
            [
                ("Chinese scholars", "3", "0", 2),
                ("American scholars", "2", "0", 1),
                ("All delegates", "3", "0.5", 3),
            ],
        ),
        (
            4,
            4,
            4,
            [
                ("Chinese scholars", "4", "0", 2),
                ("American scholars", "1", "0", 1),
                ("All delegates", "4", "1.5", 3),
            ],
        ),
    ]
    page = page_text(response)
    assert "Your position in round 1: 1." in page
    assert "American scholars: median 3, IQR 0" in page


# --------------------------------------------------------------------------
# The panel on the session page
# --------------------------------------------------------------------------


def test_session_panel_is_absent_before_ranking(client, workshop, session):
    client.force_login(make_participant(workshop, code="CN").user)

    page = page_text(client.get(session.get_absolute_url()))

    assert "ranking-panel" not in page


@pytest.mark.parametrize("code", ["CN", "US"])
def test_session_panel_links_a_delegate_to_the_ranking(
    client, workshop, open_session, code
):
    client.force_login(make_participant(workshop, code=code).user)

    page = page_text(client.get(open_session.get_absolute_url()))

    assert "Round 1 is open." in page
    assert f'href="{url("ranking_page", open_session)}">Rank the items</a>' in page
    assert "ranking_turnout" not in page and "turnout/" not in page


def test_session_panel_loads_turnout_for_the_facilitator(
    client, workshop, open_session
):
    client.force_login(make_participant(workshop, role=Role.FACILITATOR).user)

    page = page_text(client.get(open_session.get_absolute_url()))

    assert f'hx-get="{url("ranking_turnout", open_session)}"' in page
    assert f'href="{url("ranking_page", open_session)}" hx-get=' in page


def test_session_panel_links_results_after_closing(client, workshop, open_session):
    ranking_round_close(session=open_session)
    client.force_login(make_participant(workshop, role=Role.OBSERVER).user)

    page = page_text(client.get(open_session.get_absolute_url()))

    assert "Round 1 is closed." in page
    assert f'href="{url("ranking_results", open_session, 1)}"' in page


# --------------------------------------------------------------------------
# Content-Security-Policy: nothing inline
# --------------------------------------------------------------------------


def test_ranking_pages_have_no_inline_scripts_or_styles(client, workshop, open_session):
    delegate = make_participant(workshop, code="CN")
    for code in ("CN", "US"):
        ranking_submit(
            session=open_session,
            participant=make_participant(workshop, code=code),
            order=ids(open_session, [1, 2, 3, 4]),
        )
    facilitator = make_participant(workshop, role=Role.FACILITATOR).user
    client.force_login(delegate.user)
    pages = [page_text(client.get(url("ranking_page", open_session)))]
    client.force_login(facilitator)
    pages.append(page_text(client.get(url("ranking_page", open_session))))
    pages.append(page_text(client.get(open_session.get_absolute_url())))
    ranking_round_close(session=open_session)

    pages.append(page_text(client.get(url("ranking_results", open_session, 1))))

    for page in pages:
        assert re.findall(r"<script(?![^>]*\ssrc=)", page) == []
        assert re.findall(r"\sstyle=", page) == []
        assert re.findall(r"\shx-on", page) == []
        assert re.findall(r"\son[a-z]+=", page) == []


# --------------------------------------------------------------------------
# Query budgets
# --------------------------------------------------------------------------


def _populate(workshop, session, per_side):
    orders = ([1, 2, 3, 4], [2, 1, 4, 3], [4, 3, 2, 1], [3, 1, 2, 4])
    for n in range(per_side):
        for code in ("CN", "US"):
            delegate = make_participant(workshop, code=code)
            order = orders[(n + len(code)) % len(orders)]
            ranking_submit(
                session=session, participant=delegate, order=ids(session, order)
            )


def count_queries(client, page_url, status=200) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url)
    assert response.status_code == status
    return len(queries)


def _query_counts(client, page, viewer_role, per_side, *, rounds=1, close=False):
    """Query counts of the same page, one workshop per size (rankers per side).

    Each round gets a full set of ballots; with `close` the last round is
    closed too.
    """
    counts = []
    for size in per_side:
        workshop = WorkshopFactory()
        DelegationFactory(workshop=workshop, code="CN", name="Chinese scholars")
        DelegationFactory(workshop=workshop, code="US", name="American scholars")
        session = make_ranking_session(workshop, items=4)
        session_set_phase(session=session, phase=Phase.RANKING)
        viewer = make_participant(
            workshop,
            role=viewer_role,
            code="CN" if viewer_role == Role.DELEGATE else None,
        )
        _populate(workshop, session, size)
        for _ in range(rounds - 1):
            ranking_round_close(session=session)
            ranking_round_open(session=session)
            _populate(workshop, session, size)
        if close:
            ranking_round_close(session=session)
        client.force_login(viewer.user)
        count_queries(client, page(session))  # warm the session
        counts.append(count_queries(client, page(session)))
    return counts


def test_results_page_query_count_is_the_same_at_2_and_40_rankers(client, db):
    def page(session):
        return url("ranking_results", session, 1)

    counts = _query_counts(client, page, Role.OBSERVER, [1, 20], close=True)

    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.FACILITATOR])
def test_ranking_page_query_count_is_the_same_at_2_and_40_rankers(client, db, role):
    def page(session):
        return url("ranking_page", session)

    counts = _query_counts(client, page, role, [1, 20], rounds=2)

    assert counts[0] == counts[1]
