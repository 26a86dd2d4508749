"""Sentences that every format prints the same way (translated, no markup),
and the characters every format can print (``printable``)."""

import dataclasses
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogue.ranking_maths import rank_text
from dialogue.summary.document import (
    DelegationDiscussion,
    Header,
    ItemSection,
    LinkSummary,
    MeasureSummary,
    Narrative,
    PackageSummary,
    RankingResult,
    Remark,
    ResponsesOverview,
    ResponseSummary,
    SessionReport,
    SummaryDocument,
)

# What no format can carry: XML 1.0 (DOCX, and the SVG chart) refuses the C0
# controls other than tab and line ends, lone surrogates and U+FFFE/U+FFFF;
# python-docx raises on them, failing the whole report. The C1 controls and
# the other noncharacters are legal XML but print as nothing or as boxes, and
# an ESC sequence could recolour a terminal that shows the Markdown.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        chr(plane | 0xFFFE) + chr(plane | 0xFFFF)
        for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)
# Line and page breaks pasted from word processors stay breaks.
_BREAKS = re.compile("[\x0b\x0c\x85]")
# A footnote reference in the rapporteur's text (``document.Narrative``),
# and the private-use marks it travels in through a Markdown renderer, which
# would otherwise escape its brackets.
NOTE_REF = re.compile(r"\[\^(\d{1,6})\]")
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


def printable(value: str) -> str:
    """``value`` with the characters no format can carry taken out."""
    return _UNPRINTABLE.sub("", _BREAKS.sub("\n", value))


def protect_notes(value: str) -> str:
    """The text with each ``[^n]`` in marks no Markdown reader touches."""
    clean = value.replace(_OPEN, "").replace(_CLOSE, "")
    return NOTE_REF.sub(lambda m: f"{_OPEN}{m.group(1)}{_CLOSE}", clean)


def restore_notes(value: str, reference) -> str:
    """Each protected reference replaced by ``reference(n)``."""
    return _MARKED.sub(lambda m: reference(int(m.group(1))), value)


def note_parts(value: str) -> list[str | int]:
    """A protected text cut at its references: text, n, text, ..."""
    parts = _MARKED.split(value)
    return [int(part) if i % 2 else part for i, part in enumerate(parts)]


def printable_document(doc: SummaryDocument) -> SummaryDocument:
    """The document with ``printable`` applied to every string it holds."""
    return _printable(doc)


def _printable(value):
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, tuple):
        return tuple(_printable(part) for part in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                f.name: _printable(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if f.init
            },
        )
    return value


def title(header: Header) -> str:
    """The report's title: a session's summary, or (session number 0) the
    report on the whole workshop."""
    if header.session_number == 0:
        return _("Report on the workshop: %(title)s") % {"title": header.workshop_title}
    return _("Summary of session %(number)d: %(title)s") % {
        "number": header.session_number,
        "title": header.session_title,
    }


def header_facts(header: Header) -> list[tuple[str, str]]:
    """(label, value) pairs for the top of the report."""
    facts = [(_("Workshop"), header.workshop_title)]
    if header.session_number:  # not the report on the whole workshop
        facts.append((_("Session"), f"{header.session_number}. {header.session_title}"))
    if header.dates:
        facts.append((_("Dates"), header.dates))
    if header.venue:
        facts.append((_("Venue"), header.venue))
    facts.append((_("Conveners"), "; ".join(header.conveners) or _("none recorded")))
    facts.append((_("Compiled under"), header.confidentiality_label))
    if header.status:
        facts.append((_("Status"), header.status))
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


def marking(header: Header) -> str:
    """The line at the top of every page: the mode, and the status."""
    return " · ".join(
        part for part in (header.confidentiality_label, header.status) if part
    )


def running_footer(header: Header) -> str:
    """The line at the foot of every page, beside the page number: short,
    so it fits beside it on either paper size."""
    if header.session_number == 0:  # the report on the whole workshop
        return f"{header.workshop_title} · v{header.version}"
    session = _("Session %(number)d") % {"number": header.session_number}
    return f"{header.workshop_title} · {session} · v{header.version}"


