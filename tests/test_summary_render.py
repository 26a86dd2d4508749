"""The renderers as pure functions of a hand-made SummaryDocument (no database)."""

import dataclasses
import io

import pytest
from django.utils import translation
from docx import Document

from dialogue.models import SummaryFormat
from dialogue.ranking_maths import rank_text
from dialogue.slope_chart import slope_chart_svg
from dialogue.summary.attribution import STATEMENTS
from dialogue.summary.document import (
    DISCLAIMER,
    DelegationCount,
    DelegationDiscussion,
    Header,
    ItemRank,
    ItemSection,
    MeasureSummary,
    RankingResult,
    RankingRow,
    Remark,
    SummaryDocument,
    Tally,
)
from dialogue.summary.render import RENDERERS, pdf, text
from dialogue.summary.render.docx import render_docx
from dialogue.summary.render.markdown import render_markdown
from dialogue.summary.render.pdf import (
    CJKFontMissing,
    ensure_cjk_font,
    render_html,
    render_pdf,
)
from tests.builders import docx_text, pdf_text

HOSTILE = "<script>alert(1)</script> **bold** [link](http://x.example)\n# not a heading"


def sample_document(*, remarks_included=True, chart=True) -> SummaryDocument:
    statement_en, statement_zh = STATEMENTS["chatham_house"]
    ranks = (
        ItemRank(delegation="American scholars", rank=1.0),
        ItemRank(delegation="Chinese scholars", rank=2.0),
    )
    measure = MeasureSummary(
        title="Joint hotline",
        proposed_by="Chinese scholars",
        our_action="Staff a hotline.",
        their_action="Answer it.",
        status="Proposed",
        status_value="proposed",
        sequencing="Simultaneous",
        timeframe="6 months",
        revision=2,
        revisions=((1, "American scholars"), (2, "Chinese scholars")),
        endorsed_by=(),
        tallies=(
            Tally(delegation="American scholars", support=2, clarify=1),
            Tally(delegation="Chinese scholars", oppose=1),
        ),
        item_numbers=(1,),
    )
    svg = slope_chart_svg(
        left_label="American scholars",
        right_label="Chinese scholars",
        items=[("1. Stabilise relations", 1, 2), ("2. 人文交流", 2, 1)],
        title="Ranks by delegation (1 = highest priority)",
        chart_id="summary-ranking",
    )
    remarks = ()
    if remarks_included:
        remarks = (
            Remark(
                attribution="a participant from the American scholars delegation",
                text=HOSTILE,
                endorsements=4,
                point_label="1.1",
                replies=(
                    Remark(
                        attribution="a participant from the Chinese scholars "
                        "delegation",
                        text="我们同意。",
                        endorsements=0,
                    ),
                ),
                reply_count=1,
            ),
        )
    return SummaryDocument(
        header=Header(
            workshop_title="What Should the Other Side Do?",
            session_title="Suggestions",
            session_number=1,
            dates="2026-03-01 09:00 – 12:00 UTC",
            conveners=("1 organiser",),
            delegations=(
                DelegationCount(name="American scholars", code="US", participants=3),
                DelegationCount(name="Chinese scholars", code="CN", participants=3),
            ),
            confidentiality="chatham_house",
            confidentiality_label="Chatham House Rule",
            statement_en=statement_en,
            statement_zh=statement_zh,
            disclaimer_en=DISCLAIMER[0],
            disclaimer_zh=DISCLAIMER[1],
            source="",
            version=2,
            compiled_at="2026-03-01 12:30 UTC",
        ),
        items=(
            ItemSection(
                number=1,
                title="Stabilise relations",
                proposed_by="Chinese scholars",
                addressed_to="American scholars",
                body="First paragraph.\n\nSecond paragraph.",
                points=(("1.1", "Open a hotline."),),
                discussion=(
                    DelegationDiscussion(
                        delegation="American scholars",
                        remark_count=3,
                        reply_count=0,
                        remarks=remarks,
                    ),
                ),
                ranks=ranks,
                measures=(measure,),
            ),
        ),
        ranking=RankingResult(
            round_number=1,
            closed_at="2026-03-01 11:00 UTC",
            rankers=(("American scholars", 3), ("Chinese scholars", 3)),
            rows=(
                RankingRow(
                    number=1,
                    title="Stabilise relations",
                    overall_rank=1.0,
                    ranks=ranks,
                    median=1.0,
                    iqr=0.5,
                ),
            ),
            tau_b=-1.0,
            chart_svg=svg if chart else "",
            chart_title="Ranks by delegation (1 = highest priority)",
        ),
        convergence=("Item 1 is a shared priority.",),
        divergence=(),
        open_questions=("Item 1: 1 question has no reply yet.",),
        remarks_included=remarks_included,
        notes=("Only visible remarks are reported.",),
    )


