"""WorkshopDocument -> Markdown, DOCX and PDF: the report on the whole workshop.

Pure functions of the document, built from the session summary's own parts
so both reports follow one rule in one place: the title page, contents,
items (``item_part``, numbered "2.3" within their session), rankings,
findings, notes and annex of ``markdown``, ``docx`` (over ``DocxWriter``:
the workshop's paper size, the marking and page numbers on every page, the
TOC, headings kept with the next paragraph) and ``pdf``
(templates/workshop_report.html includes summary_report.html's partials).

The rapporteur's text (``Narrative`` and each ``SessionReport.narrative``)
is Markdown-lite with footnote references ``[^n]``, numbered across the
whole document: footnotes in Markdown, superscript links in the PDF,
superscript numbers in Word, each pointing into the list of notes.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogue.summary.document import (
    MeasureSummary,
    SessionReport,
    WorkshopDocument,
)
from dialogue.summary.render import docx as docx_render
from dialogue.summary.render import markdown as md
from dialogue.summary.render import pdf as pdf_render
from dialogue.summary.render import text
from dialogue.summary.render.docx_writer import DocxWriter

# -- the sentences every format prints -----------------------------------------


def session_heading(session: SessionReport) -> str:
    return _("Session %(number)d: %(title)s") % {
        "number": session.number,
        "title": session.title,
    }


def participants_line(count: int) -> str:
    return ngettext("%(n)d participant", "%(n)d participants", count) % {"n": count}


def empty(section: str) -> str:
    return {
        "measures": _("No measure has been endorsed by both sides."),
        "packages": _("No package has been agreed by both sides."),
        "mirror_pairs": _("No mirror pair has been suggested."),
    }[section]


def agreed_measure(measure: MeasureSummary) -> str:
    """A measure endorsed by both sides: its heading and, when it was
    countered, its chain of revisions (the items it concerns show it in
    their sessions' sections)."""
    line = text.measure_heading(measure)
    if len(measure.revisions) > 1:
        line += " · " + text.measure_lineage(measure)
    return line


def has_annex(doc: WorkshopDocument) -> bool:
    return any(item.body or item.points for s in doc.sessions for item in s.items)


def session_anchor(session: SessionReport) -> str:
    return f"workshop-session-{session.number}"


def leads(doc: WorkshopDocument) -> list[tuple[str, str, str, tuple]]:
    """The rapporteur's leads across the sessions, as ``text.closing``
    gives them (no computed lines: those are each session's); only those
    written."""
    if doc.narrative is None:
        return []
    written = {
        "convergence": doc.narrative.convergence,
        "divergence": doc.narrative.divergence,
        "questions": doc.narrative.open_questions,
    }
    return [
        (key, heading, written[key], ())
        for key, heading in text.closing_headings()
        if written[key].strip()
    ]


def headings(doc: WorkshopDocument) -> list[tuple[int, str, str]]:
    """(level, anchor, text) of every heading the contents list, in order."""
    out = [(1, "summary-confidentiality", text.confidentiality_heading())]
    if doc.narrative is not None and doc.narrative.takeaways:
        out.append((1, "summary-takeaways", _("Key takeaways")))
    for session in doc.sessions:
        out.append((1, session_anchor(session), session_heading(session)))
        out += [
            (
                2,
                text.item_anchor(item, session.number),
                text.item_heading(item, session.number),
            )
            for item in session.items
            if not text.is_brief(item)
        ]
    if leads(doc):
        out.append((1, "workshop-across", _("Across the sessions")))
    out += [
        (1, "workshop-measures", _("Measures endorsed by both sides")),
        (1, "workshop-packages", _("Packages agreed by both sides")),
        (1, "workshop-mirror-pairs", text.mirror_heading()),
        (1, "workshop-methodology", _("Methodology")),
    ]
    if doc.responses is not None:
        out.append((1, "workshop-responses", text.responses_heading()))
    out.append((1, "workshop-participants", _("Participants by delegation")))
    if doc.narrative is not None and doc.narrative.notes:
        out.append((1, "summary-notes-list", text.notes_heading()))
    out.append((1, "workshop-made", _("How this report was made")))
    if has_annex(doc):
        out.append((1, "summary-annex", text.annex_heading()))
    return out


# -- Markdown -------------------------------------------------------------------


def render_workshop_markdown(doc: WorkshopDocument) -> str:
    with translation.override(doc.language):
        return "\n".join(_markdown(doc))


def render_workshop_markdown_file(doc: WorkshopDocument) -> bytes:
    return render_workshop_markdown(doc).encode("utf-8")


def _md_list(lines: list[str], nothing: str) -> list[str]:
    return [*([f"- {md.escape(line)}" for line in lines] or [md.escape(nothing)]), ""]


def _markdown(doc: WorkshopDocument) -> list[str]:
    esc = md.escape
    out = md.title_part(doc.header)
    out += md.contents_part_of(headings(doc))
    if doc.narrative is not None and doc.narrative.takeaways:
        out += ["## " + _("Key takeaways"), ""]
        out += md.narrative(doc.narrative.takeaways)
    for session in doc.sessions:
        out += ["## " + esc(session_heading(session)), ""]
        if session.dates:
            out += [f"*{esc(session.dates)}*", ""]
        out += md.narrative(session.narrative)
        for item in session.items:
            out += md.item_part(
                item, remarks_included=doc.remarks_included, session=session.number
            )
        if session.ranking is not None:
            out += md.ranking_part(session.ranking, level=3)
        out += md.findings_part(text.closing(session), level=3)
    found = leads(doc)
    if found:
        out += ["## " + _("Across the sessions"), ""]
        out += md.findings_part(found, level=3, computed=False)
    out += ["## " + _("Measures endorsed by both sides"), ""]
    out += _md_list([agreed_measure(m) for m in doc.measures], empty("measures"))
    out += ["## " + _("Packages agreed by both sides"), ""]
    out += _md_list([text.package_line(p) for p in doc.packages], empty("packages"))
    out += ["## " + text.mirror_heading(), ""]
    out += _md_list(
        [text.mirror_line(p) for p in doc.mirror_pairs], empty("mirror_pairs")
    )
    out += ["## " + _("Methodology"), ""]
    for paragraph in doc.methodology:
        out += [esc(paragraph), ""]
    if doc.responses is not None:
        out += ["## " + text.responses_heading(), ""]
        out += _md_list(text.responses_lines(doc.responses), "")
    out += ["## " + _("Participants by delegation"), ""]
    for group in doc.participants:
        out += [f"- **{esc(group.delegation)}:** {participants_line(group.count)}"]
        out += [f"  - {esc(name)}" for name in group.names]
    out.append("")
    out += md.notes_part(doc.narrative)
    out += ["## " + _("How this report was made"), ""]
    out += _md_list(list(doc.notes), "")
    if has_annex(doc):
        out += ["## " + esc(text.annex_heading()), ""]
        for session in doc.sessions:
            out += md.annex_part(session.items, session=session.number)
    return out


# -- DOCX -----------------------------------------------------------------------


def render_workshop_docx(doc: WorkshopDocument) -> bytes:
    with translation.override(doc.language):
        return _docx(doc)


def _docx_list(w: DocxWriter, lines: list[str], nothing: str) -> None:
    if not lines and nothing:
        w.para(nothing)
    for line in lines:
        w.para(line, style="List Bullet")


def _docx(doc: WorkshopDocument) -> bytes:
    h = doc.header
    w = DocxWriter(paper_size=h.paper_size)
    w.doc.core_properties.title = text.printable(text.title(h))
    w.doc.core_properties.author = _("Rapporteur")
    w.page_furniture(marking=text.marking(h), footer=text.running_footer(h))
    docx_render.title_page(w, h)
    docx_render.contents(w, headings(doc))
    if doc.narrative is not None and doc.narrative.takeaways:
        docx_render.takeaways(w, doc.narrative)
    for session in doc.sessions:
        w.page_break()  # each session's section begins a page
        w.heading(session_heading(session), 1)
        if session.dates:
            w.para(session.dates, italic=True)
        if session.narrative:
            docx_render.narrative_paragraphs(w, session.narrative)
        for item in session.items:
            docx_render.item_part(
                w, item, remarks_included=doc.remarks_included, session=session.number
            )
        if session.ranking is not None:
            docx_render.ranking_part(w, session.ranking, level=2)
        docx_render.findings_part(w, text.closing(session), level=2)
    found = leads(doc)
    if found:
        w.heading(_("Across the sessions"), 1)
        docx_render.findings_part(w, found, level=2, computed=False)
    w.heading(_("Measures endorsed by both sides"), 1)
    _docx_list(w, [agreed_measure(m) for m in doc.measures], empty("measures"))
    w.heading(_("Packages agreed by both sides"), 1)
    _docx_list(w, [text.package_line(p) for p in doc.packages], empty("packages"))
    w.heading(text.mirror_heading(), 1)
    _docx_list(
        w, [text.mirror_line(p) for p in doc.mirror_pairs], empty("mirror_pairs")
    )
    w.heading(_("Methodology"), 1)
    for paragraph in doc.methodology:
        w.para(paragraph)
    if doc.responses is not None:
        w.heading(text.responses_heading(), 1)
        _docx_list(w, text.responses_lines(doc.responses), "")
    w.heading(_("Participants by delegation"), 1)
    w.table(
        [_("Delegation"), _("Participants")],
        [
            [g.delegation, "; ".join(g.names) or participants_line(g.count)]
            for g in doc.participants
        ],
    )
    if doc.narrative is not None and doc.narrative.notes:
        docx_render.notes_part(w, doc.narrative)
    w.heading(_("How this report was made"), 1)
    _docx_list(w, list(doc.notes), "")
    if has_annex(doc):
        w.page_break()
        w.heading(text.annex_heading(), 1)
        for session in doc.sessions:
            docx_render.annex(w, session.items, session=session.number)
    return w.bytes()


# -- PDF ------------------------------------------------------------------------


def _pdf_context(doc: WorkshopDocument) -> dict:
    narrative = doc.narrative
    return {
        **pdf_render.page_context(doc.header),
        "doc": doc,
        "contents": headings(doc),
        "takeaways": pdf_render.narrative_html(narrative.takeaways)
        if narrative is not None
        else "",
        "sessions": [
            {
                "session": session,
                "anchor": session_anchor(session),
                "heading": session_heading(session),
                "narrative": pdf_render.narrative_html(session.narrative),
                "items": [
                    pdf_render.item_view(item, session.number) for item in session.items
                ],
                "ranking": pdf_render.ranking_view(
                    session.ranking, f"{session_anchor(session)}-ranking"
                )
                if session.ranking is not None
                else None,
                "closing": pdf_render.findings_view(text.closing(session)),
                "prefix": f"{session_anchor(session)}-",
            }
            for session in doc.sessions
        ],
        "leads": pdf_render.findings_view(leads(doc), computed=False),
        "measures": [agreed_measure(m) for m in doc.measures],
        "packages": [text.package_line(p) for p in doc.packages],
        "mirror_lines": [text.mirror_line(pair) for pair in doc.mirror_pairs],
        "responses_lines": text.responses_lines(doc.responses)
        if doc.responses is not None
        else [],
        "participants": [(g, participants_line(g.count)) for g in doc.participants],
        "workshop_empty": {
            key: empty(key) for key in ("measures", "packages", "mirror_pairs")
        },
        "notes": narrative.notes if narrative is not None else (),
        "annex": [
            pdf_render.item_view(item, session.number)
            for session in doc.sessions
            for item in session.items
            if item.body or item.points
        ],
    }


def render_workshop_html(doc: WorkshopDocument, *, fragment: bool = False) -> str:
    """The report as a whole HTML document, or only its body (``fragment``)."""
    name = "workshop_report.html#report" if fragment else "workshop_report.html"
    with translation.override(doc.language):
        return render_to_string(name, _pdf_context(doc))


def render_workshop_pdf(doc: WorkshopDocument) -> bytes:
    return pdf_render.print_pdf(
        render_workshop_html(doc), paper_size=doc.header.paper_size
    )


# The workshop report's renderer of each format, in the order of RENDERERS.
WORKSHOP_RENDERERS = {
    "md": render_workshop_markdown_file,
    "docx": render_workshop_docx,
    "pdf": render_workshop_pdf,
}
