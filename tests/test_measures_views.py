"""Measure pages through the client: who may do what, what each page shows,
bad input as 400s, the board's conditional polling, and query budgets."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue import permissions
from dialogue.models import (
    MeasureEndorsement,
    MeasureResponse,
    ReciprocalMeasure,
    Role,
)
from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
    measure_create,
    measure_withdraw,
)
from tests.conftest import make_participant
from tests.test_measures_services import CONTENT, Dialogue, build_dialogue, propose


@pytest.fixture
def d(workshop) -> Dialogue:
    return build_dialogue(workshop)


def url(name, d, *args):
    return reverse(name, args=[d.workshop.slug, *args])


def login(client, participant):
    client.force_login(participant.user)
    return participant


def form_data(**changes):
    data = {
        "title": CONTENT.title,
        "our_action": CONTENT.our_action,
        "their_action": CONTENT.their_action,
        "sequencing": CONTENT.sequencing,
        "conditionality": CONTENT.conditionality,
        "verification": CONTENT.verification,
        "timeframe": CONTENT.timeframe,
        "reversibility": CONTENT.reversibility,
        "measure_type": CONTENT.measure_type,
    }
    return data | changes


def page(response) -> str:
    return response.content.decode()


def titles(column) -> list[str]:
    return [m.title for m in column]


# --- who gets in ------------------------------------------------------------------

GET_PAGES = [
    ("measure_board", lambda d, m: (1,)),
    ("measure_detail", lambda d, m: (m.pk,)),
    ("measure_create", lambda d, m: ()),
]
POST_ACTIONS = ["measure_answer", "measure_endorse", "measure_withdraw"]


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_pages_redirect_anonymous_visitors_to_sign_in(client, d, name, args):
    measure = propose(d)

    response = client.get(url(name, d, *args(d, measure)))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "name",
    [*POST_ACTIONS, "measure_propose", "measure_delete", "measure_counter"],
)
def test_actions_redirect_anonymous_visitors_and_write_nothing(client, d, name):
    measure = propose(d)

    response = client.post(url(name, d, measure.pk), {"delegation": "CN"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert ReciprocalMeasure.objects.get().status == "proposed"


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_pages_are_404_for_a_stranger_and_another_workshops_member(
    client, d, stranger, other_workshop_member, name, args
):
    measure = propose(d)

    for user in (stranger, other_workshop_member.user):
        client.force_login(user)

        response = client.get(url(name, d, *args(d, measure)))

        assert response.status_code == 404


@pytest.mark.parametrize("name", POST_ACTIONS)
def test_actions_are_404_for_another_workshops_member(
    client, d, other_workshop_member, name
):
    measure = propose(d)
    client.force_login(other_workshop_member.user)

    response = client.post(
        url(name, d, measure.pk), {"stance": "support", "reason": "x"}
    )

    assert response.status_code == 404
    assert MeasureResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("measure_board", lambda d, m: (1,)),
        ("measure_detail", lambda d, m: (m.pk,)),
        ("measure_session_counts", lambda d, m: (1,)),
        ("measure_item_list", lambda d, m: (1, 1)),
    ],
)
def test_read_only_pages_refuse_post(client, d, name, args):
    measure = propose(d)
    login(client, d.delegates["CN"][1])

    response = client.post(url(name, d, *args(d, measure)))

    assert response.status_code == 405


@pytest.mark.parametrize("name", [*POST_ACTIONS, "measure_propose", "measure_delete"])
def test_actions_refuse_get(client, d, name):
    measure = propose(d)
    login(client, d.delegates["CN"][1])

    response = client.get(url(name, d, measure.pk))

    assert response.status_code == 405


@pytest.mark.parametrize("name", ["measure_create", "measure_edit", "measure_counter"])
def test_forms_refuse_put(client, d, name):
    measure = propose(d)
    login(client, d.delegates["CN"][1])
    args = () if name == "measure_create" else (measure.pk,)

    response = client.put(url(name, d, *args))

    assert response.status_code == 405


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.FACILITATOR, Role.RAPPORTEUR])
def test_non_delegates_read_but_cannot_write(client, d, role):
    measure = propose(d)
    login(client, make_participant(d.workshop, role=role))

    board = client.get(url("measure_board", d, 1))
    detail = client.get(url("measure_detail", d, measure.pk))
    writes = [
        client.get(url("measure_create", d)).status_code,
        client.get(url("measure_counter", d, measure.pk)).status_code,
        client.post(
            url("measure_answer", d, measure.pk), {"stance": "support", "reason": "x"}
        ).status_code,
        client.post(
            url("measure_endorse", d, measure.pk), {"delegation": "CN"}
        ).status_code,
    ]

    assert (board.status_code, detail.status_code) == (200, 200)
    assert "Propose a measure" not in page(board)
    assert detail.context["can_answer"] is False
    assert 'action="/w/' not in page(detail).split("Answers by delegation")[1]
    assert writes == [403, 403, 403, 403]
    assert MeasureResponse.objects.count() == 0
    assert MeasureEndorsement.objects.count() == 0


# --- drafts are private ---------------------------------------------------------------


def test_a_draft_is_404_for_everyone_but_its_proposer(client, d):
    proposer = d.delegates["CN"][1]
    draft = measure_create(
        proposer=proposer, content=CONTENT, items=[d.items[(1, 1)]], propose=False
    )
    others = [d.delegates["CN"][2], d.delegates["US"][1], d.head("CN"), d.observer]

    statuses = []
    for participant in others:
        login(client, participant)
        statuses.append(client.get(url("measure_detail", d, draft.pk)).status_code)
        statuses.append(client.post(url("measure_propose", d, draft.pk)).status_code)
    login(client, proposer)
    own = client.get(url("measure_detail", d, draft.pk))

    assert statuses == [404] * 8
    assert own.status_code == 200
    assert "This is your draft: nobody else can see it." in page(own)


def test_drafts_appear_only_on_their_proposers_board(client, d):
    proposer = d.delegates["US"][1]
    measure_create(
        proposer=proposer,
        content=replace(CONTENT, title="Secret draft"),
        items=[d.items[(1, 1)]],
        propose=False,
    )

    login(client, proposer)
    own = client.get(url("measure_board", d, 1))
    login(client, d.delegates["US"][2])
    colleague = client.get(url("measure_board", d, 1))

    assert titles(own.context["drafts"]) == ["Secret draft"]
    assert "Secret draft" in page(own)
    assert colleague.context["drafts"] == []
    assert "Secret draft" not in page(colleague)


def test_proposer_proposes_and_deletes_drafts_through_the_page(client, d):
    proposer = login(client, d.delegates["CN"][1])
    keep, drop = (
        measure_create(
            proposer=proposer,
            content=replace(CONTENT, title=title),
            items=[d.items[(1, 1)]],
            propose=False,
        )
        for title in ("Keep", "Drop")
    )

    proposed = client.post(url("measure_propose", d, keep.pk))
    deleted = client.post(url("measure_delete", d, drop.pk))

    assert proposed.status_code == 302
    assert proposed["Location"] == url("measure_detail", d, keep.pk)
    assert deleted["Location"] == reverse("workshop_detail", args=[d.workshop.slug])
    assert list(ReciprocalMeasure.objects.values_list("title", "status")) == [
        ("Keep", "proposed")
    ]


# --- the board ------------------------------------------------------------------------


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


def count_queries(client, path, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(queries)


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


# --- the panels ---------------------------------------------------------------------------


def test_session_counts_fragment(client, d):
    cn = d.delegates["CN"][1]
    propose(d, "CN", title="A")
    withdrawn = propose(d, "CN", title="B")
    measure_withdraw(measure=withdrawn, by=cn)
    measure_create(proposer=cn, content=CONTENT, items=[d.items[(1, 1)]], propose=False)
    login(client, d.delegates["US"][1])
    counts = url("measure_session_counts", d, 1)

    response = client.get(counts, headers={"HX-Request": "true"})
    plain = client.get(counts)

    assert response.status_code == 200
    assert " ".join(page(response).split()) == (
        '<p class="measure-counts"> 2 measures on this session’s items: Proposed 1 '
        "· Under discussion 0 · Endorsed by one side 0 · Endorsed by both sides 0 "
        "· Withdrawn 1 </p>"
    )
    assert plain.status_code == 302
    assert plain["Location"] == url("measure_board", d, 1)


def test_session_page_panel_links_to_the_board(client, d):
    login(client, d.delegates["US"][1])

    response = client.get(d.sessions[1].get_absolute_url())

    assert f'href="{url("measure_board", d, 1)}"' in page(response)
    assert f'hx-get="{url("measure_session_counts", d, 1)}"' in page(response)


def test_item_list_fragment_shows_the_items_measures(client, d):
    propose(d, "CN", title="On item 1.1")
    measure_create(
        proposer=d.delegates["US"][1],
        content=replace(CONTENT, title="On item 1.2"),
        items=[d.items[(1, 2)]],
    )
    login(client, d.observer)
    path = url("measure_item_list", d, 1, 1)

    response = client.get(path, headers={"HX-Request": "true"})
    plain = client.get(path)
    missing = client.get(url("measure_item_list", d, 1, 9))

    assert response.status_code == 200
    assert "On item 1.1" in page(response)
    assert "On item 1.2" not in page(response)
    assert "<html" not in page(response)
    assert plain.status_code == 302
    assert plain["Location"] == url("measure_board", d, 1) + "?item=1"
    assert missing.status_code == 404


def test_item_panel_template_renders_with_the_item_page_context(rf, d):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = d.delegates["CN"][1].user

    html = render_to_string(
        "measure_item_panel.html",
        {
            "workshop": d.workshop,
            "participant": d.delegates["CN"][1],
            "item": d.items[(2, 1)],
            "can": permissions.Can(d.delegates["CN"][1], d.sessions[2]),
        },
        request=request,
    )

    assert f'hx-get="{url("measure_item_list", d, 2, 1)}"' in html
    assert f'href="{url("measure_board", d, 2)}?item=1"' in html
    assert f'href="{url("measure_create", d)}?item={d.items[(2, 1)].pk}"' in html


# --- the measure page ----------------------------------------------------------------------


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


# --- answering, endorsing, withdrawing through the page -------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_delegate_answers_and_is_sent_back_to_the_answers(client, d, code):
    measure = propose(d, d.other(code))
    delegate = login(client, d.delegates[code][2])

    response = client.post(
        url("measure_answer", d, measure.pk),
        {"stance": "support_with_changes", "reason": "Add a review."},
    )

    assert response.status_code == 302
    assert response["Location"] == url("measure_detail", d, measure.pk) + "#answers"
    assert list(
        MeasureResponse.objects.values_list("participant_id", "stance", "reason")
    ) == [(delegate.pk, "support_with_changes", "Add a review.")]


def test_answer_without_a_reason_is_a_form_error(client, d):
    measure = propose(d)
    login(client, d.delegates["US"][1])

    response = client.post(
        url("measure_answer", d, measure.pk), {"stance": "oppose", "reason": " "}
    )

    assert response.status_code == 400
    assert response.context["answer_form"].errors == {
        "reason": ["This field is required."]
    }
    assert MeasureResponse.objects.count() == 0


def test_answer_to_a_withdrawn_measure_is_a_400_with_the_reason(client, d):
    measure = propose(d)
    measure_withdraw(measure=measure, by=d.delegates["CN"][1])
    login(client, d.delegates["US"][1])

    response = client.post(
        url("measure_answer", d, measure.pk), {"stance": "support", "reason": "x"}
    )

    assert response.status_code == 400
    assert response.context["answer_form"].non_field_errors() == [
        "This measure was withdrawn; it can no longer be answered."
    ]
    assert MeasureResponse.objects.count() == 0


@pytest.mark.parametrize("code", ["CN", "US"])
def test_head_endorses_on_behalf_of_the_delegation(client, d, code):
    measure = propose(d, d.other(code))
    head = login(client, d.head(code))

    shown = client.get(url("measure_detail", d, measure.pk))
    response = client.post(url("measure_endorse", d, measure.pk), {"delegation": code})

    assert f"Endorse on behalf of {head.delegation.name}" in page(shown)
    assert response.status_code == 302
    assert list(
        MeasureEndorsement.objects.values_list("delegation__code", "via", "endorsed_by")
    ) == [(code, "head", head.pk)]


@pytest.mark.parametrize(
    ("who", "code", "message"),
    [
        ("delegate", "CN", "Only the head of a delegation can endorse on its behalf."),
        (
            "us-head",
            "CN",
            "You head American scholars; you cannot endorse on behalf of Chinese "
            "scholars.",
        ),
        ("us-head", "XX", "There is no delegation XX in this workshop."),
    ],
)
def test_refused_endorsements_are_400_with_the_reason(client, d, who, code, message):
    measure = propose(d)
    login(client, d.head("US") if who == "us-head" else d.delegates["CN"][1])

    response = client.post(url("measure_endorse", d, measure.pk), {"delegation": code})

    assert response.status_code == 400
    assert response.context["error"] == [message]
    assert message in page(response)
    assert MeasureEndorsement.objects.count() == 0


def test_only_the_proposer_withdraws(client, d):
    measure = propose(d)
    login(client, d.delegates["CN"][2])
    refused = client.post(url("measure_withdraw", d, measure.pk))
    login(client, d.delegates["CN"][1])
    done = client.post(url("measure_withdraw", d, measure.pk))

    assert refused.status_code == 400
    assert refused.context["error"] == ["Only its proposer can withdraw a measure."]
    assert done.status_code == 302
    assert ReciprocalMeasure.objects.get().status == "withdrawn"


# --- proposing, editing, countering through the page ----------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_delegate_proposes_through_the_form(client, d, code):
    delegate = login(client, d.delegates[code][1])
    item = d.item_of(code)

    form = client.get(url("measure_create", d) + f"?item={item.pk}")
    response = client.post(
        url("measure_create", d),
        form_data(items=[item.pk], action="propose"),
    )

    measure = ReciprocalMeasure.objects.get()
    assert form.status_code == 200
    assert list(form.context["form"].initial["items"]) == [item]
    assert response.status_code == 302
    assert response["Location"] == url("measure_detail", d, measure.pk)
    assert (measure.status, measure.proposer, measure.proposing_delegation.code) == (
        "proposed",
        delegate,
        code,
    )


def test_delegate_saves_a_draft_through_the_form(client, d):
    login(client, d.delegates["US"][2])

    client.post(
        url("measure_create", d), form_data(items=[d.items[(2, 2)].pk], action="draft")
    )

    assert ReciprocalMeasure.objects.get().status == "draft"


def test_invalid_proposal_is_a_form_error_and_writes_nothing(client, d):
    login(client, d.delegates["US"][2])

    response = client.post(url("measure_create", d), form_data(title="", items=[]))

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "items"}
    assert ReciprocalMeasure.objects.count() == 0


def test_proposer_edits_before_answers_but_not_after(client, d):
    measure = propose(d)
    login(client, d.delegates["CN"][1])
    form = client.get(url("measure_edit", d, measure.pk))
    saved = client.post(
        url("measure_edit", d, measure.pk),
        form_data(title="Renamed", items=[d.items[(1, 1)].pk]),
    )
    measure_answer(
        measure=measure, by=d.delegates["US"][1], stance="oppose", reason="x"
    )

    late_form = client.get(url("measure_edit", d, measure.pk))
    late = client.post(
        url("measure_edit", d, measure.pk),
        form_data(title="Again", items=[d.items[(1, 1)].pk]),
    )

    assert form.status_code == 200
    assert form.context["form"].initial["title"] == CONTENT.title
    assert saved.status_code == 302
    assert late_form.status_code == 400
    assert late.status_code == 400
    assert late.context["form"].non_field_errors() == [
        "This measure has been answered, so it can no longer be edited: counter it "
        "or withdraw it instead."
    ]
    assert ReciprocalMeasure.objects.get().title == "Renamed"


def test_edit_is_forbidden_to_anyone_but_the_proposer(client, d):
    measure = propose(d)
    login(client, d.delegates["CN"][2])

    assert client.get(url("measure_edit", d, measure.pk)).status_code == 403


@pytest.mark.parametrize("code", ["CN", "US"])
def test_counter_form_starts_from_the_measure_written_from_the_counterers_side(
    client, d, code
):
    measure = propose(d, d.other(code))
    login(client, d.delegates[code][2])

    form = client.get(url("measure_counter", d, measure.pk))
    response = client.post(
        url("measure_counter", d, measure.pk),
        form_data(
            our_action=CONTENT.their_action,
            their_action=CONTENT.our_action,
            sequencing="other_first",
            timeframe="Two weeks",
            items=[d.item_of(d.other(code)).pk],
        ),
    )

    counter = ReciprocalMeasure.objects.get(revision=2)
    assert form.context["form"].initial["our_action"] == CONTENT.their_action
    assert form.context["form"].initial["sequencing"] == "other_first"
    assert "data-mark-changes" in page(form)
    assert response.status_code == 302
    assert response["Location"] == url("measure_detail", d, counter.pk)
    assert counter.proposing_delegation.code == code
    assert ReciprocalMeasure.objects.get(revision=1).status == "superseded"


def test_counter_without_a_change_is_refused(client, d):
    measure = propose(d)
    login(client, d.delegates["US"][2])

    response = client.post(
        url("measure_counter", d, measure.pk),
        form_data(
            our_action=CONTENT.their_action,
            their_action=CONTENT.our_action,
            sequencing="other_first",
            items=[d.item_of("CN").pk],
        ),
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A counter-proposal must change something in the measure."
    ]
    assert ReciprocalMeasure.objects.count() == 1


def test_counter_page_of_a_superseded_measure_says_why_not(client, d):
    measure = propose(d)
    us = d.delegates["US"][2]
    measure_counter(
        measure=measure,
        by=us,
        content=replace(content_for_side(measure, us.delegation_id), title="x"),
        items=[d.item_of("CN")],
    )
    login(client, us)

    response = client.get(url("measure_counter", d, measure.pk))

    assert response.status_code == 400
    assert response.context["error"] == [
        "This measure was already superseded by a counter-proposal; counter its "
        "latest revision instead."
    ]
