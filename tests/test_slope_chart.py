"""Tests for dialogue.slope_chart (pure SVG rendering, no Django)."""

import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogue.slope_chart import slope_chart_svg

SVG = "{http://www.w3.org/2000/svg}"

ITEMS = [
    ("Maritime incident hotlines", 1, 3),
    ("Respect each other\u2019s core interests and red lines in the region", 2, 1),
    ("Climate finance", 3, 2),
]


def _render(items=ITEMS, **overrides):
    arguments = {
        "left_label": "Delegation CN",
        "right_label": "Delegation US",
        "items": items,
        "title": "Agenda priorities",
    }
    arguments.update(overrides)
    return slope_chart_svg(**arguments)


def _parse(svg):
    # The input is this module's own output, not untrusted data.
    return ET.fromstring(svg)  # noqa: S314


def _item_groups(root):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "slope-item"]


def _label_ys(root, anchor):
    return [
        float(text.get("y"))
        for group in _item_groups(root)
        for text in group.iter(f"{SVG}text")
        if text.get("text-anchor") == anchor
    ]


def _without(element, name):
    return {key: value for key, value in element.attrib.items() if key != name}


def test_slope_chart_svg_parses_as_accessible_standalone_svg():
    svg = _render()

    root = _parse(svg)

    assert (root.tag, root.get("role"), root.get("width")) == (
        f"{SVG}svg",
        "img",
        "100%",
    )
    assert root.get("viewBox").startswith("0 0 ")
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert root.get("aria-labelledby") == " ".join(
        child.get("id") for child in root[:2]
    )
    assert root.find(f"{SVG}title").text == "Agenda priorities"


def test_slope_chart_svg_has_one_line_per_item():
    svg = _render()

    root = _parse(svg)

    assert len(root.findall(f".//{SVG}line")) == len(ITEMS)
    assert [len(group.findall(f"{SVG}line")) for group in _item_groups(root)] == [
        1,
        1,
        1,
    ]


def test_slope_chart_svg_rank_one_is_at_the_top():
    svg = _render()

    root = _parse(svg)

    lines = root.findall(f".//{SVG}line")
    left_ys = [float(line.get("y1")) for line in lines]
    right_ys = [float(line.get("y2")) for line in lines]
    assert sorted(range(3), key=left_ys.__getitem__) == [0, 1, 2]
    assert sorted(range(3), key=right_ys.__getitem__) == [1, 2, 0]


def _label_lines(text) -> list[str]:
    return [span.text for span in text.iter(f"{SVG}tspan")]


def test_slope_chart_svg_labels_show_rank_and_the_whole_label_wrapped():
    svg = _render()

    root = _parse(svg)

    second = _item_groups(root)[1]
    lines = [_label_lines(text) for text in second.iter(f"{SVG}text")]
    assert [" ".join(side) for side in lines] == [
        "#2  Respect each other\u2019s core interests and red lines in the region",
        "#1  Respect each other\u2019s core interests and red lines in the region",
    ]
    assert all(len(side) == 2 for side in lines)  # wrapped, not cut
    assert "\u2026" not in svg.split("</title>", 1)[1]
    assert second.find(f"{SVG}title").text == (
        "Respect each other\u2019s core interests and red lines in the region "
        "(Delegation CN: 2, Delegation US: 1)"
    )


def test_slope_chart_svg_wraps_chinese_labels_whole():
    label = "尊重彼此在本地区的核心利益和红线，避免采取可能被对方视为挑衅的单方面行动"

    svg = _render(items=[(label, 1, 2), ("短", 2, 1)])

    first = _item_groups(_parse(svg))[0]
    sides = [_label_lines(text) for text in first.iter(f"{SVG}text")]
    assert ["".join(side) for side in sides] == [f"#1  {label}", f"#2  {label}"]
    assert all(len(side) > 1 for side in sides)


@pytest.mark.parametrize("side", [0, 1])
def test_slope_chart_svg_ties_sit_apart_on_either_side(side):
    long = "A long recommendation that needs two lines beside the axis of the chart"
    ranks = [(1.5, 1.0), (1.5, 2.0), (3.0, 3.0)]
    items = [
        (long if n == 0 else f"Item {n}", *(r if side == 0 else r[::-1]))
        for n, r in enumerate(ranks)
    ]

    root = _parse(_render(items=items))

    texts = [list(g.iter(f"{SVG}text"))[side] for g in _item_groups(root)]
    blocks = sorted(
        (float(t.get("y")), float(t.get("y")) + 17 * (len(_label_lines(t)) - 1))
        for t in texts
    )
    for (_top, bottom), (next_top, _end) in pairwise(blocks):
        assert next_top - bottom >= 17  # one line's height at least: no overlap


