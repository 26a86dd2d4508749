"""Sessions and rankings: a session to rank, its URLs and form, stored and
cast ballots, and random elections for the ranking maths."""

import re

from hypothesis import strategies as st

from dialogue.models import Ranking, RankingEntry
from tests.builders.pages import page_text, session_url
from tests.factories import AgendaItemFactory, SessionFactory


def make_ranking_session(workshop, *, number=1, items=4, phase="open"):
    """A session of `workshop` with `items` agenda items numbered from 1.

    Items alternate their proposer between the first two delegations (by
    code), so neither side proposes them all.
    """
    delegations = list(workshop.delegations.all())
    session = SessionFactory(workshop=workshop, number=number, phase=phase)
    for n in range(1, items + 1):
        proposer = delegations[(n - 1) % 2]
        addressee = delegations[n % 2]
        AgendaItemFactory(
            session=session,
            number=n,
            title=f"Item {n} of session {number}",
            proposed_by=proposer,
            addressed_to=addressee,
        )
    return session


def item_ids(session, numbers):
    by_number = dict(session.items.values_list("number", "id"))
    return [by_number[n] for n in numbers]


# A ranking page's URL is a session's URL.
ranking_url = session_url


def ranking_form(session, numbers, round_number=1):
    """The plain form's fields for an order of item numbers, best first."""
    data = {"round": str(round_number)}
    for position, item_id in enumerate(item_ids(session, numbers), start=1):
        data[f"position-{item_id}"] = str(position)
    return data


def stored_rankings(session):
    """(username, round number, item numbers best first) of every ranking."""
    return sorted(
        (
            r.participant.user.username,
            r.round.number,
            [e.item.number for e in r.entries.order_by("position")],
        )
        for r in Ranking.objects.filter(round__session=session)
    )


def ranking_error_text(response) -> str:
    match = re.search(r'id="ranking-error">\s*<p>(.*?)</p>', page_text(response))
    return match.group(1) if match else ""


def cast_ballot(round_, participant, items):
    ranking = Ranking.objects.create(round=round_, participant=participant)
    RankingEntry.objects.bulk_create(
        RankingEntry(ranking=ranking, item=item, position=position)
        for position, item in enumerate(items, start=1)
    )


@st.composite
def elections(draw, min_items=1, max_items=6, min_ballots=0, max_ballots=12):
    n = draw(st.integers(min_items, max_items))
    candidates = list(range(n))
    ballots = draw(
        st.lists(
            st.permutations(candidates), min_size=min_ballots, max_size=max_ballots
        )
    )
    return candidates, ballots
