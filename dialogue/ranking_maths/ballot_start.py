"""The order a delegate's ballot starts from."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence


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
