"""The ranking page through the test client: who sees what and who may do
what, the Delphi feedback of the next round, the panel on the session page,
nothing inline, and query budgets."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.models import Phase, RankingRound, Role
from dialogue.services.rankings import (
    ranking_round_close,
    ranking_round_open,
    ranking_submit,
)
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    admin_organiser,
    make_participant,
    make_ranking_session,
    page_text,
)
from tests.builders import item_ids as ids
from tests.builders import ranking_form as form
from tests.builders import ranking_url as url
from tests.builders import stored_rankings as stored
from tests.factories import DelegationFactory, WorkshopFactory

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
    shown = [row.item.number for row in response.context["rows"]]
    assert response.status_code == 200
    assert sorted(shown) == [1, 2, 3, 4]  # every item, in this delegate's order
    assert re.findall(r'<select id="position-(\d+)"', page) == [
        str(i) for i in ids(open_session, shown)
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
    ranking_round_close(session=open_session, by=admin_organiser())
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
    ranking_round_close(session=open_session, by=admin_organiser())

    responses = [
        client.post(url("ranking_turnout", open_session)),
        client.post(url("ranking_results", open_session, 1)),
    ]

    assert [r.status_code for r in responses] == [405, 405]


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
    ranking_round_close(session=open_session, by=admin_organiser())
    ranking_round_open(session=open_session, by=admin_organiser())
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
    ranking_round_close(session=open_session, by=admin_organiser())
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
    ranking_round_close(session=open_session, by=admin_organiser())

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
        session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
        viewer = make_participant(
            workshop,
            role=viewer_role,
            code="CN" if viewer_role == Role.DELEGATE else None,
        )
        _populate(workshop, session, size)
        for _ in range(rounds - 1):
            ranking_round_close(session=session, by=admin_organiser())
            ranking_round_open(session=session, by=admin_organiser())
            _populate(workshop, session, size)
        if close:
            ranking_round_close(session=session, by=admin_organiser())
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


# --------------------------------------------------------------------------
# Where a ballot starts
# --------------------------------------------------------------------------


def _start(client, session, participant) -> list[int]:
    client.force_login(participant.user)
    response = client.get(url("ranking_page", session))
    return [row.item.number for row in response.context["rows"]]


@pytest.mark.parametrize("code", ["CN", "US"])
def test_round_one_starts_from_an_order_of_this_delegates_own(client, workshop, code):
    session = make_ranking_session(workshop, items=8, phase=Phase.RANKING)
    ranking_round_open(session=session, by=admin_organiser())
    delegates = [make_participant(workshop, code=code) for _ in range(6)]

    starts = [_start(client, session, d) for d in delegates]
    again = _start(client, session, delegates[0])

    assert all(sorted(start) == list(range(1, 9)) for start in starts)
    assert again == starts[0]  # the same on every reload
    assert len({tuple(start) for start in starts}) > 1  # not one order for all


def test_a_later_round_starts_from_the_delegates_own_last_ballot(client, workshop):
    session = make_ranking_session(workshop, items=4, phase=Phase.RANKING)
    organiser = admin_organiser()
    ranking_round_open(session=session, by=organiser)
    delegate, absent = (make_participant(workshop, code=c) for c in ("CN", "US"))
    ranking_submit(
        session=session, participant=delegate, order=ids(session, [4, 2, 1, 3])
    )
    ranking_round_close(session=session, by=organiser)
    ranking_round_open(session=session, by=organiser)

    assert _start(client, session, delegate) == [4, 2, 1, 3]
    assert sorted(_start(client, session, absent)) == [1, 2, 3, 4]
