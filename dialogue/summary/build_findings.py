"""What the sections of a summary say together: convergence, divergence and
open questions. No database: sentences made from the other sections.

* Convergence: items in both delegations' top third (shared priorities),
  measures endorsed by every delegation, and measures every delegation's
  answers lean towards supporting.
* Divergence: items whose ranks differ by at least a third of the ranked
  items (the largest gaps), and measures one delegation leans towards
  supporting while another leans towards opposing.
* Open questions: top-level remarks containing a question mark that nobody
  has answered yet, measures with answers asking for clarification,
  measures a delegation has not answered, and items with no remark at all.

Withdrawn and superseded measures are left out of all three.

After the reveal of the response round, each adopted response counts too
(`response_findings`): an accepting stance (accept, accept in part, accept
if, already under way) as convergence, a refusal (cannot accept, not now) as
divergence, a request for clarification as an open question. Overtaken by
events counts as none of them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogue.models import MeasureStatus, ResponseStance
from dialogue.ranking_maths import rank_text
from dialogue.summary.build_discussion import Discussion, Questions
from dialogue.summary.build_ranking import Pair
from dialogue.summary.document import MeasureSummary, ResponseSummary, Tally

DEAD = frozenset({MeasureStatus.WITHDRAWN, MeasureStatus.SUPERSEDED})


def leaning(tally: Tally) -> str:
    """ "support", "oppose" or "" for one delegation's answers to a measure."""
    support = tally.support + tally.support_with_changes
    if support > tally.oppose:
        return "support"
    if tally.oppose > support:
        return "oppose"
    return ""


def _live(measures: list[MeasureSummary]) -> list[MeasureSummary]:
    return [m for m in measures if m.status_value not in DEAD]


def _item(items, pk: int) -> dict:
    item = next(i for i in items if i.pk == pk)
    return {"number": item.number, "title": item.title}


def convergence(
    *, items, pair: Pair | None, measures: list[MeasureSummary]
) -> tuple[str, ...]:
    lines = []
    if pair is not None:
        comparison = pair.comparison
        for pk in comparison.shared_priorities:
            lines.append(
                _(
                    "Item %(number)d (“%(title)s”) is a shared priority: "
                    "ranked %(rank_a)s by %(a)s and %(rank_b)s by %(b)s."
                )
                % {
                    **_item(items, pk),
                    "a": pair.a,
                    "rank_a": rank_text(comparison.ranks_a[pk]),
                    "b": pair.b,
                    "rank_b": rank_text(comparison.ranks_b[pk]),
                }
            )
    for m in _live(measures):
        # A measure has one tally per delegation of the workshop.
        if m.tallies and len(m.endorsed_by) == len(m.tallies):
            lines.append(
                _("Measure “%(title)s” is endorsed by every delegation.")
                % {"title": m.title}
            )
        elif m.tallies and all(leaning(t) == "support" for t in m.tallies):
            lines.append(
                _(
                    "Measure “%(title)s”: every delegation's answers lean "
                    "towards support."
                )
                % {"title": m.title}
            )
    return tuple(lines)


def divergence(
    *, items, pair: Pair | None, measures: list[MeasureSummary]
) -> tuple[str, ...]:
    lines = []
    if pair is not None:
        threshold = max(1.0, pair.n_items / 3)
        for pk, rank_a, rank_b, gap in pair.comparison.asymmetries:
            if gap < threshold:
                continue
            lines.append(
                _(
                    "Item %(number)d (“%(title)s”): ranked %(rank_a)s by "
                    "%(a)s but %(rank_b)s by %(b)s."
                )
                % {
                    **_item(items, pk),
                    "a": pair.a,
                    "rank_a": rank_text(rank_a),
                    "b": pair.b,
                    "rank_b": rank_text(rank_b),
                }
            )
    for m in _live(measures):
        supporting = [t.delegation for t in m.tallies if leaning(t) == "support"]
        opposing = [t.delegation for t in m.tallies if leaning(t) == "oppose"]
        if supporting and opposing:
            lines.append(
                _(
                    "Measure “%(title)s”: answers from %(supporters)s lean "
                    "towards support, answers from %(opponents)s towards "
                    "opposition."
                )
                % {
                    "title": m.title,
                    "supporters": ", ".join(supporting),
                    "opponents": ", ".join(opposing),
                }
            )
    return tuple(lines)


def open_questions(
    *,
    items,
    discussion: Discussion,
    questions: Questions,
    measures: list[MeasureSummary],
) -> tuple[str, ...]:
    lines = []
    for item in items:
        n = questions.unanswered.get(item.pk, 0)
        if n:
            lines.append(
                ngettext(
                    "Item %(number)d: %(n)d question has no reply yet.",
                    "Item %(number)d: %(n)d questions have no reply yet.",
                    n,
                )
                % {"number": item.number, "n": n}
            )
            for who, text in questions.quoted.get(item.pk, ()):
                lines.append(
                    _("Item %(number)d, %(who)s asked: “%(text)s”")
                    % {"number": item.number, "who": who, "text": text}
                )
        if not discussion.remarks[item.pk]:
            lines.append(
                _("Item %(number)d received no remarks.") % {"number": item.number}
            )
    for m in _live(measures):
        asking = [t for t in m.tallies if t.clarify]
        if asking:
            lines.append(
                _("Measure “%(title)s”: clarification asked by %(who)s.")
                % {
                    "title": m.title,
                    "who": ", ".join(f"{t.delegation} ({t.clarify})" for t in asking),
                }
            )
        silent = [
            t.delegation
            for t in m.tallies
            if not t.total and t.delegation != m.proposed_by
        ]
        if silent:
            lines.append(
                _("Measure “%(title)s” has no answer yet from %(who)s.")
                % {"title": m.title, "who": ", ".join(silent)}
            )
    return tuple(lines)


ACCEPTING = frozenset(
    {
        ResponseStance.ACCEPT,
        ResponseStance.ACCEPT_IN_PART,
        ResponseStance.ACCEPT_IF,
        ResponseStance.UNDER_WAY,
    }
)
REFUSING = frozenset({ResponseStance.CANNOT_ACCEPT, ResponseStance.NOT_NOW})


def response_findings(
    stances: list[tuple[int, ResponseSummary]],
) -> dict[str, tuple[str, ...]]:
    """{"convergence", "divergence", "open_questions"}: one line for each
    revealed response that counts there, in agenda order."""
    found = {"convergence": [], "divergence": [], "open_questions": []}
    for number, r in stances:
        where = (
            _("Item %(number)d, point %(label)s")
            % {"number": number, "label": r.point_label}
            if r.point_label
            else _("Item %(number)d") % {"number": number}
        )
        values = {"where": where, "delegation": r.delegation, "stance": r.stance}
        if r.stance_value in ACCEPTING:
            found["convergence"].append(
                _("%(where)s: the %(delegation)s delegation answers “%(stance)s”.")
                % values
            )
        elif r.stance_value in REFUSING:
            found["divergence"].append(
                _("%(where)s: the %(delegation)s delegation answers “%(stance)s”.")
                % values
            )
        elif r.stance_value == ResponseStance.NEEDS_CLARIFICATION:
            found["open_questions"].append(
                _("%(where)s: the %(delegation)s delegation asks for clarification.")
                % values
            )
    return {key: tuple(lines) for key, lines in found.items()}