def test_markdown_has_the_sections_in_order():
    text = render_markdown(sample_document())

    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Confidentiality / 保密",
        "## Agenda items",
        "## Ranking results",
        "## Areas of convergence",
        "## Areas of divergence",
        "## Open questions",
        "## Mirror pairs",
        "## How this summary was made",
        "## Annex A: the recommendations in full",
    ]


def test_markdown_keeps_participants_markdown_and_escapes_the_rest():
    text = render_markdown(sample_document())

    assert (
        "> \\<script\\>alert(1)\\</script\\> **bold** "
        "[link](http://x.example)  \n> \\# not a heading"
    ) in text
    assert "<script>" not in text
    assert "\\*" not in text.split("## Ranking results")[0].replace("\\*\\*", "")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_format_shows_a_remarks_formatting_without_backslashes(language):
    remark = "We need **concrete** steps:\n\n- first *this*\n- then 那个"
    doc = sample_document()
    item = doc.items[0]
    group = dataclasses.replace(
        item.discussion[0],
        remarks=(dataclasses.replace(item.discussion[0].remarks[0], text=remark),),
    )
    doc = dataclasses.replace(
        doc,
        language=language,
        items=(dataclasses.replace(item, discussion=(group,)),),
    )

    markdown = render_markdown(doc)
    html = render_html(doc, fragment=True)
    docx = docx_text(render_docx(doc))

    assert (
        "> We need **concrete** steps:\n>\n> - first *this*\n> - then 那个" in markdown
    )
    assert "<strong>concrete</strong>" in html
    assert "<li>first <em>this</em></li>" in html
    assert "We need concrete steps:" in docx
    assert "• first this" in docx
    assert "\\" not in docx and "**" not in docx


def test_markdown_prints_both_languages_of_the_statements():
    text = render_markdown(sample_document())

    for statement in (*STATEMENTS["chatham_house"], *DISCLAIMER):
        assert statement in text


def test_markdown_tallies_as_a_table():
    text = render_markdown(sample_document())

    assert (
        "| Delegation | Support | Support with changes | Oppose | Ask for "
        "clarification |\n| --- | --- | --- | --- | --- |\n"
        "| American scholars | 2 | 0 | 0 | 1 |\n| Chinese scholars | 0 | 0 | 1 | 0 |"
    ) in text


def test_markdown_off_the_record_says_remarks_are_only_counted():
    text = render_markdown(sample_document(remarks_included=False))

    assert "*Off the record: remarks are counted, not quoted.*" in text
    assert "Staff a hotline." not in text


def test_html_escapes_participant_text_and_embeds_the_chart():
    html = render_html(sample_document(), fragment=True)

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert html.count("<svg") == 1
    assert html.lstrip().startswith('<article class="summary-report"')


def test_docx_has_real_headings_tables_and_the_chart_image():
    data = render_docx(sample_document())

    document = Document(io.BytesIO(data))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[:5] == [
        ("Title", "Summary of session 1: Suggestions"),
        ("Heading 1", "Confidentiality / 保密"),
        ("Heading 1", "Agenda items"),
        ("Heading 2", "1. Stabilise relations"),
        ("Heading 3", "Discussion"),
    ]
    assert len(document.inline_shapes) == 1
    assert [c.text for c in document.tables[1].rows[1].cells] == [
        "American scholars",
        "3",
    ]
    text = docx_text(data)
    assert STATEMENTS["chatham_house"][1] in text
    assert DISCLAIMER[1] in text
    # Markdown becomes plain text: markup gone, user text kept as text.
    assert "<script>alert(1)</script> bold link" in text
    assert "**bold**" not in text


