"""Tests for dialogue.ranking_maths (pure maths, no Django)."""

import math
import statistics
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dialogue.ranking_maths import (
    Aggregate,
    Comparison,
    Feedback,
    aggregate,
    asymmetries,
    borda,
    compare,
    fractional_ranks,
    item_feedback,
    kendall_tau_b,
    kendall_w,
    schulze,
    shared_priorities,
)

# --------------------------------------------------------------------------
# Helpers and strategies
# --------------------------------------------------------------------------

WIKIPEDIA_SCHULZE_GROUPS = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def _average_ranks(values):
    """Ascending 1-based ranks of a list of numbers, ties averaged."""
    return {
        i: 1 + sum(w < v for w in values) + (sum(w == v for w in values) - 1) / 2
        for i, v in enumerate(values)
    }


def _reference_schulze(ballots, candidates):
    """Textbook Schulze (winning votes), written for clarity rather than speed."""
    d = {
        (a, b): sum(ballot.index(a) < ballot.index(b) for ballot in ballots)
        for a in candidates
        for b in candidates
        if a != b
    }
    p = {pair: d[pair] if d[pair] > d[pair[::-1]] else 0 for pair in d}
    for i in candidates:
        for j in candidates:
            if i == j:
                continue
            for k in candidates:
                if k not in (i, j):
                    p[j, k] = max(p[j, k], min(p[j, i], p[i, k]))
    remaining = list(candidates)
    tiers = []
    while remaining:
        tier = [
            a
            for a in remaining
            if not any(p[b, a] > p[a, b] for b in remaining if b != a)
        ]
        tiers.append(tier)
        remaining = [a for a in remaining if a not in tier]
    return tiers


@st.composite
def elections(draw, min_items=1, max_items=6, min_ballots=0, max_ballots=12):
    n = draw(st.integers(min_items, max_items))
    candidates = list(range(n))
    ballots = draw(
        st.lists(
            st.permutations(candidates), min_size=min_ballots, max_size=max_ballots
        )
    )
    return candidates, ballots


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
# Schulze
# --------------------------------------------------------------------------


def test_schulze_wikipedia_example_orders_e_a_c_b_d():
    ballots = [
        list(order) for count, order in WIKIPEDIA_SCHULZE_GROUPS for _ in range(count)
    ]

    result = schulze(ballots, list("ABCDE"))

    assert result == [["E"], ["A"], ["C"], ["B"], ["D"]]


def test_schulze_opposite_ballots_tie_everything():
    ballots = [["x", "y"], ["y", "x"]]

    result = schulze(ballots, ["x", "y"])

    assert result == [["x", "y"]]


def test_schulze_tied_tier_follows_candidates_order():
    ballots = [["x", "y"], ["y", "x"]]

    result = schulze(ballots, ["y", "x"])

    assert result == [["y", "x"]]


def test_schulze_balanced_cycle_is_one_tier():
    ballots = [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]

    result = schulze(ballots, ["a", "b", "c"])

    assert result == [["a", "b", "c"]]


def test_schulze_tie_in_the_middle_is_kept():
    ballots = [[1, 2, 3, 4], [1, 3, 2, 4]]

    result = schulze(ballots, [1, 2, 3, 4])

    assert result == [[1], [2, 3], [4]]


def test_schulze_no_ballots_puts_all_in_one_tier():
    candidates = [3, 1, 2]

    result = schulze([], candidates)

    assert result == [[3, 1, 2]]


@settings(deadline=None)
@given(elections())
def test_schulze_matches_reference_implementation(election):
    candidates, ballots = election

    result = schulze(ballots, candidates)

    assert result == _reference_schulze(ballots, candidates)


# --------------------------------------------------------------------------
# Borda
# --------------------------------------------------------------------------


def test_borda_small_example_by_hand():
    # 3 items: first place 2 points, second 1, last 0.
    #   a: 2 + 1 + 2 = 5
    #   b: 1 + 2 + 0 = 3
    #   c: 0 + 0 + 1 = 1
    # Total 9 = 3 ballots x (2 + 1 + 0).
    ballots = [["a", "b", "c"], ["b", "a", "c"], ["a", "c", "b"]]

    result = borda(ballots, ["a", "b", "c"])

    assert result == {"a": 5, "b": 3, "c": 1}


@given(elections())
def test_borda_matches_direct_scoring(election):
    candidates, ballots = election
    n = len(candidates)
    expected = {item: 0 for item in candidates}
    for ballot in ballots:
        for position, item in enumerate(ballot):
            expected[item] += n - 1 - position

    result = borda(ballots, candidates)

    assert result == expected


# --------------------------------------------------------------------------
# Fractional ranks
# --------------------------------------------------------------------------


def test_fractional_ranks_ties_share_average_position():
    tiers = [["a"], ["b", "c"], ["d"]]

    result = fractional_ranks(tiers)

    assert result == {"a": 1.0, "b": 2.5, "c": 2.5, "d": 4.0}


