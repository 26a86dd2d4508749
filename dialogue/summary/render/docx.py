"""SummaryDocument -> DOCX (python-docx), one function per part of the report.

The parts (``title_page``, ``contents``, ``takeaways``, ``item_part``,
``closing_parts``, ``notes_part``, ``annex``...) each write into a
``DocxWriter`` (``docx_writer``: the page, the styles, the fields), so a
longer report can compose them. The slope chart's SVG is turned into a PNG
with CairoSVG (Kozea, the WeasyPrint authors' own SVG renderer over the
system's cairo), because Word cannot show SVG everywhere. Text in East
Asian scripts is given the "Noto Sans CJK SC" font and the zh-CN language,
so Word and LibreOffice pick a Chinese font for it.
"""

import cairosvg
from django.utils import translation
from django.utils.translation import gettext as _
from docx.shared import Cm

from dialogue.summary.document import (
    Header,
    ItemSection,
    Narrative,
    RankingResult,
    Remark,
    SummaryDocument,
)
from dialogue.summary.render import text
from dialogue.summary.render.docx_writer import NOTE_STYLE, DocxWriter
from dialogue.user_text import markdown_to_text

CHART_WIDTH_PX = 1520


def chart_png(svg: str) -> bytes:
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=CHART_WIDTH_PX)


def render_docx(doc: SummaryDocument) -> bytes:
    with translation.override(doc.language):
        return _render(doc)


def _render(doc: SummaryDocument) -> bytes:
    w = DocxWriter(paper_size=doc.header.paper_size)
    w.doc.core_properties.title = text.printable(text.title(doc.header))
    w.doc.core_properties.author = _("Rapporteur")
    w.page_furniture(
        marking=text.marking(doc.header), footer=text.running_footer(doc.header)
    )
    title_page(w, doc.header)
    contents(w, text.headings(doc))
    if doc.narrative is not None and doc.narrative.takeaways:
        takeaways(w, doc.narrative)
    w.heading(_("Agenda items"), 1)
    if doc.responses is not None:
        w.lead(text.responses_heading())
        for line in text.responses_lines(doc.responses):
            w.para(line, style="List Bullet")
    for item in doc.items:
        item_part(w, item, remarks_included=doc.remarks_included)
    ranking_part(w, doc.ranking)
    closing_parts(w, doc)
    if doc.narrative is not None and doc.narrative.notes:
        notes_part(w, doc.narrative)
    w.heading(_("How this summary was made"), 1)
    for note in doc.notes:
        w.para(note, style="List Bullet")
    if text.has_annex(doc):
        w.page_break()
        w.heading(text.annex_heading(), 1)
        annex(w, doc.items)
    return w.bytes()


def title_page(w: DocxWriter, h: Header) -> None:
    """The title, the facts of the session, the delegations and the
    bilingual confidentiality statement; then a page break."""
    w.heading(text.title(h), 0)
    w.table([_("About"), ""], [[label, value] for label, value in text.header_facts(h)])
    w.table(
        [_("Delegation"), _("Participants")],
        [[d.name, str(d.participants)] for d in h.delegations],
    )
    w.heading(text.confidentiality_heading(), 1)
    w.para(h.confidentiality_label, bold=True)
    w.para(h.statement_en)
    w.para(h.statement_zh)
    w.para(h.disclaimer_en, italic=True)
    w.para(h.disclaimer_zh, italic=True)
    w.page_break()


def contents(w: DocxWriter, headings: list[tuple[int, str, str]]) -> None:
    w.para(text.contents_heading(), style="TOC Heading")
    w.contents([(level, value) for level, _anchor, value in headings])


def narrative_paragraphs(w: DocxWriter, value: str) -> None:
    """The rapporteur's Markdown-lite as plain paragraphs, each note
    reference a superscript number."""
    w.with_notes(markdown_to_text(text.protect_notes(value)))


def takeaways(w: DocxWriter, narrative: Narrative) -> None:
    w.heading(_("Key takeaways"), 1)
    narrative_paragraphs(w, narrative.takeaways)


def remark(w: DocxWriter, value: Remark, depth: int = 0) -> None:
    for paragraph_text in markdown_to_text(value.text).split("\n\n"):
        paragraph = w.para(paragraph_text.strip(), style="Quote")
        paragraph.paragraph_format.left_indent = Cm(1 + depth)
    meta = w.para("— " + text.remark_meta(value), italic=True)
    meta.paragraph_format.left_indent = Cm(1 + depth)
    for reply in value.replies:
        remark(w, reply, depth + 1)


