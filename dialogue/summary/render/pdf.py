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

from dialogue.summary.document import ItemSection, RankingResult, SummaryDocument
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


def item_view(item: ItemSection, session: int = 0) -> dict:
    """What the template's ``item`` and ``annex-item`` partials print of an
    item; ``session``: its session in the report on the whole workshop."""
    return {
        "item": item,
        "heading": text.item_heading(item, session),
        "anchor": text.item_anchor(item, session),
        "annex_anchor": text.item_anchor(item, session, part="annex"),
        "annex_reference": text.annex_reference(item, session),
        "ranks": text.item_ranks(item) if item.ranks else "",
        "narrative": narrative_html(item.narrative),
        "brief": text.brief_line(item, session) if text.is_brief(item) else "",
        "first_sentence": narrative_html(f"“{item.first_sentence}”")
        if item.first_sentence
        else "",
    }


def ranking_view(ranking: RankingResult | None, anchor: str) -> dict:
    """What the template's ``ranking`` partial prints of a ranking round."""
    if ranking is None:
        return {"anchor": anchor, "intro": ""}
    return {
        "anchor": anchor,
        "intro": text.ranking_intro(ranking),
        "columns": text.ranking_columns(ranking),
        "cells": text.ranking_cells(ranking),
        # slope_chart_svg escapes every piece of text it draws.
        "chart": mark_safe(ranking.chart_svg)  # noqa: S308
        if ranking.chart_svg
        else "",
    }


def findings_view(sections, *, computed: bool = True) -> list:
    """``text.closing`` as the template's ``findings`` partial prints it
    (``computed``: there are computed lines, so their absence is said)."""
    return [
        (key, heading, narrative_html(lead), lines, text.empty(key) if computed else "")
        for key, heading, lead, lines in sections
    ]


def page_context(header) -> dict:
    """What every report's page furniture, title page and parts print."""
    return {
        "h": header,
        "title": text.title(header),
        "facts": text.header_facts(header),
        "marking": text.marking(header),
        "footer": text.running_footer(header),
        "page_label": text.page_label(),
        "contents_heading": text.contents_heading(),
        "notes_heading": text.notes_heading(),
        "annex_heading": text.annex_heading(),
        "tally_columns": text.tally_columns(),
        "mirror_heading": text.mirror_heading(),
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


def _context(doc: SummaryDocument) -> dict:
    return {
        **page_context(doc.header),
        "doc": doc,
        "contents": text.headings(doc),
        "takeaways": narrative_html(doc.narrative.takeaways) if doc.narrative else "",
        "annex": [item_view(item) for item in doc.items if item.body or item.points],
        "items": [item_view(item) for item in doc.items],
        "ranking": ranking_view(doc.ranking, "summary-ranking"),
        "notes": doc.narrative.notes if doc.narrative is not None else (),
        "mirror_lines": [text.mirror_line(pair) for pair in doc.mirror_pairs],
        "responses_lines": text.responses_lines(doc.responses)
        if doc.responses is not None
        else [],
        "packages": [text.package_line(p) for p in doc.packages],
        "closing": findings_view(text.closing(doc, doc.narrative)),
    }


def render_html(doc: SummaryDocument, *, fragment: bool = False) -> str:
    """The report as a whole HTML document, or only its body (``fragment``)."""
    name = "summary_report.html#report" if fragment else "summary_report.html"
    with translation.override(doc.language):
        return render_to_string(name, _context(doc))


def render_pdf(doc: SummaryDocument) -> bytes:
    return print_pdf(render_html(doc), paper_size=doc.header.paper_size)


def print_pdf(html: str, *, paper_size: str) -> bytes:
    """A report's HTML printed on the workshop's paper size."""
    ensure_cjk_font()
    stylesheet = finders.find(STYLESHEET)
    if stylesheet is None:
        raise FileNotFoundError(f"static/{STYLESHEET} is missing")
    size = PAGE_SIZES.get(paper_size, "A4")
    return HTML(string=html, base_url=None).write_pdf(
        stylesheets=[
            CSS(filename=stylesheet),
            CSS(string=f"@page {{ size: {size}; }}"),
        ]
    )