def test_slope_chart_svg_escapes_hostile_label():
    hostile = "<script>alert(\"x\")</script> & <b onclick='f()'>"

    svg = _render(
        items=[(hostile, 1, 2), ("Safe", 2, 1)], left_label="A & B", title="<T>"
    )

    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp; &lt;b onclick&#61;&apos;f()&apos;&gt;" in svg
    assert "A &amp; B" in svg
    root = _parse(svg)
    assert _item_groups(root)[0].find(f"{SVG}title").text == (
        f"{hostile} (A & B: 1, Delegation US: 2)"
    )
    assert root.find(f"{SVG}title").text == "<T>"


def test_slope_chart_svg_has_no_style_script_or_handlers():
    svg = _render(items=[("onload=alert(1) style=x", 1, 1)])

    root = _parse(svg)

    attributes = {name for element in root.iter() for name in element.attrib}
    assert "style" not in attributes
    assert not any(name.lower().startswith("on") for name in attributes)
    assert "style=" not in svg
    assert "<script" not in svg.lower()
    assert root.findall(f".//{SVG}script") == []
    assert root.findall(f".//{SVG}style") == []


def test_slope_chart_svg_tied_ranks_get_distinct_label_positions():
    items = [("A", 2, 1), ("B", 2, 2), ("C", 2, 3), ("D", 4.5, 4.5), ("E", 4.5, 4.5)]

    svg = _render(items=items)

    root = _parse(svg)
    for anchor in ("end", "start"):
        ys = sorted(_label_ys(root, anchor))
        gaps = [lower - upper for upper, lower in pairwise(ys)]
        assert len(set(ys)) == len(items)
        assert min(gaps) >= 12


def test_slope_chart_svg_draws_both_axes_identically():
    svg = _render(left_label="Side", right_label="Side")

    root = _parse(svg)

    axis_texts = [t for t in root.findall(f"{SVG}text") if t.get("font-size") == "14"]
    axis_paths = root.findall(f"{SVG}path")
    texts = [(_without(t, "x"), t.text) for t in axis_texts]
    paths = [(_without(p, "d"), p.get("d").split(" ", 1)[1]) for p in axis_paths]
    assert [len(texts), len(paths)] == [2, 2]
    assert texts[0] == texts[1]
    assert paths[0] == paths[1]


def test_slope_chart_svg_is_deterministic():
    first = _render()

    second = _render()

    assert first == second


def test_slope_chart_svg_empty_items_still_valid():
    svg = _render(items=[])

    root = _parse(svg)

    assert root.findall(f".//{SVG}line") == []


def test_slope_chart_svg_rejects_invalid_rank():
    items = [("A", 0, 1)]

    with pytest.raises(ValueError, match="invalid rank"):
        _render(items=items)


def test_slope_chart_svg_rejects_malformed_chart_id():
    chart_id = '"><script>'

    with pytest.raises(ValueError, match="chart_id"):
        _render(chart_id=chart_id)


@given(
    st.lists(st.tuples(st.text(), st.integers(1, 20), st.integers(1, 20)), max_size=8),
    st.text(),
)
def test_slope_chart_svg_any_text_parses_and_keeps_one_line_per_item(items, label):
    svg = slope_chart_svg(left_label=label, right_label=label, items=items, title=label)

    root = _parse(svg)

    assert len(root.findall(f".//{SVG}line")) == len(items)
    assert "style=" not in svg


def test_slope_chart_svg_uses_a_given_description_escaped():
    description = "图表 <b>: 1 & 2"

    svg = _render(description=description)

    root = _parse(svg)
    assert root.find(f"{SVG}desc").text == description
    assert "&lt;b&gt;" in svg


def test_slope_chart_svg_default_description_lists_the_ranks():
    svg = _render(items=[("A", 1, 2), ("B", 2, 1)])

    root = _parse(svg)

    assert root.find(f"{SVG}desc").text == (
        "Slope chart of 2 items ranked by Delegation CN (left axis) and "
        "Delegation US (right axis), rank 1 at the top. A: Delegation CN 1, "
        "Delegation US 2; B: Delegation CN 2, Delegation US 1."
    )
