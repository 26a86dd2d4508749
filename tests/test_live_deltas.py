"""The live discussion in pages and by deltas: a poll that names the version
it has gets only the comments changed since, each delegation alike; a
permalink lands on the page holding its comment; hidden text never leaks."""

import re

import pytest

from dialogue.models import Comment, Role
from dialogue.selectors.comments import THREADS_PER_PAGE
from dialogue.services import comments as svc
from dialogue.views import comments as comment_views
from tests.builders import comment_action_url, item_url, make_participant

HTMX = {"HTTP_HX_REQUEST": "true"}
ROW = re.compile(r'<article class="comment[^"]*" id="comment-(\d+)"')


def row_ids(response) -> set[int]:
    """The comment rows an answer renders (each row is one <article>)."""
    return {int(pk) for pk in ROW.findall(response.content.decode())}


def poll(client, item, etag, query=""):
    url = item_url(item, "item_discussion") + query
    return client.get(url, HTTP_IF_NONE_MATCH=etag, **HTMX)


@pytest.fixture
def sides(cn, us):
    return {"CN": cn, "US": us}


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_poll_gets_only_the_rows_changed_since_its_version(
    client, item, sides, code, django_assert_max_num_queries
):
    viewer = sides[code]
    other = sides["US" if code == "CN" else "CN"]
    old = [
        svc.comment_post(participant=other, item=item, body=f"c{i}") for i in range(8)
    ]
    client.force_login(viewer.user)
    etag = poll(client, item, "")["ETag"]

    svc.comment_endorse(participant=viewer, comment=old[3])
    reply = svc.comment_post(participant=other, item=item, body="New", parent=old[5])
    with django_assert_max_num_queries(9):
        response = poll(client, item, etag)

    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert row_ids(response) == {old[3].pk, reply.pk}
    page = response.content.decode()
    # The changed row replaces itself; the new reply goes into its parent's box.
    assert f'id="comment-{old[3].pk}" hx-swap-oob="true"' in page
    assert f'hx-swap-oob="beforeend:#replies-{old[5].pk}"' in page
    assert "You endorsed this" in page
    # The next poll with the delta's tag is a 304.
    assert poll(client, item, response["ETag"]).status_code == 304


def test_a_new_top_level_comment_is_appended_to_the_threads(client, item, cn, us):
    client.force_login(us.user)
    etag = poll(client, item, "")["ETag"]

    new = svc.comment_post(participant=cn, item=item, body="First words")
    response = poll(client, item, etag)

    assert row_ids(response) == {new.pk}
    page = response.content.decode()
    assert 'hx-swap-oob="beforeend:#threads"' in page
    assert '<p id="no-comments" hx-swap-oob="true" hidden></p>' in page


def test_a_delta_renders_no_row_it_does_not_send(client, item, cn, us, monkeypatch):
    comments = [
        svc.comment_post(participant=cn, item=item, body=f"c{i}") for i in range(6)
    ]
    client.force_login(us.user)
    etag = poll(client, item, "")["ETag"]
    svc.comment_withdraw(participant=cn, comment=comments[2])
    rendered = []
    real = comment_views.discussion_rows
    monkeypatch.setattr(
        comment_views,
        "discussion_rows",
        lambda **kwargs: rendered.extend(kwargs["ids"]) or real(**kwargs),
    )

    response = poll(client, item, etag)

    assert rendered == [comments[2].pk]
    assert row_ids(response) == {comments[2].pk}
    assert "Withdrawn by its author." in response.content.decode()


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_hidden_body_never_reaches_another_delegate_in_a_delta(
    client, seeded, item, sides, code
):
    author = sides["US" if code == "CN" else "CN"]
    comment = svc.comment_post(participant=author, item=item, body="Secret words")
    facilitator = make_participant(seeded, role=Role.FACILITATOR)
    client.force_login(sides[code].user)
    etag = poll(client, item, "")["ETag"]

    svc.comment_hide(participant=facilitator, comment=comment, reason="Off topic")
    response = poll(client, item, etag)

    page = response.content.decode()
    assert row_ids(response) == {comment.pk}
    assert "Hidden by a facilitator." in page
    assert "Secret words" not in page
    assert "Off topic" not in page


