"""The confirm step of consequential actions (dialogue/views/confirm.py):
a GET shows the question and changes nothing, a POST without confirm=1 is
refused with the question (400) and changes nothing, only the confirmed POST
acts; strangers get 404, and those whose action it is not are refused."""

import pytest
from django.urls import reverse

from dialogue.models import (
    CommentState,
    MeasureEndorsement,
    Phase,
    PhaseChange,
    Role,
)
from dialogue.services import comments as svc
from tests.builders import (
    build_dialogue,
    login,
    make_participant,
    measure_url,
    page_text,
    propose,
)
from tests.builders import comment_action_url as action_url

HTMX = {"HX-Request": "true"}


def phase_url(session):
    return reverse("session_phase", args=[session.workshop.slug, session.number])


@pytest.fixture
def facilitator(seeded):
    return make_participant(seeded, role=Role.FACILITATOR)


@pytest.fixture
def observer(seeded):
    return make_participant(seeded, role=Role.OBSERVER)


# --- withdrawing a comment ----------------------------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_withdraw_asks_first_and_acts_only_when_confirmed(client, seeded, item, code):
    author = make_participant(seeded, code=code)
    comment = svc.comment_post(participant=author, item=item, body="Second thoughts")
    login(client, author)

    asked = client.get(action_url("comment_withdraw", comment))
    skipped = client.post(action_url("comment_withdraw", comment))
    comment.refresh_from_db()
    state_after_skip = comment.state
    done = client.post(action_url("comment_withdraw", comment), {"confirm": "1"})
    comment.refresh_from_db()

    assert asked.status_code == 200
    assert "Withdraw your comment?" in page_text(asked)
    assert 'name="confirm" value="1"' in page_text(asked)
    assert skipped.status_code == 400
    assert "Nothing was done: confirm to go ahead, or cancel." in page_text(skipped)
    assert state_after_skip == CommentState.VISIBLE
    assert done.status_code == 302
    assert comment.state == CommentState.WITHDRAWN


def test_withdraw_step_for_htmx_is_the_dialog_fragment(client, item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="Hm")
    login(client, cn)

    response = client.get(action_url("comment_withdraw", comment), headers=HTMX)

    text = page_text(response)
    assert response.status_code == 200
    assert "<html" not in text
    assert text.count('id="confirm-heading"') == 1
    assert 'hx-target="#discussion"' in text


def test_withdraw_step_is_refused_to_others_and_404_to_strangers(
    client, item, cn, us, observer, stranger
):
    comment = svc.comment_post(participant=cn, item=item, body="Mine")

    answers = []
    for user in (us.user, observer.user, stranger):
        client.force_login(user)
        answers.append(
            (
                client.get(action_url("comment_withdraw", comment)).status_code,
                client.post(
                    action_url("comment_withdraw", comment), {"confirm": "1"}
                ).status_code,
            )
        )

    comment.refresh_from_db()
    assert answers == [(403, 400), (403, 400), (404, 404)]
    assert comment.state == CommentState.VISIBLE


# --- hiding a comment --------------------------------------------------------------


def test_hide_asks_first_with_the_reason_kept(client, item, cn, facilitator):
    comment = svc.comment_post(participant=cn, item=item, body="Sharp")
    login(client, facilitator)

    asked = client.get(
        action_url("comment_hide", comment), {"reason": "Keep it <civil>"}
    )
    skipped = client.post(action_url("comment_hide", comment), {"reason": "Civil"})
    comment.refresh_from_db()
    state_after_skip = comment.state
    done = client.post(
        action_url("comment_hide", comment), {"reason": "Civil", "confirm": "1"}
    )
    comment.refresh_from_db()

    assert asked.status_code == 200
    assert "Hide this comment?" in page_text(asked)
    assert 'value="Keep it &lt;civil&gt;"' in page_text(asked)
    assert skipped.status_code == 400
    assert state_after_skip == CommentState.VISIBLE
    assert done.status_code == 302
    assert (comment.state, comment.hidden_reason) == (CommentState.HIDDEN, "Civil")


