"""Tests for dialogue.ranking_maths (pure maths, no Django): Delphi feedback,
shared priorities and asymmetries, aggregates and comparisons, and input
validation."""

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogue.ranking_maths import (
    Aggregate,
    Comparison,
    Feedback,
    aggregate,
    asymmetries,
    borda,
    compare,
    item_feedback,
    schulze,
    shared_priorities,
)
from tests.builders import elections

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
