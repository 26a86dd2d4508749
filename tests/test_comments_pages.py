"""The item page, the session page and the discussion fragment through the
client: every view for the participant, the stranger, the anonymous visitor,
the wrong method and the reader; odd input; polling; query budgets."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import Comment, Phase, Role
from dialogue.services import comments as svc
from dialogue.services.sessions import session_set_focus, session_set_phase
from dialogue.views import comments as comment_views
from tests.builders import admin_organiser, item_url, make_participant
from tests.builders import comment_action_url as action_url


@pytest.fixture
def session(discussion):
    """The session of `item` (see conftest.py): the shipped workshop's session 2."""
    return discussion


@pytest.mark.parametrize("code", ["CN", "US"])
def test_item_page_shows_text_points_and_form_to_each_side(client, seeded, item, code):
    client.force_login(make_participant(seeded, code=code).user)

    response = client.get(item_url(item))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Address American concerns seriously" in page
    assert "Chinese government should stop cyberattacks" in page
    assert 'id="comment-form"' in page
    assert "Chatham House Rule" in page


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.FACILITATOR, Role.RAPPORTEUR])
def test_item_page_has_no_comment_form_for_readers(client, seeded, item, role):
    client.force_login(make_participant(seeded, role=role).user)

    response = client.get(item_url(item))

    assert response.status_code == 200
    assert 'id="comment-form"' not in response.content.decode()


def test_item_page_is_read_only_when_the_session_is_closed(client, item, cn):
    session_set_phase(session=item.session, phase=Phase.CLOSED, by=admin_organiser())
    client.force_login(cn.user)

    page = client.get(item_url(item)).content.decode()

    assert 'id="comment-form"' not in page
    assert "This session is not open for discussion" in page


def test_item_pages_are_404_for_strangers_and_other_workshops(
    client, item, stranger, other_workshop_member
):
    comment_free_urls = [
        item_url(item),
        item_url(item, "item_discussion"),
    ]
    for user in (stranger, other_workshop_member.user):
        client.force_login(user)
        for url in comment_free_urls:
            assert client.get(url).status_code == 404, url
        assert (
            client.post(item_url(item, "comment_create"), {"body": "x"}).status_code
            == 404
        )


def test_item_pages_redirect_anonymous_visitors(client, item):
    for url in (item_url(item), item_url(item, "item_discussion")):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_item_page_missing_item_is_404(client, session, cn):
    client.force_login(cn.user)

    url = reverse("item_detail", args=[session.workshop.slug, session.number, 99])

    assert client.get(url).status_code == 404


def test_wrong_methods_are_refused(client, item, cn):
    comment = svc.comment_post(participant=cn, item=item, body="Hi")
    client.force_login(cn.user)

    assert client.post(item_url(item)).status_code == 405
    assert client.post(item_url(item, "item_discussion")).status_code == 405
    assert client.get(item_url(item, "comment_create")).status_code == 405
    # Withdrawing and hiding answer a GET with their confirm step.
    for name in ("comment_endorse", "comment_unhide"):
        assert client.get(action_url(name, comment)).status_code == 405, name


def count_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def test_idle_poll_is_a_304_in_at_most_two_queries(client, item, cn):
    client.force_login(cn.user)
    first = client.get(item_url(item, "item_discussion"))
    etag = first["ETag"]

    response, queries = count_queries(
        client, item_url(item, "item_discussion"), HTTP_IF_NONE_MATCH=etag
    )

    assert first.status_code == 200
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert queries <= 2


