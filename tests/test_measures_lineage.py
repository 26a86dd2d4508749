"""A countered measure keeps who began it: the board card, the item page's
panel and the summary show the latest revision with its chain, one read
(`selectors.measures.measure_lineages`) for page and report alike."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import MeasureStatus
from dialogue.selectors.measures import measure_lineages
from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
    measure_create,
)
from dialogue.summary.build import build_summary_document
from dialogue.summary.render.markdown import render_markdown
from tests.builders import CONTENT, login, propose


def counter(d, measure, code, *, who=1, **changes):
    by = d.delegates[code][who]
    start = content_for_side(measure, by.delegation_id)
    return measure_counter(
        measure=measure,
        by=by,
        content=replace(start, **(changes or {"timeframe": f"{code} timeframe"})),
        items=list(measure.items.all()),
    )


def chain(lineage):
    return [(r.number, r.delegation.code, r.status) for r in lineage.revisions]


@pytest.mark.parametrize("side", ["CN", "US"])
def test_a_counter_keeps_who_began_the_measure(d, side):
    other = d.other(side)
    first = propose(d, side)
    second = counter(d, first, other)

    lineages = measure_lineages([first, second])

    assert chain(lineages[second.pk]) == [
        (1, side, MeasureStatus.SUPERSEDED),
        (2, other, MeasureStatus.PROPOSED),
    ]
    assert lineages[second.pk].begun_by.code == side
    assert lineages[second.pk].countered
    # A superseded revision's own lineage ends with itself.
    assert chain(lineages[first.pk]) == [(1, side, MeasureStatus.SUPERSEDED)]
    assert not lineages[first.pk].countered


def test_a_chain_of_three_counters(d, django_assert_num_queries):
    first = propose(d, "CN")
    second = counter(d, first, "US")
    third = counter(d, second, "CN", timeframe="Later still")
    unrelated = propose(d, "US", title="Another")

    with django_assert_num_queries(1):
        lineages = measure_lineages([third, unrelated])

    assert chain(lineages[third.pk]) == [
        (1, "CN", MeasureStatus.SUPERSEDED),
        (2, "US", MeasureStatus.SUPERSEDED),
        (3, "CN", MeasureStatus.PROPOSED),
    ]
    assert chain(lineages[unrelated.pk]) == [(1, "US", MeasureStatus.PROPOSED)]


def test_a_draft_is_its_own_lineage(d):
    draft = measure_create(
        proposer=d.delegates["CN"][1],
        content=CONTENT,
        items=[d.item_of("CN")],
        propose=False,
    )

    assert chain(measure_lineages([draft])[draft.pk]) == [(1, "CN", "draft")]


def panel(client, d, viewer, item=(1, 1)):
    login(client, viewer)
    response = client.get(
        reverse("measure_item_list", args=[d.workshop.slug, *item]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("side", ["CN", "US"])
def test_the_item_panel_lists_the_latest_revision_with_its_chain(client, d, side):
    other = d.other(side)
    first = propose(d, side, title="Hotline")
    second = counter(d, first, other)
    item = (1, 1) if side == "CN" else (2, 1)

    response = panel(client, d, d.delegates[other][2], item)

    assert [m.pk for m in response.context["measures"]] == [second.pk]
    page = response.content.decode()
    assert f"Begun by {side}, countered by {other}:" in page
    first_url = reverse("measure_detail", args=[d.workshop.slug, first.pk])
    assert f'<a href="{first_url}">revision 1 by {side}</a> →' in page
    assert f'<span aria-current="true">revision 2 by {other}</span>' in page


def test_a_measure_never_countered_shows_no_chain(client, d):
    propose(d, "CN", title="Plain")

    page = panel(client, d, d.observer).content.decode()

    assert "Plain" in page
    assert "measure-lineage" not in page


def test_the_item_panel_costs_the_same_queries_at_1_and_4_chains(
    client, d, django_assert_max_num_queries
):
    first = propose(d, "CN", title="Chain 0")
    counter(d, first, "US")
    login(client, d.observer)
    path = reverse("measure_item_list", args=[d.workshop.slug, 1, 1])
    client.get(path, headers={"HX-Request": "true"})  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(path, headers={"HX-Request": "true"})
    for n in range(1, 4):
        m = propose(d, "CN", title=f"Chain {n}")
        counter(d, counter(d, m, "US"), "CN", timeframe="Again")

    with django_assert_max_num_queries(len(one)):
        response = client.get(path, headers={"HX-Request": "true"})

    assert len(response.context["measures"]) == 4


@pytest.mark.parametrize("side", ["CN", "US"])
def test_the_board_card_says_who_began_and_who_countered(client, d, side):
    other = d.other(side)
    first = propose(d, side, title="Hotline")
    counter(d, first, other)
    session = 1 if side == "CN" else 2
    login(client, d.delegates[side][0])

    response = client.get(reverse("measure_board", args=[d.workshop.slug, session]))

    columns = dict((s, ms) for s, _label, ms in response.context["columns"])
    [card] = columns[MeasureStatus.PROPOSED]
    assert card.lineage.begun_by.code == side
    assert f"Begun by {side}, countered by {other}:" in response.content.decode()


@pytest.mark.parametrize("side", ["CN", "US"])
def test_the_summary_lists_the_latest_revision_with_its_chain(d, side):
    other = d.other(side)
    first = propose(d, side, title="Hotline")
    second = counter(d, first, other)
    measure_answer(
        measure=second,
        by=d.delegates[side][2],
        stance="support",
        reason="Good.",
    )
    session = d.sessions[1 if side == "CN" else 2]

    doc = build_summary_document(session=session)

    [item] = [i for i in doc.items if i.measures]
    [measure] = item.measures
    names = {code: d.delegations[code].name for code in ("CN", "US")}
    assert measure.revisions == ((1, names[side]), (2, names[other]))
    assert measure.proposed_by == names[other]
    assert {t.delegation: t.support for t in measure.tallies}[names[side]] == 1
    text = render_markdown(doc)
    assert (
        f"Begun by {names[side]}, countered by {names[other]} "
        f"(revision 1 by {names[side]} → revision 2 by {names[other]})"
    ) in text
    assert text.count("Hotline") == 1
