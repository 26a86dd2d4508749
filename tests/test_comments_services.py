"""The discussion's rules, at the service level."""

import datetime as dt

import pytest
from django.utils import timezone

from dialogue.models import Comment, CommentState, Endorsement, FocusChange, Phase, Role
from dialogue.services import comments as svc
from dialogue.services import sessions
from dialogue.services.comments import CommentError
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, make_participant


@pytest.fixture
def open_session(seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    return session


@pytest.fixture
def item(open_session):
    return open_session.items.get(number=3)


@pytest.fixture
def cn(seeded):
    return make_participant(seeded, code="CN")


@pytest.fixture
def us(seeded):
    return make_participant(seeded, code="US")


def version(session):
    session.refresh_from_db()
    return session.version


@pytest.mark.parametrize("code", ["CN", "US"])
def test_comment_post_by_a_delegate_of_each_side(seeded, item, code):
    author = make_participant(seeded, code=code)
    before = version(item.session)

    comment = svc.comment_post(participant=author, item=item, body="  A **view**.  ")

    assert comment.body == "A **view**."
    assert comment.author == author
    assert comment.state == CommentState.VISIBLE
    assert version(item.session) == before + 1


@pytest.mark.parametrize(
    "role", [Role.OBSERVER, Role.FACILITATOR, Role.RAPPORTEUR, Role.ORGANISER]
)
def test_comment_post_is_refused_to_non_delegates(seeded, item, role):
    reader = make_participant(seeded, role=role)

    with pytest.raises(CommentError) as excinfo:
        svc.comment_post(participant=reader, item=item, body="Hello")

    assert excinfo.value.message == "Only delegates can take part in the discussion."
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.RANKING, Phase.CLOSED])
def test_comment_post_is_refused_when_the_session_is_not_open(seeded, item, cn, phase):
    session_set_phase(session=item.session, phase=phase, by=admin_organiser())

    with pytest.raises(CommentError) as excinfo:
        svc.comment_post(participant=cn, item=item, body="Hello")

    assert excinfo.value.message.startswith("This session is not open for discussion")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "The comment is empty."),
        ("   \n\t ", "The comment is empty."),
        ("x" * 10_001, "The comment is 10001 characters long; the limit is 10000."),
        (
            "bad \x00 byte",
            "The comment contains a character that is not allowed (U+0000).",
        ),
        (
            "bell \x07",
            "The comment contains a character that is not allowed (U+0007).",
        ),
    ],
)
def test_comment_post_refuses_bad_text(item, cn, body, message):
    with pytest.raises(CommentError) as excinfo:
        svc.comment_post(participant=cn, item=item, body=body)

    assert excinfo.value.message == message
    assert Comment.objects.count() == 0


def test_comment_post_accepts_exactly_the_limit(item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="x" * 10_000)

    assert len(comment.body) == 10_000


def test_reply_to_a_comment_of_another_item_is_refused(open_session, cn, us):
    first, second = open_session.items.all()[:2]
    parent = svc.comment_post(participant=cn, item=first, body="On item 1")

    with pytest.raises(CommentError) as excinfo:
        svc.comment_post(participant=us, item=second, body="Reply", parent=parent)

    assert excinfo.value.message == "You can only reply to a comment on the same item."
    assert Comment.objects.count() == 1


def test_comment_on_a_point_of_another_item_is_refused(open_session, cn):
    first, second = open_session.items.all()[:2]

    with pytest.raises(CommentError) as excinfo:
        svc.comment_post(
            participant=cn, item=first, body="Hm", point=second.points.first()
        )

    assert excinfo.value.message == "That point belongs to another item."


def test_reply_belongs_to_the_point_of_its_parent(item, cn, us):
    point = item.points.get(position=2)
    parent = svc.comment_post(participant=cn, item=item, body="On 3.2", point=point)

    reply = svc.comment_post(participant=us, item=item, body="Agreed", parent=parent)

    assert reply.parent == parent
    assert reply.point == point


def test_edit_own_comment_within_the_window(item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="First")

    svc.comment_edit(participant=cn, comment=comment, body="Second")

    comment.refresh_from_db()
    assert comment.body == "Second"
    assert comment.edited_at is not None


def test_edit_after_fifteen_minutes_is_refused(item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="First")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=15, seconds=1)
    )
    comment.refresh_from_db()

    with pytest.raises(CommentError) as excinfo:
        svc.comment_edit(participant=cn, comment=comment, body="Late")

    assert excinfo.value.message == (
        "Comments can be edited for 15 minutes after posting."
    )
    comment.refresh_from_db()
    assert comment.body == "First"


