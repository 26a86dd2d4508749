"""Delphi feedback: each item's median rank, interquartile range and count."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dialogue.ranking_maths.ballots import _Profile, _profile
from dialogue.ranking_maths.results import Feedback, Item


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
