"""Tests for dialogue.ranking_maths (pure maths, no Django): Schulze, Borda
and fractional ranks."""

from collections import Counter

import pytest
from hypothesis import given, settings

from dialogue.ranking_maths import borda, fractional_ranks, schulze, starting_order
from tests.builders import elections

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


# -- where a ballot starts -------------------------------------------------------


def test_a_starting_order_is_a_stable_shuffle_of_every_item():
    items = list(range(1, 13))

    first = starting_order(items, seed="7:3")

    assert sorted(first) == items
    assert starting_order(items, seed="7:3") == first
    assert starting_order(items, seed="8:3") != first


def test_no_item_is_favoured_by_its_place_on_the_agenda():
    items = list(range(6))
    tops = Counter(starting_order(items, seed=f"{n}:1")[0] for n in range(3000))

    # each item first about a sixth of the time (500 of 3000)
    assert set(tops) == set(items)
    assert all(400 <= count <= 600 for count in tops.values())
