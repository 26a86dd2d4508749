"""Results of a closed round: figures checked by hand, symmetry between the
delegations (the same flow from each side gives mirrored results), and the
results pages through the test client."""

import pytest
from django.urls import reverse

from dialogue.models import Phase, Role
from dialogue.ranking_maths import rank_text
from dialogue.selectors.rankings import round_results
from dialogue.services.rankings import ranking_round_close, ranking_submit
from dialogue.services.sessions import session_set_phase
from dialogue.summary.build import build_summary_document
from tests.builders import (
    admin_organiser,
    make_participant,
    make_ranking_session,
    page_text,
)
from tests.builders import item_ids as ids
from tests.builders import ranking_url as url
from tests.factories import AgendaItemFactory

# Orders of item numbers, best first. "Ours" is the side the flow starts from.
OUR_BALLOTS = [[1, 2, 3, 4], [1, 2, 3, 4], [2, 1, 3, 4]]
THEIR_BALLOTS = [[4, 1, 3, 2], [1, 4, 3, 2]]

# Worked by hand (see the comments in the test below).
EXPECTED = {
    "ours": {
        "n": 3,
        "w": 0.9111,
        # (rank, item number, Borda, tied, median, IQR)
        "rows": [
            ("1", 1, 8, False, "1", "0.5"),
            ("2", 2, 7, False, "2", "0.5"),
            ("3", 3, 3, False, "3", "0"),
            ("4", 4, 0, False, "4", "0"),
        ],
    },
    "theirs": {
        "n": 2,
        "w": 0.9,
        "rows": [
            ("1.5", 1, 5, True, "1.5", "0.5"),
            ("1.5", 4, 5, True, "1.5", "0.5"),
            ("3", 3, 2, False, "3", "0"),
            ("4", 2, 0, False, "4", "0"),
        ],
    },
    "joint": {
        "n": 5,
        "w": 0.344,
        "rows": [
            ("1", 1, 13, False, "1", "1"),
            ("2", 2, 7, False, "2", "2"),
            ("3", 3, 5, False, "3", "0"),
            ("4", 4, 5, False, "4", "2"),
        ],
    },
    "tau_b": -0.1826,
    "shared": [1],
    # (item number, our rank, their rank, gap)
    "asymmetries": [(4, 4.0, 1.5, 2.5), (2, 2.0, 4.0, 2.0), (1, 1.0, 1.5, 0.5)],
}


def _group(group):
    return {
        "n": group.n_rankers,
        "w": round(group.kendall_w, 4),
        "rows": [
            (r.rank_text, r.item.number, r.borda, r.tied, r.median_text, r.iqr_text)
            for r in group.rows
        ],
    }


def summary(results, ours: str) -> dict:
    """The results seen from side `ours`, so that mirrored runs compare equal."""
    groups = {group.delegation.code: group for group in results.groups}
    (theirs,) = [code for code in groups if code != ours]
    (pair,) = results.pairs
    we_are_a = pair.a.delegation.code == ours
    return {
        "ours": _group(groups[ours]),
        "theirs": _group(groups[theirs]),
        "joint": _group(results.joint),
        "tau_b": round(pair.tau_b, 4),
        "shared": [item.number for item in pair.shared],
        "asymmetries": [
            (item.number, a if we_are_a else b, b if we_are_a else a, gap)
            for item, a, b, gap in pair.asymmetries
        ],
    }


@pytest.mark.parametrize("ours", ["CN", "US"])
def test_results_flow_from_each_side_gives_mirrored_results(client, workshop, ours):
    # Ours (3 ballots): pairwise 1>2 (2-1), everything else 3-0, so the
    # Schulze order is 1, 2, 3, 4; Borda 8, 7, 3, 0; rank sums 4, 5, 9, 12
    # (mean 7.5, S = 41): W = 12 * 41 / (9 * 60) = 0.9111.
    # Theirs (2 ballots): 1 and 4 tie 1-1 and beat 3, which beats 2: tiers
    # [1, 4], [3], [2], ranks 1.5, 1.5, 3, 4; Borda 5, 5, 2, 0; rank sums 3, 8,
    # 6, 3 (mean 5, S = 18): W = 12 * 18 / (4 * 60) = 0.9.
    # tau-b: concordant (1,2), (1,3); discordant (2,3), (2,4), (3,4); (1,4) tied
    # on their side: (2 - 3) / sqrt(6 * 5) = -0.1826.
    # Top third: ranks <= 2: ours 1, 2; theirs 1, 4: shared 1.
    # Gaps: item 4 2.5, item 2 2, item 1 0.5 (item 3 none).
    # Joint (5 ballots): 1 beats 2 (4-1), 3 (5-0), 4 (4-1); 2 beats 3 and 4
    # (3-2); 3 beats 4 (3-2). Borda 13, 7, 5, 5; rank sums 7, 13, 15, 15
    # (mean 12.5, S = 43): W = 12 * 43 / (25 * 60) = 0.344.

    theirs = "US" if ours == "CN" else "CN"
    session = make_ranking_session(workshop, items=4)
    facilitator = make_participant(workshop, role=Role.FACILITATOR)
    session_set_phase(session=session, phase=Phase.RANKING, by=facilitator)
    for code, ballots in ((ours, OUR_BALLOTS), (theirs, THEIR_BALLOTS)):
        for order in ballots:
            delegate = make_participant(workshop, code=code)
            client.force_login(delegate.user)
            data = {"round": "1"}
            for position, item_id in enumerate(ids(session, order), start=1):
                data[f"position-{item_id}"] = str(position)
            response = client.post(
                reverse("ranking_submit", args=[workshop.slug, session.number]), data
            )
            assert response.status_code == 302
    client.force_login(facilitator.user)
    client.post(reverse("ranking_close", args=[workshop.slug, session.number]))
    client.force_login(make_participant(workshop, code=ours).user)

    response = client.get(
        reverse("ranking_results", args=[workshop.slug, session.number, 1])
    )

    assert response.status_code == 200
    assert summary(response.context["results"], ours) == EXPECTED
    page = response.content.decode()
    assert '<strong class="ranking-number">-0.18</strong>' in page
    assert '<strong class="ranking-number">0.91</strong>' in page


