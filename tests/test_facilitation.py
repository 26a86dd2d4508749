"""The facilitator's controls on the session page, and the live session list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import FocusChange, Phase, PhaseChange, Role
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, make_participant


@pytest.fixture
def session(seeded):
    return seeded.sessions.get(number=1)


def url(session, name):
    return reverse(name, args=[session.workshop.slug, session.number])


@pytest.fixture
def facilitator(seeded):
    return make_participant(seeded, role=Role.FACILITATOR)


def test_facilitator_sees_the_controls_and_delegates_do_not(
    client, seeded, session, facilitator
):
    client.force_login(facilitator.user)
    facilitator_page = client.get(session.get_absolute_url()).content.decode()
    client.force_login(make_participant(seeded, code="CN").user)
    delegate_page = client.get(session.get_absolute_url()).content.decode()

    assert 'id="facilitator-heading"' in facilitator_page
    assert 'id="facilitator-heading"' not in delegate_page


@pytest.mark.parametrize(
    "phase", [Phase.OPEN, Phase.RANKING, Phase.CLOSED, Phase.DRAFT]
)
def test_facilitator_moves_the_phase_and_it_is_recorded(
    client, session, facilitator, phase
):
    client.force_login(facilitator.user)
    if phase == Phase.DRAFT:
        client.post(url(session, "session_phase"), {"phase": Phase.OPEN})

    response = client.post(
        url(session, "session_phase"), {"phase": phase, "confirm": "1"}
    )

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.phase == phase
    assert PhaseChange.objects.filter(
        to_phase=phase, changed_by=facilitator.user
    ).exists()


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.OBSERVER, Role.RAPPORTEUR])
def test_others_cannot_move_the_phase(client, seeded, session, role):
    participant = make_participant(
        seeded, role=role, code="US" if role == Role.DELEGATE else None
    )
    client.force_login(participant.user)

    response = client.post(url(session, "session_phase"), {"phase": Phase.OPEN})

    session.refresh_from_db()
    assert response.status_code == 403
    assert session.phase == Phase.DRAFT
    assert PhaseChange.objects.count() == 0


def test_unknown_phase_is_a_400(client, session, facilitator):
    client.force_login(facilitator.user)

    response = client.post(url(session, "session_phase"), {"phase": "party"})

    assert response.status_code == 400
    assert "Unknown phase." in response.content.decode()


def test_controls_are_404_for_strangers(client, session, stranger):
    client.force_login(stranger)

    assert (
        client.post(url(session, "session_phase"), {"phase": "open"}).status_code == 404
    )
    assert client.post(url(session, "session_focus"), {"item": "1"}).status_code == 404
    assert client.get(url(session, "session_live")).status_code == 404


def test_controls_refuse_get(client, session, facilitator):
    client.force_login(facilitator.user)

    assert client.get(url(session, "session_focus")).status_code == 405


def test_focus_is_marked_and_highlighted_for_everyone(
    client, seeded, session, facilitator
):
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    client.force_login(facilitator.user)

    client.post(url(session, "session_focus"), {"item": "4"})
    client.force_login(make_participant(seeded, code="US").user)
    page = client.get(url(session, "session_live")).content.decode()

    assert FocusChange.objects.get().item.number == 4
    assert '<li class="item current" id="item-4">' in page
    assert "Under discussion now" in page


def test_focus_on_a_missing_item_is_a_400(client, session, facilitator):
    client.force_login(facilitator.user)

    assert client.post(url(session, "session_focus"), {"item": "99"}).status_code == 400
    assert client.post(url(session, "session_focus"), {"item": "x"}).status_code == 400
    assert FocusChange.objects.count() == 0


def test_delegate_cannot_mark_focus(client, seeded, session):
    client.force_login(make_participant(seeded, code="CN").user)

    response = client.post(url(session, "session_focus"), {"item": "2"})

    assert response.status_code == 403
    assert FocusChange.objects.count() == 0


def test_session_live_poll_is_a_cheap_304_until_something_changes(
    client, seeded, session, facilitator
):
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    delegate = make_participant(seeded, code="CN")
    client.force_login(delegate.user)
    etag = client.get(url(session, "session_live"))["ETag"]

    with CaptureQueriesContext(connection) as queries:
        idle = client.get(url(session, "session_live"), HTTP_IF_NONE_MATCH=etag)
    from dialogue.services.sessions import session_set_focus

    session_set_focus(
        participant=facilitator, session=session, item=session.items.first()
    )
    changed = client.get(url(session, "session_live"), HTTP_IF_NONE_MATCH=etag)

    assert idle.status_code == 304
    assert len(queries) <= 2
    assert changed.status_code == 200
    assert "Under discussion now" in changed.content.decode()


@pytest.mark.parametrize("value", ["²", "abc", "-1"])
def test_focus_with_an_odd_item_number_is_a_400(client, session, facilitator, value):
    client.force_login(facilitator.user)

    response = client.post(url(session, "session_focus"), {"item": value})

    assert response.status_code == 400


def test_closed_session_no_longer_highlights_the_item(
    client, seeded, session, facilitator
):
    from dialogue.services.sessions import session_set_focus

    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    session_set_focus(
        participant=facilitator, session=session, item=session.items.first()
    )
    session_set_phase(session=session, phase=Phase.CLOSED, by=admin_organiser())
    client.force_login(make_participant(seeded, code="US").user)

    page = client.get(url(session, "session_live")).content.decode()

    assert "Under discussion now" not in page
