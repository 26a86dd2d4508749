"""Text that people type: one validation on the way in, one rendering out.

`clean_user_text` is the single check every form, service and the workshop
file import applies to free text: it normalises line ends and Unicode (NFC),
strips the ends, and refuses, naming the field, what no output format can
carry or what would mislead a reader:

- NUL and the other C0/C1 control characters (a tab and, in multi-line
  fields, a line break are fine);
- lone surrogates and Unicode noncharacters (not valid in XML, so DOCX and
  PDF could not be written);
- the bidirectional embedding, override and isolate controls (U+202A-U+202E,
  U+2066-U+2069), which can make a text read differently from what it says;
- text over the field's length limit.

`render_markdown` turns accepted text into safe HTML: markdown-it-py's
"js-default" preset with raw HTML off (its safe preset: it refuses
javascript:/vbscript:/data: links), limited to paragraphs, line breaks,
emphasis, code, quotes, lists and links; nh3 (ammonia) then keeps only those
tags and adds rel="nofollow noopener noreferrer ugc" to links. Two layers, so
a bug in one does not become an XSS. `markdown_to_text` gives the same text
without markup, for formats that cannot carry HTML.

Pure: no models, no database.
"""

import re
import unicodedata
from functools import lru_cache
from html import unescape

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

# Bump when render_markdown's output changes (parser options, allow-lists):
# stored comment HTML of an older version is rendered again when next read.
RENDER_VERSION = 1

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

BIDI_CONTROLS = frozenset(
    chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
)


def _refused_character(ch: str, *, multiline: bool) -> bool:
    code = ord(ch)
    if ch == "\t" or (multiline and ch == "\n"):
        return False
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE
        or ch in BIDI_CONTROLS
    )


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def text_problem(
    value: str, *, max_length: int, multiline: bool = True
) -> tuple[str, str]:
    """(the cleaned text, the problem or "") — for callers that collect
    problems (the workshop file) instead of raising at the first."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    bad = next((ch for ch in text if _refused_character(ch, multiline=multiline)), None)
    if bad is not None:
        if bad == "\n":
            return text, _("must be on one line")
        return text, _("contains a character that is not allowed (%(char)s)") % {
            "char": _describe(bad)
        }
    text = unicodedata.normalize("NFC", text).strip()
    if len(text) > max_length:
        return text, _("is %(length)d characters long; the limit is %(limit)d") % {
            "length": len(text),
            "limit": max_length,
        }
    return text, ""


def clean_user_text(
    value: str,
    *,
    label: str,
    max_length: int,
    multiline: bool = True,
    required: bool = True,
) -> str:
    """The text as stored, or a ValidationError naming the field (`label`)."""
    text, problem = text_problem(value, max_length=max_length, multiline=multiline)
    if problem:
        raise ValidationError(
            _("%(field)s %(problem)s.") % {"field": label, "problem": problem},
            code="user_text",
        )
    if required and not text:
        raise ValidationError(
            _("%(field)s is empty.") % {"field": label}, code="required"
        )
    return text


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
