"""Rendering the report on the whole workshop: every section in Markdown,
DOCX and PDF, the rapporteur's narrative with its footnotes, the paper size.

Documents are made by hand here (no database): the renderers are pure."""

import dataclasses
import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from dialogue.summary.document import (
    DelegationCount,
    Header,
    ItemSection,
    MeasureSummary,
    Narrative,
    Note,
    PackageSummary,
    ParticipantList,
    RankingResult,
    ResponseProgress,
    ResponsesOverview,
    SessionReport,
    WorkshopDocument,
)
from dialogue.summary.render.pdf import narrative_html
from dialogue.summary.render.workshop import (
    render_workshop_docx,
    render_workshop_html,
    render_workshop_markdown,
    render_workshop_pdf,
)
from tests.builders import docx_text, pdf_text


def _header(paper_size="a4") -> Header:
    return Header(
        workshop_title="Hotlines and trade",
        session_title="Report on the whole workshop",
        session_number=0,
        dates="2026-03-02 09:00 UTC – 2026-03-03 12:00 UTC",
        conveners=("1 organiser",),
        delegations=(
            DelegationCount(name="Chinese scholars", code="CN", participants=2),
        ),
        confidentiality="chatham_house",
        confidentiality_label="Chatham House Rule",
        statement_en="Statement in English.",
        statement_zh="中文声明。",
        disclaimer_en="Not consensus.",
        disclaimer_zh="不一定反映共识。",
        source="",
        version=3,
        compiled_at="2026-03-04 10:00 UTC",
        venue="Pudong Conference Centre",
        paper_size=paper_size,
    )


def _measure(title) -> MeasureSummary:
    return MeasureSummary(
        title=title,
        proposed_by="Chinese scholars",
        our_action="",
        their_action="",
        status="Endorsed by both sides",
        status_value="endorsed_both",
        sequencing="Simultaneous",
        timeframe="",
        revision=1,
        revisions=((1, "Chinese scholars"),),
        endorsed_by=("Chinese scholars", "American scholars"),
        tallies=(),
        item_numbers=(1,),
    )


def _doc(*, narrative=True, paper_size="a4") -> WorkshopDocument:
    item = ItemSection(
        number=1,
        title="Crisis hotline",
        proposed_by="Chinese scholars",
        addressed_to="American scholars",
        body="Open a hotline. Staff it.",
        points=(),
        discussion=(),
        ranks=(),
        measures=(_measure("Hotline staffing"),),
        first_sentence="Open a hotline.",
    )
    return WorkshopDocument(
        header=_header(paper_size),
        sessions=(
            SessionReport(
                number=1,
                title="Security",
                dates="2026-03-02 09:00 – 12:00 UTC",
                narrative="Session one **agreed** on a hotline.[^2]"
                if narrative
                else "",
                items=(item,),
                convergence=("Item 1 is a shared priority.",),
                divergence=(),
                open_questions=("Item 1: 1 question has no reply yet.",),
            ),
        ),
        measures=(_measure("Hotline staffing"),),
        packages=(
            PackageSummary(
                title="Hotline package",
                status="Agreed by both sides",
                status_value="agreed",
                members=(("Hotline staffing", "Chinese scholars", "Endorsed"),),
                endorsed_by=("Chinese scholars", "American scholars"),
                suspended_for=(),
            ),
        ),
        methodology=("Ranking: two rounds.", "Confidentiality: Chatham House Rule."),
        participants=(
            ParticipantList(delegation="Chinese scholars", count=2, names=()),
        ),
        remarks_included=True,
        narrative=Narrative(
            takeaways="Both sides want a *hotline*.[^1]",
            convergence="Trust grew.[^1]",
            divergence="",
            open_questions="",
            notes=(
                Note(number=1, text="A participant from the CN delegation: “Yes.”"),
                Note(number=2, text="A participant from the US delegation: “Agreed.”"),
            ),
            revision=4,
        )
        if narrative
        else None,
        responses=ResponsesOverview(
            revealed=False,
            revealed_at="",
            progress=(ResponseProgress(delegation="CN", answered=1, required=2),),
        ),
    )