def page_label() -> str:
    """ "Page" before the page number in the footers."""
    return _("Page")


def is_brief(item: ItemSection) -> bool:
    """An item with nothing to report but its title: no remark or reply,
    measure, response or narrative. It takes one line, not a section."""
    said = sum(g.remark_count + g.reply_count for g in item.discussion)
    return not (said or item.measures or item.responses or item.narrative)


def item_number(item: ItemSection, session: int = 0) -> str:
    """The item's number as the report prints it: "3" in a session's
    summary, "2.3" (session 2, item 3) in the report on the whole workshop."""
    return f"{session}.{item.number}" if session else str(item.number)


def item_heading(item: ItemSection, session: int = 0) -> str:
    """ "3. Title" in a session's summary, "2.3 Title" in the workshop's."""
    if session:
        return f"{item_number(item, session)} {item.title}"
    return f"{item.number}. {item.title}"


def item_anchor(item: ItemSection, session: int = 0, *, part: str = "item") -> str:
    """The item's anchor in the HTML (``part``: "item" or "annex")."""
    return f"summary-{part}-" + item_number(item, session).replace(".", "-")


def brief_line(item: ItemSection, session: int = 0) -> str:
    return _(
        "%(heading)s (proposed by %(proposer)s to %(addressee)s): "
        "no remarks, measures or responses."
    ) % {
        "heading": item_heading(item, session),
        "proposer": item.proposed_by,
        "addressee": item.addressed_to,
    }


def annex_reference(item: ItemSection, session: int = 0) -> str:
    return _("Full text in Annex A, %(number)s.") % {
        "number": item_number(item, session)
    }


def has_annex(doc: SummaryDocument) -> bool:
    return any(item.body or item.points for item in doc.items)


def headings(doc: SummaryDocument) -> list[tuple[int, str, str]]:
    """(level, anchor, text) of every heading the table of contents lists,
    in the order the report prints them (levels 1 and 2)."""
    out = [(1, "summary-confidentiality", confidentiality_heading())]
    if doc.narrative is not None and doc.narrative.takeaways:
        out.append((1, "summary-takeaways", _("Key takeaways")))
    out.append((1, "summary-items", _("Agenda items")))
    out += [
        (2, item_anchor(item), item_heading(item))
        for item in doc.items
        if not is_brief(item)
    ]
    out.append((1, "summary-ranking", _("Ranking results")))
    for key, heading in closing_headings():
        out.append((1, f"summary-{key}", heading))
    out.append((1, "summary-mirror-pairs", mirror_heading()))
    if doc.packages:
        out.append((1, "summary-packages", _("Packages of measures")))
    if doc.narrative is not None and doc.narrative.notes:
        out.append((1, "summary-notes-list", notes_heading()))
    out.append((1, "summary-notes", _("How this summary was made")))
    if has_annex(doc):
        out.append((1, "summary-annex", annex_heading()))
    return out


def confidentiality_heading() -> str:
    return _("Confidentiality") + " / 保密"


def closing_headings() -> list[tuple[str, str]]:
    return [
        ("convergence", _("Areas of convergence")),
        ("divergence", _("Areas of divergence")),
        ("questions", _("Open questions")),
    ]


