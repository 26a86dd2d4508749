"""The links chart as a pure function: escaped text, styles per kind, and
both sides drawn identically (swapping them gives the mirror image)."""

import re

from dialogue.link_chart import (
    KIND_DASHES,
    WIDTH,
    ChartColumn,
    ChartLink,
    ChartRow,
    link_chart_svg,
)

LEFT = ChartColumn(
    "Chinese scholars",
    (ChartRow("1.1", "1.1  Stability"), ChartRow("1.2", "1.2  Labels and attacks")),
)
RIGHT = ChartColumn(
    "American scholars",
    (
        ChartRow("2.1", "2.1  Personal diplomacy, and a long title " * 3),
        ChartRow("2.2", "2.2  Economic co-existence"),
    ),
)
LINKS = (
    ChartLink("1.1", "2.1", "mirror", True, "Mirror: 1.1 and 2.1"),
    ChartLink("1.2", "2.2", "tension", False, "Tension: 1.2 and 2.2"),
    ChartLink("2.1", "2.2", "related", False, "Related: 2.1 and 2.2"),
)


def chart(left=LEFT, right=RIGHT, links=LINKS) -> str:
    return link_chart_svg(
        left=left,
        right=right,
        links=links,
        title="Links",
        description="Two lists.",
        legend=[(kind, kind.title()) for kind in KIND_DASHES],
        agreed_label="agreed",
        suggested_label="suggested",
    )


def link_paths(svg: str) -> list[tuple]:
    """(numbers of the path, stroke attributes) of every drawn link."""
    found = re.findall(
        r'<g class="link">\n<title>.*?</title>\n<path d="([^"]+)" ([^/]+)/>', svg
    )
    return [
        (tuple(float(n) for n in re.findall(r"-?[\d.]+", d)), attrs)
        for d, attrs in found
    ]


def mirrored(path: tuple) -> tuple:
    """A path's numbers with every x reflected about the middle."""
    return tuple(WIDTH - n if i % 2 == 0 else n for i, n in enumerate(path))


def test_each_link_is_drawn_in_the_style_of_its_kind():
    paths = link_paths(chart())

    assert [attrs for _numbers, attrs in paths] == [
        'stroke="#000" stroke-width="3.5" fill="none"',
        'stroke="#000" stroke-width="1.5" fill="none" stroke-dasharray="2 4"',
        'stroke="#000" stroke-width="1.5" fill="none" stroke-dasharray="8 4"',
    ]


def test_every_text_is_escaped():
    hostile = '<script>alert(1)</script> " onload="x'
    left = ChartColumn(hostile, (ChartRow("1.1", hostile),))
    links = (ChartLink("1.1", "2.1", "mirror", False, hostile),)

    svg = chart(left=left, links=links)

    assert "<script" not in svg and "onload=" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot; onload&#61;&quot;x" in svg


def test_a_link_to_an_unknown_row_is_left_out():
    svg = chart(links=(ChartLink("1.1", "9.9", "mirror", False, "gone"),))

    assert link_paths(svg) == []


def test_swapping_the_sides_gives_the_mirror_image():
    swapped = link_paths(chart(left=RIGHT, right=LEFT))
    original = link_paths(chart())

    assert [(mirrored(numbers), attrs) for numbers, attrs in original] == swapped


def test_both_columns_are_laid_out_alike():
    same = ChartColumn("A", LEFT.rows)
    other = ChartColumn("B", tuple(ChartRow(f"x{r.key}", r.label) for r in LEFT.rows))

    svg = chart(left=same, right=other, links=())

    left_y = re.findall(r'<text x="390" y="([\d.]+)" text-anchor="end">', svg)
    right_y = re.findall(r'<text x="610" y="([\d.]+)" text-anchor="start">', svg)
    assert left_y == right_y and len(left_y) == 2
