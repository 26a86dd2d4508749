"""SummaryDocument -> Markdown (CommonMark with GitHub-style tables)."""

import re

from django.utils import translation
from django.utils.translation import gettext as _

from dialogue.summary.document import Remark, ResponseSummary, SummaryDocument
from dialogue.summary.render import text
from dialogue.user_text import markdown_to_markdown

# Characters that could turn participant text into markup: links, emphasis,
# code, raw HTML, table cells. Escaped with a backslash, which CommonMark
# renders as the character itself.
_INLINE = re.compile(r"([\\`*_\[\]<>|])")
# Line starts that would open a heading, list, quote or rule.
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def escape(value: str, *, block: bool = False) -> str:
    """Participant text as literal Markdown; ``block`` also guards line starts."""
    escaped = _INLINE.sub(r"\\\1", value)
    if not block:
        return escaped
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def _cell(value: str) -> str:
    return escape(" ".join(str(value).split()))


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(_cell(c) for c in columns) + " |",
        "|" + "|".join(" --- " for _c in columns) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _paragraphs(value: str, prefix: str = "") -> list[str]:
    lines = []
    for paragraph in re.split(r"\n\s*\n", value.strip()):
        for line in paragraph.splitlines():
            lines.append(f"{prefix}{escape(line.rstrip(), block=True)}".rstrip())
        lines.append(prefix.rstrip())
    return lines


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


def render_markdown(doc: SummaryDocument) -> str:
    with translation.override(doc.language):
        return _render(doc)


def render_markdown_file(doc: SummaryDocument) -> bytes:
    """The Markdown as the stored file: UTF-8."""
    return render_markdown(doc).encode("utf-8")


def _render(doc: SummaryDocument) -> str:
    h = doc.header
    out = [f"# {escape(text.title(h))}", ""]
    out += [
        f"- **{escape(label)}:** {escape(value)}"
        for label, value in text.header_facts(h)
    ]
    out.append("")
    out += ["## " + escape(_("Participants")), ""]
    out += _table(
        [_("Delegation"), _("Participants")],
        [[d.name, str(d.participants)] for d in h.delegations],
    )
    out += ["## " + _("Confidentiality") + " / 保密", ""]
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
    if doc.responses is not None:
        out += ["## " + escape(text.responses_heading()), ""]
        out += [f"- {escape(line)}" for line in text.responses_lines(doc.responses)]
        out.append("")
    for item in doc.items:
        out += [f"## {item.number}. {escape(item.title)}", ""]
        out += [f"*{escape(text.proposed(item))}*", ""]
        if item.body:
            out += ["### " + _("Recommendation"), ""]
            out += _paragraphs(item.body)
        if item.points:
            out += ["### " + _("Sub-points"), ""]
            out += [f"- **{label}** {escape(point)}" for label, point in item.points]
            out.append("")
        out += ["### " + _("Discussion"), ""]
        if not doc.remarks_included:
            out += [f"*{escape(text.no_remarks_off_record())}*", ""]
        for group in item.discussion:
            out += ["#### " + escape(text.discussion_heading(group)), ""]
            if doc.remarks_included and not group.remarks:
                out += [escape(text.empty("discussion")), ""]
            for remark in group.remarks:
                out += _remark(remark)
                out.append("")
            if doc.remarks_included and group.omitted:
                out += [f"*{escape(text.omitted(group))}*", ""]
        if item.ranks:
            out += ["### " + _("Ranking"), "", escape(text.item_ranks(item)), ""]
        out += ["### " + _("Reciprocal measures"), ""]
        if not item.measures:
            out += [escape(text.empty("measures")), ""]
        for measure in item.measures:
            out += ["#### " + escape(text.measure_heading(measure)), ""]
            for fact in text.measure_facts(measure, with_text=doc.remarks_included):
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
    out += ["## " + _("Ranking results"), ""]
    if doc.ranking is None:
        out += [escape(text.empty("ranking")), ""]
    else:
        out += [escape(text.ranking_intro(doc.ranking)), ""]
        out += _table(
            text.ranking_columns(doc.ranking), text.ranking_cells(doc.ranking)
        )
        if doc.ranking.chart_svg:
            out += [
                "*"
                + escape(_("The slope chart of these ranks is in the DOCX and PDF."))
                + "*",
                "",
            ]
    for key, heading, lines in (
        ("convergence", _("Areas of convergence"), doc.convergence),
        ("divergence", _("Areas of divergence"), doc.divergence),
        ("questions", _("Open questions"), doc.open_questions),
    ):
        out += ["## " + heading, ""]
        out += [f"- {escape(line)}" for line in lines] or [escape(text.empty(key))]
        out.append("")
    out += ["## " + text.mirror_heading(), ""]
    out += [f"- {escape(text.mirror_line(pair))}" for pair in doc.mirror_pairs] or [
        escape(text.empty("mirror_pairs"))
    ]
    out.append("")
    if doc.packages:  # the section appears once there is a package
        out += ["## " + _("Packages of measures"), ""]
        out += [f"- {escape(text.package_line(p))}" for p in doc.packages]
        out.append("")
    out += ["## " + _("How this summary was made"), ""]
    out += [f"- {escape(note)}" for note in doc.notes]
    out.append("")
    return "\n".join(out)