def test_docx_without_a_chart_has_no_image():
    data = render_docx(sample_document(chart=False))

    assert len(Document(io.BytesIO(data)).inline_shapes) == 0


def test_pdf_contains_the_chinese_statements_as_text():
    data = render_pdf(sample_document())

    text = pdf_text(data)
    assert data.startswith(b"%PDF-")
    assert "查塔姆宫规则" in text
    assert "不一定反映各方共识" in text
    assert "我们同意" in text
    assert "<script>alert(1)</script>" in text  # printed as text, not run


def test_cjk_font_check_finds_the_installed_font():
    ensure_cjk_font.cache_clear()

    path = ensure_cjk_font()

    assert "NotoSansCJK" in path


def test_cjk_font_check_fails_loudly_without_the_font(monkeypatch):
    ensure_cjk_font.cache_clear()
    monkeypatch.setattr(pdf, "CJK_FONT", "No Such Font Zqx")

    with pytest.raises(CJKFontMissing, match="fonts-noto-cjk"):
        ensure_cjk_font()

    ensure_cjk_font.cache_clear()


def test_renderers_use_the_documents_language_not_the_active_one():
    doc = sample_document()

    with translation.override("zh-hans"):
        markdown = render_markdown(doc)
        html = render_html(doc, fragment=True)

    assert markdown.startswith("# Summary of session 1: Suggestions")
    assert '<h2 id="summary-ranking">Ranking results</h2>' in html


def test_every_format_has_one_renderer_in_the_table():
    assert list(RENDERERS) == list(SummaryFormat)
    assert {fmt: r.file_field for fmt, r in RENDERERS.items()} == {
        "md": "markdown_file",
        "docx": "docx_file",
        "pdf": "pdf_file",
    }


@pytest.mark.parametrize(
    ("rank", "text"),
    [(3.0, "3"), (2.5, "2.5"), (2.25, "2.25"), (1 / 3, "0.33"), (None, "–")],
)
def test_ranks_are_written_as_on_the_results_page(rank, text):
    # One formatter (ranking_maths.rank_text) for the page, the chart and here.
    assert rank_text(rank) == text


def test_printable_drops_what_xml_cannot_carry_and_keeps_breaks():
    value = "a\x1bb\x0bc\td\r\ne\ufffef\U0001fffeg\x85h\x00\x7f\x9b 中文"

    assert text.printable(value) == "ab\nc\td\r\nefg\nh 中文"


def _with_control_characters(doc: SummaryDocument) -> SummaryDocument:
    bad = "\x1b\x07"
    item = doc.items[0]
    group = item.discussion[0]
    remark = dataclasses.replace(group.remarks[0], text=f"Remark{bad}")
    return dataclasses.replace(
        doc,
        header=dataclasses.replace(doc.header, session_title=f"Trust{bad}"),
        items=(
            dataclasses.replace(
                item,
                title=f"Hotline{bad}",
                points=(("1.1", f"Point{bad}"),),
                discussion=(dataclasses.replace(group, remarks=(remark,)),),
            ),
        ),
        convergence=(f"Both{bad}",),
    )


def test_printable_document_cleans_every_string_of_the_tree():
    doc = _with_control_characters(sample_document())

    clean = text.printable_document(doc)

    item = clean.items[0]
    assert (
        clean.header.session_title,
        item.title,
        item.points,
        item.discussion[0].remarks[0].text,
        clean.convergence,
    ) == ("Trust", "Hotline", (("1.1", "Point"),), "Remark", ("Both",))
    assert clean.items[0].discussion[0].omitted == doc.items[0].discussion[0].omitted
    assert text.printable_document(sample_document()) == sample_document()


def test_docx_writes_a_document_with_control_characters_left_in():
    # The builder cleans the document; the DOCX writer does not rely on it.
    doc = _with_control_characters(sample_document())

    written = docx_text(render_docx(doc))

    assert "Hotline" in written
    assert "\x1b" not in written
