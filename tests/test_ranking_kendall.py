"""Tests for dialogue.ranking_maths (pure maths, no Django): Kendall's tau-b
and Kendall's W."""

import math
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dialogue.ranking_maths import aggregate, fractional_ranks, kendall_tau_b, kendall_w
from tests.builders import elections

# --------------------------------------------------------------------------
# Helpers and strategies
# --------------------------------------------------------------------------


def _average_ranks(values):
    """Ascending 1-based ranks of a list of numbers, ties averaged."""
    return {
        i: 1 + sum(w < v for w in values) + (sum(w == v for w in values) - 1) / 2
        for i, v in enumerate(values)
    }


@st.composite
def tiered_ranks(draw, min_items=2, max_items=8):
    """Fractional ranks of a random weak order over items 0..n-1."""
    n = draw(st.integers(min_items, max_items))
    order = draw(st.permutations(list(range(n))))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=n - 1)))
    bounds = [0, *cuts, n]
    tiers = [order[lo:hi] for lo, hi in pairwise(bounds)]
    return fractional_ranks(tiers)


# --------------------------------------------------------------------------
# Kendall's tau-b
# --------------------------------------------------------------------------


def test_kendall_tau_b_scipy_docs_example_with_ties():
    # scipy.stats.kendalltau documentation example (tau-b, ties on both sides).
    x = [12, 2, 1, 12, 2]
    y = [1, 4, 7, 1, 0]

    result = kendall_tau_b(dict(enumerate(x)), dict(enumerate(y)))

    assert result == pytest.approx(-0.47140452079103173)


def test_kendall_tau_b_hand_example_one_swap():
    # 6 pairs; only (y, z) is discordant: (5 - 1) / sqrt(6 * 6) = 2/3.
    ranks_a = {"w": 1, "x": 2, "y": 3, "z": 4}
    ranks_b = {"w": 1, "x": 2, "y": 4, "z": 3}

    result = kendall_tau_b(ranks_a, ranks_b)

    assert result == pytest.approx(2 / 3)


def test_kendall_tau_b_hand_example_with_tie():
    # Pairs: (p, q) tied in b -> neither; (p, r), (q, r) concordant.
    # n0 = 3, n1 = 0, n2 = 1: 2 / sqrt(3 * 2) = 0.8164965809...
    ranks_a = {"p": 1, "q": 2, "r": 3}
    ranks_b = {"p": 1.5, "q": 1.5, "r": 3}

    result = kendall_tau_b(ranks_a, ranks_b)

    assert result == pytest.approx(2 / math.sqrt(6))


def test_kendall_tau_b_uses_only_common_items():
    ranks_a = {"a": 1, "b": 2, "c": 3, "only_a": 4}
    ranks_b = {"only_b": 1, "c": 2, "b": 3, "a": 4}

    result = kendall_tau_b(ranks_a, ranks_b)

    assert result == -1.0


def test_kendall_tau_b_undefined_cases_return_none():
    one_item = ({"a": 1}, {"a": 1})
    all_tied = ({"a": 1.5, "b": 1.5}, {"a": 1, "b": 2})

    results = [kendall_tau_b(*one_item), kendall_tau_b(*all_tied)]

    assert results == [None, None]


@given(tiered_ranks())
def test_kendall_tau_b_identical_rankings_is_one(ranks):
    assume(len(set(ranks.values())) > 1)

    result = kendall_tau_b(ranks, dict(ranks))

    assert result == 1.0


@given(tiered_ranks())
def test_kendall_tau_b_reversed_rankings_is_minus_one(ranks):
    assume(len(set(ranks.values())) > 1)
    reversed_ranks = {item: len(ranks) + 1 - rank for item, rank in ranks.items()}

    result = kendall_tau_b(ranks, reversed_ranks)

    assert result == -1.0


@given(tiered_ranks(), st.randoms(use_true_random=False))
def test_kendall_tau_b_is_symmetric_and_bounded(ranks, rng):
    items = list(ranks)
    shuffled_values = list(ranks.values())
    rng.shuffle(shuffled_values)
    other = dict(zip(items, shuffled_values, strict=True))

    forward = kendall_tau_b(ranks, other)
    backward = kendall_tau_b(other, ranks)

    assert forward == backward
    assert forward is None or -1.0 <= forward <= 1.0


# --------------------------------------------------------------------------
# Kendall's W
# --------------------------------------------------------------------------


