"""The measure board through the client: columns by status, filters (bad ones
as 400s), the conditional polling of its fragment, and query budgets."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
    measure_create,
    measure_withdraw,
)
from tests.builders import CONTENT, login, propose, titles
from tests.builders import count_get_queries as count_queries
from tests.builders import measure_url as url
from tests.builders import page_text as page


def test_board_puts_measures_in_columns_by_status(client, d):
    cn, us = d.delegates["CN"][1], d.delegates["US"][1]
    propose(d, "CN", title="Fresh")
    discussed = propose(d, "US", title="Discussed")
    measure_answer(measure=discussed, by=cn, stance="clarify", reason="How?")
    gone = propose(d, "CN", title="Gone")
    measure_withdraw(measure=gone, by=cn)
    old = propose(d, "CN", title="Old")
    measure_counter(
        measure=old,
        by=us,
        content=replace(content_for_side(old, us.delegation_id), title="New"),
        items=[d.items[(1, 1)]],
    )
    login(client, us)

    response = client.get(url("measure_board", d, 1))

    columns = {status: titles(ms) for status, _, ms in response.context["columns"]}
    closed = {status: titles(ms) for status, _, ms in response.context["closed"]}
    assert response.status_code == 200
    assert columns == {
        "proposed": ["New", "Fresh"],
        "under_discussion": [],
        "endorsed_one": [],
        "endorsed_both": [],
    }
    assert closed == {"withdrawn": ["Gone"], "superseded": ["Old"]}
    # "Discussed" is linked to an item of session 2 only.
    session_two = client.get(url("measure_board", d, 2))
    assert [titles(ms) for _, _, ms in session_two.context["columns"]] == [
        [],
        ["Discussed"],
        [],
        [],
    ]


def test_board_filters_by_item_and_delegation_with_real_links(client, d):
    propose(d, "CN", title="CN on 1.1")
    measure_create(
        proposer=d.delegates["US"][1],
        content=replace(CONTENT, title="US on 1.2"),
        items=[d.items[(1, 2)]],
    )
    measure_create(
        proposer=d.delegates["US"][2],
        content=replace(CONTENT, title="US on 1.1"),
        items=[d.items[(1, 1)]],
    )
    login(client, d.delegates["CN"][2])
    board = url("measure_board", d, 1)

    def shown(query):
        response = client.get(board + query)
        return sorted(t for _, _, ms in response.context["columns"] for t in titles(ms))

    everything = client.get(board)

    assert shown("") == ["CN on 1.1", "US on 1.1", "US on 1.2"]
    assert shown("?item=1") == ["CN on 1.1", "US on 1.1"]
    assert shown("?delegation=US") == ["US on 1.1", "US on 1.2"]
    assert shown("?item=1&delegation=US") == ["US on 1.1"]
    assert everything.context["item_links"] == [
        ("All items", board, True),
        ("1", board + "?item=1", False),
        ("2", board + "?item=2", False),
    ]
    assert f'href="{board}?delegation=CN"' in page(everything)
    assert f'href="{board}?item=2"' in page(everything)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?item=9", "There is no item 9 in this session."),
        ("?item=abc", "There is no item abc in this session."),
        ("?delegation=XX", "There is no delegation XX in this workshop."),
    ],
)
def test_board_answers_400_to_an_unknown_filter(client, d, query, message):
    login(client, d.delegates["CN"][1])

    response = client.get(url("measure_board", d, 1) + query)

    assert response.status_code == 400
    assert message in page(response)


def test_board_is_404_for_a_missing_session(client, d):
    login(client, d.delegates["CN"][1])

    assert client.get(url("measure_board", d, 9)).status_code == 404


def test_board_fragment_polls_itself_and_answers_304_when_nothing_changed(client, d):
    propose(d)
    login(client, d.delegates["US"][1])
    board = url("measure_board", d, 1)

    first = client.get(board, headers={"HX-Request": "true"})
    etag = first["ETag"]
    idle = client.get(board, headers={"HX-Request": "true", "If-None-Match": etag})
    propose(d, "CN", title="Something new")
    changed = client.get(board, headers={"HX-Request": "true", "If-None-Match": etag})

    assert first.status_code == 200
    assert page(first).startswith('\n<div id="measure-board"')
    assert f'hx-get="{board}"' in page(first)
    assert 'hx-trigger="every ' in page(first)
    assert "<html" not in page(first)
    assert first["Cache-Control"] == "private, no-cache"
    assert idle.status_code == 304
    assert idle["ETag"] == etag
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Something new" in page(changed)


def test_board_etag_differs_between_page_and_fragment_and_between_people(client, d):
    board = url("measure_board", d, 1)
    login(client, d.delegates["CN"][1])
    client.get(board)  # sets the CSRF cookie, which a full page's tag names
    full = client.get(board)["ETag"]
    fragment = client.get(board, headers={"HX-Request": "true"})["ETag"]
    login(client, d.delegates["CN"][2])
    colleague = client.get(board, headers={"HX-Request": "true"})["ETag"]

    assert len({full, fragment, colleague}) == 3


def test_board_idle_poll_costs_one_query_besides_session_and_auth(client, d):
    propose(d)
    login(client, d.delegates["CN"][1])
    board = url("measure_board", d, 1)
    etag = client.get(board, headers={"HX-Request": "true"})["ETag"]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            board, headers={"HX-Request": "true", "If-None-Match": etag}
        )

    # The session (cached_db: often no query) and the user are the
    # middleware's; the session's version, joined to the participant, is the
    # one query of live_poll.
    middleware = ('FROM "django_session"', 'FROM "auth_user"')
    own = [
        q["sql"]
        for q in queries.captured_queries
        if not any(table in q["sql"] for table in middleware)
    ]
    assert response.status_code == 304
    assert [sql.split(" FROM ")[1].split()[0] for sql in own] == [
        '"dialogue_session"',
    ]
    assert len(queries) <= 4


def many_measures(d, n):
    for i in range(n):
        code = ("CN", "US")[i % 2]
        measure = measure_create(
            proposer=d.delegates[code][i % 3],
            content=replace(CONTENT, title=f"Measure {i}"),
            items=[d.items[(1, 1)], d.items[(1, 2)], d.items[(2, 1)]],
        )
        other = d.delegates[d.other(code)][(i + 1) % 3]
        measure_answer(measure=measure, by=other, stance="support", reason="ok")
        if i % 3 == 0:
            from dialogue.services.measures import measure_endorse

            measure_endorse(
                measure=measure, delegation=d.delegations[code], by=d.head(code)
            )


def test_board_query_count_does_not_grow_with_measures(client, d):
    login(client, d.delegates["CN"][1])
    board = url("measure_board", d, 1)
    many_measures(d, 1)
    count_queries(client, board)  # warm the session
    one = count_queries(client, board)
    fragment_one = count_queries(client, board, HX_Request="true")

    many_measures(d, 29)

    assert count_queries(client, board) == one
    assert count_queries(client, board, HX_Request="true") == fragment_one
