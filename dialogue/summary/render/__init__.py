"""Render a SummaryDocument to each download format, and the one table of them.

The renderers are pure functions of the document: they read nothing from
the database, so the confidentiality applied by the builder is all a
renderer can show. ``RENDERERS`` maps each format to its renderer, the
content type it is served with and the SummaryReport field its file is
stored in; the compiling service, the download views and
``manage.py compile_summary`` all choose a renderer here.

* ``text``: the sentences every format prints the same way;
* ``markdown``: CommonMark with GitHub-style tables;
* ``docx``: Word, with the slope chart as a PNG;
* ``pdf``: HTML from templates/summary_report.html (also the browser
  preview), printed by WeasyPrint.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dialogue.models import SummaryFormat
from dialogue.summary.document import SummaryDocument
from dialogue.summary.render.docx import render_docx
from dialogue.summary.render.markdown import render_markdown_file
from dialogue.summary.render.pdf import render_pdf


@dataclass(frozen=True)
class Renderer:
    render: Callable[[SummaryDocument], bytes]
    content_type: str
    file_field: str  # the SummaryReport field the file is stored in
    progress_note: str  # what the progress bar says while it is written


# In the order a worker writes them. The file's extension is the format.
RENDERERS: dict[str, Renderer] = {
    SummaryFormat.MARKDOWN: Renderer(
        render=render_markdown_file,
        content_type="text/markdown; charset=utf-8",
        file_field="markdown_file",
        progress_note=_("Writing Markdown"),
    ),
    SummaryFormat.DOCX: Renderer(
        render=render_docx,
        content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        file_field="docx_file",
        progress_note=_("Writing the Word document"),
    ),
    SummaryFormat.PDF: Renderer(
        render=render_pdf,
        content_type="application/pdf",
        file_field="pdf_file",
        progress_note=_("Writing the PDF"),
    ),
}
