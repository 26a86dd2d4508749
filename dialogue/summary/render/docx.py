"""SummaryDocument -> DOCX (python-docx): real headings, tables, the chart as PNG.

The slope chart's SVG is turned into a PNG with CairoSVG (Kozea, the
WeasyPrint authors' own SVG renderer over the system's cairo), because Word
cannot show SVG everywhere. Text in East Asian scripts is given the
"Noto Sans CJK SC" font and the zh-CN language, so Word and LibreOffice pick
a Chinese font for it.

Every string enters the document through ``_Writer``, which passes it
through ``text.printable``: python-docx refuses a control character, and one
such character must not cost the whole report. (The builder already cleans
the document; this keeps a hand-made document safe too.)
"""

import io

import cairosvg
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from dialogue.summary.document import Remark, SummaryDocument
from dialogue.summary.render import text
from dialogue.user_text import markdown_to_text

CJK_FONT = "Noto Sans CJK SC"
CHART_WIDTH_PX = 1520


def chart_png(svg: str) -> bytes:
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=CHART_WIDTH_PX)


def _east_asian(style_or_run_element, *, lang: bool = False) -> None:
    rpr = style_or_run_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    if lang:
        language = rpr.find(qn("w:lang"))
        if language is None:
            language = rpr.makeelement(qn("w:lang"), {})
            rpr.append(language)
        language.set(qn("w:eastAsia"), "zh-CN")


class _Writer:
    def __init__(self):
        self.doc = Document()
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
            _east_asian(self.doc.styles[name].element, lang=name == "Normal")

    def heading(self, value: str, level: int):
        self.doc.add_heading(text.printable(value), level=level)

    def run(self, paragraph, value: str, *, italic=None, bold=None):
        run = paragraph.add_run(text.printable(value))
        if italic is not None:
            run.italic = italic
        if bold is not None:
            run.bold = bold
        return run

    def para(self, value: str = "", *, italic=False, bold=False, style=None):
        paragraph = self.doc.add_paragraph(style=style)
        if value:
            self.run(paragraph, value, italic=italic, bold=bold)
        return paragraph

    def table(self, columns: list[str], rows: list[list[str]]):
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, value in zip(table.rows[0].cells, columns, strict=True):
            cell.text = ""
            self.run(cell.paragraphs[0], value, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = text.printable(value)
        self.doc.add_paragraph()
        return table

    def remark(self, remark: Remark, depth: int = 0):
        for paragraph_text in markdown_to_text(remark.text).split("\n\n"):
            paragraph = self.para(paragraph_text.strip(), style="Quote")
            paragraph.paragraph_format.left_indent = Cm(1 + depth)
        meta = self.para("— " + text.remark_meta(remark), italic=True)
        meta.paragraph_format.left_indent = Cm(1 + depth)
        for reply in remark.replies:
            self.remark(reply, depth + 1)

    def picture(self, png: bytes):
        self.doc.add_picture(io.BytesIO(png), width=Cm(16))

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def render_docx(doc: SummaryDocument) -> bytes:
    with translation.override(doc.language):
        return _render(doc)


def _render(doc: SummaryDocument) -> bytes:
    w = _Writer()
    h = doc.header
    w.doc.core_properties.title = text.printable(text.title(h))
    w.doc.core_properties.author = _("Rapporteur")
    w.heading(text.title(h), 0)
    facts = text.header_facts(h)
    w.table([_("About"), ""], [[label, value] for label, value in facts])
    w.heading(_("Participants"), 1)
    w.table(
        [_("Delegation"), _("Participants")],
        [[d.name, str(d.participants)] for d in h.delegations],
    )
    w.heading(_("Confidentiality") + " / 保密", 1)
    w.para(h.confidentiality_label, bold=True)
    w.para(h.statement_en)
    w.para(h.statement_zh)
    w.para(h.disclaimer_en, italic=True)
    w.para(h.disclaimer_zh, italic=True)

    if doc.responses is not None:
        w.heading(text.responses_heading(), 1)
        for line in text.responses_lines(doc.responses):
            w.para(line, style="List Bullet")

    for item in doc.items:
        w.heading(f"{item.number}. {item.title}", 1)
        w.para(text.proposed(item), italic=True)
        if item.body:
            w.heading(_("Recommendation"), 2)
            for paragraph in item.body.strip().split("\n\n"):
                w.para(paragraph.strip())
        if item.points:
            w.heading(_("Sub-points"), 2)
            for label, point in item.points:
                paragraph = w.para(style="List Bullet")
                w.run(paragraph, f"{label} ", bold=True)
                w.run(paragraph, point)
        w.heading(_("Discussion"), 2)
        if not doc.remarks_included:
            w.para(text.no_remarks_off_record(), italic=True)
        for group in item.discussion:
            w.heading(text.discussion_heading(group), 3)
            if doc.remarks_included and not group.remarks:
                w.para(text.empty("discussion"))
            for remark in group.remarks:
                w.remark(remark)
            if doc.remarks_included and group.omitted:
                w.para(text.omitted(group), italic=True)
        if item.ranks:
            w.heading(_("Ranking"), 2)
            w.para(text.item_ranks(item))
        w.heading(_("Reciprocal measures"), 2)
        if not item.measures:
            w.para(text.empty("measures"))
        for measure in item.measures:
            w.heading(text.measure_heading(measure), 3)
            for fact in text.measure_facts(measure, with_text=doc.remarks_included):
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
            w.heading(text.response_heading(response), 2)
            w.para(text.response_stance(response), bold=True)
            for paragraph in markdown_to_text(response.reasoning).split("\n\n"):
                w.para(paragraph.strip(), style="Quote")
            if response.conditions:
                w.para(text.response_conditions(response))

    w.heading(_("Ranking results"), 1)
    if doc.ranking is None:
        w.para(text.empty("ranking"))
    else:
        w.para(text.ranking_intro(doc.ranking))
        w.table(text.ranking_columns(doc.ranking), text.ranking_cells(doc.ranking))
        if doc.ranking.chart_svg:
            w.picture(chart_png(doc.ranking.chart_svg))
            w.para(doc.ranking.chart_title, italic=True)
    for key, heading, lines in (
        ("convergence", _("Areas of convergence"), doc.convergence),
        ("divergence", _("Areas of divergence"), doc.divergence),
        ("questions", _("Open questions"), doc.open_questions),
    ):
        w.heading(heading, 1)
        if not lines:
            w.para(text.empty(key))
        for line in lines:
            w.para(line, style="List Bullet")
    w.heading(text.mirror_heading(), 1)
    if not doc.mirror_pairs:
        w.para(text.empty("mirror_pairs"))
    for pair in doc.mirror_pairs:
        w.para(text.mirror_line(pair), style="List Bullet")
    if doc.packages:  # the section appears once there is a package
        w.heading(_("Packages of measures"), 1)
    for package in doc.packages:
        w.para(text.package_line(package), style="List Bullet")
    w.heading(_("How this summary was made"), 1)
    for note in doc.notes:
        w.para(note, style="List Bullet")
    return w.bytes()
