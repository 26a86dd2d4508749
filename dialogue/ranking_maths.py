"""Pure ranking maths for Track-2 dialogue workshops.

Each delegation's members rank the same agenda items (a ballot is a complete
strict ordering of the item keys, best first). This module aggregates those
ballots and compares two delegations' aggregates, and writes a rank for
display (``rank_text``: the one formatter of the results page, the slope
chart and the summary). It is deliberately free of Django and of any I/O so
it can be tested and benchmarked in isolation.

Conventions used throughout:

* Items are any hashable keys (typically primary keys). ``candidates`` is the
  list of all item keys; its order is used *only* as a deterministic
  tie-break for display (items that the maths treats as equal are listed in
  candidates order). It never influences who wins.
* Ranks are 1-based (1 = highest priority). Tied items share the average of
  the positions they span ("fractional" or "mid" ranks).
* Results never depend on the order of the ballots, and relabelling the items
  (a bijection applied to ballots and candidates alike) relabels the results
  and changes nothing else.
* Nothing privileges one delegation: ``compare(a, b)`` mirrors
  ``compare(b, a)``.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress, repeat
from operator import lt

__all__ = [
    "Aggregate",
    "Comparison",
    "Feedback",
    "aggregate",
    "asymmetries",
    "borda",
    "compare",
    "fractional_ranks",
    "item_feedback",
    "kendall_tau_b",
    "kendall_w",
    "rank_text",
    "schulze",
    "shared_priorities",
]

Item = Hashable


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """Delphi-style feedback for one item across one group's ballots.

    ``median`` and ``iqr`` are in rank units (1 = top). ``n`` is the number of
    ballots the figures are based on.
    """

    median: float
    iqr: float
    n: int


@dataclass(frozen=True)
class Aggregate:
    """Everything derived from one group's ballots.

    Attributes:
        candidates: the item keys, in the caller's candidates order.
        schulze: Schulze tiers, best first (see ``schulze``).
        borda: Borda score per item (see ``borda``).
        ranks: fractional ranks derived from the Schulze tiers.
        kendall_w: Kendall's W among the ballots, or None when undefined.
        n_rankers: number of ballots.
        feedback: per-item median rank, IQR and count (see ``item_feedback``).

    The list and dict fields must be treated as read-only.
    """

    candidates: tuple[Item, ...]
    schulze: list[list[Item]]
    borda: dict[Item, int]
    ranks: dict[Item, float]
    kendall_w: float | None
    n_rankers: int
    feedback: dict[Item, Feedback]


@dataclass(frozen=True)
class Comparison:
    """How two groups' aggregates relate.

    Attributes:
        tau_b: Kendall's tau-b between the two Schulze orders (None when
            undefined, e.g. when one side ranks everything equal).
        shared_priorities: items in the top third for both sides.
        asymmetries: ``(item, rank_a, rank_b, abs_diff)``, largest gap first.
        ranks_a: side A's fractional Schulze ranks, in candidates order.
        ranks_b: side B's fractional Schulze ranks, in candidates order.

    ``tau_b`` and ``shared_priorities`` are symmetric; the other fields are
    per-side and swap when the sides are swapped (see ``mirrored``).
    """

    tau_b: float | None
    shared_priorities: list[Item]
    asymmetries: list[tuple[Item, float, float, float]]
    ranks_a: dict[Item, float]
    ranks_b: dict[Item, float]

    def mirrored(self) -> Comparison:
        """Return the same comparison seen from the other side."""
        return Comparison(
            tau_b=self.tau_b,
            shared_priorities=list(self.shared_priorities),
            asymmetries=[(item, rb, ra, d) for item, ra, rb, d in self.asymmetries],
            ranks_a=dict(self.ranks_b),
            ranks_b=dict(self.ranks_a),
        )


# --------------------------------------------------------------------------
# Validation and the shared ballot profile
# --------------------------------------------------------------------------


def _fmt(items: Iterable[Item]) -> str:
    return ", ".join(repr(item) for item in items)


def _candidate_index(candidates: Iterable[Item]) -> dict[Item, int]:
    index: dict[Item, int] = {}
    duplicates = []
    for item in candidates:
        if item in index:
            duplicates.append(item)
        else:
            index[item] = len(index)
    if duplicates:
        raise ValueError(f"candidates list item(s) more than once: {_fmt(duplicates)}")
    return index


def _validate_ballot(ballot: tuple, index: Mapping[Item, int], number: int) -> None:
    unknown = [item for item in ballot if item not in index]
    if unknown:
        raise ValueError(f"ballots[{number}] contains unknown item(s): {_fmt(unknown)}")
    seen: set = set()
    repeated = []
    for item in ballot:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    if repeated:
        raise ValueError(
            f"ballots[{number}] ranks item(s) more than once (repeated): "
            f"{_fmt(repeated)}"
        )
    missing = [item for item in index if item not in seen]
    if missing:
        raise ValueError(f"ballots[{number}] is missing item(s): {_fmt(missing)}")


@dataclass(frozen=True)
class _Profile:
    """Identical ballots collapsed, stored column-wise.

    ``columns[i][u]`` is the 0-based position of candidate ``i`` on the
    ``u``-th distinct ballot, which was cast ``weights[u]`` times.
    """

    candidates: tuple[Item, ...]
    columns: list[list[int]]
    weights: list[int]
    total: int


def _profile(ballots: Iterable[Sequence[Item]], candidates: Sequence[Item]) -> _Profile:
    index = _candidate_index(candidates)
    counts: Counter[tuple] = Counter()
    for number, ballot in enumerate(ballots):
        key = tuple(ballot)
        if key not in counts:
            _validate_ballot(key, index, number)
        counts[key] += 1
    n = len(index)
    rows = []
    weights = []
    for key, weight in counts.items():
        positions = [0] * n
        for position, item in enumerate(key):
            positions[index[item]] = position
        rows.append(positions)
        weights.append(weight)
    columns = (
        [list(column) for column in zip(*rows, strict=True)]
        if rows
        else [[] for _ in index]
    )
    return _Profile(tuple(index), columns, weights, sum(weights))


def _pairwise(profile: _Profile) -> list[list[int]]:
    """d[i][j] = number of ballots ranking candidate i above candidate j."""
    columns, weights, total = profile.columns, profile.weights, profile.total
    n = len(columns)
    d = [[0] * n for _ in range(n)]
    for i in range(n):
        column_i, row_i = columns[i], d[i]
        for j in range(i + 1, n):
            wins = sum(compress(weights, map(lt, column_i, columns[j])))
            row_i[j] = wins
            d[j][i] = total - wins
    return d


def _schulze_tiers(d: list[list[int]]) -> list[list[int]]:
    n = len(d)
    # Winning-votes links: a->b exists with strength d[a][b] iff a beats b.
    p = [[d[i][j] if d[i][j] > d[j][i] else 0 for j in range(n)] for i in range(n)]
    # Widest paths (Floyd-Warshall with max/min). Updating p[j][j] or using
    # k == i cannot change any off-diagonal strength, so no k-filter is needed.
    for i in range(n):
        row_i = p[i]
        for j in range(n):
            if j == i:
                continue
            strength_ji = p[j][i]
            if strength_ji:
                p[j] = list(map(max, p[j], map(min, repeat(strength_ji), row_i)))
    remaining = list(range(n))
    tiers = []
    while remaining:
        tier = [a for a in remaining if not any(p[b][a] > p[a][b] for b in remaining)]
        if not tier:  # impossible: the Schulze relation is transitive
            raise AssertionError("Schulze relation has no maximal element")
        tiers.append(tier)
        in_tier = set(tier)
        remaining = [a for a in remaining if a not in in_tier]
    return tiers


def _order_statistic(tally: list[int], k: int) -> int:
    """The k-th smallest (0-based) 1-based rank in a rank-count tally."""
    seen = 0
    for position, count in enumerate(tally):
        seen += count
        if seen > k:
            return position + 1
    raise IndexError(k)


def _quartile(tally: list[int], total: int, quarter: int) -> float:
    # Type-7 ("inclusive") linear method: h = (N - 1) * q, interpolating
    # between the order statistics floor(h) and floor(h) + 1.
    low, remainder = divmod((total - 1) * quarter, 4)
    value = _order_statistic(tally, low)
    if remainder:
        upper = _order_statistic(tally, low + 1)
        return value + (upper - value) * remainder / 4
    return float(value)


def _feedback(profile: _Profile) -> dict[Item, Feedback]:
    total = profile.total
    if total == 0:
        return {}
    n = len(profile.candidates)
    result = {}
    for item, column in zip(profile.candidates, profile.columns, strict=True):
        tally = [0] * n
        for position, weight in zip(column, profile.weights, strict=True):
            tally[position] += weight
        q1 = _quartile(tally, total, 1)
        q3 = _quartile(tally, total, 3)
        result[item] = Feedback(median=_quartile(tally, total, 2), iqr=q3 - q1, n=total)
    return result


def _w_from_rank_sums(
    rank_sums: Sequence[Fraction | int], m: int, n: int, tie_total: int
) -> float | None:
    if m < 2 or n < 2:
        return None
    denominator = m * m * (n**3 - n) - m * tie_total
    if denominator <= 0:
        return None
    mean = Fraction(sum(rank_sums)) / n
    s = sum((r - mean) ** 2 for r in rank_sums)
    return float(12 * s / denominator)


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


def schulze(
    ballots: Iterable[Sequence[Item]], candidates: Sequence[Item]
) -> list[list[Item]]:
    """Schulze order as tiers of tied items, best tier first.

    Uses the widest-path formulation with the winning-votes measure: the link
    a->b has strength d[a][b] when d[a][b] > d[b][a] (d = pairwise counts),
    else there is no link; p[a][b] is the strength of the widest path. a beats
    b when p[a][b] > p[b][a]. The first tier is every item not beaten by any
    other item; it is removed and the rule repeated on what remains.

    Within a tier, items are listed in ``candidates`` order. That order is a
    stable display key only, for deterministic output; it never breaks a tie.
    With no ballots, every item is in one tier.

    Raises:
        ValueError: if a ballot misses, repeats or adds an item, or if
            ``candidates`` contains duplicates.
    """
    profile = _profile(ballots, candidates)
    tiers = _schulze_tiers(_pairwise(profile))
    return [[profile.candidates[i] for i in tier] for tier in tiers]


def borda(
    ballots: Iterable[Sequence[Item]], candidates: Sequence[Item]
) -> dict[Item, int]:
    """Borda count: with n items, first place scores n - 1 and last 0.

    Returns the summed score per item, keyed in ``candidates`` order.

    Raises:
        ValueError: as for ``schulze``.
    """
    profile = _profile(ballots, candidates)
    d = _pairwise(profile)
    # An item's Borda score is the number of (ballot, item ranked below) pairs.
    return {item: sum(row) for item, row in zip(profile.candidates, d, strict=True)}


def fractional_ranks(order_tiers: Iterable[Iterable[Item]]) -> dict[Item, float]:
    """1-based ranks from tiers; tied items share the mean of their positions.

    ``[[a], [b, c], [d]]`` gives ``{a: 1.0, b: 2.5, c: 2.5, d: 4.0}``.

    Raises:
        ValueError: if an item appears in more than one place.
    """
    ranks: dict[Item, float] = {}
    start = 0
    for tier in order_tiers:
        members = list(tier)
        size = len(members)
        rank = (2 * start + size + 1) / 2
        for item in members:
            if item in ranks:
                raise ValueError(f"item {item!r} appears more than once in the tiers")
            ranks[item] = rank
        start += size
    return ranks


def kendall_w(rank_rows: Sequence[Mapping[Item, float]]) -> float | None:
    """Kendall's coefficient of concordance W, corrected for ties.

    ``rank_rows`` holds one mapping item -> rank per rater (m raters, n
    items; tied items carry the average of the positions they span).

        W = 12 S / (m^2 (n^3 - n) - m * sum_j T_j)

    where S is the sum of squared deviations of the items' rank sums from
    their mean and T_j = sum over rater j's tie groups of (t^3 - t).
    Arithmetic is exact (fractions) until the final float.

    Returns:
        W in [0, 1], or None when undefined: fewer than 2 raters, fewer
        than 2 items, or a zero denominator (every rater ties everything).

    Raises:
        ValueError: if the raters do not all rank the same items.
    """
    m = len(rank_rows)
    if m == 0:
        return None
    items = list(rank_rows[0])
    expected = set(items)
    for number, row in enumerate(rank_rows):
        if set(row) != expected:
            raise ValueError(
                f"rank_rows[{number}] does not rank the same items as rank_rows[0]"
            )
    sums = {item: Fraction(0) for item in items}
    tie_total = 0
    for row in rank_rows:
        for item, rank in row.items():
            sums[item] += Fraction(rank)
        tie_total += sum(t**3 - t for t in Counter(row.values()).values())
    return _w_from_rank_sums(list(sums.values()), m, len(items), tie_total)


def kendall_tau_b(
    ranks_a: Mapping[Item, float], ranks_b: Mapping[Item, float]
) -> float | None:
    """Kendall's tau-b between two rankings, over the items both contain.

        tau_b = (nc - nd) / sqrt((n0 - n1) (n0 - n2))

    n0 = n(n-1)/2; n1 and n2 count pairs tied in a and in b; pairs tied on
    either side are neither concordant nor discordant. Symmetric in a and b.

    Returns:
        tau-b in [-1, 1], or None when undefined: fewer than 2 common items,
        or one side has every common item tied.
    """
    common = [item for item in ranks_a if item in ranks_b]
    n = len(common)
    if n < 2:
        return None
    xs = [ranks_a[item] for item in common]
    ys = [ranks_b[item] for item in common]
    score = 0
    for i in range(n):
        x_i, y_i = xs[i], ys[i]
        for j in range(i + 1, n):
            x_j, y_j = xs[j], ys[j]
            score += ((x_i > x_j) - (x_i < x_j)) * ((y_i > y_j) - (y_i < y_j))
    n0 = n * (n - 1) // 2
    n1 = sum(t * (t - 1) // 2 for t in Counter(xs).values())
    n2 = sum(t * (t - 1) // 2 for t in Counter(ys).values())
    product = (n0 - n1) * (n0 - n2)
    if product == 0:
        return None
    return score / math.sqrt(product)


def item_feedback(
    ballots: Iterable[Sequence[Item]], candidates: Sequence[Item]
) -> dict[Item, Feedback]:
    """Per-item median rank, interquartile range and count, for Delphi feedback.

    Ranks are 1-based positions on each ballot. Quartiles use the type-7
    ("inclusive", linear interpolation) method, as in
    ``statistics.quantiles(method="inclusive")``, R's default and Excel's
    QUARTILE.INC: the q-quantile of N sorted values is at 0-based position
    h = (N - 1) q, interpolated between floor(h) and floor(h) + 1. The IQR is
    Q3 - Q1. A single ballot gives IQR 0. With no ballots the result is empty.

    Raises:
        ValueError: as for ``schulze``.
    """
    return _feedback(_profile(ballots, candidates))


def rank_text(value: float | None) -> str:
    """A rank, median, spread or gap for display: 3, 2.5, 2.25 (never 2.50 or
    3.0, at most two decimals); an en dash when there is none."""
    if value is None:
        return "\u2013"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


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


def starting_order(items: Sequence[Hashable], *, seed: str) -> list[Hashable]:
    """The order a ballot starts from: `items` shuffled by `seed`.

    Each delegate starts from their own order (the seed names the delegate
    and the round), so no item gains from being listed first, as in Delphi
    and nominal group practice; the same seed gives the same order on every
    reload and in every process (a string seed is hashed with SHA-512, not
    with Python's per-process hash).
    """
    order = list(items)
    random.Random(f"ballot:{seed}").shuffle(order)  # noqa: S311 - not for secrets
    return order