def test_too_many_changes_or_a_foreign_tag_get_the_page_in_full(client, item, cn, us):
    client.force_login(us.user)
    etag = poll(client, item, "")["ETag"]
    for i in range(comment_views.DELTA_LIMIT + 1):
        svc.comment_post(participant=cn, item=item, body=f"c{i}")

    many = poll(client, item, etag)
    client.force_login(cn.user)
    foreign = poll(client, item, etag)  # us's tag, sent by cn

    for response in (many, foreign):
        assert response.status_code == 200
        assert "HX-Reswap" not in response
        assert 'id="discussion"' in response.content.decode()


def test_a_stranger_gets_404_with_or_without_a_tag(client, item, cn, workshop):
    client.force_login(cn.user)
    etag = poll(client, item, "")["ETag"]
    stranger = make_participant(workshop, role=Role.OBSERVER)
    client.force_login(stranger.user)

    assert poll(client, item, etag).status_code == 404
    assert poll(client, item, "").status_code == 404


def test_an_htmx_write_that_names_its_tag_gets_a_delta(client, item, cn, us):
    old = svc.comment_post(participant=us, item=item, body="Before")
    client.force_login(cn.user)
    etag = poll(client, item, "")["ETag"]
    svc.comment_post(participant=us, item=item, body="Meanwhile")

    response = client.post(
        comment_action_url("comment_endorse", old), HTTP_X_LIVE_ETAG=etag, **HTMX
    )

    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert {c.body for c in Comment.objects.filter(pk__in=row_ids(response))} == {
        "Before",
        "Meanwhile",
    }


def _threads(item, author, count):
    return [
        svc.comment_post(participant=author, item=item, body=f"thread {i}")
        for i in range(count)
    ]


def test_the_page_opens_on_the_newest_threads_with_links_to_the_rest(
    client, item, cn, us
):
    roots = _threads(item, cn, THREADS_PER_PAGE + 3)
    reply = svc.comment_post(
        participant=us, item=item, body="Old reply", parent=roots[0]
    )
    client.force_login(us.user)

    newest = client.get(item_url(item))
    first = client.get(item_url(item) + "?page=1")

    assert row_ids(newest) == {c.pk for c in roots[THREADS_PER_PAGE:]}
    assert row_ids(first) == {c.pk for c in roots[:THREADS_PER_PAGE]} | {reply.pk}
    assert '?page=1#discussion-heading"' in newest.content.decode()
    assert 'aria-current="page">2<' in newest.content.decode()


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_permalink_lands_on_the_page_holding_its_comment(client, item, sides, code):
    roots = _threads(item, sides["CN"], THREADS_PER_PAGE * 2 + 1)
    reply = svc.comment_post(
        participant=sides["US"], item=item, body="r", parent=roots[3]
    )
    client.force_login(sides[code].user)

    for comment in (roots[0], reply, roots[THREADS_PER_PAGE + 1], roots[-1]):
        response = client.get(item_url(item) + f"?comment={comment.pk}")
        assert comment.pk in row_ids(response)
    assert client.get(item_url(item) + "?comment=999999").status_code == 200


def test_a_tail_poll_keeps_growing_past_its_page(client, item, cn, us):
    _threads(item, cn, THREADS_PER_PAGE)
    client.force_login(us.user)
    etag = poll(client, item, "")["ETag"]

    late = svc.comment_post(participant=cn, item=item, body="On page two")
    response = poll(client, item, etag, "?page=1&tail=1")

    assert row_ids(response) == {late.pk}
    assert 'hx-swap-oob="beforeend:#threads"' in response.content.decode()


def test_a_poll_of_an_older_page_ignores_newer_threads(client, item, cn, us):
    roots = _threads(item, cn, THREADS_PER_PAGE + 1)
    client.force_login(us.user)
    etag = client.get(item_url(item, "item_discussion") + "?page=1", **HTMX)["ETag"]

    svc.comment_post(participant=cn, item=item, body="Late")
    reply = svc.comment_post(participant=cn, item=item, body="r", parent=roots[1])
    response = poll(client, item, etag, "?page=1")

    assert row_ids(response) == {reply.pk}
