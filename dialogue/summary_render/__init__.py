"""Render a SummaryDocument to each download format.

Pure functions of the document: they read nothing from the database, so the
confidentiality applied by the builder is all a renderer can show.
"""

from dialogue.summary_render.as_docx import render_docx
from dialogue.summary_render.as_html import (
    CJKFontMissing,
    ensure_cjk_font,
    render_html,
    render_pdf,
)
from dialogue.summary_render.as_markdown import render_markdown

__all__ = [
    "CJKFontMissing",
    "ensure_cjk_font",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_pdf",
]
