"""How a rank is written for display (the results page, the slope chart and
the summary share this one formatter)."""

from __future__ import annotations


def rank_text(value: float | None) -> str:
    """A rank, median, spread or gap for display: 3, 2.5, 2.25 (never 2.50 or
    3.0, at most two decimals); an en dash when there is none."""
    if value is None:
        return "\u2013"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