def closing(
    doc: SummaryDocument | SessionReport, narrative: Narrative | None = None
) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(key, heading, the rapporteur's lead, the computed lines) of the
    three closing sections of a summary or of a session in the workshop's
    report; the leads are ``narrative``'s (none without it)."""
    leads = {"convergence": "", "divergence": "", "questions": ""}
    if narrative is not None:
        leads = {
            "convergence": narrative.convergence,
            "divergence": narrative.divergence,
            "questions": narrative.open_questions,
        }
    lines = {
        "convergence": doc.convergence,
        "divergence": doc.divergence,
        "questions": doc.open_questions,
    }
    return [
        (key, heading, leads[key], lines[key]) for key, heading in closing_headings()
    ]


def contents_heading() -> str:
    return _("Contents")


def notes_heading() -> str:
    return _("Notes")


def annex_heading() -> str:
    return _("Annex A: the recommendations in full")


def proposed(item: ItemSection) -> str:
    return _("Proposed by %(proposer)s to %(addressee)s") % {
        "proposer": item.proposed_by,
        "addressee": item.addressed_to,
    }


def discussion_heading(group: DelegationDiscussion) -> str:
    remarks = ngettext("%(n)d remark", "%(n)d remarks", group.remark_count) % {
        "n": group.remark_count
    }
    replies = ngettext("%(n)d reply", "%(n)d replies", group.reply_count) % {
        "n": group.reply_count
    }
    return f"{group.delegation} ({remarks}, {replies})"


def remark_meta(remark: Remark) -> str:
    parts = [remark.attribution]
    parts.append(
        ngettext("%(n)d endorsement", "%(n)d endorsements", remark.endorsements)
        % {"n": remark.endorsements}
    )
    if remark.point_label:
        parts.append(_("on point %(label)s") % {"label": remark.point_label})
    if remark.reply_count > len(remark.replies):
        parts.append(
            ngettext("%(n)d reply", "%(n)d replies", remark.reply_count)
            % {"n": remark.reply_count}
        )
    return " · ".join(parts)


def omitted(group: DelegationDiscussion) -> str:
    return ngettext(
        "…and %(n)d more remark.", "…and %(n)d more remarks.", group.omitted
    ) % {"n": group.omitted}


def item_ranks(item: ItemSection) -> str:
    parts = [
        _("%(rank)s by %(delegation)s")
        % {"rank": rank_text(r.rank), "delegation": r.delegation}
        for r in item.ranks
    ]
    return _("Ranked %(ranks)s.") % {"ranks": "; ".join(parts)}


def measure_heading(measure: MeasureSummary) -> str:
    return _("“%(title)s” (%(status)s), proposed by %(delegation)s") % {
        "title": measure.title,
        "status": measure.status,
        "delegation": measure.proposed_by,
    }


def measure_facts(measure: MeasureSummary, *, with_text: bool) -> list[str]:
    facts = []
    if with_text:
        facts.append(_("Proposing side would: %(text)s") % {"text": measure.our_action})
        if measure.their_action:
            facts.append(
                _("Other side would: %(text)s") % {"text": measure.their_action}
            )
    details = [_("Sequencing: %(value)s") % {"value": measure.sequencing}]
    if measure.timeframe:
        details.append(_("Timeframe: %(value)s") % {"value": measure.timeframe})
    if len(measure.revisions) > 1:
        details.append(measure_lineage(measure))
    elif measure.revision > 1:
        details.append(_("Revision %(n)d") % {"n": measure.revision})
    if measure.endorsed_by:
        details.append(
            _("Endorsed by %(who)s") % {"who": ", ".join(measure.endorsed_by)}
        )
    facts.append(" · ".join(details))
    return facts


def package_line(package: PackageSummary) -> str:
    """One package as a line: its state, its members, who endorses it."""
    members = "; ".join(
        _("%(title)s (%(delegation)s, %(status)s)")
        % {"title": title, "delegation": who, "status": status}
        for title, who, status in package.members
    )
    line = _("%(title)s — %(status)s. Measures: %(members)s.") % {
        "title": package.title,
        "status": package.status,
        "members": members,
    }
    if package.endorsed_by:
        line += " " + _("Endorsed as a whole by %(who)s.") % {
            "who": ", ".join(package.endorsed_by)
        }
    if package.suspended_for:
        line += " " + _(
            "Endorsement suspended after a change to a member: %(who)s."
        ) % {"who": ", ".join(package.suspended_for)}
    return line


def measure_lineage(measure: MeasureSummary) -> str:
    """'Begun by X, countered by Y (revision 1 by X → revision 2 by Y)'."""
    first, last = measure.revisions[0][1], measure.revisions[-1][1]
    chain = " → ".join(
        _("revision %(n)s by %(delegation)s") % {"n": n, "delegation": who}
        for n, who in measure.revisions
    )
    begun = _("Begun by %(first)s, countered by %(last)s") % {
        "first": first,
        "last": last,
    }
    return f"{begun} ({chain})"


def tally_columns() -> list[str]:
    return [
        _("Delegation"),
        _("Support"),
        _("Support with changes"),
        _("Oppose"),
        _("Ask for clarification"),
    ]


def ranking_intro(ranking: RankingResult) -> str:
    rankers = "; ".join(
        ngettext("%(delegation)s: %(n)d ranking", "%(delegation)s: %(n)d rankings", n)
        % {"delegation": name, "n": n}
        for name, n in ranking.rankers
    )
    text = _("Round %(round)d, closed %(when)s. %(rankers)s.") % {
        "round": ranking.round_number,
        "when": ranking.closed_at,
        "rankers": rankers,
    }
    if ranking.tau_b is not None:
        text += " " + _(
            "Agreement between the delegations' orders (Kendall's tau-b): %(tau)s."
        ) % {"tau": f"{ranking.tau_b:.2f}"}
    return text


def ranking_columns(ranking: RankingResult) -> list[str]:
    names = [name for name, _n in ranking.rankers]
    return [_("Overall rank"), _("Item"), *names, _("Median (IQR)")]


def ranking_cells(ranking: RankingResult) -> list[list[str]]:
    rows = []
    for row in ranking.rows:
        spread = "–"
        if row.median is not None:
            spread = f"{rank_text(row.median)} ({rank_text(row.iqr)})"
        rows.append(
            [
                rank_text(row.overall_rank),
                f"{row.number}. {row.title}",
                *[rank_text(r.rank) for r in row.ranks],
                spread,
            ]
        )
    return rows


def responses_heading() -> str:
    return _("Responses")


def response_heading(response: ResponseSummary) -> str:
    if response.point_label:
        return _("Response of the %(delegation)s delegation to point %(label)s") % {
            "delegation": response.delegation,
            "label": response.point_label,
        }
    return _("Response of the %(delegation)s delegation") % {
        "delegation": response.delegation
    }


def response_stance(response: ResponseSummary) -> str:
    return _("Stance: %(stance)s") % {"stance": response.stance}


def response_conditions(response: ResponseSummary) -> str:
    return _("What would make it acceptable: %(text)s") % {"text": response.conditions}


def responses_lines(overview: ResponsesOverview) -> list[str]:
    """The round in a few sentences: sealed or revealed, and each
    delegation's progress ("CN: 4 of 7 answered"), which tells no stance."""
    if overview.revealed:
        lines = [
            _(
                "Revealed %(when)s: each delegation's adopted response is shown "
                "under the item it answers."
            )
            % {"when": overview.revealed_at}
        ]
    else:
        lines = [
            _(
                "Sealed: each delegation's responses are shown only once the "
                "facilitator reveals both sides' at once."
            )
        ]
    lines += [
        _("%(delegation)s: %(answered)d of %(required)d answered")
        % {
            "delegation": p.delegation,
            "answered": p.answered,
            "required": p.required,
        }
        for p in overview.progress
    ]
    if overview.unanswered:
        lines.append(
            _("Unanswered at the reveal: %(refs)s")
            % {"refs": ", ".join(overview.unanswered)}
        )
    return lines


def no_remarks_off_record() -> str:
    return _("Off the record: remarks are counted, not quoted.")


def mirror_heading() -> str:
    return _("Mirror pairs")


def mirror_line(pair: LinkSummary) -> str:
    """One mirror pair: its state, then each end with its passage."""
    ends = " ↔ ".join(
        _("%(label)s %(title)s (“%(quote)s”)")
        % {"label": end.label, "title": end.title, "quote": end.quote}
        for end in pair.ends
    )
    state = _("Agreed by both delegations") if pair.agreed else _("Suggested")
    return f"{state}: {ends}"


def empty(section: str) -> str:
    return {
        "convergence": _("No area of convergence was identified."),
        "divergence": _("No area of divergence was identified."),
        "questions": _("No open question was identified."),
        "ranking": _("No ranking round has been closed for this session."),
        "discussion": _("No remarks."),
        "measures": _("No reciprocal measure concerns this item."),
        "mirror_pairs": _("No mirror pair concerns this session."),
    }[section]
