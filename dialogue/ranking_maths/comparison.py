"""One group's aggregate, and how two groups' aggregates compare: shared
priorities, asymmetries and Kendall's tau-b."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from dialogue.ranking_maths.agreement import _w_from_rank_sums, kendall_tau_b
from dialogue.ranking_maths.ballots import _candidate_index, _pairwise, _profile
from dialogue.ranking_maths.feedback import _feedback
from dialogue.ranking_maths.orders import _schulze_tiers, fractional_ranks
from dialogue.ranking_maths.results import Aggregate, Comparison, Item


def _tie_break_order(
    ranks_a: Mapping[Item, float],
    ranks_b: Mapping[Item, float],
    candidates: Sequence[Item] | None,
) -> list[Item]:
    if candidates is not None:
        return [item for item in candidates if item in ranks_a and item in ranks_b]
    return [item for item in ranks_a if item in ranks_b]


def shared_priorities(
    ranks_a: Mapping[Item, float],
    ranks_b: Mapping[Item, float],
    n_items: int,
    *,
    candidates: Sequence[Item] | None = None,
) -> list[Item]:
    """Items in the top third for both sides.

    "Top third" means rank <= ceil(n_items / 3) (so with 30 items, ranks up to
    10; with 4 items, up to 2; a tied item at 2.5 is then excluded). Items are
    ordered by mean rank, then by ``candidates`` order (when omitted, the key
    order of ``ranks_a``; pass candidates for a result symmetric in a and b).
    """
    cutoff = -(-n_items // 3)
    chosen = [
        item
        for item in _tie_break_order(ranks_a, ranks_b, candidates)
        if ranks_a[item] <= cutoff and ranks_b[item] <= cutoff
    ]
    # Sum instead of mean: same order, and a + b == b + a exactly in floats.
    return sorted(chosen, key=lambda item: ranks_a[item] + ranks_b[item])


def asymmetries(
    ranks_a: Mapping[Item, float],
    ranks_b: Mapping[Item, float],
    limit: int = 3,
    *,
    candidates: Sequence[Item] | None = None,
) -> list[tuple[Item, float, float, float]]:
    """Items whose rank differs most between the sides.

    Returns up to ``limit`` tuples ``(item, rank_a, rank_b, abs_diff)`` with
    abs_diff > 0, largest first; equal gaps are ordered by ``candidates``
    order (when omitted, the key order of ``ranks_a``).

    Raises:
        ValueError: if ``limit`` is negative.
    """
    if limit < 0:
        raise ValueError("limit must be zero or more")
    rows = []
    for item in _tie_break_order(ranks_a, ranks_b, candidates):
        rank_a, rank_b = float(ranks_a[item]), float(ranks_b[item])
        gap = abs(rank_a - rank_b)
        if gap > 0:
            rows.append((item, rank_a, rank_b, gap))
    rows.sort(key=lambda row: -row[3])
    return rows[:limit]


def aggregate(
    ballots: Iterable[Sequence[Item]], candidates: Sequence[Item]
) -> Aggregate:
    """Aggregate one group's ballots (see ``Aggregate`` for the fields).

    Identical ballots are collapsed first, so cost grows with the number of
    distinct ballots. With no ballots: one Schulze tier, zero Borda scores,
    ``kendall_w`` None, ``n_rankers`` 0 and empty feedback.

    Raises:
        ValueError: as for ``schulze``.
    """
    profile = _profile(ballots, candidates)
    d = _pairwise(profile)
    tiers = [[profile.candidates[i] for i in tier] for tier in _schulze_tiers(d)]
    borda_scores = {
        item: sum(row) for item, row in zip(profile.candidates, d, strict=True)
    }
    m, n = profile.total, len(profile.candidates)
    # Ballots are strict, so no tie correction, and an item's rank sum is
    # m * n - its Borda score (rank = n - points).
    rank_sums = [m * n - borda_scores[item] for item in profile.candidates]
    return Aggregate(
        candidates=profile.candidates,
        schulze=tiers,
        borda=borda_scores,
        ranks=fractional_ranks(tiers),
        kendall_w=_w_from_rank_sums(rank_sums, m, n, 0),
        n_rankers=m,
        feedback=_feedback(profile),
    )


def compare(
    agg_a: Aggregate, agg_b: Aggregate, candidates: Sequence[Item]
) -> Comparison:
    """Compare two groups' aggregates over the same candidates.

    Uses the fractional ranks of each side's Schulze order. ``candidates``
    fixes the display order of ties. ``compare(b, a)`` equals
    ``compare(a, b).mirrored()``.

    Raises:
        ValueError: if either aggregate covers different items.
    """
    expected = set(_candidate_index(candidates))
    for name, agg in (("agg_a", agg_a), ("agg_b", agg_b)):
        if set(agg.candidates) != expected:
            raise ValueError(f"{name} was aggregated over different items")
    ranks_a = {item: agg_a.ranks[item] for item in candidates}
    ranks_b = {item: agg_b.ranks[item] for item in candidates}
    return Comparison(
        tau_b=kendall_tau_b(ranks_a, ranks_b),
        shared_priorities=shared_priorities(
            ranks_a, ranks_b, len(candidates), candidates=candidates
        ),
        asymmetries=asymmetries(ranks_a, ranks_b, candidates=candidates),
        ranks_a=ranks_a,
        ranks_b=ranks_b,
    )
