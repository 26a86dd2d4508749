"""Server-rendered SVG of two recommendation lists side by side, with the
links between them drawn as lines.

Pure function, no Django. Safe under the strict Content-Security-Policy in
the same way as `slope_chart`: no scripts, no ``style`` attributes, all text
XML-escaped (`slope_chart.svg_text`). Both columns are laid out by the same
code, mirrored about the middle, so neither side is favoured: swapping the
two columns gives the mirror image. A kind of link is told apart by its line
style (solid, dashed, dotted, dash-dot), not by colour, and an agreed link by
its thicker line, so the chart reads in black-and-white print; a legend at
the top says which is which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dialogue.slope_chart import svg_number, svg_text, wrap_units

__all__ = ["ChartColumn", "ChartLink", "ChartRow", "link_chart_svg", "KIND_DASHES"]

WIDTH = 1000
GAP_X = 10  # between a label and its column's axis
LEFT_AXIS = 400
RIGHT_AXIS = WIDTH - LEFT_AXIS
BEND = 70  # how far a link between two rows of one column bulges inward
LABEL_UNITS = 58  # about half an em each: the room beside an axis
LINE = 17
ROW_GAP = 12
FONT_SIZE = 13
LEGEND_Y = 24
HEADING_Y = 64
TOP = 92
BOTTOM_MARGIN = 20
THIN, THICK = 1.5, 3.5
# The line style of each kind, in print as on screen.
KIND_DASHES = {
    "mirror": "",
    "related": "8 4",
    "tension": "2 4",
    "duplicate": "10 3 2 3",
}


@dataclass(frozen=True)
class ChartRow:
    key: str  # how links name this row, e.g. "1.5"
    label: str  # e.g. "1.5  Facilitate communication ..."


@dataclass(frozen=True)
class ChartColumn:
    heading: str  # e.g. the delegation's name
    rows: tuple[ChartRow, ...]


@dataclass(frozen=True)
class ChartLink:
    a: str  # a row key, in either column
    b: str
    kind: str  # a key of KIND_DASHES
    agreed: bool
    title: str  # the accessible description of this one link


def _layout(
    rows: Sequence[ChartRow],
) -> tuple[dict[str, float], list[list[str]], float]:
    """y of each row's first line by key, each row's lines, and the bottom."""
    y, ys, lines = TOP, {}, []
    for row in rows:
        wrapped = wrap_units(row.label, LABEL_UNITS)
        ys[row.key] = y
        lines.append(wrapped)
        y += len(wrapped) * LINE + ROW_GAP
    return ys, lines, y


def _label(x: float, y: float, anchor: str, lines: list[str]) -> str:
    spans = "".join(
        f'<tspan x="{x}" dy="{"0.35em" if n == 0 else LINE}">{svg_text(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{svg_number(y)}" text-anchor="{anchor}">{spans}</text>'


def _stroke(link: ChartLink) -> str:
    dash = KIND_DASHES.get(link.kind, "")
    width = THICK if link.agreed else THIN
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return f'stroke="#000" stroke-width="{width}" fill="none"{dash_attr}'


def _legend(legend: Sequence[tuple[str, str]], agreed_label: str, suggested_label: str):
    out, x = [], 10
    samples = [(kind, label, False) for kind, label in legend] + [
        ("mirror", suggested_label, False),
        ("mirror", agreed_label, True),
    ]
    step = (WIDTH - 20) / max(1, len(samples))
    for kind, label, agreed in samples:
        sample = ChartLink("", "", kind, agreed, "")
        out.append(
            f'<path d="M{svg_number(x)} {LEGEND_Y}h36" {_stroke(sample)}/>'
            f'<text x="{svg_number(x + 44)}" y="{LEGEND_Y}" dy="0.35em">'
            f"{svg_text(label)}</text>"
        )
        x += step
    return out


def link_chart_svg(
    *,
    left: ChartColumn,
    right: ChartColumn,
    links: Sequence[ChartLink],
    title: str,
    description: str,
    legend: Sequence[tuple[str, str]],
    agreed_label: str,
    suggested_label: str,
    chart_id: str = "links",
) -> str:
    """The two columns and the links between their rows, as one SVG string.

    `legend` is (kind, translated label) per kind to explain. A link whose
    end names no row is left out (the caller lists every link below).
    Each link is a ``<g class="link">`` holding a ``<title>`` and one
    ``<path>``: straight across the middle, or bulging inward between two
    rows of one column.
    """
    left_y, left_lines, left_bottom = _layout(left.rows)
    right_y, right_lines, right_bottom = _layout(right.rows)
    height = max(left_bottom, right_bottom, TOP) + BOTTOM_MARGIN
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} '
        f'{svg_number(height)}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" '
        f'font-size="{FONT_SIZE}" fill="#000">',
        f'<title id="{title_id}">{svg_text(title)}</title>',
        f'<desc id="{desc_id}">{svg_text(description)}</desc>',
        *_legend(legend, agreed_label, suggested_label),
    ]
    sides = (
        (left, left_y, left_lines, LEFT_AXIS, -1),
        (right, right_y, right_lines, RIGHT_AXIS, 1),
    )
    for column, ys, lines, axis, outward in sides:
        anchor = "end" if outward < 0 else "start"
        out.append(
            f'<text x="{axis + outward * GAP_X}" y="{HEADING_Y}" '
            f'text-anchor="{anchor}" font-size="15" font-weight="bold">'
            f"{svg_text(column.heading)}</text>"
        )
        out.append(
            f'<path d="M{axis} {TOP - LINE}V{svg_number(height - BOTTOM_MARGIN)}" '
            'stroke="#767676" stroke-width="1" fill="none"/>'
        )
        for row, row_lines in zip(column.rows, lines, strict=True):
            y = ys[row.key]
            out.append(_label(axis + outward * GAP_X, y, anchor, row_lines))
            out.append(f'<circle cx="{axis}" cy="{svg_number(y)}" r="3" fill="#000"/>')
    ends = {key: (LEFT_AXIS, y, 1) for key, y in left_y.items()}
    ends |= {key: (RIGHT_AXIS, y, -1) for key, y in right_y.items()}
    for link in links:
        if link.a not in ends or link.b not in ends:
            continue
        (x1, y1, inward), (x2, y2, _in) = ends[link.a], ends[link.b]
        if x1 == x2:  # two rows of one column
            bend = x1 + inward * BEND
            d = (
                f"M{x1} {svg_number(y1)}C{bend} {svg_number(y1)} {bend} "
                f"{svg_number(y2)} {x2} {svg_number(y2)}"
            )
        else:
            d = f"M{x1} {svg_number(y1)}L{x2} {svg_number(y2)}"
        out.extend(
            [
                '<g class="link">',
                f"<title>{svg_text(link.title)}</title>",
                f'<path d="{d}" {_stroke(link)}/>',
                "</g>",
            ]
        )
    out.append("</svg>")
    return "\n".join(out)
