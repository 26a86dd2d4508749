"""The documents fit to send, as pure functions of a hand-made report: the
paper size, the title page, the marking and page numbers on every page, the
table of contents, no heading left at the foot of a page, one line for an
item with nothing to report, the annex, the notes."""

import dataclasses
import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from markdown_it import MarkdownIt
from pypdf import PdfReader
from weasyprint import CSS, HTML

from dialogue.summary.render import text
from dialogue.summary.render.docx import render_docx
from dialogue.summary.render.markdown import render_markdown
from dialogue.summary.render.pdf import STYLESHEET, render_html, render_pdf
from tests.builders import docx_text, pdf_page_lines, report_document

POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


@pytest.fixture(scope="module")
def pdf():
    return render_pdf(report_document())


@pytest.fixture(scope="module")
def docx():
    return Document(io.BytesIO(render_docx(report_document())))


def _instructions(element) -> list[str]:
    return [" ".join(t.text.split()) for t in element.iter(qn("w:instrText"))]


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_pdf_pages_are_the_workshops_paper_size(size):
    reader = PdfReader(io.BytesIO(render_pdf(report_document(paper_size=size))))

    sizes = {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in reader.pages
    }

    assert sizes == {POINTS[size]}


@pytest.mark.parametrize(
    ("size", "width", "height"),
    [("a4", 210.0, 297.0), ("letter", 215.9, 279.4)],
)
def test_docx_pages_are_the_workshops_paper_size(size, width, height):
    document = Document(io.BytesIO(render_docx(report_document(paper_size=size))))

    section = document.sections[0]

    assert (
        round(section.page_width.mm, 1),
        round(section.page_height.mm, 1),
    ) == (width, height)


def test_every_pdf_page_has_the_marking_the_footer_and_its_number(pdf):
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]

    marked = [
        (
            "Chatham House Rule · Draft (revision 3)" in page,
            "What Should the Other Side Do? · Session 1 · v2" in page,
            f"Page {number} / {len(pages)}" in page,
        )
        for number, page in enumerate(pages, start=1)
    ]

    assert len(pages) > 3
    assert marked == [(True, True, True)] * len(pages)


def test_docx_header_has_the_marking_and_the_footer_a_page_field(docx):
    section = docx.sections[0]

    footer = section.footer.paragraphs[0]

    assert [p.text for p in section.header.paragraphs] == [
        "Chatham House Rule · Draft (revision 3)"
    ]
    assert footer.text == "What Should the Other Side Do? · Session 1 · v2\tPage 1"
    assert _instructions(footer._p) == ["PAGE"]
    assert len(docx.sections) == 1  # the header and footer hold for every page


def test_docx_title_page_then_contents(docx):
    paragraphs = [(p.style.name, p.text) for p in docx.paragraphs]
    facts = {row.cells[0].text: row.cells[1].text for row in docx.tables[0].rows}

    assert paragraphs[0] == ("Title", "Summary of session 1: Suggestions")
    assert facts == {
        "About": "",
        "Workshop": "What Should the Other Side Do?",
        "Session": "1. Suggestions",
        "Dates": "2026-03-01 09:00 – 12:00 UTC",
        "Venue": "Online",
        "Conveners": "1 organiser; 1 facilitator",
        "Compiled under": "Chatham House Rule",
        "Status": "Draft (revision 3)",
        "Version": "2, compiled 2026-03-01 12:30 UTC",
    }
    assert ("TOC Heading", "Contents") in paragraphs


def test_docx_contents_is_a_toc_field_with_the_headings_written_out(docx):
    body = docx.element.body
    start = next(
        i for i, p in enumerate(docx.paragraphs) if p.style.name == "TOC Heading"
    )
    headings = [
        p.text for p in docx.paragraphs if p.style.name in ("Heading 1", "Heading 2")
    ]
    entries = [p.text for p in docx.paragraphs[start + 1 : start + 1 + len(headings)]]

    assert [i for i in _instructions(body) if i.startswith("TOC")] == [
        'TOC \\o "1-2" \\h \\z \\u'
    ]
    assert entries == headings


def test_docx_headings_use_words_styles_and_keep_with_the_next(docx):
    styles = {p.style.name for p in docx.paragraphs}

    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Note Text"} <= styles
    assert [
        docx.styles[name].paragraph_format.keep_with_next
        for name in ("Heading 1", "Heading 2", "Heading 3")
    ] == [True, True, True]


def test_pdf_contents_lists_each_heading_with_its_page(pdf):
    lines = pdf_page_lines(pdf)
    contents = lines[1]
    where = {}
    for number, page in enumerate(lines[2:], start=3):
        for line in page:
            where.setdefault(line, number)
    where["Confidentiality / 保密"] = next(
        n for n, page in enumerate(lines, start=1) if "Confidentiality / 保密" in page
    )

    entries = {}
    for line in contents[1:]:
        match = re.fullmatch(r"(.+?) ?\.* ?(\d+)", line)
        entries[match.group(1).rstrip(" .")] = int(match.group(2))

    assert contents[0] == "Contents"
    assert entries == {
        heading: where[heading]
        for _level, _anchor, heading in text.headings(report_document())
    }


def _headings(doc) -> set[str]:
    found = {heading for _level, _anchor, heading in text.headings(doc)}
    found |= {"Discussion", text.notes_heading(), text.annex_heading()}
    for item in doc.items:
        found.add(f"{item.number}. {item.title}")
        found |= {text.discussion_heading(group) for group in item.discussion}
    return found