def test_fractional_ranks_three_way_tie_at_top():
    tiers = [["a", "b", "c"], ["d"]]

    result = fractional_ranks(tiers)

    assert result == {"a": 2.0, "b": 2.0, "c": 2.0, "d": 4.0}


def test_fractional_ranks_repeated_item_raises():
    tiers = [["a"], ["a", "b"]]

    with pytest.raises(ValueError, match="more than once"):
        fractional_ranks(tiers)


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


# --------------------------------------------------------------------------
# Delphi feedback
# --------------------------------------------------------------------------


def test_item_feedback_median_and_iqr_by_hand():
    # a at ranks 1, 1, 2, 3 (N = 4, type 7: h = 3q):
    #   Q1 h=0.75 -> 1; median h=1.5 -> 1.5; Q3 h=2.25 -> 2 + 0.25 = 2.25
    # b at ranks 2, 3, 1, 1: the same multiset.
    # c at ranks 3, 2, 3, 2 = [2, 2, 3, 3]: Q1 2, median 2.5, Q3 3.
    ballots = [["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"], ["b", "c", "a"]]

    result = item_feedback(ballots, ["a", "b", "c"])

    assert result == {
        "a": Feedback(median=1.5, iqr=1.25, n=4),
        "b": Feedback(median=1.5, iqr=1.25, n=4),
        "c": Feedback(median=2.5, iqr=1.0, n=4),
    }


def test_item_feedback_single_ballot_has_zero_spread():
    ballots = [["a", "b"]]

    result = item_feedback(ballots, ["a", "b"])

    assert result == {"a": Feedback(1.0, 0.0, 1), "b": Feedback(2.0, 0.0, 1)}


def test_item_feedback_no_ballots_is_empty():
    candidates = ["a", "b"]

    result = item_feedback([], candidates)

    assert result == {}


@given(elections(min_ballots=2))
def test_item_feedback_matches_statistics_inclusive_quartiles(election):
    candidates, ballots = election
    expected = {}
    for item in candidates:
        ranks = [ballot.index(item) + 1 for ballot in ballots]
        q1, median, q3 = statistics.quantiles(ranks, n=4, method="inclusive")
        expected[item] = (median, q3 - q1, len(ranks))

    result = item_feedback(ballots, candidates)

    # Ranks are integers, so both methods give exact multiples of 0.25.
    assert {item: (f.median, f.iqr, f.n) for item, f in result.items()} == expected


# --------------------------------------------------------------------------
# Shared priorities and asymmetries
# --------------------------------------------------------------------------


def test_shared_priorities_top_third_for_both_sides():
    # 7 items: cutoff ceil(7 / 3) = 3. Both sides <= 3: a (1, 3), b (2, 1), c (3, 2)
    # mean ranks a 2, b 1.5, c 2.5; d is top for one side only.
    ranks_a = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7}
    ranks_b = {"a": 3, "b": 1, "c": 2, "d": 7, "e": 4, "f": 5, "g": 6}

    result = shared_priorities(ranks_a, ranks_b, 7, candidates=list("abcdefg"))

    assert result == ["b", "a", "c"]


def test_shared_priorities_equal_means_follow_candidates_order():
    ranks_a = {"a": 1, "b": 2, "c": 3}
    ranks_b = {"a": 2, "b": 1, "c": 3}

    result = shared_priorities(ranks_a, ranks_b, 6, candidates=["b", "a", "c"])

    assert result == ["b", "a"]


def test_shared_priorities_cutoff_excludes_half_rank_above_it():
    # 4 items: cutoff ceil(4 / 3) = 2, so a tie at 2.5 is outside.
    ranks_a = {"a": 1, "b": 2.5, "c": 2.5, "d": 4}
    ranks_b = {"a": 2, "b": 1, "c": 3, "d": 4}

    result = shared_priorities(ranks_a, ranks_b, 4, candidates=list("abcd"))

    assert result == ["a"]


def test_asymmetries_largest_gap_first_ties_by_candidates_order():
    ranks_a = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    ranks_b = {"a": 5, "b": 2, "c": 4, "d": 3, "e": 1}

    result = asymmetries(ranks_a, ranks_b, limit=3, candidates=list("edcba"))

    assert result == [("e", 5.0, 1.0, 4.0), ("a", 1.0, 5.0, 4.0), ("d", 4.0, 3.0, 1.0)]


def test_asymmetries_skips_items_with_equal_ranks():
    ranks_a = {"a": 1, "b": 2}
    ranks_b = {"a": 1, "b": 2}

    result = asymmetries(ranks_a, ranks_b, candidates=["a", "b"])

    assert result == []


def test_asymmetries_negative_limit_raises():
    ranks = {"a": 1}

    with pytest.raises(ValueError, match="limit"):
        asymmetries(ranks, ranks, limit=-1)


# --------------------------------------------------------------------------
# Aggregate and compare
# --------------------------------------------------------------------------


