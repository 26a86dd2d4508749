"""SummaryDocument -> HTML (templates/summary_report.html) -> PDF with WeasyPrint.

The same template is the browser's preview page: its ``report`` partial is
the report itself, stored beside the PDF when a version is compiled.
The PDF's stylesheet asks for "Noto Sans CJK SC" (Debian: fonts-noto-cjk);
``ensure_cjk_font`` refuses to make a PDF without a CJK font, because the
confidentiality statement would silently print as empty boxes.
"""

import functools
import shutil
import subprocess

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML

from dialogue.summary.document import SummaryDocument
from dialogue.summary.render import text
from dialogue.user_text import render_markdown

CJK_FONT = "Noto Sans CJK SC"
STYLESHEET = "css/summary.css"
# The workshop's paper size as CSS, the same as the DOCX's.
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


class CJKFontMissing(RuntimeError):
    pass


@functools.cache
def ensure_cjk_font() -> str:
    """The path of the CJK font the PDF uses; raises CJKFontMissing if absent."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise CJKFontMissing(
            "fc-list (fontconfig) is not installed, so no CJK font can be found "
            "for the PDF; install the Debian packages fontconfig and fonts-noto-cjk."
        )
    found = subprocess.run(
        [fc_list, f"{CJK_FONT}:lang=zh-cn", "file"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    ).stdout.split()
    if not found:
        raise CJKFontMissing(
            f"The font “{CJK_FONT}” is not installed, so Chinese text cannot be "
            "printed in the PDF; install the Debian package fonts-noto-cjk."
        )
    return found[0].rstrip(":")


def narrative_html(value: str) -> SafeString:
    """The rapporteur's Markdown-lite as the page shows user text (the one
    sanitised rendering, ``user_text.render_markdown``), each note
    reference a superscript link to its note."""
    if not value:
        return SafeString("")
    html = str(render_markdown(text.protect_notes(value)))
    # Only numbers are put in: the text around them is sanitised already.
    return mark_safe(  # noqa: S308
        text.restore_notes(
            html,
            lambda n: f'<sup class="note-ref"><a href="#note-{n}">{n}</a></sup>',
        )
    )


def _context(doc: SummaryDocument) -> dict:
    chart = ""
    if doc.ranking is not None and doc.ranking.chart_svg:
        # slope_chart_svg escapes every piece of text it draws.
        chart = mark_safe(doc.ranking.chart_svg)  # noqa: S308
    return {
        "doc": doc,
        "h": doc.header,
        "title": text.title(doc.header),
        "facts": text.header_facts(doc.header),
        "marking": text.marking(doc.header),
        "footer": text.running_footer(doc.header),
        "page_label": text.page_label(),
        "contents_heading": text.contents_heading(),
        "contents": text.headings(doc),
        "takeaways": narrative_html(doc.narrative.takeaways) if doc.narrative else "",
        "notes_heading": text.notes_heading(),
        "annex_heading": text.annex_heading(),
        "annex": [item for item in doc.items if item.body or item.points],
        "chart": chart,
        "items": [
            (
                item,
                text.item_ranks(item) if item.ranks else "",
                narrative_html(item.narrative),
                text.brief_line(item) if text.is_brief(item) else "",
                narrative_html(f"“{item.first_sentence}”")
                if item.first_sentence
                else "",
            )
            for item in doc.items
        ],
        "ranking_intro": text.ranking_intro(doc.ranking) if doc.ranking else "",
        "ranking_columns": text.ranking_columns(doc.ranking) if doc.ranking else [],
        "ranking_cells": text.ranking_cells(doc.ranking) if doc.ranking else [],
        "tally_columns": text.tally_columns(),
        "mirror_heading": text.mirror_heading(),
        "mirror_lines": [text.mirror_line(pair) for pair in doc.mirror_pairs],
        "responses_lines": text.responses_lines(doc.responses)
        if doc.responses is not None
        else [],
        "packages": [text.package_line(p) for p in doc.packages],
        "closing": [
            (key, heading, narrative_html(lead), lines, text.empty(key))
            for key, heading, lead, lines in text.closing(doc)
        ],
        "empty": {
            key: text.empty(key)
            for key in (
                "convergence",
                "divergence",
                "questions",
                "ranking",
                "discussion",
                "measures",
                "mirror_pairs",
            )
        },
    }


def render_html(doc: SummaryDocument, *, fragment: bool = False) -> str:
    """The report as a whole HTML document, or only its body (``fragment``)."""
    name = "summary_report.html#report" if fragment else "summary_report.html"
    with translation.override(doc.language):
        return render_to_string(name, _context(doc))


def render_pdf(doc: SummaryDocument) -> bytes:
    ensure_cjk_font()
    stylesheet = finders.find(STYLESHEET)
    if stylesheet is None:
        raise FileNotFoundError(f"static/{STYLESHEET} is missing")
    html = render_html(doc)
    size = PAGE_SIZES.get(doc.header.paper_size, "A4")
    return HTML(string=html, base_url=None).write_pdf(
        stylesheets=[
            CSS(filename=stylesheet),
            CSS(string=f"@page {{ size: {size}; }}"),
        ]
    )
