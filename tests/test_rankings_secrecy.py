"""While a round is open, nothing anyone can fetch depends on other people's
ballots: for every role, each page, fragment, admin page and the workshop
export is byte for byte the same whatever the others ranked (and, except for
the facilitators' turnout counts, whether they ranked at all)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from dialogue.admin import admin
from dialogue.models import Phase, Ranking, RankingEntry, RankingRound, Role
from dialogue.services.rankings import ranking_submit
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, make_participant, make_ranking_session
from tests.builders import item_ids as ids
from tests.factories import UserFactory

# Two sets of ballots with the same turnout and very different contents.
BALLOTS_A = {"CN": [[1, 2, 3, 4, 5], [2, 1, 3, 4, 5]], "US": [[5, 4, 3, 2, 1]]}
BALLOTS_B = {"CN": [[5, 3, 1, 4, 2], [4, 5, 2, 1, 3]], "US": [[1, 3, 5, 2, 4]]}
# The viewer's own ballot, when the viewer is a delegate who has ranked.
OWN = [3, 5, 1, 2, 4]

VIEWERS = [
    "delegate CN (ranked)",
    "delegate US (ranked)",
    "delegate CN (not yet ranked)",
    "delegate US (not yet ranked)",
    "observer",
    "facilitator",
    "organiser",
    "rapporteur",
]


def normalised(text: str) -> str:
    """The page without its per-response CSRF token."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", text)


def without_turnout(text: str) -> str:
    return re.sub(
        r"<table class=\"ranking-table\">\s*<caption>Turnout.*?</table>",
        "",
        text,
        flags=re.S,
    )


def turnout(text: str) -> list[str]:
    return re.findall(r'<th scope="row">[^<]+</th><td>([^<]+)</td>', text)


@pytest.fixture
def setup(workshop):
    session = make_ranking_session(workshop, items=5)
    others = {
        code: [make_participant(workshop, code=code) for _ in ballots]
        for code, ballots in BALLOTS_A.items()
    }
    return workshop, session, others


def _viewer(workshop, name):
    if name.startswith("delegate"):
        code = name.split()[1]
        return make_participant(
            workshop, code=code, user=UserFactory(username=f"viewer-{code}")
        )
    role = Role(name)
    return make_participant(
        workshop, role=role, user=UserFactory(username=f"viewer-{role}")
    )


def _cast(session, others, ballots):
    for code, orders in ballots.items():
        for delegate, order in zip(others[code], orders, strict=True):
            ranking_submit(
                session=session, participant=delegate, order=ids(session, order)
            )


def _everything(client, workshop, session) -> dict[str, tuple[int, str]]:
    """Every page, fragment and export a participant can reach, normalised."""
    args = [workshop.slug, session.number]
    urls = {
        "home": reverse("home"),
        "workshop": workshop.get_absolute_url(),
        "session": session.get_absolute_url(),
        "ranking": reverse("ranking_page", args=args),
        "turnout": reverse("ranking_turnout", args=args),
        "turnout (htmx)": reverse("ranking_turnout", args=args),
        "results round 1": reverse("ranking_results", args=[*args, 1]),
    }
    pages = {}
    for name, url in urls.items():
        headers = {"HTTP_HX_REQUEST": "true"} if "htmx" in name else {}
        response = client.get(url, **headers)
        pages[name] = (response.status_code, normalised(response.content.decode()))
    export = io.StringIO()
    call_command("export_workshop", workshop.slug, stdout=export)
    pages["export_workshop"] = (0, export.getvalue())
    return pages


@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_open_round_pages_do_not_depend_on_other_ballots(client, setup, viewer_name):
    workshop, session, others = setup
    viewer = _viewer(workshop, viewer_name)
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    if viewer_name.endswith("(ranked)"):
        ranking_submit(session=session, participant=viewer, order=ids(session, OWN))
    client.force_login(viewer.user)
    before_anyone = _everything(client, workshop, session)
    _cast(session, others, BALLOTS_A)
    with_a = _everything(client, workshop, session)

    _cast(session, others, BALLOTS_B)
    with_b = _everything(client, workshop, session)

    assert with_a == with_b
    if viewer.role in (Role.FACILITATOR, Role.ORGANISER):
        # Turnout is the one thing that moves, and only for them.
        assert {k: (s, without_turnout(p)) for k, (s, p) in before_anyone.items()} == {
            k: (s, without_turnout(p)) for k, (s, p) in with_a.items()
        }
        assert turnout(before_anyone["ranking"][1]) == ["0 of 2", "0 of 1"]
        assert turnout(with_a["ranking"][1]) == ["2 of 2", "1 of 1"]
    else:
        assert before_anyone == with_a
    assert with_a["results round 1"][0] == 404
    for name, (_status, page) in with_a.items():
        for word in ("Borda", "median", "Kendall", "Schulze", "IQR"):
            assert word not in page, (name, word)


@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_open_round_ranking_page_shows_only_the_viewers_own_order(
    client, setup, viewer_name
):
    workshop, session, others = setup
    viewer = _viewer(workshop, viewer_name)
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    _cast(session, others, BALLOTS_A)
    if viewer_name.endswith("(ranked)"):
        ranking_submit(session=session, participant=viewer, order=ids(session, OWN))
    client.force_login(viewer.user)

    response = client.get(reverse("ranking_page", args=[workshop.slug, session.number]))

    rows = response.context.get("rows")
    shown = [row.item.number for row in rows] if rows else None
    if viewer_name.endswith("(ranked)"):
        assert shown == OWN
    elif viewer.role == Role.DELEGATE:
        # Their own starting order (a shuffle seeded per delegate), the same
        # on a reload; never anyone else's ballot.
        assert sorted(shown) == [1, 2, 3, 4, 5]
        again = client.get(
            reverse("ranking_page", args=[workshop.slug, session.number])
        )
        assert [row.item.number for row in again.context["rows"]] == shown
    else:
        assert shown is None


def test_admin_shows_rounds_with_counts_and_no_orders(client, setup, organiser):
    workshop, session, others = setup
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    _cast(session, others, BALLOTS_A)
    round_ = RankingRound.objects.get(session=session)
    client.force_login(organiser)
    changelist_url = reverse("admin:dialogue_rankinground_changelist")
    change_url = reverse("admin:dialogue_rankinground_change", args=[round_.pk])

    pages_a = [
        normalised(client.get(u).content.decode()) for u in (changelist_url, change_url)
    ]
    _cast(session, others, BALLOTS_B)
    pages_b = [
        normalised(client.get(u).content.decode()) for u in (changelist_url, change_url)
    ]

    assert pages_a == pages_b
    assert "Item 1 of session 1" not in pages_a[1]
    assert client.get(changelist_url).context["cl"].result_list[0].ranking_count == 3
    assert not admin.site.is_registered(Ranking)
    assert not admin.site.is_registered(RankingEntry)
