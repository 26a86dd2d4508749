"""The item page, the discussion fragment and the comment actions, through the
client: every view for the participant, the stranger, the anonymous visitor,
the wrong method, the observer and the closed session."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from dialogue.models import Comment, CommentState, Endorsement, Phase, Role
from dialogue.services import comments as svc
from dialogue.services import session_set_phase
from tests.builders import XSS_PAYLOADS, make_participant
from tests.factories import UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(seeded):
    session = seeded.sessions.get(number=2)
    session_set_phase(session=session, phase=Phase.OPEN)
    return session


@pytest.fixture
def item(session):
    return session.items.get(number=3)


@pytest.fixture
def cn(seeded):
    return make_participant(seeded, code="CN", user=UserFactory(username="cn1"))


@pytest.fixture
def us(seeded):
    return make_participant(seeded, code="US", user=UserFactory(username="us1"))


def item_url(item, name="item_detail"):
    return reverse(
        name, args=[item.session.workshop.slug, item.session.number, item.number]
    )


def action_url(name, comment):
    return reverse(name, args=[comment.item.session.workshop.slug, comment.pk])


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
    session_set_phase(session=item.session, phase=Phase.CLOSED)
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
    for name in (
        "comment_endorse",
        "comment_withdraw",
        "comment_hide",
        "comment_unhide",
    ):
        assert client.get(action_url(name, comment)).status_code == 405, name


@pytest.mark.parametrize("code", ["CN", "US"])
def test_post_a_comment_without_javascript(client, seeded, item, code):
    author = make_participant(seeded, code=code)
    client.force_login(author.user)

    response = client.post(item_url(item, "comment_create"), {"body": "A *fair* point"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item_url(item) + f"#comment-{comment.pk}"
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
        ({"body": "x" * 10_001}, "Ensure this value has at most 10000 characters"),
        ({"body": "a\x00b"}, "Null characters are not allowed."),
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
    session_set_phase(session=item.session, phase=Phase.CLOSED)
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
    client.post(action_url("comment_withdraw", comment))

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
    withdraw = client.post(action_url("comment_withdraw", comment))

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
    client.post(action_url("comment_hide", comment), {"reason": "Keep it civil"})

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

    response = client.post(action_url("comment_hide", comment), {"reason": ""})

    comment.refresh_from_db()
    assert response.status_code == 400
    assert comment.state == CommentState.VISIBLE


def test_delegate_cannot_hide(client, item, cn, us):
    comment = svc.comment_post(participant=cn, item=item, body="Hm")
    client.force_login(us.user)

    response = client.post(action_url("comment_hide", comment), {"reason": "No"})

    assert response.status_code == 400
    assert "Only facilitators can hide comments." in response.content.decode()


def test_posts_need_the_csrf_token(item, cn):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cn.user)

    response = strict.post(item_url(item, "comment_create"), {"body": "No token"})

    assert response.status_code == 403
    assert Comment.objects.count() == 0


ALLOWED_TAGS = {
    # the page's own markup around comments
    "div",
    "article",
    "header",
    "footer",
    "span",
    "strong",
    "time",
    "form",
    "input",
    "button",
    "label",
    "a",
    "p",
    "section",
    # what render_markdown may produce
    "br",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
}


class TagAudit(HTMLParser):
    """Collects every element, event-handler attribute and unsafe URL."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value:
                scheme = value.strip().lower().split(":", 1)[0]
                if ":" in value and scheme not in ("http", "https", "mailto"):
                    self.problems.append(f"{tag}[{name}={value}]")


def audit(html: str) -> list[str]:
    parser = TagAudit()
    parser.feed(html)
    return parser.problems


def test_xss_corpus_never_comes_back_unescaped(client, item, cn):
    client.force_login(cn.user)
    for payload in XSS_PAYLOADS:
        response = client.post(item_url(item, "comment_create"), {"body": payload})
        assert response.status_code == 302, payload
    assert Comment.objects.count() == len(XSS_PAYLOADS) >= 30

    page = client.get(item_url(item)).content.decode()
    fragment = client.get(item_url(item, "item_discussion")).content.decode()

    discussion = page[
        page.index('<div id="discussion"') : page.index('id="comment-form-region"')
    ]
    assert audit(discussion) == []
    assert audit(fragment) == []
    for payload in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"):
        assert payload not in page
        assert escape(payload) in fragment


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
    assert "Something new" in response.content.decode()
    assert f'data-etag="{escape(response["ETag"])}"' in response.content.decode()


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
    client.force_login(cn.user)
    count_queries(client, session.get_absolute_url())
    _, before = count_queries(client, session.get_absolute_url())
    for item in session.items.all():
        make_comments(item, [cn, us], 5)

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


def test_audit_catches_live_markup():
    """The XSS check above must be able to fail."""
    html = '<img src=x onerror=alert(1)><a href="javascript:x" onclick="y">a</a>'

    assert audit(html) == [
        "<img>",
        "img[onerror]",
        "a[href=javascript:x]",
        "a[onclick]",
    ]


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
