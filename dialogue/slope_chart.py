"""Server-rendered SVG slope chart comparing two sides' ranks of the same items.

Pure function, no Django. The output is a standalone SVG string that is safe
under a strict Content-Security-Policy: no scripts, no event handlers, no
``style`` attributes (presentation attributes only), no external fonts. All
user text is XML-escaped. Both sides are drawn identically so neither is
visually favoured; lines are black with distinct dash patterns and are labelled
directly at both ends, so the chart reads in black-and-white print.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import re
import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape

from dialogue.ranking_maths import rank_text

__all__ = ["slope_chart_svg"]

WIDTH = 1000
LEFT_X = 410
RIGHT_X = 590
LABEL_OFFSET = 12
TITLE_Y = 28
AXIS_LABEL_Y = 62
TOP = 96
ROW = 40  # between consecutive ranks
LINE = 17  # between the lines of one wrapped label
LABEL_GAP = 9  # at least this much between two labels on one side
BOTTOM_MARGIN = 28
FONT_SIZE = 13
# A label wraps at this width, in units of about half an em (a Latin
# letter is one unit, a Chinese character two): the room beside an axis.
LABEL_UNITS = 56
TITLE_UNITS = 110
DASHES = ("", "6 3", "2 3", "9 3 2 3", "12 4")

_INVALID_XML = re.compile(
    r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def _text(value: str) -> str:
    """Escape text for XML content and attribute values.

    Characters XML 1.0 forbids are dropped. ``=`` is also written as a
    character reference so user text can never read like an attribute
    (``style=``, ``onload=``) even to a naive text scan of the output.
    """
    cleaned = _INVALID_XML.sub("", str(value))
    return escape(cleaned, {'"': "&quot;", "'": "&apos;", "=": "&#61;"})


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _units(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(label: str, units: int = LABEL_UNITS) -> list[str]:
    """The label's lines, whole: broken between words, and anywhere in a word
    wider than a line (Chinese is written without spaces)."""
    lines, line = [], ""
    for word in str(label).split():
        pieces = [word] if _units(word) <= units else list(word)
        for piece in pieces:
            joiner = "" if not line or len(piece) == 1 and len(pieces) > 1 else " "
            candidate = f"{line}{joiner}{piece}"
            if line and _units(candidate) > units:
                lines.append(line)
                candidate = piece
            line = candidate
    if line or not lines:
        lines.append(line)
    return lines


# The same escaping, numbers and wrapping for every chart (`link_chart`).
svg_text = _text
svg_number = _num
wrap_units = _wrap


def _ranked(rank: float, label: str) -> list[str]:
    """A label's lines with its rank before the first: "#2  3. Respect..."."""
    prefix = f"#{rank_text(rank)}  "
    lines = _wrap(label, LABEL_UNITS - _units(prefix))
    return [prefix + lines[0], *lines[1:]]


def _rank_y(rank: float) -> float:
    return TOP + (rank - 1) * ROW


def _label_positions(ranks: Sequence[float], heights: Sequence[float]) -> list[float]:
    """y per item: at its rank, pushed down until its label clears the one
    above it. Tied items (same rank) are therefore listed apart, in input
    order, each with its own end on the axis."""
    order = sorted(range(len(ranks)), key=lambda i: (ranks[i], i))
    placed = [0.0] * len(ranks)
    bottom = -math.inf  # the lowest edge of the labels placed so far
    for index in order:
        y = max(_rank_y(ranks[index]), bottom + LABEL_GAP + LINE / 2)
        placed[index] = y
        bottom = y - LINE / 2 + heights[index]
    return placed


