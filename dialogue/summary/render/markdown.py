"""SummaryDocument -> Markdown (CommonMark with GitHub-style tables)."""

import re

from django.utils import translation
from django.utils.translation import gettext as _

from dialogue.summary.document import (
    Header,
    ItemSection,
    Narrative,
    RankingResult,
    Remark,
    ResponseSummary,
    SummaryDocument,
)
from dialogue.summary.render import text
from dialogue.user_text import markdown_to_markdown

# Characters that could turn participant text into markup: links, emphasis,
# code, raw HTML, table cells. Escaped with a backslash, which CommonMark
# renders as the character itself.
_INLINE = re.compile(r"([\\`*_\[\]<>|])")
# Line starts that would open a heading, list, quote or rule ("1. " opens a
# list; "1.1 " does not, so it keeps no backslash).
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)](?=\s|$))", re.MULTILINE)


def escape(value: str, *, block: bool = False) -> str:
    """Participant text as literal Markdown; ``block`` also guards line starts."""
    escaped = _INLINE.sub(r"\\\1", value)
    if not block:
        return escaped
    return _LINE_START.sub(_guard, escaped)


def _guard(match: re.Match) -> str:
    """A backslash where CommonMark honours it: before the mark, or, for
    "1." (a digit is not escapable), before its full stop or parenthesis."""
    indent, mark = match.group(1), match.group(2)
    if mark[0].isdigit():
        return f"{indent}{mark[:-1]}\\{mark[-1]}"
    return f"{indent}\\{mark}"


def _cell(value: str) -> str:
    return escape(" ".join(str(value).split()))


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(_cell(c) for c in columns) + " |",
        "|" + "|".join(" --- " for _c in columns) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _remark(remark: Remark, depth: int = 1) -> list[str]:
    """A remark as a quote, its Markdown kept (``markdown_to_markdown``: the
    page's subset, nothing that could add a heading or HTML to the file)."""
    prefix = "> " * depth
    lines = [
        f"{prefix}{line}" if line else prefix.rstrip()
        for line in markdown_to_markdown(remark.text).split("\n")
    ]
    lines.append(prefix.rstrip())
    lines.append(f"{prefix}— *{escape(text.remark_meta(remark))}*")
    for reply in remark.replies:
        lines.append(prefix.rstrip())
        lines += _remark(reply, depth + 1)
    return lines


def _response(response: ResponseSummary) -> list[str]:
    """A delegation's response: its reasoning quoted like a remark, its
    Markdown kept (``markdown_to_markdown``)."""
    lines = ["### " + escape(text.response_heading(response)), ""]
    lines += [f"**{escape(text.response_stance(response))}**", ""]
    lines += [
        f"> {line}" if line else ">"
        for line in markdown_to_markdown(response.reasoning).split("\n")
    ]
    lines.append("")
    if response.conditions:
        lines += [escape(text.response_conditions(response)), ""]
    return lines


def narrative(value: str) -> list[str]:
    """The rapporteur's Markdown-lite kept as Markdown (the page's subset,
    ``markdown_to_markdown``), each note reference a GitHub footnote
    reference ``[^n]``."""
    if not value:
        return []
    kept = markdown_to_markdown(text.protect_notes(value))
    return [text.restore_notes(kept, lambda n: f"[^{n}]"), ""]


def render_markdown(doc: SummaryDocument) -> str:
    with translation.override(doc.language):
        return _render(doc)


def render_markdown_file(doc: SummaryDocument) -> bytes:
    """The Markdown as the stored file: UTF-8."""
    return render_markdown(doc).encode("utf-8")


def title_part(h: Header) -> list[str]:
    out = [f"# {escape(text.title(h))}", ""]
    out += [
        f"- **{escape(label)}:** {escape(value)}"
        for label, value in text.header_facts(h)
    ]
    out.append("")
    out += _table(
        [_("Delegation"), _("Participants")],
        [[d.name, str(d.participants)] for d in h.delegations],
    )
    out += ["## " + text.confidentiality_heading(), ""]
    out += [
        f"**{escape(h.confidentiality_label)}**",
        "",
        f"> {escape(h.statement_en)}",
        ">",
        f"> {h.statement_zh}",
        "",
        f"*{escape(h.disclaimer_en)}*",
        "",
        f"*{h.disclaimer_zh}*",
        "",
    ]
    return out


def contents_part(doc: SummaryDocument) -> list[str]:
    return contents_part_of(text.headings(doc))


def contents_part_of(headings: list[tuple[int, str, str]]) -> list[str]:
    """The headings as a list (GitHub's heading anchors are not stable
    across renderers, so plain text: the file is short to scroll)."""
    out = [f"**{escape(text.contents_heading())}**", ""]
    for level, _anchor, value in headings:
        out.append("  " * (level - 1) + f"- {escape(value, block=True)}")
    return [*out, ""]


