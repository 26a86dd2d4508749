"""User text to safe HTML: Markdown-lite, then a sanitiser.

markdown-it-py's "js-default" preset with raw HTML off (its safe preset: it
refuses javascript:/vbscript:/data: links), limited to paragraphs, line
breaks, emphasis, code, quotes, lists and links; nh3 (ammonia) then keeps
only those tags and adds rel="nofollow noopener noreferrer ugc" to links.
Two layers, so a bug in one does not become an XSS.
"""

import re
from functools import lru_cache
from html import unescape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("js-default", {"html": False, "linkify": False, "breaks": True})
    # Markdown-lite: no headings, tables, images or rules inside a comment.
    parser.disable(["heading", "lheading", "table", "image", "hr", "strikethrough"])
    return parser


def render_markdown(text: str) -> SafeString:
    html = _parser().render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_to_text(text: str) -> str:
    """User text as plain text, for formats that cannot carry HTML (DOCX):
    the Markdown is rendered, then every tag is dropped; paragraphs stay
    separated by a blank line, list items start with a bullet."""
    html = _parser().render(text or "")
    for tag, mark in (
        ("</p>", "\n\n"),
        ("<br>", "\n"),
        ("<li>", "• "),
        ("</li>", "\n"),
    ):
        html = html.replace(tag, mark)
    plain = nh3.clean(html, tags=set(), strip_comments=True)
    return unescape(re.sub(r"\n{3,}", "\n\n", plain)).strip()