def test_aggregate_small_example():
    # Borda: a 2+2+1 = 5, b 1+0+2 = 3, c 0+1+0 = 1. a beats b and c 2-1 and
    # 3-0; b beats c 2-1. Rank sums 4, 6, 8 (mean 6): S = 8, W = 96 / 216.
    ballots = [["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"]]

    result = aggregate(ballots, ["a", "b", "c"])

    assert result == Aggregate(
        candidates=("a", "b", "c"),
        schulze=[["a"], ["b"], ["c"]],
        borda={"a": 5, "b": 3, "c": 1},
        ranks={"a": 1.0, "b": 2.0, "c": 3.0},
        kendall_w=96 / 216,
        n_rankers=3,
        feedback={
            "a": Feedback(median=1.0, iqr=0.5, n=3),
            "b": Feedback(median=2.0, iqr=1.0, n=3),
            "c": Feedback(median=3.0, iqr=0.5, n=3),
        },
    )


def test_aggregate_no_ballots_is_defined():
    candidates = ["a", "b"]

    result = aggregate([], candidates)

    assert result == Aggregate(
        candidates=("a", "b"),
        schulze=[["a", "b"]],
        borda={"a": 0, "b": 0},
        ranks={"a": 1.5, "b": 1.5},
        kendall_w=None,
        n_rankers=0,
        feedback={},
    )


def test_compare_small_example():
    candidates = ["a", "b", "c"]
    side_a = aggregate([["a", "b", "c"]], candidates)
    side_b = aggregate([["a", "c", "b"]], candidates)

    result = compare(side_a, side_b, candidates)

    assert result == Comparison(
        tau_b=1 / 3,
        shared_priorities=["a"],
        asymmetries=[("b", 2.0, 3.0, 1.0), ("c", 3.0, 2.0, 1.0)],
        ranks_a={"a": 1.0, "b": 2.0, "c": 3.0},
        ranks_b={"a": 1.0, "b": 3.0, "c": 2.0},
    )


def test_compare_rejects_aggregates_over_other_items():
    side_a = aggregate([["a", "b"]], ["a", "b"])
    side_b = aggregate([["a", "c"]], ["a", "c"])

    with pytest.raises(ValueError, match="agg_b"):
        compare(side_a, side_b, ["a", "b"])


@settings(deadline=None)
@given(elections(), st.data())
def test_aggregate_ballot_order_never_matters(election, data):
    candidates, ballots = election
    shuffled = data.draw(st.permutations(ballots))

    result = aggregate(shuffled, candidates)

    assert result == aggregate(ballots, candidates)


@settings(deadline=None)
@given(elections(), st.data())
def test_aggregate_relabelling_items_permutes_results(election, data):
    candidates, ballots = election
    targets = data.draw(st.permutations(candidates))
    relabel = {
        item: f"item-{target}" for item, target in zip(candidates, targets, strict=True)
    }
    original = aggregate(ballots, candidates)

    result = aggregate(
        [[relabel[item] for item in ballot] for ballot in ballots],
        [relabel[item] for item in candidates],
    )

    assert result == Aggregate(
        candidates=tuple(relabel[item] for item in original.candidates),
        schulze=[[relabel[item] for item in tier] for tier in original.schulze],
        borda={relabel[item]: v for item, v in original.borda.items()},
        ranks={relabel[item]: v for item, v in original.ranks.items()},
        kendall_w=original.kendall_w,
        n_rankers=original.n_rankers,
        feedback={relabel[item]: v for item, v in original.feedback.items()},
    )


@settings(deadline=None)
@given(st.data())
def test_compare_mirrors_when_sides_swap(data):
    candidates, ballots_a = data.draw(elections())
    ballots_b = data.draw(st.lists(st.permutations(candidates), max_size=12))
    side_a = aggregate(ballots_a, candidates)
    side_b = aggregate(ballots_b, candidates)
    forward = compare(side_a, side_b, candidates)

    backward = compare(side_b, side_a, candidates)

    assert backward == forward.mirrored()
    assert (backward.tau_b, backward.shared_priorities) == (
        forward.tau_b,
        forward.shared_priorities,
    )
    assert backward.asymmetries == [
        (item, rank_b, rank_a, gap) for item, rank_a, rank_b, gap in forward.asymmetries
    ]


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def test_validation_missing_item_raises():
    ballots = [[1, 2, 3], [1, 2]]

    with pytest.raises(ValueError, match=r"ballots\[1\] is missing item\(s\): 3"):
        aggregate(ballots, [1, 2, 3])


def test_validation_repeated_item_raises():
    ballots = [[1, 2, 2]]

    with pytest.raises(
        ValueError, match=r"ballots\[0\] ranks item\(s\) more than once \(repeated\): 2"
    ):
        schulze(ballots, [1, 2, 3])


def test_validation_unknown_item_raises():
    ballots = [[1, 2, 3, 99]]

    with pytest.raises(
        ValueError, match=r"ballots\[0\] contains unknown item\(s\): 99"
    ):
        borda(ballots, [1, 2, 3])


def test_validation_duplicate_candidates_raise():
    candidates = [1, 2, 2]

    with pytest.raises(ValueError, match="candidates list item"):
        item_feedback([], candidates)