def item_part(
    item: ItemSection, *, remarks_included: bool, session: int = 0
) -> list[str]:
    """An item: heading, the quoted first sentence, the narrative, then the
    discussion, ranks, measures and responses. ``session``: the item's
    session in the report on the whole workshop (numbered "2.3")."""
    if text.is_brief(item):
        return [escape(text.brief_line(item, session)), ""]
    out = [f"### {escape(text.item_heading(item, session))}", ""]
    out += [f"*{escape(text.proposed(item))}*", ""]
    if item.first_sentence:
        sentence = " ".join(markdown_to_markdown(item.first_sentence).split("\n"))
        out += [f"> “{sentence}”", ""]
        out += [f"*{escape(text.annex_reference(item, session))}*", ""]
    out += narrative(item.narrative)
    if item.discussion:
        out += ["#### " + _("Discussion"), ""]
    if not remarks_included:
        out += [f"*{escape(text.no_remarks_off_record())}*", ""]
    for group in item.discussion:
        out += [f"**{escape(text.discussion_heading(group))}**", ""]
        if remarks_included and not group.remarks:
            out += [escape(text.empty("discussion")), ""]
        for remark in group.remarks:
            out += _remark(remark)
            out.append("")
        if remarks_included and group.omitted:
            out += [f"*{escape(text.omitted(group))}*", ""]
    if item.ranks:
        out += [escape(text.item_ranks(item)), ""]
    if item.measures:
        out += ["#### " + _("Reciprocal measures"), ""]
    for measure in item.measures:
        out += [f"**{escape(text.measure_heading(measure))}**", ""]
        for fact in text.measure_facts(measure, with_text=remarks_included):
            out += [escape(fact), ""]
        out += _table(
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
        out += _response(response)
    return out


def ranking_part(ranking: RankingResult | None, *, level: int = 2) -> list[str]:
    out = ["#" * level + " " + _("Ranking results"), ""]
    if ranking is None:
        return [*out, escape(text.empty("ranking")), ""]
    out += [escape(text.ranking_intro(ranking)), ""]
    out += _table(text.ranking_columns(ranking), text.ranking_cells(ranking))
    if ranking.chart_svg:
        out += [
            "*"
            + escape(_("The slope chart of these ranks is in the DOCX and PDF."))
            + "*",
            "",
        ]
    return out


def findings_part(sections, *, level: int = 2, computed: bool = True) -> list[str]:
    """Convergence, divergence, open questions (``text.closing``): the
    rapporteur's lead above the computed lines (``computed``: there are
    computed lines, so their absence is said)."""
    out = []
    for key, heading, lead, lines in sections:
        out += ["#" * level + " " + heading, ""]
        out += narrative(lead)
        if computed:
            out += [f"- {escape(line)}" for line in lines] or [escape(text.empty(key))]
            out.append("")
    return out


def closing_part(doc: SummaryDocument) -> list[str]:
    out = findings_part(text.closing(doc, doc.narrative))
    out += ["## " + text.mirror_heading(), ""]
    out += [f"- {escape(text.mirror_line(pair))}" for pair in doc.mirror_pairs] or [
        escape(text.empty("mirror_pairs"))
    ]
    out.append("")
    if doc.packages:  # the section appears once there is a package
        out += ["## " + _("Packages of measures"), ""]
        out += [f"- {escape(text.package_line(p))}" for p in doc.packages]
        out.append("")
    return out


def annex_part(items: tuple[ItemSection, ...], *, session: int = 0) -> list[str]:
    """The recommendations in full (the annex's heading is the caller's)."""
    out = []
    for item in items:
        if not (item.body or item.points):
            continue
        out += [f"### {escape(text.item_heading(item, session))}", ""]
        out += [f"*{escape(text.proposed(item))}*", ""]
        if item.body:
            out += [markdown_to_markdown(item.body), ""]
        out += [f"- **{label}** {escape(point)}" for label, point in item.points]
        if item.points:
            out.append("")
    return out


def notes_part(notes: Narrative | None) -> list[str]:
    """The citations' notes as GitHub footnote definitions."""
    if notes is None or not notes.notes:
        return []
    out = ["## " + escape(text.notes_heading()), ""]
    for note in notes.notes:
        out += [f"[^{note.number}]: {escape(' '.join(note.text.split()))}", ""]
    return out


def _render(doc: SummaryDocument) -> str:
    out = title_part(doc.header)
    out += contents_part(doc)
    if doc.narrative is not None and doc.narrative.takeaways:
        out += ["## " + _("Key takeaways"), ""]
        out += narrative(doc.narrative.takeaways)
    out += ["## " + _("Agenda items"), ""]
    if doc.responses is not None:
        out += [f"**{escape(text.responses_heading())}**", ""]
        out += [f"- {escape(line)}" for line in text.responses_lines(doc.responses)]
        out.append("")
    for item in doc.items:
        out += item_part(item, remarks_included=doc.remarks_included)
    out += ranking_part(doc.ranking)
    out += closing_part(doc)
    out += ["## " + _("How this summary was made"), ""]
    out += [f"- {escape(note)}" for note in doc.notes]
    out.append("")
    if text.has_annex(doc):
        out += ["## " + escape(text.annex_heading()), ""]
        out += annex_part(doc.items)
    out += notes_part(doc.narrative)
    return "\n".join(out)
