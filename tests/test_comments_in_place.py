"""Replying in place and the facilitator's moderation disclosure, through the
client: the reply form fragment (htmx), its fallback, who may open it, and
one "Moderate" disclosure per comment that can be moderated."""

import pytest

from dialogue.models import Comment, Phase, Role
from dialogue.services import comments as svc
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, item_url, login, make_participant, page_text
from tests.builders import comment_action_url as action_url

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(("author", "replier"), [("CN", "US"), ("US", "CN")])
def test_reply_form_comes_under_the_comment_with_a_plain_quote(
    client, seeded, item, author, replier
):
    writer = make_participant(seeded, code=author)
    comment = svc.comment_post(
        participant=writer, item=item, body="We want **concrete** <b>steps</b>"
    )
    login(client, make_participant(seeded, code=replier))

    fragment = page_text(client.get(action_url("comment_reply", comment), headers=HTMX))

    assert "<html" not in fragment
    assert f'name="parent" value="{comment.pk}"' in fragment
    assert f'id="reply-{comment.pk}-body"' in fragment
    # The Markdown rendered to plain text; the typed tag shown as text.
    quote = fragment.split('<blockquote class="replying-quote">')[1].split("</")[0]
    assert quote == "We want concrete &lt;b&gt;steps&lt;/b&gt;"
    assert "<b>" not in fragment


def test_reply_link_without_javascript_is_the_page_form(client, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="We want **concrete**")
    login(client, us)

    response = client.get(action_url("comment_reply", comment))
    page = page_text(client.get(response["Location"]))

    assert response.status_code == 302
    assert (
        response["Location"] == item_url(item) + f"?reply_to={comment.pk}#comment-form"
    )
    assert "<q>We want concrete</q>" in page


def test_reply_in_place_posts_and_empties_its_slot(client, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="First")
    other = svc.comment_post(participant=cn, item=item, body="Second")
    login(client, us)

    response = client.post(
        item_url(item, "comment_create"),
        {"body": "In place", "parent": comment.pk, "in_place": "1"},
        headers=HTMX,
    )

    text = page_text(response)
    assert response.status_code == 200
    assert Comment.objects.get(parent=comment).body == "In place"
    assert 'id="comment-form-region"' not in text  # the page's form is untouched
    assert f'id="reply-slot-{comment.pk}"></div>' in text
    assert f'id="reply-slot-{other.pk}" hx-preserve></div>' in text


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.FACILITATOR])
def test_reply_form_is_refused_to_non_delegates(client, seeded, item, cn, role):
    comment = svc.comment_post(participant=cn, item=item, body="Hm")
    login(client, make_participant(seeded, role=role))

    response = client.get(action_url("comment_reply", comment), headers=HTMX)

    assert response.status_code == 403
    assert "Only delegates can take part in the discussion." in page_text(response)


def test_reply_form_is_refused_once_discussion_ends(client, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Hm")
    session_set_phase(session=item.session, phase=Phase.RANKING, by=admin_organiser())
    login(client, us)

    response = client.get(action_url("comment_reply", comment), headers=HTMX)

    assert response.status_code == 403


def test_reply_form_is_404_for_a_stranger(client, item, cn, stranger):
    comment = svc.comment_post(participant=cn, item=item, body="Hm")
    client.force_login(stranger)

    assert client.get(action_url("comment_reply", comment)).status_code == 404


def test_moderation_sits_behind_one_disclosure_and_none_on_withdrawn(
    client, seeded, item, cn, us
):
    kept = svc.comment_post(participant=cn, item=item, body="Kept")
    gone = svc.comment_post(participant=us, item=item, body="Gone")
    svc.comment_withdraw(participant=us, comment=gone)
    login(client, make_participant(seeded, role=Role.FACILITATOR))

    page = page_text(client.get(item_url(item)))

    gone_article = page.split(f'id="comment-{gone.pk}"')[1].split("</article>")[0]
    assert page.count("<summary>Moderate</summary>") == 1
    assert f'id="moderate-{kept.pk}-visible"' in page
    assert "Moderate" not in gone_article
    assert "Reason for hiding" not in gone_article


def test_delegates_get_no_moderation(client, item, cn, us):
    svc.comment_post(participant=cn, item=item, body="Kept")
    login(client, us)

    page = page_text(client.get(item_url(item)))

    assert "<summary>Moderate</summary>" not in page


def test_in_place_marker_without_a_parent_posts_a_comment(client, item, cn):
    login(client, cn)

    response = client.post(
        item_url(item, "comment_create"),
        {"body": "Top level", "in_place": "1"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert Comment.objects.get().parent is None
