"""WorkshopDocument -> Markdown, DOCX and PDF: the report on the whole workshop.

Pure functions of the document, like the session's renderers, and built
from their parts: the sentences of ``text``, the escaping and tables of
``markdown``, the Word writer of ``docx``, the CJK font check and
stylesheet of ``pdf`` (templates/workshop_report.html).

The rapporteur's text (``Narrative`` and each ``SessionReport.narrative``)
is Markdown-lite with footnote references ``[^n]``: kept as footnotes in
Markdown, superscript links in the PDF, superscript numbers in Word, each
pointing into the numbered list of notes at the end.
"""

import re
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from weasyprint import CSS, HTML

from dialogue.summary.document import (
    Header,
    ItemSection,
    MeasureSummary,
    SessionReport,
    WorkshopDocument,
)
from dialogue.summary.render import docx as docx_render
from dialogue.summary.render import markdown as md
from dialogue.summary.render import pdf as pdf_render
from dialogue.summary.render import text
from dialogue.user_text import markdown_to_markdown, markdown_to_text, render_markdown

NOTE_REF = re.compile(r"\[\^(\d+)\]")
_ESCAPED_NOTE_REF = re.compile(r"\\\[\^(\d+)\\\]")
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


# -- the sentences every format prints -----------------------------------------


def title(header: Header) -> str:
    return _("Report on the workshop: %(title)s") % {"title": header.workshop_title}


def header_facts(header: Header) -> list[tuple[str, str]]:
    facts = [(_("Workshop"), header.workshop_title)]
    if header.dates:
        facts.append((_("Dates"), header.dates))
    if header.venue:
        facts.append((_("Venue"), header.venue))
    facts.append((_("Conveners"), "; ".join(header.conveners) or _("none recorded")))
    facts.append((_("Compiled under"), header.confidentiality_label))
    facts.append(
        (
            _("Version"),
            _("%(version)d, compiled %(when)s")
            % {"version": header.version, "when": header.compiled_at},
        )
    )
    if header.source:
        facts.append((_("Source"), header.source))
    return facts


def session_heading(session: SessionReport) -> str:
    return _("Session %(number)d: %(title)s") % {
        "number": session.number,
        "title": session.title,
    }


def participants_line(count: int) -> str:
    return ngettext("%(n)d participant", "%(n)d participants", count) % {"n": count}


@dataclass(frozen=True)
class Headings:
    takeaways: str
    participants: str
    methodology: str
    responses: str
    measures: str
    packages: str
    across: str
    notes: str
    made: str


def headings() -> Headings:
    return Headings(
        takeaways=_("Key takeaways"),
        participants=_("Participants by delegation"),
        methodology=_("Methodology"),
        responses=text.responses_heading(),
        measures=_("Measures endorsed by both sides"),
        packages=_("Packages agreed by both sides"),
        across=_("Across the sessions"),
        notes=_("Notes"),
        made=_("How this report was made"),
    )


def empty(section: str) -> str:
    return {
        "measures": _("No measure has been endorsed by both sides."),
        "packages": _("No package has been agreed by both sides."),
        "mirror_pairs": _("No mirror pair has been suggested."),
    }[section]


def closing(session: SessionReport):
    """The computed lists of a session, each with the rapporteur's lead."""
    return [
        ("convergence", _("Areas of convergence"), session.convergence),
        ("divergence", _("Areas of divergence"), session.divergence),
        ("questions", _("Open questions"), session.open_questions),
    ]


def leads(doc: WorkshopDocument) -> list[tuple[str, str]]:
    """The rapporteur's leads across the sessions, those written."""
    if doc.narrative is None:
        return []
    return [
        (heading, lead)
        for heading, lead in (
            (_("Areas of convergence"), doc.narrative.convergence),
            (_("Areas of divergence"), doc.narrative.divergence),
            (_("Open questions"), doc.narrative.open_questions),
        )
        if lead.strip()
    ]


def agreed_measure(measure: MeasureSummary) -> str:
    """A measure endorsed by both sides: its heading and, when it was
    countered, its chain of revisions (the items it concerns show it in
    their sessions' sections)."""
    line = text.measure_heading(measure)
    if len(measure.revisions) > 1:
        line += " · " + text.measure_lineage(measure)
    return line


def discussion_line(item: ItemSection) -> str:
    """The item's discussion in one line of counts, by delegation."""
    return "; ".join(text.discussion_heading(group) for group in item.discussion)


# -- Markdown -------------------------------------------------------------------