SECTIONS = [
    "Report on the workshop: Hotlines and trade",
    "Pudong Conference Centre",
    "Chatham House Rule",
    "Key takeaways",
    "Participants by delegation",
    "Methodology",
    "Ranking: two rounds.",
    "Responses",
    "CN: 1 of 2 answered",
    "Session 1: Security",
    "1.1 Crisis hotline",
    "Open a hotline.",
    "Areas of convergence",
    "Item 1 is a shared priority.",
    "Across the sessions",
    "Measures endorsed by both sides",
    "Hotline staffing",
    "Packages agreed by both sides",
    "Hotline package",
    "Notes",
    "A participant from the US delegation: “Agreed.”",
    "How this report was made",
]
FORMATS = {
    "md": lambda doc: render_workshop_markdown(doc),
    "docx": lambda doc: docx_text(render_workshop_docx(doc)),
    "pdf": lambda doc: pdf_text(render_workshop_pdf(doc)),
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_has_every_section(fmt):
    text = " ".join(FORMATS[fmt](_doc()).split())

    assert [s for s in SECTIONS if s not in text] == []


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_without_a_narrative_its_sections_are_left_out(fmt):
    text = " ".join(FORMATS[fmt](_doc(narrative=False)).split())

    absent = ["Key takeaways", "Across the sessions", "Notes"]
    assert [s for s in absent if s in text] == []
    assert "Session 1: Security" in text


def test_markdown_keeps_the_narrative_and_its_footnotes():
    text = render_workshop_markdown(_doc())

    assert "Both sides want a *hotline*.[^1]" in text
    assert "Session one **agreed** on a hotline.[^2]" in text
    assert re.findall(r"^\[\^\d\]: .*$", text, re.MULTILINE) == [
        "[^1]: A participant from the CN delegation: “Yes.”",
        "[^2]: A participant from the US delegation: “Agreed.”",
    ]


def test_docx_marks_footnote_references_as_superscript_numbers():
    document = Document(io.BytesIO(render_workshop_docx(_doc())))

    superscripts = [
        run.text for p in document.paragraphs for run in p.runs if run.font.superscript
    ]
    paragraphs = [p.text for p in document.paragraphs]

    assert superscripts == ["1", "2", "1"]  # takeaways, session 1, the lead
    assert "Both sides want a hotline.1" in paragraphs
    assert "2.\tA participant from the US delegation: “Agreed.”" in paragraphs


def test_html_links_each_reference_to_its_note():
    html = render_workshop_html(_doc(), fragment=True)

    assert '<sup class="note-ref"><a href="#note-1">1</a></sup>' in html
    assert 'id="note-2"' in html


def test_narrative_html_escapes_the_rapporteurs_markup():
    html = str(narrative_html("<script>alert(1)</script> Fine.[^1]"))

    assert "<script>" not in html
    assert html.endswith(
        'Fine.<sup class="note-ref"><a href="#note-1">1</a></sup></p>\n'
    )


@pytest.mark.parametrize(
    ("paper_size", "points"), [("a4", (595, 842)), ("letter", (612, 792))]
)
def test_pdf_uses_the_workshops_paper_size(paper_size, points):
    reader = PdfReader(io.BytesIO(render_workshop_pdf(_doc(paper_size=paper_size))))

    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points


SQUARE = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="100%">'
    '<rect width="10" height="10"/></svg>'
)


def test_each_sessions_ranking_chart_is_in_the_docx_and_pdf():
    ranking = RankingResult(
        round_number=1,
        closed_at="2026-03-02 12:00 UTC",
        rankers=(("Chinese scholars", 2),),
        rows=(),
        tau_b=None,
        chart_svg=SQUARE,
        chart_title="Ranks by delegation (1 = top)",
    )
    doc = _doc()
    doc = dataclasses.replace(
        doc, sessions=(dataclasses.replace(doc.sessions[0], ranking=ranking),)
    )

    shapes = Document(io.BytesIO(render_workshop_docx(doc))).inline_shapes
    html = render_workshop_html(doc, fragment=True)

    assert len(shapes) == 1
    assert f'<figure class="summary-chart">{SQUARE}</figure>' in html


def test_agreed_measures_show_their_chain_only_when_countered():
    countered = dataclasses.replace(
        _measure("Visa easing"),
        revision=2,
        revisions=((1, "Chinese scholars"), (2, "American scholars")),
    )
    doc = dataclasses.replace(
        _doc(), measures=(_measure("Hotline staffing"), countered)
    )

    text = render_workshop_markdown(doc)

    section = text.split("## Measures endorsed by both sides\n\n")[1].split("\n\n")[0]
    assert section.splitlines() == [
        "- “Hotline staffing” (Endorsed by both sides), proposed by Chinese scholars",
        "- “Visa easing” (Endorsed by both sides), proposed by Chinese scholars · "
        "Begun by Chinese scholars, countered by American scholars (revision 1 by "
        "Chinese scholars → revision 2 by American scholars)",
    ]


def _long_doc(paper_size: str) -> WorkshopDocument:
    """The hand-made report with a second session of six long items."""
    doc = _doc(paper_size=paper_size)
    first = doc.sessions[0]
    filler = "The delegations weighed how a channel for crises could work. " * 40
    items = tuple(
        dataclasses.replace(
            first.items[0], number=n, title=f"Channel {n}", narrative=filler
        )
        for n in range(1, 7)
    )
    second = dataclasses.replace(first, number=2, title="Trade", items=items)
    return dataclasses.replace(doc, sessions=(first, second))


@pytest.mark.parametrize(
    ("paper_size", "points"), [("a4", (595, 842)), ("letter", (612, 792))]
)
def test_pdf_pages_have_the_workshops_size_marking_and_numbers_and_contents(
    paper_size, points
):
    pages = PdfReader(io.BytesIO(render_workshop_pdf(_long_doc(paper_size)))).pages
    texts = [" ".join(page.extract_text().split()) for page in pages]

    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages
    }
    numbered = [f"Page {n} / {len(pages)}" in t for n, t in enumerate(texts, 1)]
    marked = ["Chatham House Rule" in t for t in texts]
    contents = re.findall(r"Session 2: Trade \.*\s?(\d+)", texts[1])

    assert sizes == {points}
    assert len(pages) > 3
    assert numbered == [True] * len(pages)
    assert marked == [True] * len(pages)
    assert "Contents" in texts[1]
    assert len(contents) == 1
    assert "Session 2: Trade" in texts[int(contents[0]) - 1]


def test_docx_has_the_workshops_page_marking_page_field_and_contents():
    document = Document(io.BytesIO(render_workshop_docx(_doc(paper_size="letter"))))
    section = document.sections[0]
    body = document.element.body.xml

    assert (round(section.page_width.inches, 1), round(section.page_height.inches)) == (
        8.5,
        11,
    )
    assert section.header.paragraphs[0].text == "Chatham House Rule"
    assert "PAGE" in section.footer._element.xml
    assert 'TOC \\o "1-2"' in body
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"][:2] == [
        "1.1 Crisis hotline",
        "Areas of convergence",
    ]