def test_kendall_w_rounding_times_published_example_with_ties():
    # Hollander & Wolfe (1973), p. 140, as in R's ?friedman.test: 22 players
    # (raters) each timed with 3 base-rounding methods (items); R reports the
    # tie-corrected Friedman chi-squared = 11.143 with df = 2.
    # Kendall's W (tie-corrected) = chi2 / (m (n - 1)) = 11.143 / 44.
    times = [
        (5.40, 5.50, 5.55),
        (5.85, 5.70, 5.75),
        (5.20, 5.60, 5.50),
        (5.55, 5.50, 5.40),
        (5.90, 5.85, 5.70),
        (5.45, 5.55, 5.60),
        (5.40, 5.40, 5.35),
        (5.45, 5.50, 5.35),
        (5.25, 5.15, 5.00),
        (5.85, 5.80, 5.70),
        (5.25, 5.20, 5.10),
        (5.65, 5.55, 5.45),
        (5.60, 5.35, 5.45),
        (5.05, 5.00, 4.95),
        (5.50, 5.50, 5.40),
        (5.45, 5.55, 5.50),
        (5.55, 5.55, 5.35),
        (5.45, 5.50, 5.55),
        (5.50, 5.45, 5.25),
        (5.65, 5.60, 5.40),
        (5.70, 5.65, 5.55),
        (6.30, 6.30, 6.25),
    ]
    rank_rows = [_average_ranks(list(row)) for row in times]

    result = kendall_w(rank_rows)

    # chi2 is published to 3 decimals: +-0.0005 / 44 ~ 1.1e-5 on W.
    assert result == pytest.approx(11.143 / 44, abs=1.2e-5)


def test_kendall_w_hand_example_with_tie():
    # 3 raters x 4 items; rater 3 ties a and b at 1.5.
    #   rank sums: a 1+1+1.5 = 3.5, b 2+3+1.5 = 6.5, c 3+2+3 = 8, d 12
    #   mean = 30 / 4 = 7.5; S = 16 + 1 + 0.25 + 20.25 = 37.5
    #   T = 2^3 - 2 = 6 (rater 3 only)
    #   W = 12 * 37.5 / (3^2 * (4^3 - 4) - 3 * 6) = 450 / 522 = 25 / 29
    rank_rows = [
        {"a": 1, "b": 2, "c": 3, "d": 4},
        {"a": 1, "b": 3, "c": 2, "d": 4},
        {"a": 1.5, "b": 1.5, "c": 3, "d": 4},
    ]

    result = kendall_w(rank_rows)

    assert result == pytest.approx(25 / 29)


def test_kendall_w_identical_rankings_is_one():
    row = {"a": 1, "b": 2, "c": 3, "d": 4}

    result = kendall_w([row, dict(row), dict(row)])

    assert result == 1.0


def test_kendall_w_two_reversed_raters_is_zero():
    # Every item's rank sum is n + 1 = 6, so S = 0.
    rank_rows = [
        {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
        {"a": 5, "b": 4, "c": 3, "d": 2, "e": 1},
    ]

    result = kendall_w(rank_rows)

    assert result == 0.0


def test_kendall_w_undefined_cases_return_none():
    one_rater = [{"a": 1, "b": 2}]
    one_item = [{"a": 1}, {"a": 1}]
    all_tied = [{"a": 1.5, "b": 1.5}, {"a": 1.5, "b": 1.5}]

    results = [kendall_w([]), kendall_w(one_rater), kendall_w(one_item)]
    results.append(kendall_w(all_tied))

    assert results == [None, None, None, None]


def test_kendall_w_mismatched_items_raises():
    rank_rows = [{"a": 1, "b": 2}, {"a": 1, "c": 2}]

    with pytest.raises(ValueError, match="same items"):
        kendall_w(rank_rows)


@given(tiered_ranks(), st.integers(2, 6))
def test_kendall_w_identical_rankings_property_is_one(ranks, m):
    assume(len(set(ranks.values())) > 1)

    result = kendall_w([dict(ranks) for _ in range(m)])

    assert result == 1.0


@settings(deadline=None)
@given(elections(min_items=2, min_ballots=2))
def test_kendall_w_of_aggregate_matches_kendall_w_of_ballots(election):
    candidates, ballots = election
    rank_rows = [{item: i + 1 for i, item in enumerate(ballot)} for ballot in ballots]

    result = aggregate(ballots, candidates).kendall_w

    assert result == pytest.approx(kendall_w(rank_rows))
    assert 0.0 <= result <= 1.0