def _md_narrative(value: str) -> list[str]:
    """The rapporteur's Markdown-lite, its footnote references kept."""
    kept = _ESCAPED_NOTE_REF.sub(r"[^\1]", markdown_to_markdown(value))
    return [kept, ""]


def render_workshop_markdown(doc: WorkshopDocument) -> str:
    with translation.override(doc.language):
        return "\n".join(_markdown(doc))


def render_workshop_markdown_file(doc: WorkshopDocument) -> bytes:
    return render_workshop_markdown(doc).encode("utf-8")


def _markdown(doc: WorkshopDocument) -> list[str]:
    h, heads, esc = doc.header, headings(), md.escape
    out = [f"# {esc(title(h))}", ""]
    out += [f"- **{esc(label)}:** {esc(value)}" for label, value in header_facts(h)]
    out += ["", "## " + _("Confidentiality") + " / 保密", ""]
    out += [
        f"**{esc(h.confidentiality_label)}**",
        "",
        f"> {esc(h.statement_en)}",
        ">",
        f"> {h.statement_zh}",
        "",
        f"*{esc(h.disclaimer_en)}*",
        "",
        f"*{h.disclaimer_zh}*",
        "",
    ]
    if doc.narrative is not None and doc.narrative.takeaways.strip():
        out += ["## " + heads.takeaways, ""] + _md_narrative(doc.narrative.takeaways)
    out += ["## " + heads.participants, ""]
    for group in doc.participants:
        out += [f"- **{esc(group.delegation)}:** {participants_line(group.count)}"]
        out += [f"  - {esc(name)}" for name in group.names]
    out += ["", "## " + heads.methodology, ""]
    for paragraph in doc.methodology:
        out += [esc(paragraph), ""]
    if doc.responses is not None:
        out += ["## " + heads.responses, ""]
        out += [f"- {esc(line)}" for line in text.responses_lines(doc.responses)]
        out.append("")
    for session in doc.sessions:
        out += _md_session(doc, session)
    found_leads = leads(doc)
    if found_leads:
        out += ["## " + heads.across, ""]
    for heading, lead in found_leads:
        out += ["### " + heading, ""] + _md_narrative(lead)
    out += ["## " + heads.measures, ""]
    out += [f"- {esc(agreed_measure(m))}" for m in doc.measures] or [
        esc(empty("measures"))
    ]
    out += ["", "## " + heads.packages, ""]
    out += [f"- {esc(text.package_line(p))}" for p in doc.packages] or [
        esc(empty("packages"))
    ]
    out += ["", "## " + text.mirror_heading(), ""]
    out += [f"- {esc(text.mirror_line(p))}" for p in doc.mirror_pairs] or [
        esc(empty("mirror_pairs"))
    ]
    out.append("")
    if doc.narrative is not None and doc.narrative.notes:
        out += ["## " + heads.notes, ""]
        out += [f"[^{n.number}]: {esc(n.text)}" for n in doc.narrative.notes]
        out.append("")
    out += ["## " + heads.made, ""]
    out += [f"- {esc(note)}" for note in doc.notes]
    out.append("")
    return out


def _md_session(doc: WorkshopDocument, session: SessionReport) -> list[str]:
    esc = md.escape
    out = ["## " + esc(session_heading(session)), ""]
    if session.dates:
        out += [f"*{esc(session.dates)}*", ""]
    if session.narrative.strip():
        out += _md_narrative(session.narrative)
    for item in session.items:
        out += [f"### {session.number}.{item.number} {esc(item.title)}", ""]
        out += [f"*{esc(text.proposed(item))}*", ""]
        if item.first_sentence:
            out += [f"> {esc(item.first_sentence)}", ""]
        if item.discussion:
            out += [esc(discussion_line(item)), ""]
        if not doc.remarks_included:
            out += [f"*{esc(text.no_remarks_off_record())}*", ""]
        for group in item.discussion:
            for remark in group.remarks:
                out += md._remark(remark) + [""]
        if item.ranks:
            out += [esc(text.item_ranks(item)), ""]
        for measure in item.measures:
            out += [f"- {esc(text.measure_heading(measure))}"]
        if item.measures:
            out.append("")
        for response in item.responses:
            out += md._response(response)
    if session.ranking is not None:
        out += ["### " + _("Ranking results"), ""]
        out += [esc(text.ranking_intro(session.ranking)), ""]
        out += md._table(
            text.ranking_columns(session.ranking), text.ranking_cells(session.ranking)
        )
    for key, heading, lines in closing(session):
        out += ["### " + heading, ""]
        out += [f"- {esc(line)}" for line in lines] or [esc(text.empty(key))]
        out.append("")
    return out