def _long_report(words: int):
    """Seven items after key takeaways `words` words longer: layouts where,
    were breaks allowed after headings, one would end a page."""
    doc = report_document(items=7, filler=2)
    takeaways = doc.narrative.takeaways + " word" * words
    return dataclasses.replace(
        doc, narrative=dataclasses.replace(doc.narrative, takeaways=takeaways)
    )


def _stranded(pdf: bytes, doc) -> list[str]:
    with translation.override("en"):
        headings = _headings(doc)
    pages = pdf_page_lines(pdf)
    assert len(pages) > 4
    return [page[-1] for page in pages if page and page[-1] in headings]


@pytest.mark.parametrize("words", [0, 56, 96])
def test_no_pdf_page_ends_with_a_heading(words):
    doc = _long_report(words)

    assert _stranded(render_pdf(doc), doc) == []


def test_the_page_end_check_finds_a_stranded_heading():
    doc = _long_report(96)
    loose = CSS(string="h1, h2, h3, h4, h5 { break-after: auto !important; }")

    pdf = HTML(string=render_html(doc)).write_pdf(
        stylesheets=[CSS(filename=finders.find(STYLESHEET)), loose]
    )

    assert _stranded(pdf, doc) != []


def test_an_item_with_nothing_to_report_takes_one_line():
    doc = report_document(quiet=(3, 5))
    line = text.brief_line(doc.items[2])

    docx = Document(io.BytesIO(render_docx(doc)))
    markdown = render_markdown(doc)
    html = render_html(doc, fragment=True)

    assert line == (
        "3. Recommendation 3 on crisis channels (proposed by Chinese scholars to "
        "American scholars): no remarks, measures or responses."
    )
    assert [p.style.name for p in docx.paragraphs if p.text == line] == ["Normal"]
    assert [h for h in markdown.splitlines() if h.startswith("### 3.")] == [
        "### 3. Recommendation 3 on crisis channels"  # in the annex only
    ]
    assert line in markdown.splitlines()
    assert html.count('id="summary-item-') == 4


def test_the_full_text_is_in_the_annex_and_the_body_quotes_its_first_sentence():
    doc = report_document()

    paragraphs = [p.text for p in Document(io.BytesIO(render_docx(doc))).paragraphs]
    markdown = render_markdown(doc)

    annex = len(paragraphs) - 1 - paragraphs[::-1].index(text.annex_heading())
    second = "A second paragraph of the recommendation's full text."
    assert [i > annex for i, p in enumerate(paragraphs) if p == second] == [True] * 6
    assert paragraphs.index("“Open channel 1.”") < annex
    assert markdown.index("> “Open channel 1.”") < markdown.index(
        "## Annex A: the recommendations in full"
    )
    assert markdown.count(second) == 6
    assert markdown.index(second) > markdown.index("## Annex A")


def test_the_notes_are_numbered_in_every_format():
    doc = report_document()

    paragraphs = [
        (p.style.name, p.text)
        for p in Document(io.BytesIO(render_docx(doc))).paragraphs
    ]
    markdown = render_markdown(doc)
    html = render_html(doc, fragment=True)
    pdf = " ".join(" ".join(page) for page in pdf_page_lines(render_pdf(doc)))

    first = (
        "A participant from the American scholars delegation, on item 1: "
        "“We need *a* hotline.”"
    )
    assert ("Note Text", f"1.\t{first}") in paragraphs
    assert "Both sides want **a hotline**[^1].\n\n- Verify it[^2]" in markdown
    assert markdown.rstrip().endswith(
        "[^1]: A participant from the American scholars delegation, on item 1: "
        "“We need \\*a\\* hotline.”\n\n[^2]: A participant from the Chinese "
        "scholars delegation, on item 2: “同意。”"
    )
    assert (
        '<p>Both sides want <strong>a hotline</strong><sup class="note-ref">'
        '<a href="#note-1">1</a></sup>.</p>'
    ) in html
    assert f'<li id="note-1" value="1">{first}</li>' in html.replace("&quot;", '"')
    assert first in pdf


def test_docx_notes_references_are_superscript_numbers():
    document = Document(io.BytesIO(render_docx(report_document())))

    takeaways = next(
        p for p in document.paragraphs if p.text.startswith("Both sides want")
    )

    assert [(r.text, bool(r.font.superscript)) for r in takeaways.runs] == [
        ("Both sides want a hotline", False),
        ("1", True),
        (".", False),
    ]


def test_docx_reads_as_a_report_with_key_takeaways_first(docx):
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]

    assert headings == [
        "Confidentiality / 保密",
        "Key takeaways",
        "Agenda items",
        "Ranking results",
        "Areas of convergence",
        "Areas of divergence",
        "Open questions",
        "Mirror pairs",
        "Notes",
        "How this summary was made",
        "Annex A: the recommendations in full",
    ]
    assert "Broad agreement2" in docx_text(render_docx(report_document()))


def test_markdown_contents_are_text_that_renders_without_backslashes():
    markdown = render_markdown(report_document())

    html = MarkdownIt("commonmark").render(markdown)

    assert "  - 1\\. Recommendation 1 on crisis channels" in markdown.splitlines()
    assert "<li>1. Recommendation 1 on crisis channels</li>" in html
    assert "\\" not in re.sub(r"<[^>]+>", "", html)
