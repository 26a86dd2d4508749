"""Ballot validation and the shared ballot profile.

Every public function validates its ballots here and works on the collapsed
``_Profile`` (identical ballots counted once, with a weight) and on the
pairwise counts derived from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import lt

from dialogue.ranking_maths.results import Item


def _fmt(items: Iterable[Item]) -> str:
    return ", ".join(repr(item) for item in items)


def _candidate_index(candidates: Iterable[Item]) -> dict[Item, int]:
    index: dict[Item, int] = {}
    duplicates = []
    for item in candidates:
        if item in index:
            duplicates.append(item)
        else:
            index[item] = len(index)
    if duplicates:
        raise ValueError(f"candidates list item(s) more than once: {_fmt(duplicates)}")
    return index


def _validate_ballot(ballot: tuple, index: Mapping[Item, int], number: int) -> None:
    unknown = [item for item in ballot if item not in index]
    if unknown:
        raise ValueError(f"ballots[{number}] contains unknown item(s): {_fmt(unknown)}")
    seen: set = set()
    repeated = []
    for item in ballot:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    if repeated:
        raise ValueError(
            f"ballots[{number}] ranks item(s) more than once (repeated): "
            f"{_fmt(repeated)}"
        )
    missing = [item for item in index if item not in seen]
    if missing:
        raise ValueError(f"ballots[{number}] is missing item(s): {_fmt(missing)}")


@dataclass(frozen=True)
class _Profile:
    """Identical ballots collapsed, stored column-wise.

    ``columns[i][u]`` is the 0-based position of candidate ``i`` on the
    ``u``-th distinct ballot, which was cast ``weights[u]`` times.
    """

    candidates: tuple[Item, ...]
    columns: list[list[int]]
    weights: list[int]
    total: int


def _profile(ballots: Iterable[Sequence[Item]], candidates: Sequence[Item]) -> _Profile:
    index = _candidate_index(candidates)
    counts: Counter[tuple] = Counter()
    for number, ballot in enumerate(ballots):
        key = tuple(ballot)
        if key not in counts:
            _validate_ballot(key, index, number)
        counts[key] += 1
    n = len(index)
    rows = []
    weights = []
    for key, weight in counts.items():
        positions = [0] * n
        for position, item in enumerate(key):
            positions[index[item]] = position
        rows.append(positions)
        weights.append(weight)
    columns = (
        [list(column) for column in zip(*rows, strict=True)]
        if rows
        else [[] for _ in index]
    )
    return _Profile(tuple(index), columns, weights, sum(weights))


def _pairwise(profile: _Profile) -> list[list[int]]:
    """d[i][j] = number of ballots ranking candidate i above candidate j."""
    columns, weights, total = profile.columns, profile.weights, profile.total
    n = len(columns)
    d = [[0] * n for _ in range(n)]
    for i in range(n):
        column_i, row_i = columns[i], d[i]
        for j in range(i + 1, n):
            wins = sum(compress(weights, map(lt, column_i, columns[j])))
            row_i[j] = wins
            d[j][i] = total - wins
    return d
