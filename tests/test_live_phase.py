"""Pages follow a phase change within one poll (dialogue/live.py): the
polled region sends the phase it shows, and the answer after a move also
carries the regions outside it that the phase decides, out of band."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import Phase, Role
from dialogue.services import comments as svc
from dialogue.services.sessions import session_set_focus, session_set_phase
from tests.builders import admin_organiser, item_url, login, make_participant, page_text

HTMX = {"HX-Request": "true"}


def live_url(session):
    return reverse("session_live", args=[session.workshop.slug, session.number])


@pytest.mark.parametrize("code", ["CN", "US"])
def test_item_poll_after_the_move_to_ranking_takes_the_form_away(
    client, seeded, item, code
):
    delegate = login(client, make_participant(seeded, code=code))
    svc.comment_post(participant=delegate, item=item, body="Before the move")
    page = page_text(client.get(item_url(item)))
    session_set_phase(session=item.session, phase=Phase.RANKING, by=admin_organiser())

    moved = page_text(
        client.get(item_url(item, "item_discussion"), {"phase": "open"}, headers=HTMX)
    )
    held = page_text(
        client.get(
            item_url(item, "item_discussion"), {"phase": "ranking"}, headers=HTMX
        )
    )

    assert 'hx-vals=\'{"phase": "open"}\'' in page
    assert 'id="comment-form"' in page
    assert '<section id="comment-form-region" hx-swap-oob="true">' in moved
    assert 'id="comment-form"' not in moved
    assert "This session is not open for discussion" in moved
    assert 'id="item-phase" class="phase phase-ranking" hx-swap-oob="true"' in moved
    assert "Comment on this point" not in moved
    assert 'hx-vals=\'{"phase": "ranking"}\'' in moved
    assert "hx-swap-oob" not in held


def test_item_poll_after_the_move_costs_one_more_query(client, seeded, item, cn):
    login(client, cn)
    svc.comment_post(participant=cn, item=item, body="One")
    session_set_phase(session=item.session, phase=Phase.RANKING, by=admin_organiser())
    poll = item_url(item, "item_discussion")

    with CaptureQueriesContext(connection) as held:
        client.get(poll, {"phase": "ranking"}, headers=HTMX)
    with CaptureQueriesContext(connection) as moved:
        response = client.get(poll, {"phase": "open"}, headers=HTMX)

    # The regions sent out of band read the item's points once more; the
    # form is not shown in ranking, so nothing else is read.
    assert response.status_code == 200
    assert len(moved) - len(held) <= 1, [q["sql"] for q in moved]


@pytest.mark.parametrize("code", ["CN", "US"])
def test_session_poll_after_the_move_brings_the_ranking_panel(
    client, seeded, discussion, code
):
    login(client, make_participant(seeded, code=code))
    session_set_focus(
        participant=make_participant(seeded, role=Role.FACILITATOR),
        session=discussion,
        item=discussion.items.get(number=2),
    )
    before = page_text(
        client.get(live_url(discussion), {"phase": "open"}, headers=HTMX)
    )
    session_set_phase(session=discussion, phase=Phase.RANKING, by=admin_organiser())

    moved = page_text(client.get(live_url(discussion), {"phase": "open"}, headers=HTMX))

    assert "Under discussion now" in before
    assert "hx-swap-oob" not in before
    assert "Under discussion now" not in moved
    assert "Rank the items" in moved
    assert '<div id="session-ranking" hx-swap-oob="true">' in moved
    assert "Priority ranking" in moved
    assert '<div id="facilitator-controls" hx-swap-oob="true">' in moved


def test_facilitator_controls_follow_the_phase(client, seeded, discussion):
    login(client, make_participant(seeded, role=Role.FACILITATOR))
    session_set_phase(session=discussion, phase=Phase.RANKING, by=admin_organiser())

    moved = page_text(client.get(live_url(discussion), {"phase": "open"}, headers=HTMX))

    controls = moved.split('<div id="facilitator-controls" hx-swap-oob="true">')[1]
    controls = controls.split('<div id="session-ranking"')[0]
    assert 'value="open"' in controls
    assert 'value="ranking"' not in controls  # the current phase is not offered
    assert 'id="focus-item"' not in controls  # nothing is under discussion


def test_session_page_puts_the_agenda_first_and_the_phase_once(
    client, seeded, discussion
):
    login(client, make_participant(seeded, role=Role.FACILITATOR))

    page = page_text(client.get(discussion.get_absolute_url()))

    assert page.index(">Agenda</h2>") < page.index('id="facilitator-heading"')
    assert page.index(">Agenda</h2>") < page.index("Reciprocal measures")
    assert page.count("Open for discussion</span>") == 1
    assert (
        'value="open"'
        not in page.split('id="facilitator-heading"')[1].split("</form>")[0]
    )


def test_empty_measure_panel_says_one_line(client, seeded, discussion, cn):
    login(client, cn)
    counts = reverse("measure_session_counts", args=[seeded.slug, discussion.number])

    response = client.get(counts, headers=HTMX)

    assert " ".join(page_text(response).split()) == (
        '<p class="measure-counts"> No measures on this session’s items yet. </p>'
    )
