"""The comment actions through the client: posting (with and without htmx),
replying, endorsing, withdrawing, editing and hiding, for the participant,
the observer and the closed session, and the CSRF check."""

import pytest
from django.test import Client

from dialogue.models import Comment, CommentState, Endorsement, Phase, Role
from dialogue.services import comments as svc
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, item_url, make_participant
from tests.builders import comment_action_url as action_url

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(discussion):
    """The session of `item` (see conftest.py): the shipped workshop's session 2."""
    return discussion


@pytest.mark.parametrize("code", ["CN", "US"])
def test_post_a_comment_without_javascript(client, seeded, item, code):
    author = make_participant(seeded, code=code)
    client.force_login(author.user)

    response = client.post(item_url(item, "comment_create"), {"body": "A *fair* point"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        item_url(item) + f"?comment={comment.pk}#comment-{comment.pk}"
    )
    assert comment.author == author
    page = client.get(item_url(item)).content.decode()
    assert "A <em>fair</em> point" in page


def test_post_a_comment_with_htmx_returns_the_discussion(client, item, cn):
    client.force_login(cn.user)

    response = client.post(item_url(item, "comment_create"), {"body": "Live"}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="discussion"' in page
    assert "Live" in page
    assert 'hx-swap-oob="true"' in page  # the emptied form


def test_post_on_a_point(client, item, cn):
    point = item.points.get(position=4)
    client.force_login(cn.user)

    client.post(
        item_url(item, "comment_create"), {"body": "On Xinjiang", "point": point.pk}
    )

    assert Comment.objects.get().point == point


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "Write something before posting."),
        (
            {"body": "x" * 10_001},
            "Your comment is 10001 characters long; the limit is 10000.",
        ),
        (
            {"body": "a\x00b"},
            "Your comment contains a character that is not allowed (U+0000).",
        ),
        ({"body": "ok", "point": "999999"}, "Select a valid choice."),
        ({"body": "ok", "parent": "abc"}, "Enter a whole number."),
        (
            {"body": "ok", "parent": "999999"},
            "The comment you are replying to does not exist.",
        ),
    ],
)
def test_post_bad_input_is_refused_with_a_message(client, item, cn, data, message):
    client.force_login(cn.user)

    response = client.post(item_url(item, "comment_create"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Comment.objects.count() == 0


def test_post_bad_input_with_htmx_is_a_400_fragment(client, item, cn):
    client.force_login(cn.user)

    response = client.post(item_url(item, "comment_create"), {"body": " "}, **HTMX)

    assert response.status_code == 400
    assert response.content.decode().strip().startswith('<div class="form-errors"')


def test_reply_to_a_comment_of_another_item_is_a_400(client, session, cn, us):
    first, second = session.items.get(number=1), session.items.get(number=2)
    parent = svc.comment_post(participant=cn, item=first, body="On item 1")
    client.force_login(us.user)

    response = client.post(
        item_url(second, "comment_create"), {"body": "Reply", "parent": parent.pk}
    )

    assert response.status_code == 400
    assert (
        "You can only reply to a comment on the same item." in response.content.decode()
    )
    assert Comment.objects.count() == 1


def test_observer_post_is_refused_and_writes_nothing(client, seeded, item):
    observer = make_participant(seeded, role=Role.OBSERVER)
    client.force_login(observer.user)

    response = client.post(item_url(item, "comment_create"), {"body": "Let me in"})

    assert response.status_code == 400
    assert (
        "Only delegates can take part in the discussion." in response.content.decode()
    )
    assert Comment.objects.count() == 0


def test_post_to_a_closed_session_is_refused_with_a_message(client, item, cn):
    session_set_phase(session=item.session, phase=Phase.CLOSED, by=admin_organiser())
    client.force_login(cn.user)

    response = client.post(item_url(item, "comment_create"), {"body": "Late"})

    assert response.status_code == 400
    assert "This session is not open for discussion (it is “Closed”)." in (
        response.content.decode()
    )
    assert Comment.objects.count() == 0


def test_reply_endorse_withdraw_round_trip(client, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Opening")
    client.force_login(us.user)

    client.post(
        item_url(item, "comment_create"), {"body": "Reply", "parent": comment.pk}
    )
    client.post(action_url("comment_endorse", comment))
    second = client.post(action_url("comment_endorse", comment))
    client.force_login(cn.user)
    client.post(action_url("comment_withdraw", comment), {"confirm": "1"})

    comment.refresh_from_db()
    assert second.status_code == 400
    assert "You have already endorsed this comment." in second.content.decode()
    assert comment.endorsement_count == 1
    assert comment.state == CommentState.WITHDRAWN
    page = client.get(item_url(item)).content.decode()
    assert "Withdrawn by its author." in page
    assert "Reply" in page


def test_endorse_twice_with_htmx_is_a_400_with_the_reason(client, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Opening")
    client.force_login(us.user)
    client.post(action_url("comment_endorse", comment), **HTMX)

    response = client.post(action_url("comment_endorse", comment), **HTMX)

    assert response.status_code == 400
    assert "You have already endorsed this comment." in response.content.decode()
    assert Endorsement.objects.count() == 1


def test_nobody_acts_on_anothers_behalf(client, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Mine")
    client.force_login(us.user)

    edit = client.post(action_url("comment_edit", comment), {"body": "Hijacked"})
    withdraw = client.post(action_url("comment_withdraw", comment), {"confirm": "1"})

    comment.refresh_from_db()
    assert edit.status_code == 404
    assert withdraw.status_code == 400
    assert (comment.body, comment.state) == ("Mine", CommentState.VISIBLE)


def test_actions_on_a_comment_of_another_workshop_are_404(
    client, item, cn, other_workshop_member
):
    comment = svc.comment_post(participant=cn, item=item, body="Ours")
    client.force_login(other_workshop_member.user)

    for name in (
        "comment_endorse",
        "comment_withdraw",
        "comment_hide",
        "comment_unhide",
        "comment_edit",
    ):
        assert client.post(action_url(name, comment)).status_code == 404, name


def test_edit_own_comment(client, item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="Draft")
    client.force_login(cn.user)

    page = client.get(action_url("comment_edit", comment))
    response = client.post(action_url("comment_edit", comment), {"body": "Final"})

    comment.refresh_from_db()
    assert page.status_code == 200
    assert response.status_code == 302
    assert comment.body == "Final"


def test_hidden_comment_shows_the_reason_to_its_author_only(
    client, seeded, item, cn, us
):
    comment = svc.comment_post(participant=cn, item=item, body="Sharp words here")
    facilitator = make_participant(seeded, role=Role.FACILITATOR)
    client.force_login(facilitator.user)
    client.post(
        action_url("comment_hide", comment), {"reason": "Keep it civil", "confirm": "1"}
    )

    client.force_login(cn.user)
    author_view = client.get(item_url(item)).content.decode()
    client.force_login(us.user)
    other_view = client.get(item_url(item)).content.decode()

    assert "Hidden by a facilitator. Reason: Keep it civil" in author_view
    assert "Hidden by a facilitator." in other_view
    assert "Keep it civil" not in other_view
    assert "Sharp words here" not in other_view


def test_hide_without_reason_is_refused(client, seeded, item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="Hm")
    client.force_login(make_participant(seeded, role=Role.FACILITATOR).user)

    response = client.post(
        action_url("comment_hide", comment), {"reason": "", "confirm": "1"}
    )

    comment.refresh_from_db()
    assert response.status_code == 400
    assert comment.state == CommentState.VISIBLE


def test_delegate_cannot_hide(client, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Hm")
    client.force_login(us.user)

    response = client.post(
        action_url("comment_hide", comment), {"reason": "No", "confirm": "1"}
    )

    assert response.status_code == 400
    assert "Only facilitators can hide comments." in response.content.decode()


def test_posts_need_the_csrf_token(item, cn):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cn.user)

    response = strict.post(item_url(item, "comment_create"), {"body": "No token"})

    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_edit_link_disappears_after_the_window(client, item, cn):
    import datetime as dt

    from django.utils import timezone

    comment = svc.comment_post(participant=cn, item=item, body="Old")
    client.force_login(cn.user)
    edit = action_url("comment_edit", comment)
    assert edit in client.get(item_url(item)).content.decode()

    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=16)
    )

    assert edit not in client.get(item_url(item)).content.decode()