def test_round_results_refuse_an_open_round(workshop):
    session = make_ranking_session(workshop, items=3)
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    round_ = session.ranking_rounds.get()

    with pytest.raises(ValueError, match="secret"):
        round_results(
            round_=round_,
            items=list(session.items.all()),
            delegations=list(workshop.delegations.all()),
        )


def test_round_results_leave_out_items_added_after_the_round(workshop):
    session = make_ranking_session(workshop, items=3)
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    for code in ("CN", "US"):
        ranking_submit(
            session=session,
            participant=make_participant(workshop, code=code),
            order=ids(session, [3, 2, 1]),
        )
    round_ = ranking_round_close(session=session, by=admin_organiser())
    cn, us = workshop.delegations.all()
    AgendaItemFactory(session=session, number=4, proposed_by=cn, addressed_to=us)

    results = round_results(
        round_=round_,
        items=list(session.items.order_by("number")),
        delegations=list(workshop.delegations.all()),
    )

    assert [row.item.number for row in results.joint.rows] == [3, 2, 1]
    assert results.n_items == 3


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
    ranking_round_close(session=open_session, by=admin_organiser())
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
    ranking_round_close(session=open_session, by=admin_organiser())

    response = client.get(url("ranking_results", open_session, 1))

    assert response.status_code == 302


def test_results_with_one_side_silent_show_no_comparison(
    client, workshop, open_session
):
    cn = make_participant(workshop, code="CN")
    ranking_submit(
        session=open_session, participant=cn, order=ids(open_session, [1, 2, 3, 4])
    )
    ranking_round_close(session=open_session, by=admin_organiser())
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
    ranking_round_close(session=open_session, by=admin_organiser())
    client.force_login(make_participant(workshop, code="CN").user)

    page = page_text(client.get(url("ranking_results", open_session, 1)))

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_results_page_and_summary_count_the_same_ballots_after_an_item_is_added(
    client, workshop
):
    # The item added after the round closed was never ranked: the results page
    # and the summary both leave it out and both count every ballot.
    session = make_ranking_session(workshop, items=3)
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    for code, order in (("CN", [3, 2, 1]), ("CN", [3, 1, 2]), ("US", [1, 2, 3])):
        ranking_submit(
            session=session,
            participant=make_participant(workshop, code=code),
            order=ids(session, order),
        )
    ranking_round_close(session=session, by=admin_organiser())
    cn, us = workshop.delegations.all()
    AgendaItemFactory(session=session, number=4, proposed_by=cn, addressed_to=us)
    client.force_login(make_participant(workshop, code="US").user)

    response = client.get(
        reverse("ranking_results", args=[workshop.slug, session.number, 1])
    )
    document = build_summary_document(session=session)

    results = response.context["results"]
    page = {
        (group.label, row.item.number): row.rank_text
        for group in results.groups
        for row in group.rows
    }
    summary_ranks = {
        (rank.delegation, row.number): rank_text(rank.rank)
        for row in document.ranking.rows
        for rank in row.ranks
    }
    assert response.status_code == 200
    assert page == summary_ranks
    assert page == {
        ("Chinese scholars", 3): "1",
        ("Chinese scholars", 1): "2.5",
        ("Chinese scholars", 2): "2.5",
        ("American scholars", 1): "1",
        ("American scholars", 2): "2",
        ("American scholars", 3): "3",
    }
    assert [(g.label, g.n_rankers) for g in results.groups] == [
        ("Chinese scholars", 2),
        ("American scholars", 1),
    ]
    assert document.ranking.rankers == (
        ("Chinese scholars", 2),
        ("American scholars", 1),
    )
    assert document.items[3].ranks == ()