def test_hide_step_is_refused_to_delegates_and_observers(
    client, item, cn, us, observer, stranger
):
    comment = svc.comment_post(participant=cn, item=item, body="Sharp")

    statuses = []
    for user in (us.user, observer.user, stranger):
        client.force_login(user)
        statuses.append(
            client.get(action_url("comment_hide", comment), {"reason": "x"}).status_code
        )

    assert statuses == [403, 403, 404]


# --- moving a session to ranking or closing it -----------------------------------------


@pytest.mark.parametrize("phase", [Phase.RANKING, Phase.CLOSED])
def test_ending_moves_ask_first(client, discussion, facilitator, phase):
    login(client, facilitator)

    asked = client.get(phase_url(discussion), {"phase": phase})
    skipped = client.post(phase_url(discussion), {"phase": phase})
    discussion.refresh_from_db()
    phase_after_skip = discussion.phase
    done = client.post(phase_url(discussion), {"phase": phase, "confirm": "1"})
    discussion.refresh_from_db()

    assert asked.status_code == 200
    assert f'name="phase" value="{phase}"' in page_text(asked)
    assert skipped.status_code == 400
    assert phase_after_skip == Phase.OPEN
    assert done.status_code == 302
    assert discussion.phase == phase
    assert PhaseChange.objects.filter(to_phase=phase).count() == 1


def test_opening_discussion_needs_no_confirm(client, seeded, facilitator):
    session = seeded.sessions.get(number=1)
    login(client, facilitator)

    response = client.post(phase_url(session), {"phase": Phase.OPEN})

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.phase == Phase.OPEN


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.OBSERVER])
def test_phase_step_is_refused_to_non_facilitators(client, seeded, discussion, role):
    participant = make_participant(
        seeded, role=role, code="CN" if role == Role.DELEGATE else None
    )
    login(client, participant)

    asked = client.get(phase_url(discussion), {"phase": Phase.RANKING})
    forced = client.post(
        phase_url(discussion), {"phase": Phase.RANKING, "confirm": "1"}
    )

    discussion.refresh_from_db()
    assert (asked.status_code, forced.status_code) == (403, 403)
    assert discussion.phase == Phase.OPEN


def test_phase_step_is_404_for_a_stranger(client, discussion, stranger):
    client.force_login(stranger)

    assert client.get(phase_url(discussion), {"phase": "ranking"}).status_code == 404


def test_phase_step_for_an_unknown_phase_is_a_400(client, discussion, facilitator):
    login(client, facilitator)

    response = client.get(phase_url(discussion), {"phase": "party"})

    assert response.status_code == 400
    assert "Unknown phase." in page_text(response)


# --- endorsing a measure on behalf of a delegation ---------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_endorse_on_behalf_asks_first(client, workshop, code):
    d = build_dialogue(workshop)
    measure = propose(d, d.other(code))
    head = login(client, d.head(code))
    endorse = measure_url("measure_endorse", d, measure.pk)

    asked = client.get(endorse, {"delegation": code})
    skipped = client.post(endorse, {"delegation": code})
    count_after_skip = MeasureEndorsement.objects.count()
    done = client.post(endorse, {"delegation": code, "confirm": "1"})

    assert asked.status_code == 200
    assert f"Endorse this measure on behalf of {head.delegation.name}?" in page_text(
        asked
    )
    assert skipped.status_code == 400
    assert count_after_skip == 0
    assert done.status_code == 302
    assert list(MeasureEndorsement.objects.values_list("delegation__code")) == [(code,)]


def test_endorse_step_is_refused_to_others(client, workshop, stranger):
    d = build_dialogue(workshop)
    measure = propose(d, "US")
    endorse = measure_url("measure_endorse", d, measure.pk)

    statuses = []
    for participant in (d.delegates["CN"][1], d.head("US"), d.observer):
        login(client, participant)
        statuses.append(client.get(endorse, {"delegation": "CN"}).status_code)
    client.force_login(stranger)
    statuses.append(client.get(endorse, {"delegation": "CN"}).status_code)

    # Not a head, the other side's head (400 with the reason, as when posted),
    # an observer (not a delegate at all), a stranger.
    assert statuses == [400, 400, 403, 404]
    assert MeasureEndorsement.objects.count() == 0
