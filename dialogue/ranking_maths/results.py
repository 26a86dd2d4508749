"""The result types of the ranking maths, and the conventions they share.

Conventions used throughout the package:

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

from collections.abc import Hashable
from dataclasses import dataclass

Item = Hashable


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
