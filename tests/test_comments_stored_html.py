"""A comment's Markdown is rendered once, when it is written, and again only
when the renderer changes (RENDER_VERSION), never on every page view."""

import pytest

from dialogue import user_text
from dialogue.models import Comment
from dialogue.services import comments as svc
from dialogue.templatetags import dialogue_text
from tests.builders import item_url


@pytest.fixture
def render_calls(monkeypatch):
    """Every call of render_markdown, wherever it comes from."""
    calls = []
    real = user_text.render_markdown

    def spy(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(user_text, "render_markdown", spy)
    monkeypatch.setattr(dialogue_text, "render_markdown", spy)  # |markdown
    return calls


def test_posting_renders_once_and_viewing_renders_nothing(
    client, item, cn, render_calls
):
    comment = svc.comment_post(participant=cn, item=item, body="Some *emphasis*")
    posted = list(render_calls)
    client.force_login(cn.user)

    page = client.get(item_url(item)).content.decode()
    client.get(item_url(item, "item_discussion"))

    comment.refresh_from_db()
    assert posted == ["Some *emphasis*"]
    assert render_calls == posted
    assert comment.body_html == "<p>Some <em>emphasis</em></p>\n"
    assert comment.body_html_version == user_text.RENDER_VERSION
    assert "<p>Some <em>emphasis</em></p>" in page


def test_editing_renders_the_new_text(item, cn, render_calls):
    comment = svc.comment_post(participant=cn, item=item, body="First")

    svc.comment_edit(participant=cn, comment=comment, body="**Second**")

    comment.refresh_from_db()
    assert render_calls == ["First", "**Second**"]
    assert comment.body_html == "<p><strong>Second</strong></p>\n"


def test_html_of_an_older_renderer_is_rendered_again_and_stored(
    client, item, cn, monkeypatch, render_calls
):
    comment = svc.comment_post(participant=cn, item=item, body="A *remark*")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>old</p>")
    monkeypatch.setattr(user_text, "RENDER_VERSION", user_text.RENDER_VERSION + 1)
    client.force_login(cn.user)

    first = client.get(item_url(item)).content.decode()
    client.get(item_url(item))

    comment.refresh_from_db()
    assert render_calls == ["A *remark*", "A *remark*"]  # post, first view only
    assert "<p>old</p>" not in first
    assert "<p>A <em>remark</em></p>" in first
    assert comment.body_html == "<p>A <em>remark</em></p>\n"
    assert comment.body_html_version == user_text.RENDER_VERSION


def test_a_row_written_without_the_services_is_rendered_on_first_view(client, item, cn):
    Comment.objects.create(item=item, author=cn, body="<script>x</script> _hi_")
    client.force_login(cn.user)

    page = client.get(item_url(item)).content.decode()

    stored = Comment.objects.get()
    assert stored.body_html == "<p>&lt;script&gt;x&lt;/script&gt; <em>hi</em></p>\n"
    assert stored.body_html in page