# -- DOCX -----------------------------------------------------------------------


def _docx_narrative(w, value: str) -> None:
    """Paragraphs of the rapporteur's text, each ``[^n]`` a superscript n."""
    for paragraph_text in markdown_to_text(value).split("\n\n"):
        paragraph = w.para()
        pieces = NOTE_REF.split(paragraph_text.strip())
        for index, piece in enumerate(pieces):
            if index % 2:
                w.run(paragraph, piece).font.superscript = True
            elif piece:
                w.run(paragraph, piece)


def render_workshop_docx(doc: WorkshopDocument) -> bytes:
    with translation.override(doc.language):
        return _docx(doc)


def _docx(doc: WorkshopDocument) -> bytes:
    w, h, heads = docx_render._Writer(), doc.header, headings()
    w.doc.core_properties.title = text.printable(title(h))
    w.doc.core_properties.author = _("Rapporteur")
    w.heading(title(h), 0)
    w.table([_("About"), ""], [list(fact) for fact in header_facts(h)])
    w.heading(_("Confidentiality") + " / 保密", 1)
    w.para(h.confidentiality_label, bold=True)
    w.para(h.statement_en)
    w.para(h.statement_zh)
    w.para(h.disclaimer_en, italic=True)
    w.para(h.disclaimer_zh, italic=True)
    if doc.narrative is not None and doc.narrative.takeaways.strip():
        w.heading(heads.takeaways, 1)
        _docx_narrative(w, doc.narrative.takeaways)
    w.heading(heads.participants, 1)
    w.table(
        [_("Delegation"), _("Participants")],
        [
            [g.delegation, "; ".join(g.names) or participants_line(g.count)]
            for g in doc.participants
        ],
    )
    w.heading(heads.methodology, 1)
    for paragraph in doc.methodology:
        w.para(paragraph)
    if doc.responses is not None:
        w.heading(heads.responses, 1)
        for line in text.responses_lines(doc.responses):
            w.para(line, style="List Bullet")
    for session in doc.sessions:
        _docx_session(w, doc, session)
    found_leads = leads(doc)
    if found_leads:
        w.heading(heads.across, 1)
    for heading, lead in found_leads:
        w.heading(heading, 2)
        _docx_narrative(w, lead)
    w.heading(heads.measures, 1)
    if not doc.measures:
        w.para(empty("measures"))
    for m in doc.measures:
        w.para(agreed_measure(m), style="List Bullet")
    w.heading(heads.packages, 1)
    if not doc.packages:
        w.para(empty("packages"))
    for p in doc.packages:
        w.para(text.package_line(p), style="List Bullet")
    w.heading(text.mirror_heading(), 1)
    if not doc.mirror_pairs:
        w.para(empty("mirror_pairs"))
    for pair in doc.mirror_pairs:
        w.para(text.mirror_line(pair), style="List Bullet")
    if doc.narrative is not None and doc.narrative.notes:
        w.heading(heads.notes, 1)
        for note in doc.narrative.notes:
            w.para(f"{note.number}. {note.text}")
    w.heading(heads.made, 1)
    for note in doc.notes:
        w.para(note, style="List Bullet")
    return w.bytes()


def _docx_session(w, doc: WorkshopDocument, session: SessionReport) -> None:
    w.heading(session_heading(session), 1)
    if session.dates:
        w.para(session.dates, italic=True)
    if session.narrative.strip():
        _docx_narrative(w, session.narrative)
    for item in session.items:
        w.heading(f"{session.number}.{item.number} {item.title}", 2)
        w.para(text.proposed(item), italic=True)
        if item.first_sentence:
            w.para(item.first_sentence, style="Quote")
        if item.discussion:
            w.para(discussion_line(item))
        if not doc.remarks_included:
            w.para(text.no_remarks_off_record(), italic=True)
        for group in item.discussion:
            for remark in group.remarks:
                w.remark(remark)
        if item.ranks:
            w.para(text.item_ranks(item))
        for measure in item.measures:
            w.para(text.measure_heading(measure), style="List Bullet")
        for response in item.responses:
            w.para(text.response_heading(response), bold=True)
            w.para(text.response_stance(response))
            for paragraph in markdown_to_text(response.reasoning).split("\n\n"):
                w.para(paragraph.strip(), style="Quote")
            if response.conditions:
                w.para(text.response_conditions(response))
    if session.ranking is not None:
        w.heading(_("Ranking results"), 2)
        w.para(text.ranking_intro(session.ranking))
        w.table(
            text.ranking_columns(session.ranking), text.ranking_cells(session.ranking)
        )
        if session.ranking.chart_svg:
            w.picture(docx_render.chart_png(session.ranking.chart_svg))
            w.para(session.ranking.chart_title, italic=True)
    for key, heading, lines in closing(session):
        w.heading(heading, 2)
        if not lines:
            w.para(text.empty(key))
        for line in lines:
            w.para(line, style="List Bullet")


