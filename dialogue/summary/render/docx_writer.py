"""The Word document a summary is written into: page, styles, fields.

Built from the real styles of Word's default template (Title, Heading 1-3,
Quote, List Bullet, Caption), so a rapporteur can keep editing the file in
Word and its navigation pane and table of contents work. Every heading
style keeps with the next paragraph, so no heading is left at the foot of
a page.

* The page is the workshop's paper size (A4 or US Letter), the same as the
  PDF's; every page has the confidentiality marking in its header and the
  page number (a PAGE field) in its footer.
* The table of contents is a TOC field whose stored result is the list of
  headings already written out: Word fills page numbers only when the field
  is updated, so the file reads properly as it is.
* Notes: python-docx has no API for Word's footnotes, so a citation is a
  superscript number and the notes are a numbered list in their own
  section ("Note Text" style).

Every string enters the document through ``DocxWriter``, which passes it
through ``text.printable``: python-docx refuses a control character, and
one such character must not cost the whole report.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt

from dialogue.summary.render import text

CJK_FONT = "Noto Sans CJK SC"
PAGE_SIZES = {"a4": (Cm(21.0), Cm(29.7)), "letter": (Inches(8.5), Inches(11))}
NOTE_STYLE = "Note Text"
HEADING_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3")


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


def _field_char(run, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        element.set(qn("w:dirty"), "true")  # Word updates it on open
    run._r.append(element)


def _instruction(run, instruction: str) -> None:
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = instruction
    run._r.append(element)


class DocxWriter:
    def __init__(self, *, paper_size: str = "a4"):
        self.doc = Document()
        for name in ("Normal", *HEADING_STYLES):
            _east_asian(self.doc.styles[name].element, lang=name == "Normal")
        for name in HEADING_STYLES[1:]:
            self.doc.styles[name].paragraph_format.keep_with_next = True
        notes = self.doc.styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        notes.base_style = self.doc.styles["Normal"]
        notes.font.size = Pt(9)
        notes.paragraph_format.left_indent = Cm(0.6)
        notes.paragraph_format.first_line_indent = Cm(-0.6)
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_SIZES.get(
            paper_size, PAGE_SIZES["a4"]
        )
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.2))
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)

    # -- the page ------------------------------------------------------------

    def page_furniture(self, *, marking: str, footer: str) -> None:
        """The marking at the top of every page, the footer line and the
        page number (a PAGE field) at its foot."""
        section = self.doc.sections[0]
        top = section.header.paragraphs[0]
        top.text = ""
        self.run(top, marking, bold=True).font.size = Pt(8)
        top.alignment = 1  # centred
        bottom = section.footer.paragraphs[0]
        bottom.text = ""
        width = section.page_width - section.left_margin - section.right_margin
        bottom.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        self.run(bottom, footer).font.size = Pt(8)
        self.run(bottom, f"\t{text.page_label()} ").font.size = Pt(8)
        self.field(bottom, "PAGE", "1").font.size = Pt(8)

    def field(self, paragraph, instruction: str, shown: str):
        """A simple field (PAGE...) with ``shown`` as its stored result."""
        run = paragraph.add_run()
        _field_char(run, "begin")
        _instruction(run, f" {instruction} ")
        _field_char(run, "separate")
        shown_run = paragraph.add_run(shown)
        end = paragraph.add_run()
        _field_char(end, "end")
        return shown_run

    def contents(self, entries: list[tuple[int, str]]) -> None:
        """A TOC field whose stored result is ``entries`` (level, text)."""
        for index, (level, value) in enumerate(entries):
            paragraph = self.para()
            paragraph.paragraph_format.left_indent = Cm(0.8 * (level - 1))
            paragraph.paragraph_format.space_after = Pt(2)
            if index == 0:
                run = paragraph.add_run()
                _field_char(run, "begin")
                _instruction(run, ' TOC \\o "1-2" \\h \\z \\u ')
                _field_char(run, "separate")
            self.run(paragraph, value, bold=level == 1)
            if index == len(entries) - 1:
                _field_char(paragraph.add_run(), "end")

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- text ----------------------------------------------------------------

    def heading(self, value: str, level: int):
        return self.doc.add_heading(text.printable(value), level=level)

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

    def lead(self, value: str):
        """A bold line that introduces what follows and stays with it."""
        paragraph = self.para(value, bold=True)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def with_notes(self, plain: str, *, style=None):
        """Paragraphs of plain text whose protected note references
        (``text.protect_notes``) become superscript numbers."""
        for block in plain.split("\n\n"):
            lines = [line.strip() for line in block.split("\n") if line.strip()]
            if lines and all(line.startswith("• ") for line in lines):
                # A list (``markdown_to_text`` marks its items): Word's own.
                for line in lines:
                    self._noted(line[2:], style="List Bullet")
            elif lines:
                self._noted(" ".join(lines), style=style)

    def _noted(self, value: str, *, style=None):
        paragraph = self.para(style=style)
        for part in text.note_parts(value):
            if isinstance(part, int):
                self.run(paragraph, str(part)).font.superscript = True
            elif part:
                self.run(paragraph, part)

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

    def picture(self, png: bytes):
        self.doc.add_picture(io.BytesIO(png), width=Cm(16))

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
