"""Pure ranking maths for Track-2 dialogue workshops: each delegation's
members rank the same agenda items (a ballot is a complete strict ordering of
the item keys, best first); this package aggregates those ballots
(``orders``, ``feedback``, ``agreement``), compares two delegations'
aggregates (``comparison``), writes a rank for display (``display``) and
shuffles the order a ballot starts from (``ballot_start``). It is
deliberately free of Django and of any I/O so it can be tested and
benchmarked in isolation; the conventions every part follows are in
``results``.
"""

from dialogue.ranking_maths.agreement import kendall_tau_b, kendall_w
from dialogue.ranking_maths.ballot_start import starting_order
from dialogue.ranking_maths.comparison import (
    aggregate,
    asymmetries,
    compare,
    shared_priorities,
)
from dialogue.ranking_maths.display import rank_text
from dialogue.ranking_maths.feedback import item_feedback
from dialogue.ranking_maths.orders import borda, fractional_ranks, schulze
from dialogue.ranking_maths.results import Aggregate, Comparison, Feedback

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
    "starting_order",
]
