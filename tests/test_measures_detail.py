"""The measure page through the client: fields, tally and history, what a
counter changed, escaping, nothing inline, and query budgets."""

from dataclasses import replace

from dialogue.services.measures import content_for_side, measure_answer, measure_counter
from tests.builders import count_get_queries as count_queries
from tests.builders import login, make_participant, propose
from tests.builders import measure_url as url
from tests.builders import page_text as page


def test_detail_shows_fields_tally_and_history(client, d):
    measure = propose(d, "CN")
    measure_answer(
        measure=measure, by=d.delegates["US"][1], stance="support", reason="Yes."
    )
    measure_answer(
        measure=measure, by=d.delegates["US"][2], stance="oppose", reason="No."
    )
    measure_answer(
        measure=measure, by=d.delegates["CN"][2], stance="clarify", reason="Who?"
    )
    login(client, d.delegates["US"][1])

    response = client.get(url("measure_detail", d, measure.pk))

    tally = [
        (row["delegation"].code, row["counts"], row["total"])
        for row in response.context["tally"]
    ]
    assert response.status_code == 200
    assert tally == [("CN", [0, 0, 0, 1], 1), ("US", [1, 0, 1, 0], 2)]
    assert "What Chinese scholars would do" in page(response)
    assert "What American scholars would do" in page(response)
    assert "Proposing side first (Chinese scholars)" in page(response)
    assert response.context["my_answer"].stance == "support"
    assert response.context["answer_form"].initial == {
        "stance": "support",
        "reason": "Yes.",
    }


def test_detail_marks_the_fields_a_counter_changed(client, d):
    measure = propose(d, "CN")
    us = d.delegates["US"][1]
    counter = measure_counter(
        measure=measure,
        by=us,
        content=replace(
            content_for_side(measure, us.delegation_id), timeframe="One week"
        ),
        items=[d.items[(1, 1)]],
    )
    login(client, d.delegates["CN"][1])

    response = client.get(url("measure_detail", d, counter.pk))
    old = client.get(url("measure_detail", d, measure.pk))

    assert response.context["changes"] == ["timeframe"]
    assert page(response).count('class="changed-mark"') == 1
    assert [m.revision for m in response.context["chain"]] == [1, 2]
    assert "This revision was superseded by a counter-proposal." in page(old)
    assert f'href="{url("measure_detail", d, counter.pk)}"' in page(old)
    assert old.context["can_counter"] is False


def test_detail_escapes_user_text(client, d):
    measure = propose(
        d, title="<script>alert(1)</script>", our_action="<img src=x onerror=alert(2)>"
    )
    login(client, d.delegates["US"][1])

    detail = page(client.get(url("measure_detail", d, measure.pk)))
    board = page(client.get(url("measure_board", d, 1)))

    for html in (detail, board):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in detail


def test_pages_have_no_inline_scripts_or_styles(client, d):
    measure = propose(d)
    login(client, d.delegates["US"][1])
    paths = [
        url("measure_board", d, 1),
        url("measure_detail", d, measure.pk),
        url("measure_create", d),
        url("measure_counter", d, measure.pk),
    ]

    for path in paths:
        html = page(client.get(path))

        assert " style=" not in html, path
        assert "<script>" not in html, path
        assert " hx-on" not in html, path


def test_detail_query_count_does_not_grow_with_answers_and_revisions(client, d):
    login(client, d.delegates["CN"][1])

    def chain_with(n):
        measure = propose(d, "CN", title=f"Chain {n}")
        for i in range(n):
            voter = make_participant(d.workshop, code=("CN", "US")[i % 2])
            measure_answer(measure=measure, by=voter, stance="oppose", reason="No")
        for i in range(n):
            by = d.delegates[("US", "CN")[i % 2]][1]
            measure = measure_counter(
                measure=measure,
                by=by,
                content=replace(
                    content_for_side(measure, by.delegation_id), title=f"r{i}"
                ),
                items=[d.items[(1, 1)]],
            )
        return measure

    small = chain_with(1)
    large = chain_with(30)
    count_queries(client, url("measure_detail", d, small.pk))  # warm the session

    assert count_queries(client, url("measure_detail", d, small.pk)) == count_queries(
        client, url("measure_detail", d, large.pk)
    )


def test_detail_of_a_measure_with_many_answers_costs_the_same(client, d):
    login(client, d.delegates["US"][1])
    one, many = propose(d, title="One"), propose(d, title="Many")
    measure_answer(measure=one, by=d.delegates["US"][2], stance="support", reason="x")
    for i in range(30):
        voter = make_participant(d.workshop, code=("CN", "US")[i % 2])
        measure_answer(measure=many, by=voter, stance="clarify", reason=f"Why {i}?")
    count_queries(client, url("measure_detail", d, one.pk))

    assert count_queries(client, url("measure_detail", d, one.pk)) == count_queries(
        client, url("measure_detail", d, many.pk)
    )
