"""Orders from ballots: Schulze tiers, Borda scores and fractional ranks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat

from dialogue.ranking_maths.ballots import _pairwise, _profile
from dialogue.ranking_maths.results import Item


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