# -- PDF ------------------------------------------------------------------------


def narrative_html(value: str) -> SafeString:
    """The rapporteur's text as HTML (the one user-text rendering), each
    ``[^n]`` a superscript link to its note. The references are replaced in
    the sanitised HTML, where ``[^n]`` can only be the rapporteur's text."""
    html = str(render_markdown(value))
    linked = NOTE_REF.sub(
        r'<sup class="note-ref"><a href="#workshop-note-\1">\1</a></sup>', html
    )
    return mark_safe(linked)  # noqa: S308 (sanitised HTML plus fixed markup)


def _pdf_context(doc: WorkshopDocument) -> dict:
    narrative = doc.narrative
    return {
        "doc": doc,
        "h": doc.header,
        "title": title(doc.header),
        "facts": header_facts(doc.header),
        "heads": headings(),
        "takeaways": narrative_html(narrative.takeaways)
        if narrative is not None and narrative.takeaways.strip()
        else "",
        "participants": [(g, participants_line(g.count)) for g in doc.participants],
        "responses_lines": text.responses_lines(doc.responses)
        if doc.responses is not None
        else [],
        "sessions": [
            {
                "session": session,
                "heading": session_heading(session),
                "narrative": narrative_html(session.narrative)
                if session.narrative.strip()
                else "",
                "items": [
                    {
                        "item": item,
                        "proposed": text.proposed(item),
                        "discussion": discussion_line(item),
                        "ranks": text.item_ranks(item) if item.ranks else "",
                        "measures": [text.measure_heading(m) for m in item.measures],
                        "responses": [
                            (
                                text.response_heading(r),
                                text.response_stance(r),
                                r,
                                text.response_conditions(r) if r.conditions else "",
                            )
                            for r in item.responses
                        ],
                    }
                    for item in session.items
                ],
                "ranking_intro": text.ranking_intro(session.ranking)
                if session.ranking
                else "",
                "ranking_columns": text.ranking_columns(session.ranking)
                if session.ranking
                else [],
                "ranking_cells": text.ranking_cells(session.ranking)
                if session.ranking
                else [],
                # slope_chart_svg escapes every piece of text it draws.
                "chart": mark_safe(session.ranking.chart_svg)  # noqa: S308
                if session.ranking and session.ranking.chart_svg
                else "",
                "closing": [
                    (heading, lines, text.empty(key))
                    for key, heading, lines in closing(session)
                ],
            }
            for session in doc.sessions
        ],
        "leads": [(heading, narrative_html(lead)) for heading, lead in leads(doc)],
        "measures": [agreed_measure(m) for m in doc.measures],
        "packages": [text.package_line(p) for p in doc.packages],
        "mirror_lines": [text.mirror_line(pair) for pair in doc.mirror_pairs],
        "mirror_heading": text.mirror_heading(),
        "no_remarks": text.no_remarks_off_record(),
        "empty": {key: empty(key) for key in ("measures", "packages", "mirror_pairs")},
        "notes": narrative.notes if narrative is not None else (),
    }


def render_workshop_html(doc: WorkshopDocument, *, fragment: bool = False) -> str:
    """The report as a whole HTML document, or only its body (``fragment``)."""
    name = "workshop_report.html#report" if fragment else "workshop_report.html"
    with translation.override(doc.language):
        return render_to_string(name, _pdf_context(doc))


def render_workshop_pdf(doc: WorkshopDocument) -> bytes:
    pdf_render.ensure_cjk_font()
    stylesheet = finders.find(pdf_render.STYLESHEET)
    if stylesheet is None:
        raise FileNotFoundError(f"static/{pdf_render.STYLESHEET} is missing")
    size = PAGE_SIZES.get(doc.header.paper_size, "A4")
    return HTML(string=render_workshop_html(doc), base_url=None).write_pdf(
        stylesheets=[
            CSS(filename=stylesheet),
            CSS(string=f"@page {{ size: {size}; }}"),
        ]
    )


# The workshop report's renderer of each format, in the order of RENDERERS.
WORKSHOP_RENDERERS = {
    "md": render_workshop_markdown_file,
    "docx": render_workshop_docx,
    "pdf": render_workshop_pdf,
}
