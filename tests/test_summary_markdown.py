"""Participants' Markdown in the Markdown summary (pure: no database).

`markdown_to_markdown` writes back what the page shows: the same parse
(`render_markdown`), so the file keeps emphasis, lists, quotes, code and
links, and escapes what the page shows as plain text (raw HTML, headings,
rules, tables, images), so a remark cannot add a heading or a tag to the
document it is quoted in.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from dialogue.user_text import markdown_to_markdown, render_markdown

# A Markdown reader as permissive as they come: CommonMark with raw HTML,
# plus GitHub's tables and strikethrough.
READER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
FORBIDDEN = {
    "heading_open",
    "html_block",
    "html_inline",
    "table_open",
    "image",
    "hr",
    "s_open",
}


def _tokens(markdown: str):
    for token in READER.parse(markdown):
        yield token
        yield from token.children or ()


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("We need **concrete** steps, *soon*.", "We need **concrete** steps, *soon*."),
        ("- one\n- two **b**\n- three", "- one\n- two **b**\n- three"),
        ("3. third\n4. fourth", "3. third\n4. fourth"),
        ("> quoted\n\nafter", "> quoted\n\nafter"),
        (
            "see `a*b` and [PDF](https://e.org/x)",
            "see `a*b` and [PDF](https://e.org/x)",
        ),
        ("```\ncode *x*\n```", "```\ncode *x*\n```"),
        ("line one\nline two", "line one  \nline two"),
        ("-5 degrees, 2025. was", "-5 degrees, 2025. was"),
        ("对话 **具体** 步骤", "对话 **具体** 步骤"),
    ],
)
def test_participants_markdown_comes_through_as_markdown(written, kept):
    assert markdown_to_markdown(written) == kept


@pytest.mark.parametrize(
    ("written", "escaped"),
    [
        ("# not a heading", "\\# not a heading"),
        ("text\n---", "text  \n\\---"),
        ("text\n===", "text  \n\\==="),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("a | b\n--|--\nc | d", "a \\| b  \n--\\|--  \nc \\| d"),
        ("![img](http://x.example/y.png)", "\\![img](http://x.example/y.png)"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("~~struck~~", "\\~\\~struck\\~\\~"),
    ],
)
def test_what_the_page_shows_as_text_stays_text(written, escaped):
    assert markdown_to_markdown(written) == escaped


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from([*"ab 字\n#*_-+=>|<~!`[]()&;:/.1)\\", "http://x.org", "  "]),
        max_size=40,
    ).map("".join)
)
def test_the_file_shows_what_the_page_shows_and_never_more(written):
    markdown = markdown_to_markdown(written)

    assert render_markdown(markdown) == render_markdown(written)
    assert FORBIDDEN.isdisjoint(t.type for t in _tokens(markdown))


@pytest.mark.parametrize(
    "written", ["\\\na", "\\\n\\\na", "***a*a*", "*a **b***", "*\n-", "1.\n2)"]
)
def test_breaks_at_a_line_start_and_nested_emphasis_survive(written):
    assert render_markdown(markdown_to_markdown(written)) == render_markdown(written)