def item_part(
    w: DocxWriter, item: ItemSection, *, remarks_included: bool, session: int = 0
) -> None:
    """An item: its heading, the quoted first sentence, the rapporteur's
    narrative, then the discussion, ranks, measures and responses; one line
    when nothing was said. ``session``: the item's session in the report on
    the whole workshop (numbered "2.3")."""
    if text.is_brief(item):
        w.para(text.brief_line(item, session))
        return
    w.heading(text.item_heading(item, session), 2)
    w.para(text.proposed(item), italic=True)
    if item.first_sentence:
        sentence = " ".join(markdown_to_text(item.first_sentence).split())
        w.para(f"“{sentence}”", style="Quote")
        w.para(text.annex_reference(item, session), italic=True)
    if item.narrative:
        narrative_paragraphs(w, item.narrative)
    if item.discussion:
        w.heading(_("Discussion"), 3)
    if not remarks_included:
        w.para(text.no_remarks_off_record(), italic=True)
    for group in item.discussion:
        w.lead(text.discussion_heading(group))
        if remarks_included and not group.remarks:
            w.para(text.empty("discussion"))
        for value in group.remarks:
            remark(w, value)
        if remarks_included and group.omitted:
            w.para(text.omitted(group), italic=True)
    if item.ranks:
        w.para(text.item_ranks(item))
    if item.measures:
        w.heading(_("Reciprocal measures"), 3)
    for measure in item.measures:
        w.lead(text.measure_heading(measure))
        for fact in text.measure_facts(measure, with_text=remarks_included):
            w.para(fact)
        w.table(
            text.tally_columns(),
            [
                [
                    t.delegation,
                    str(t.support),
                    str(t.support_with_changes),
                    str(t.oppose),
                    str(t.clarify),
                ]
                for t in measure.tallies
            ],
        )
    for response in item.responses:
        w.heading(text.response_heading(response), 3)
        w.para(text.response_stance(response), bold=True)
        for paragraph in markdown_to_text(response.reasoning).split("\n\n"):
            w.para(paragraph.strip(), style="Quote")
        if response.conditions:
            w.para(text.response_conditions(response))


def ranking_part(
    w: DocxWriter, ranking: RankingResult | None, *, level: int = 1
) -> None:
    w.heading(_("Ranking results"), level)
    if ranking is None:
        w.para(text.empty("ranking"))
        return
    w.para(text.ranking_intro(ranking))
    w.table(text.ranking_columns(ranking), text.ranking_cells(ranking))
    if ranking.chart_svg:
        w.picture(chart_png(ranking.chart_svg))
        w.para(ranking.chart_title, style="Caption")


def findings_part(
    w: DocxWriter, sections, *, level: int = 1, computed: bool = True
) -> None:
    """Convergence, divergence, open questions (``text.closing``): the
    rapporteur's lead above the computed lines (``computed``: there are
    computed lines, so their absence is said)."""
    for key, heading, lead, lines in sections:
        w.heading(heading, level)
        if lead:
            narrative_paragraphs(w, lead)
        if computed and not lines:
            w.para(text.empty(key))
        for line in lines:
            w.para(line, style="List Bullet")


def closing_parts(w: DocxWriter, doc: SummaryDocument) -> None:
    """Convergence, divergence, open questions, the mirror pairs and the
    packages."""
    findings_part(w, text.closing(doc, doc.narrative))
    w.heading(text.mirror_heading(), 1)
    if not doc.mirror_pairs:
        w.para(text.empty("mirror_pairs"))
    for pair in doc.mirror_pairs:
        w.para(text.mirror_line(pair), style="List Bullet")
    if doc.packages:  # the section appears once there is a package
        w.heading(_("Packages of measures"), 1)
    for package in doc.packages:
        w.para(text.package_line(package), style="List Bullet")


def notes_part(w: DocxWriter, narrative: Narrative) -> None:
    """The citations' notes, numbered as their references."""
    w.heading(text.notes_heading(), 1)
    for note in narrative.notes:
        w.para(f"{note.number}.\t{note.text}", style=NOTE_STYLE)


def annex(w: DocxWriter, items: tuple[ItemSection, ...], *, session: int = 0) -> None:
    """The recommendations' full text: body and points (the annex's page
    break and heading are the caller's)."""
    for item in items:
        if not (item.body or item.points):
            continue
        w.heading(text.item_heading(item, session), 3)
        w.para(text.proposed(item), italic=True)
        for paragraph in item.body.strip().split("\n\n"):
            if paragraph.strip():
                w.para(paragraph.strip())
        for label, point in item.points:
            paragraph = w.para(style="List Bullet")
            w.run(paragraph, f"{label} ", bold=True)
            w.run(paragraph, point)
