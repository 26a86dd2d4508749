"""The ranking section of a summary: the latest closed round, by delegation.

* The latest CLOSED round only, never an open one (its ballots are secret
  until it closes).
* The ballots that count, over the items they rank, are those of the
  results page (``selectors.rankings.counted_ballots``): each delegation's
  are aggregated with ``ranking_maths.aggregate`` (Schulze), and everyone's
  together give the overall order with its median and spread.
* Exactly two delegations that both ranked are compared with
  ``ranking_maths.compare`` and drawn as a slope chart; with more
  delegations there is no pair to compare.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dialogue import ranking_maths
from dialogue.models import RankingRound, Session
from dialogue.selectors import rankings
from dialogue.slope_chart import slope_chart_svg
from dialogue.summary.build_header import when
from dialogue.summary.document import ItemRank, RankingResult, RankingRow


@dataclass(frozen=True)
class Pair:
    """Two delegations' orders compared, for the convergence and divergence."""

    comparison: ranking_maths.Comparison
    a: str  # the delegations' names, by code
    b: str
    n_items: int  # the items ranked


@dataclass(frozen=True)
class Ranking:
    result: RankingResult | None  # None when no round has closed
    item_ranks: dict[int, tuple[ItemRank, ...]]  # item id -> rank per delegation
    pair: Pair | None


NO_RANKING = Ranking(result=None, item_ranks={}, pair=None)


def ranking(*, session: Session, items, delegations: dict) -> Ranking:
    """The latest closed round of the session (`delegations` by code)."""
    closed = (
        RankingRound.objects.filter(session=session, closed_at__isnull=False)
        .order_by("-number")
        .first()
    )
    if closed is None or not items:
        return NO_RANKING
    counted = rankings.counted_ballots(round_=closed, items=items)
    candidates = counted.candidates
    overall = ranking_maths.aggregate(counted.everyone, candidates)
    aggregates = {
        d: ranking_maths.aggregate(counted.by_delegation.get(d, []), candidates)
        for d in delegations
    }
    ranked = [d for d in delegations if aggregates[d].n_rankers]
    item_ranks = {
        pk: tuple(
            ItemRank(
                delegation=delegation.display_name,
                rank=aggregates[d].ranks[pk] if aggregates[d].n_rankers else None,
            )
            for d, delegation in delegations.items()
        )
        for pk in candidates
    }
    by_id = {item.pk: item for item in items}
    pair = None
    chart = ""
    chart_title = _("Ranks by delegation (1 = top)")
    if len(delegations) == 2 and len(ranked) == 2:
        a, b = ranked
        comparison = ranking_maths.compare(aggregates[a], aggregates[b], candidates)
        pair = Pair(
            comparison=comparison,
            a=delegations[a].display_name,
            b=delegations[b].display_name,
            n_items=len(candidates),
        )
        chart = slope_chart_svg(
            left_label=pair.a,
            right_label=pair.b,
            items=[
                (
                    f"{by_id[pk].number}. {by_id[pk].title}",
                    comparison.ranks_a[pk],
                    comparison.ranks_b[pk],
                )
                for pk in candidates
            ],
            title=chart_title,
            chart_id=f"summary-ranking-{session.number}",
        )
    rows = sorted(
        (
            RankingRow(
                number=by_id[pk].number,
                title=by_id[pk].title,
                overall_rank=overall.ranks[pk],
                ranks=item_ranks[pk],
                median=overall.feedback[pk].median if overall.feedback else None,
                iqr=overall.feedback[pk].iqr if overall.feedback else None,
            )
            for pk in candidates
        ),
        key=lambda row: (row.overall_rank, row.number),
    )
    result = RankingResult(
        round_number=closed.number,
        closed_at=when(closed.closed_at),
        rankers=tuple(
            (delegation.display_name, aggregates[d].n_rankers)
            for d, delegation in delegations.items()
        ),
        rows=tuple(rows),
        tau_b=pair.comparison.tau_b if pair else None,
        chart_svg=chart,
        chart_title=chart_title,
    )
    return Ranking(result=result, item_ranks=item_ranks, pair=pair)