def test_poll_after_a_change_returns_the_new_comment(client, item, cn, us):
    client.force_login(us.user)
    etag = client.get(item_url(item, "item_discussion"))["ETag"]

    svc.comment_post(participant=cn, item=item, body="Something new")
    response = client.get(item_url(item, "item_discussion"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    # A delta: the new row only, the new tag in the header for the next poll.
    assert "Something new" in response.content.decode()
    assert response["HX-Reswap"] == "none"
    assert response["X-Live-Delta"] == "1"


def test_a_comment_on_one_item_leaves_the_other_items_poll_a_304(
    client, session, cn, us
):
    one, two = session.items.get(number=1), session.items.get(number=2)
    client.force_login(us.user)
    etag_one = client.get(item_url(one, "item_discussion"))["ETag"]
    etag_two = client.get(item_url(two, "item_discussion"))["ETag"]

    svc.comment_post(participant=cn, item=one, body="Only on item one")
    poll_one = client.get(item_url(one, "item_discussion"), HTTP_IF_NONE_MATCH=etag_one)
    poll_two, queries = count_queries(
        client, item_url(two, "item_discussion"), HTTP_IF_NONE_MATCH=etag_two
    )

    assert poll_one.status_code == 200
    assert "Only on item one" in poll_one.content.decode()
    assert poll_two.status_code == 304
    assert poll_two["ETag"] == etag_two
    assert queries <= 2


@pytest.mark.parametrize("change", ["phase", "focus"])
def test_phase_and_focus_changes_refresh_the_item_poll(
    client, seeded, session, item, cn, change
):
    client.force_login(cn.user)
    etag = client.get(item_url(item, "item_discussion"))["ETag"]

    if change == "phase":
        session_set_phase(session=session, phase=Phase.CLOSED, by=admin_organiser())
    else:
        facilitator = make_participant(seeded, role=Role.FACILITATOR)
        session_set_focus(participant=facilitator, session=session, item=item)
    response = client.get(item_url(item, "item_discussion"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_an_unchanged_poll_builds_no_discussion(client, item, cn, monkeypatch):
    svc.comment_post(participant=cn, item=item, body="Already here")
    client.force_login(cn.user)
    etag = client.get(item_url(item, "item_discussion"))["ETag"]
    built = []
    real = comment_views.discussion_rows
    monkeypatch.setattr(
        comment_views,
        "discussion_rows",
        lambda **kwargs: built.append(kwargs) or real(**kwargs),
    )

    response = client.get(item_url(item, "item_discussion"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert built == []


def test_item_page_hands_its_first_poll_the_fragments_etag(client, item, cn):
    svc.comment_post(participant=cn, item=item, body="Shown on the page")
    client.force_login(cn.user)
    page = client.get(item_url(item))
    etag = re.search(r'data-etag="([^"]+)"', page.content.decode())[1]

    poll, queries = count_queries(
        client,
        item_url(item, "item_discussion"),
        HTTP_IF_NONE_MATCH=unescape(etag),
        HTTP_HX_REQUEST="true",
    )

    assert page.status_code == 200
    assert poll.status_code == 304
    assert queries <= 2


def test_poll_etag_differs_per_user_and_language(client, item, cn, us):
    client.force_login(cn.user)
    english = client.get(item_url(item, "item_discussion"))["ETag"]
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(item_url(item, "item_discussion"))["ETag"]
    client.force_login(us.user)
    other = client.get(item_url(item, "item_discussion"))["ETag"]

    assert len({english, chinese, other}) == 3


def make_comments(item, authors, n):
    for i in range(n):
        parent = None if i % 3 == 0 else Comment.objects.filter(item=item).last()
        author = authors[i % 2]
        comment = svc.comment_post(
            participant=author,
            item=item,
            body=f"Comment {i}",
            parent=parent,
            point=None,
        )
        if i % 4 == 0:
            svc.comment_endorse(participant=authors[(i + 1) % 2], comment=comment)


def test_item_page_queries_do_not_grow_with_comments(client, session, cn, us):
    one, fifty = session.items.get(number=1), session.items.get(number=2)
    make_comments(one, [cn, us], 1)
    make_comments(fifty, [cn, us], 50)
    client.force_login(cn.user)
    count_queries(client, item_url(one))

    _, small = count_queries(client, item_url(one))
    _, large = count_queries(client, item_url(fifty))

    assert small == large


def test_session_page_queries_do_not_grow_with_comments(client, session, cn, us):
    """Renders compared (the shared copy cleared each time, see
    views/shared_pages.py)."""
    client.force_login(cn.user)
    count_queries(client, session.get_absolute_url())
    cache.clear()
    _, before = count_queries(client, session.get_absolute_url())
    for item in session.items.all():
        make_comments(item, [cn, us], 5)

    cache.clear()
    _, after = count_queries(client, session.get_absolute_url())

    assert before == after


def test_session_page_shows_comment_counts(client, session, cn):
    svc.comment_post(participant=cn, item=session.items.get(number=3), body="One")
    svc.comment_post(participant=cn, item=session.items.get(number=3), body="Two")
    client.force_login(cn.user)

    response = client.get(session.get_absolute_url())

    counts = {item.number: item.comment_count for item in response.context["items"]}
    assert counts == {1: 0, 2: 0, 3: 2, 4: 0, 5: 0, 6: 0}
    assert "2 comments" in response.content.decode()


def test_reply_to_a_hidden_comment_does_not_quote_it(client, seeded, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="SECRET-ABUSIVE-TEXT")
    facilitator = make_participant(seeded, role=Role.FACILITATOR)
    svc.comment_hide(participant=facilitator, comment=comment, reason="Abuse")
    client.force_login(us.user)

    page = client.get(item_url(item) + f"?reply_to={comment.pk}")
    posted = client.post(
        item_url(item, "comment_create"), {"body": "", "parent": comment.pk}
    )

    assert "SECRET-ABUSIVE-TEXT" not in page.content.decode()
    assert "SECRET-ABUSIVE-TEXT" not in posted.content.decode()


def test_deep_threads_render_without_error(client, item, cn, us):
    parent = None
    for depth in range(80):
        parent = svc.comment_post(
            participant=(cn, us)[depth % 2],
            item=item,
            body=f"Level {depth}",
            parent=parent,
        )
    client.force_login(cn.user)

    response = client.get(item_url(item))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Level 79" in page
    assert page.count('class="comment depth-4') == 76
    assert f"in reply to #{parent.parent_id}" in page


@pytest.mark.parametrize("value", ["²", "١", "-1", "1e3", "9" * 40])
def test_odd_numbers_in_the_query_are_ignored(client, item, cn, value):
    client.force_login(cn.user)

    response = client.get(item_url(item) + f"?reply_to={value}&point={value}")

    assert response.status_code == 200


def test_item_page_queries_do_not_grow_with_point_comments(client, session, cn, us):
    one, many = session.items.get(number=3), session.items.get(number=4)
    svc.comment_post(participant=cn, item=one, body="x", point=one.points.first())
    for point in many.points.all():
        for author in (cn, us):
            svc.comment_post(participant=author, item=many, body="y", point=point)
    client.force_login(cn.user)
    count_queries(client, item_url(one))

    _, small = count_queries(client, item_url(one))
    _, large = count_queries(client, item_url(many))

    assert small == large


class _Nesting(HTMLParser):
    """Each comment's id, with the ids of the comments whose replies box
    (`replies-N`, after the comment's article) it sits inside."""

    def __init__(self):
        super().__init__()
        self.open, self.inside, self.unbalanced = [], {}, False

    def handle_starttag(self, tag, attrs):
        if tag in ("article", "div"):
            box = dict(attrs).get("id", "")
            if tag == "div":
                box = box.replace("replies-", "comment-")
                box = box if box.startswith("comment-") else ""
            self.open.append(box)
            if tag == "article":
                self.inside[self.open[-1]] = [i for i in self.open[:-1] if i]

    def handle_endtag(self, tag):
        if tag in ("article", "div"):
            if not self.open:
                self.unbalanced = True
            else:
                self.open.pop()


def test_replies_nest_inside_their_parents_replies_box(client, item, cn, us):
    root = svc.comment_post(participant=cn, item=item, body="Root")
    reply = svc.comment_post(participant=us, item=item, body="Reply", parent=root)
    deeper = svc.comment_post(participant=cn, item=item, body="Deeper", parent=reply)
    second = svc.comment_post(participant=us, item=item, body="Second", parent=root)
    other = svc.comment_post(participant=us, item=item, body="Other root")
    client.force_login(cn.user)
    parser = _Nesting()

    parser.feed(client.get(item_url(item, "item_discussion")).content.decode())

    def ids(*comments):
        return [f"comment-{c.pk}" for c in comments]

    assert not parser.unbalanced and parser.open == []
    assert {
        key: parser.inside[key] for key in ids(root, reply, deeper, second, other)
    } == {
        ids(root)[0]: [],
        ids(reply)[0]: ids(root),
        ids(deeper)[0]: ids(root, reply),
        ids(second)[0]: ids(root),
        ids(other)[0]: [],
    }
