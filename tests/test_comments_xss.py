"""Comments never come back as live markup: a corpus of XSS payloads posted
through the client, and an audit of the page that must be able to fail."""

from html.parser import HTMLParser

from django.utils.html import escape

from dialogue.models import Comment
from tests.builders import XSS_PAYLOADS, item_url

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
    "nav",
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
    # The discussion is paged (25 threads a page): every page of it.
    fragment = "".join(
        client.get(item_url(item, "item_discussion") + f"?page={n}").content.decode()
        for n in (1, 2)
    )

    discussion = page[
        page.index('<div id="discussion"') : page.index('id="comment-form-region"')
    ]
    assert audit(discussion) == []
    assert audit(fragment) == []
    for payload in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"):
        assert payload not in page
        assert escape(payload) in fragment


def test_audit_catches_live_markup():
    """The XSS check above must be able to fail."""
    html = '<img src=x onerror=alert(1)><a href="javascript:x" onclick="y">a</a>'

    assert audit(html) == [
        "<img>",
        "img[onerror]",
        "a[href=javascript:x]",
        "a[onclick]",
    ]