def test_nobody_edits_or_withdraws_for_another(item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Mine")

    with pytest.raises(CommentError):
        svc.comment_edit(participant=us, comment=comment, body="Yours now")
    with pytest.raises(CommentError):
        svc.comment_withdraw(participant=us, comment=comment)

    comment.refresh_from_db()
    assert (comment.body, comment.state) == ("Mine", CommentState.VISIBLE)


def test_withdraw_keeps_the_comment_and_its_replies(item, cn, us):
    parent = svc.comment_post(participant=cn, item=item, body="Original")
    reply = svc.comment_post(participant=us, item=item, body="Reply", parent=parent)

    svc.comment_withdraw(participant=cn, comment=parent)

    parent.refresh_from_db()
    assert parent.state == CommentState.WITHDRAWN
    assert list(parent.replies.all()) == [reply]
    with pytest.raises(CommentError) as excinfo:
        svc.comment_withdraw(participant=cn, comment=parent)
    assert excinfo.value.message == "This comment is already withdrawn or hidden."


def test_endorse_once_each(item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Endorse me")

    svc.comment_endorse(participant=us, comment=comment)
    with pytest.raises(CommentError) as excinfo:
        svc.comment_endorse(participant=us, comment=comment)

    comment.refresh_from_db()
    assert excinfo.value.message == "You have already endorsed this comment."
    assert comment.endorsement_count == 1
    assert Endorsement.objects.count() == 1


def test_endorse_own_comment_is_refused(item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="Me")

    with pytest.raises(CommentError) as excinfo:
        svc.comment_endorse(participant=cn, comment=comment)

    assert excinfo.value.message == "You cannot endorse your own comment."


def test_observer_cannot_endorse(seeded, item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="Me")
    observer = make_participant(seeded, role=Role.OBSERVER)

    with pytest.raises(CommentError):
        svc.comment_endorse(participant=observer, comment=comment)

    assert Endorsement.objects.count() == 0


def test_hide_needs_a_facilitator_and_a_reason(seeded, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Rude")
    facilitator = make_participant(seeded, role=Role.FACILITATOR)

    with pytest.raises(CommentError):
        svc.comment_hide(participant=us, comment=comment, reason="I dislike it")
    with pytest.raises(CommentError) as excinfo:
        svc.comment_hide(participant=facilitator, comment=comment, reason="  ")
    assert excinfo.value.message == "Give a reason: the author will see it."

    svc.comment_hide(participant=facilitator, comment=comment, reason="Personal attack")

    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert comment.hidden_reason == "Personal attack"
    assert comment.hidden_by == facilitator


def test_unhide_restores_the_comment(seeded, item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="Fine after all")
    facilitator = make_participant(seeded, role=Role.FACILITATOR)
    svc.comment_hide(participant=facilitator, comment=comment, reason="Check")

    svc.comment_unhide(participant=facilitator, comment=comment)

    comment.refresh_from_db()
    assert (comment.state, comment.hidden_reason) == (CommentState.VISIBLE, "")


def test_focus_is_set_by_a_facilitator_and_recorded(seeded, open_session):
    facilitator = make_participant(seeded, role=Role.FACILITATOR)
    item = open_session.items.get(number=4)

    changed = sessions.session_set_focus(
        participant=facilitator, session=open_session, item=item
    )

    open_session.refresh_from_db()
    assert changed is True
    assert open_session.current_item == item
    assert list(FocusChange.objects.values_list("item", "changed_by")) == [
        (item.pk, facilitator.user.pk)
    ]


@pytest.mark.parametrize("code", ["CN", "US"])
def test_focus_is_refused_to_delegates(seeded, open_session, code):
    delegate = make_participant(seeded, code=code)

    with pytest.raises(sessions.SessionError):
        sessions.session_set_focus(
            participant=delegate, session=open_session, item=open_session.items.first()
        )

    assert FocusChange.objects.count() == 0


def test_focus_on_an_item_of_another_session_is_refused(seeded, open_session):
    facilitator = make_participant(seeded, role=Role.FACILITATOR)
    other = seeded.sessions.get(number=2).items.first()

    with pytest.raises(sessions.SessionError) as excinfo:
        sessions.session_set_focus(
            participant=facilitator, session=open_session, item=other
        )

    assert excinfo.value.message == "That item belongs to another session."
