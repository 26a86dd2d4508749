"""Agreement statistics: Kendall's W among raters and tau-b between two."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

from dialogue.ranking_maths.results import Item


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
