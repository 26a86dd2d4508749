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
from html.parser import HTMLParser

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


# -- user text as Markdown, for a Markdown file -------------------------------

# Characters that would be markup in a Markdown reader (GitHub, Pandoc) when
# they are plain text here: emphasis, code, links, images, raw HTML, tables,
# strikethrough, entities.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~!])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# Line starts that would open a heading, quote, list, rule or setext heading.
_MD_LINE_START = re.compile(
    r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[-=]+\s*$)"
)
_MD_BLOCKS = {"p", "blockquote", "ul", "ol", "li", "pre"}


class _Node:
    def __init__(self, tag: str, attrs: dict | None = None):
        self.tag, self.attrs, self.children = tag, attrs or {}, []


class _Tree(HTMLParser):
    """The sanitised HTML of `render_markdown` as a tree (it is well formed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag != "br":
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag != "br" and len(self.stack) > 1 and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _md_text(value: str) -> str:
    return _MD_ENTITY.sub("&amp;", _MD_INLINE.sub(r"\\\1", value))


def _md_fence(content: str, mark: str = "`", least: int = 1) -> str:
    longest = max((len(run) for run in re.findall(f"{mark}+", content)), default=0)
    return mark * max(least, longest + 1)


def _md_inline(nodes) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_md_text(node.replace("\n", " ")))
        elif node.tag == "br":
            # Trailing spaces mark a break, except at a line's start, where
            # they would be stripped: there a backslash does.
            at_start = not "".join(out).rpartition("\n")[2].strip()
            out.append("\\\n" if at_start else "  \n")
        elif node.tag == "strong":
            out.append(f"**{_md_inline(node.children)}**")
        elif node.tag == "em":
            inner = _md_inline(node.children)
            # Emphasis that opens or closes on emphasis (`*<em>a</em>b*`)
            # would merge its stars with the inner ones: underscores do not.
            mark = "_" if inner[:1] == "*" or inner[-1:] == "*" else "*"
            out.append(f"{mark}{inner}{mark}")
        elif node.tag == "code":
            code = "".join(c for c in node.children if isinstance(c, str))
            fence = _md_fence(code)
            pad = " " if code.startswith("`") or code.endswith("`") else ""
            out.append(f"{fence}{pad}{code}{pad}{fence}")
        elif node.tag == "a":
            href = node.attrs.get("href") or ""
            for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C")):
                href = href.replace(ch, code)
            title = node.attrs.get("title")
            title = ' "' + title.replace('"', '\\"') + '"' if title else ""
            out.append(
                f"[{_md_inline(node.children)}]({href.replace('>', '%3E')}{title})"
            )
        else:
            out.append(_md_inline(node.children))
    return "".join(out)


def _md_guard(line: str) -> str:
    """A line of text that must not open a block it did not open here."""
    stripped = line.lstrip(" ")
    if _MD_LINE_START.match(stripped):
        return "\\" + stripped
    return stripped


def _md_blocks(nodes, *, tight: bool = False) -> list[str]:
    """Block nodes (and stray inline runs) as lines, blocks apart by a blank."""
    blocks, inline = [], []

    def flush():
        if inline:
            text = _md_inline(inline).strip()
            if text:
                blocks.append([_md_guard(line) for line in text.split("\n")])
            inline.clear()

    previous_list = None
    for node in nodes:
        if isinstance(node, str) or node.tag not in _MD_BLOCKS:
            if isinstance(node, str) and not node.strip() and not inline:
                continue  # the newlines between blocks
            inline.append(node)
            previous_list = None
            continue
        flush()
        if node.tag not in ("ul", "ol"):
            previous_list = None
        if node.tag == "p":
            text = _md_inline(node.children).strip()
            blocks.append([_md_guard(line) for line in text.split("\n")])
        elif node.tag == "blockquote":
            inner = _md_blocks(node.children)
            blocks.append([f"> {line}".rstrip() for line in inner] or [">"])
        elif node.tag in ("ul", "ol"):
            # Two lists in a row stay two when their markers differ.
            alternate = previous_list == node.tag
            blocks.append(_md_list(node, alternate=alternate))
            previous_list = None if alternate else node.tag
        elif node.tag == "pre":
            code = "".join(
                c if isinstance(c, str) else "".join(c.children) for c in node.children
            ).rstrip("\n")
            fence = _md_fence(code, least=3)
            blocks.append([fence, *(code.split("\n") if code else []), fence])
        else:  # a list item outside a list: its content
            blocks.append(_md_blocks(node.children))
    flush()
    lines = []
    for block in blocks:
        if lines and not tight:
            lines.append("")
        lines += block
    return lines


def _md_list(node, *, alternate: bool = False) -> list[str]:
    items = [c for c in node.children if not isinstance(c, str)]
    # markdown-it writes a tight list's items without paragraphs.
    tight = not any(
        not isinstance(c, str) and c.tag == "p" for item in items for c in item.children
    )
    start = node.attrs.get("start")
    number = int(start) if start and start.isdigit() else 1
    lines = []
    for index, item in enumerate(items):
        if node.tag == "ol":
            marker = f"{number + index}{')' if alternate else '.'} "
        else:
            marker = "* " if alternate else "- "
        inner = _md_blocks(item.children, tight=tight) or [""]
        if lines and not tight:
            lines.append("")
        lines.append(marker + inner[0])
        lines += [(" " * len(marker) + line) if line else "" for line in inner[1:]]
    return lines


def markdown_to_markdown(text: str) -> str:
    """User text as Markdown for a Markdown file: what `render_markdown` shows,
    written back as Markdown. The text is read by the same parser and
    sanitiser as on the page, so the file carries the same emphasis, code,
    lists, quotes and links (http, https, mailto only) and nothing more: raw
    HTML, headings, rules, tables and images that the page shows as plain
    text are escaped, so no remark can add a heading or a tag to the
    document it is quoted in."""
    tree = _Tree()
    tree.feed(str(render_markdown(text)))
    tree.close()
    return "\n".join(_md_blocks(tree.root.children)).strip("\n")