def _label(x: float, y: float, anchor: str, lines: list[str]) -> str:
    spans = "".join(
        f'<tspan x="{x}" dy="{"0.35em" if n == 0 else LINE}">{_text(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{_num(y)}" text-anchor="{anchor}">{spans}</text>'


def _default_description(
    left_label: str, right_label: str, items: Sequence[tuple[str, float, float]]
) -> str:
    if not items:
        return f"Slope chart comparing {left_label} and {right_label}: no items."
    lines = "; ".join(
        f"{label}: {left_label} {rank_text(left)}, {right_label} {rank_text(right)}"
        for label, left, right in items
    )
    return (
        f"Slope chart of {len(items)} items ranked by {left_label} (left axis) "
        f"and {right_label} (right axis), rank 1 at the top. {lines}."
    )


def _validate(items: Sequence[tuple[str, float, float]]) -> None:
    for number, (_label, *ranks) in enumerate(items):
        for rank in ranks:
            if isinstance(rank, bool) or not isinstance(rank, numbers.Real):
                raise ValueError(f"items[{number}] has a non-numeric rank: {rank!r}")
            if not math.isfinite(rank) or rank < 1:
                raise ValueError(f"items[{number}] has an invalid rank: {rank!r}")


def slope_chart_svg(
    *,
    left_label: str,
    right_label: str,
    items: Sequence[tuple[str, float, float]],
    title: str,
    chart_id: str | None = None,
    description: str | None = None,
) -> str:
    """Render a slope chart as a standalone, accessible SVG string.

    Args:
        left_label: name of the left axis (e.g. one delegation).
        right_label: name of the right axis (the other delegation).
        items: ``(label, left_rank, right_rank)`` per item; ranks are 1-based
            and may be fractional (ties). Rank 1 is at the top.
        title: accessible title, also shown above the chart.
        chart_id: prefix for the ids used by ``aria-labelledby``; defaults to
            one derived from the content. Must start with a letter and contain
            only letters, digits, ``-`` and ``_``.
        description: the text of the chart's ``<desc>`` for screen readers;
            defaults to an English sentence listing every item's two ranks
            (callers with a translated interface pass their own).

    Each item is a ``<g>`` holding a ``<title>`` (full label and both ranks),
    exactly one ``<line>``, two end markers and a label at each end such as
    "#1  3. Respect each other's core interests", wrapped whole onto as many
    lines as it needs. Tied items are listed apart, each label clear of the
    one above it, so ties never overlap; both sides are laid out by the same
    code. The axes are
    ``<path>`` elements, so ``<line>`` elements correspond one-to-one with
    items.

    Raises:
        ValueError: for a rank that is not a finite number >= 1, or a
            malformed ``chart_id``.
    """
    _validate(items)
    items = [(str(label), float(left), float(right)) for label, left, right in items]
    if chart_id is None:
        digest = hashlib.sha256(
            repr((left_label, right_label, items, title)).encode("utf-8", "replace")
        ).hexdigest()
        chart_id = f"slope-{digest[:12]}"
    elif not _CHART_ID.match(chart_id):
        raise ValueError("chart_id must start with a letter and use [A-Za-z0-9_-]")

    left_lines = [_ranked(left, label) for label, left, _ in items]
    right_lines = [_ranked(right, label) for label, _, right in items]
    left_y = _label_positions(
        [left for _, left, _ in items], [len(lines) * LINE for lines in left_lines]
    )
    right_y = _label_positions(
        [right for _, _, right in items], [len(lines) * LINE for lines in right_lines]
    )
    ends = [
        y + (len(lines) - 1) * LINE
        for ys, all_lines in ((left_y, left_lines), (right_y, right_lines))
        for y, lines in zip(ys, all_lines, strict=True)
    ]
    max_rank = max([1.0] + [max(left, right) for _, left, right in items])
    lowest = max([_rank_y(max_rank), *ends])
    axis_top = TOP - ROW / 2
    axis_bottom = lowest + ROW / 2
    height = axis_bottom + BOTTOM_MARGIN

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    if description is None:
        description = _default_description(left_label, right_label, items)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} '
        f'{_num(height)}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" '
        f'font-size="{FONT_SIZE}" fill="#000">',
        f'<title id="{title_id}">{_text(title)}</title>',
        f'<desc id="{desc_id}">{_text(description)}</desc>',
        f'<text x="{WIDTH // 2}" y="{TITLE_Y}" text-anchor="middle" '
        f'font-size="17" font-weight="bold">{_text(" ".join(_wrap(title, TITLE_UNITS)[:1]))}'
        f"{'…' if len(_wrap(title, TITLE_UNITS)) > 1 else ''}</text>",
    ]
    for x, label in ((LEFT_X, left_label), (RIGHT_X, right_label)):
        out.append(
            f'<text x="{x}" y="{AXIS_LABEL_Y}" text-anchor="middle" font-size="14" '
            f'font-weight="bold">{_text(label)}</text>'
        )
        out.append(
            f'<path d="M{x} {_num(axis_top)}V{_num(axis_bottom)}" stroke="#767676" '
            f'stroke-width="1" fill="none"/>'
        )
    for index, (label, left, right) in enumerate(items):
        y1, y2 = left_y[index], right_y[index]
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        full = (
            f"{label} ({left_label}: {rank_text(left)}, "
            f"{right_label}: {rank_text(right)})"
        )
        out.extend(
            [
                '<g class="slope-item">',
                f"<title>{_text(full)}</title>",
                f'<line x1="{LEFT_X}" y1="{_num(y1)}" x2="{RIGHT_X}" y2="{_num(y2)}" '
                f'stroke="#000" stroke-width="1.5"{dash_attr}/>',
                f'<circle cx="{LEFT_X}" cy="{_num(y1)}" r="3" fill="#000"/>',
                f'<circle cx="{RIGHT_X}" cy="{_num(y2)}" r="3" fill="#000"/>',
                _label(LEFT_X - LABEL_OFFSET, y1, "end", left_lines[index]),
                _label(RIGHT_X + LABEL_OFFSET, y2, "start", right_lines[index]),
                "</g>",
            ]
        )
    out.append("</svg>")
    return "\n".join(out)
